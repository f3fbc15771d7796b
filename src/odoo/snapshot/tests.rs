//! `adapt` on small hand-built records: what the engine sees of each Odoo convention.

use super::{Fetched, adapt};
use crate::followup::{PostponementTarget, Trust};
use crate::odoo::features::ServerFeatures;
use crate::odoo::records::{
    ActivityRecord, CompanyRecord, InvoiceRecord, OpenItemRecord, PartnerRecord, Ref, TagRecord,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn r(id: i64, name: &str) -> Option<Ref> {
    Some(Ref {
        id,
        name: name.into(),
    })
}

fn day(d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, 3, d)
}

fn company() -> CompanyRecord {
    CompanyRecord {
        id: 1,
        name: "YourCompany".into(),
        currency: r(3, "EUR"),
        partner_id: Some(1),
        country: None,
        vat: None,
        email: None,
        phone: None,
        street: None,
        zip: None,
        city: None,
        website: None,
    }
}

fn partner(id: i64, name: &str) -> PartnerRecord {
    PartnerRecord {
        id,
        name: name.into(),
        commercial_partner_id: Some(id),
        parent_id: None,
        contact_type: Some("contact".into()),
        is_company: true,
        lang: Some("fr_BE".into()),
        email: Some(format!("{id}@example.com")),
        phone: None,
        vat: None,
        country_code: Some("BE".into()),
        reference: None,
        tag_ids: vec![],
        trust: None,
        salesperson: None,
        street: None,
        street2: None,
        zip: None,
        city: None,
    }
}

fn item(id: i64, move_id: i64, customer: i64, residual: Decimal) -> OpenItemRecord {
    OpenItemRecord {
        id,
        move_id: r(move_id, &format!("INV/{move_id}")),
        move_name: None,
        partner_id: r(customer, "customer"),
        company_id: 1,
        date: day(1),
        date_maturity: day(31),
        amount_residual: residual,
        amount_residual_currency: residual,
        currency: None,
        company_currency: None,
        excluded_flag: None,
    }
}

fn invoice(id: i64, move_type: &str) -> InvoiceRecord {
    InvoiceRecord {
        id,
        name: format!("INV/{id}"),
        move_type: move_type.into(),
        payment_state: Some("not_paid".into()),
        salesperson: None,
        currency: None,
        invoice_date: day(1),
        invoice_date_due: day(31),
        payment_reference: None,
        amount_total: dec!(100),
    }
}

fn activity(res_model: &str, res_id: i64, deadline: Option<NaiveDate>) -> ActivityRecord {
    ActivityRecord {
        id: res_id * 10,
        res_model: res_model.into(),
        res_id,
        activity_type: r(4, "Relance : report"),
        deadline,
        user: None,
        summary: None,
    }
}

fn fetched() -> Fetched {
    Fetched {
        company_id: 1,
        company: Some(company()),
        ..Default::default()
    }
}

#[test]
fn only_active_salespeople_are_kept() {
    let mut customer = partner(7, "LightsUp");
    customer.salesperson = r(2, "Marc (archived)");
    let mut active_one = invoice(10, "out_invoice");
    active_one.salesperson = r(5, "Anne");
    let mut bot = invoice(11, "out_invoice");
    bot.salesperson = r(1, "OdooBot");
    let raw = Fetched {
        customers: vec![customer],
        invoices: vec![active_one, bot],
        active_users: [5].into(),
        ..fetched()
    };
    let s = adapt(raw, &ServerFeatures::default());
    assert_eq!(s.customers[0].salesperson, None, "archived user");
    assert_eq!(s.invoices[0].salesperson.as_ref().map(|u| u.id), Some(5));
    assert_eq!(
        s.invoices[0].salesperson.as_ref().map(|u| u.name.as_str()),
        Some("Anne")
    );
    assert_eq!(s.invoices[1].salesperson, None, "OdooBot is inactive");
}

#[test]
fn postponements_on_invoices_and_on_customers_keep_their_target() {
    let raw = Fetched {
        invoice_postponements: vec![activity("account.move", 10, day(20))],
        customer_postponements: vec![activity("res.partner", 7, None)],
        ..fetched()
    };
    let s = adapt(raw, &ServerFeatures::default());
    let seen: Vec<_> = s
        .postponements
        .iter()
        .map(|p| (p.res_model, p.res_id, p.deadline))
        .collect();
    assert_eq!(
        seen,
        [
            (PostponementTarget::Invoice, 10, day(20)),
            (PostponementTarget::Customer, 7, None)
        ]
    );
}

#[test]
fn partial_payments_keep_both_residuals_and_credit_notes_their_type() {
    let mut paid_in_part = item(100, 10, 7, dec!(40.5));
    paid_in_part.amount_residual_currency = dec!(45);
    let credit = item(101, 12, 7, dec!(-25));
    let mut partial = invoice(10, "out_invoice");
    partial.payment_state = Some("partial".into());
    let mut refund = invoice(12, "out_refund");
    refund.payment_state = None;
    let raw = Fetched {
        items: vec![paid_in_part, credit],
        invoices: vec![partial, refund, invoice(13, "")],
        ..fetched()
    };
    let s = adapt(raw, &ServerFeatures::default());
    assert_eq!(s.items[0].residual_company, dec!(40.5));
    assert_eq!(s.items[0].residual_currency, dec!(45));
    assert_eq!(
        s.items[0].move_name, "INV/10",
        "the move's name when the line has none"
    );
    assert_eq!(s.items[1].residual_company, dec!(-25));
    assert_eq!(s.invoices[0].payment_state, "partial");
    assert_eq!(s.invoices[1].move_type.as_deref(), Some("out_refund"));
    assert_eq!(s.invoices[1].payment_state, "not_paid", "False is not paid");
    assert_eq!(s.invoices[2].move_type, None, "an empty type is none");
}

#[test]
fn items_without_customer_or_date_are_left_out() {
    let mut no_customer = item(100, 10, 7, dec!(1));
    no_customer.partner_id = None;
    let mut no_date = item(101, 10, 7, dec!(1));
    no_date.date = None;
    no_date.date_maturity = None;
    let mut maturity_only = item(102, 10, 7, dec!(1));
    maturity_only.date = None;
    let raw = Fetched {
        items: vec![no_customer, no_date, maturity_only],
        ..fetched()
    };
    let s = adapt(raw, &ServerFeatures::default());
    assert_eq!(s.items.len(), 1);
    assert_eq!(s.items[0].id, 102);
    assert_eq!(
        Some(s.items[0].date),
        day(31),
        "the maturity stands for the date"
    );
}

#[test]
fn currencies_default_to_the_company_currency() {
    let mut in_usd = item(100, 10, 7, dec!(90));
    in_usd.currency = r(2, "USD");
    in_usd.amount_residual_currency = dec!(100);
    let mut usd_invoice = invoice(10, "out_invoice");
    usd_invoice.currency = r(2, "USD");
    let raw = Fetched {
        items: vec![in_usd, item(101, 11, 7, dec!(5))],
        invoices: vec![usd_invoice, invoice(11, "out_invoice")],
        ..fetched()
    };
    let s = adapt(raw, &ServerFeatures::default());
    assert_eq!(s.company.currency, "EUR");
    assert_eq!(s.company.name, "YourCompany");
    assert_eq!(
        (
            s.items[0].currency.as_str(),
            s.items[0].company_currency.as_str()
        ),
        ("USD", "EUR")
    );
    assert_eq!(s.items[1].currency, "EUR");
    assert_eq!(s.invoices[0].currency, "USD");
    assert_eq!(s.invoices[1].currency, "EUR");

    let unreadable = Fetched {
        company_id: 4,
        ..Default::default()
    };
    let s = adapt(unreadable, &ServerFeatures::default());
    assert_eq!((s.company.id, s.company.currency.as_str()), (4, ""));
}

#[test]
fn invoice_contacts_tags_and_trust_go_to_their_customer() {
    let mut customer = partner(7, "LightsUp");
    customer.tag_ids = vec![20, 21, 99];
    customer.trust = Some("bad".into());
    let mut other = partner(8, "Deco");
    other.trust = Some("good".into());
    let mut billing = partner(70, "LightsUp, Billing");
    billing.parent_id = Some(7);
    billing.contact_type = Some("invoice".into());
    let mut orphan = partner(71, "Nobody's");
    orphan.parent_id = None;
    let raw = Fetched {
        customers: vec![customer, other],
        contacts: vec![billing, orphan],
        tags: vec![
            TagRecord {
                id: 20,
                name: "Relance : Grands comptes".into(),
            },
            TagRecord {
                id: 21,
                name: "Relance 1 · Rappel".into(),
            },
        ],
        ..fetched()
    };
    let s = adapt(raw, &ServerFeatures::default());
    let c = &s.customers[0];
    assert_eq!(c.invoice_contacts.len(), 1);
    assert_eq!(c.invoice_contacts[0].id, 70);
    assert_eq!(
        c.invoice_contacts[0].email.as_deref(),
        Some("70@example.com")
    );
    let tags: Vec<&str> = c.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        tags,
        ["Relance : Grands comptes", "Relance 1 · Rappel"],
        "unknown tag 99 left out"
    );
    assert_eq!(c.trust, Trust::Bad);
    assert_eq!(c.company_id, Some(1));
    assert_eq!(s.customers[1].trust, Trust::Good);
    assert!(s.customers[1].invoice_contacts.is_empty());
}

#[test]
fn the_exclusion_flag_goes_to_the_field_the_server_has() {
    let mut flagged = item(100, 10, 7, dec!(1));
    flagged.excluded_flag = Some(true);
    let raw = Fetched {
        items: vec![flagged],
        ..fetched()
    };
    let odoo19 = ServerFeatures {
        line_no_followup: true,
        ..Default::default()
    };
    let s = adapt(raw.clone(), &odoo19);
    assert_eq!(
        (s.items[0].blocked, s.items[0].no_followup),
        (None, Some(true))
    );
    assert!(s.features.item_no_followup_field && !s.features.item_blocked_field);
    let odoo17 = ServerFeatures {
        line_blocked: true,
        ..Default::default()
    };
    let s = adapt(raw.clone(), &odoo17);
    assert_eq!(
        (s.items[0].blocked, s.items[0].no_followup),
        (Some(true), None)
    );
    let s = adapt(raw, &ServerFeatures::default());
    assert_eq!((s.items[0].blocked, s.items[0].no_followup), (None, None));
}
