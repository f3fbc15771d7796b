//! Receivables of generated worlds: invoices and credit notes with their
//! instalment lines, partial and full payments (with and without journal
//! entry), foreign currency, unmatched payments and postponement activities.
//! Part of the generator.

use crate::OdooVersion;
use crate::generator::*;
use crate::world::{ids, row};
use chrono::{Datelike, Duration, NaiveDate};
use odoo_wire::Value;

impl Generator<'_> {
    fn next_name(&mut self, company: i64, prefix: &'static str, date: NaiveDate) -> String {
        let n = self.seq.entry((company, prefix, date.year())).or_insert(0);
        *n += 1;
        format!("{prefix}/{}/{:05}", date.year(), n)
    }

    /// One invoice or credit note; `forced` (a customer index) imposes a situation.
    pub(super) fn invoice(&mut self, partner: i64, company: i64, country: &str, forced: usize) {
        let r = &mut self.rng;
        let refund = forced == 8 || (forced > 15 && r.chance(6));
        let status = match (forced, r.below(100)) {
            (6, _) => Status::Partial,
            (7, _) => Status::PaidWithoutEntry,
            (10, _) => Status::InPayment,
            (5 | 8 | 11 | 12 | 13, _) => Status::Open,
            (_, _) if refund => {
                if r.chance(70) {
                    Status::Open
                } else {
                    Status::Paid
                }
            }
            (_, 0..=49) => Status::Open,
            (_, 50..=61) => Status::Partial,
            (_, 62..=73) => Status::Paid,
            (_, 74..=79) => Status::InPayment,
            (_, 80..=83) => Status::PaidWithoutEntry,
            (_, 84..=85) => Status::Draft,
            _ => Status::Open,
        };
        let company_currency = if company == 3 { USD } else { EUR };
        let foreign = forced == 11
            || (matches!(country, "GB" | "US") && company_currency == EUR && r.chance(25));
        let currency = if foreign { USD } else { company_currency };
        let rate = if currency == company_currency {
            1.0
        } else {
            0.92
        };
        let instalments = if forced == 5 {
            3
        } else if r.chance(20) {
            r.range(2, 3)
        } else {
            1
        };
        // Every due date falls between 120 days late and 10 days ahead.
        let due_offset = match forced {
            5 => -70,
            _ => r.range(-120, 10 - 30 * (instalments - 1)),
        };
        let total: i64 = r.range(5_000, 2_000_000);
        let first_due = self.o.as_of + Duration::days(due_offset);
        let date = first_due - Duration::days(if r.chance(10) { 0 } else { 30 });
        let draft = status == Status::Draft;
        let prefix = if refund { "RINV" } else { "INV" };
        let name = if draft {
            "/".to_owned()
        } else {
            self.next_name(company, prefix, date)
        };
        let r = &mut self.rng;
        let paid_cents = match status {
            Status::Partial => total * r.range(20, 80) / 100,
            Status::Paid | Status::InPayment => total,
            _ => 0,
        };
        let residual_total = total - paid_cents;
        let payment_state = match status {
            Status::Open | Status::Draft => "not_paid",
            Status::Partial => "partial",
            Status::Paid | Status::PaidWithoutEntry => "paid",
            Status::InPayment => "in_payment",
        };
        let sign = if refund { -1 } else { 1 };
        let mut dues = Vec::new();
        let mut left = total;
        for j in 0..instalments {
            let part = if j + 1 == instalments {
                left
            } else {
                total / instalments
            };
            left -= part;
            dues.push((first_due + Duration::days(30 * j), part));
        }
        let last_due = dues.last().map_or(first_due, |d| d.0);
        let move_id = self.w.insert(
            "account.move",
            row([
                ("name", s(&name)),
                (
                    "move_type",
                    s(if refund { "out_refund" } else { "out_invoice" }),
                ),
                ("state", s(if draft { "draft" } else { "posted" })),
                ("partner_id", Value::Int(partner)),
                ("commercial_partner_id", Value::Int(partner)),
                ("invoice_date", s(&date.to_string())),
                ("date", s(&date.to_string())),
                ("invoice_date_due", s(&last_due.to_string())),
                ("amount_total", money(total)),
                ("amount_untaxed", money(total * 100 / 120)),
                (
                    "amount_residual",
                    money(if status == Status::PaidWithoutEntry {
                        total
                    } else {
                        residual_total
                    }),
                ),
                ("payment_state", s(payment_state)),
                ("currency_id", Value::Int(currency)),
                ("company_id", Value::Int(company)),
                ("invoice_payment_term_id", false.into()),
                ("ref", false.into()),
                ("matched_payment_ids", ids(&[])),
            ]),
        );
        let mut paid_left = paid_cents;
        let v19 = self.o.version == OdooVersion::V19;
        for (j, (due, part)) in dues.iter().enumerate() {
            let paid_here = paid_left.min(*part);
            paid_left -= paid_here;
            let residual = part - paid_here;
            let reconciled = residual == 0 && status != Status::PaidWithoutEntry;
            let residual = if status == Status::PaidWithoutEntry {
                *part
            } else {
                residual
            };
            let company_amount = |c: i64| ((c as f64) * rate).round() as i64;
            let mut line = row([
                ("move_id", Value::Int(move_id)),
                ("partner_id", Value::Int(partner)),
                ("account_id", Value::Int(1)),
                ("account_type", s("asset_receivable")),
                ("name", s(&format!("{name} installment #{}", j + 1))),
                ("date", s(&date.to_string())),
                ("date_maturity", s(&due.to_string())),
                ("balance", money(sign * company_amount(*part))),
                (
                    "debit",
                    money(if refund { 0 } else { company_amount(*part) }),
                ),
                (
                    "credit",
                    money(if refund { company_amount(*part) } else { 0 }),
                ),
                ("amount_currency", money(sign * part)),
                ("amount_residual", money(sign * company_amount(residual))),
                ("amount_residual_currency", money(sign * residual)),
                ("currency_id", Value::Int(currency)),
                ("company_id", Value::Int(company)),
                ("reconciled", reconciled.into()),
            ]);
            if v19 {
                line.insert("no_followup", false.into());
            }
            self.w.insert("account.move.line", line);
        }
        self.w.insert(
            "account.move.line",
            row([
                ("move_id", Value::Int(move_id)),
                ("partner_id", Value::Int(partner)),
                ("account_id", Value::Int(2)),
                ("account_type", s("income")),
                ("name", s("Prestations")),
                ("date", s(&date.to_string())),
                ("balance", money(-sign * total)),
                ("amount_residual", money(0)),
                ("currency_id", Value::Int(currency)),
                ("company_id", Value::Int(company)),
                ("reconciled", false.into()),
            ]),
        );
        let postpone = forced == 12
            || forced == 13
            || (forced > 15 && status == Status::Open && self.rng.chance(5));
        if postpone && !draft {
            let offset = match forced {
                12 => 14,
                13 => -7,
                _ => self.rng.range(-15, 30),
            };
            let deadline = self.o.as_of + Duration::days(offset);
            self.w.insert(
                "mail.activity",
                row([
                    ("res_model", s("account.move")),
                    ("res_id", Value::Int(move_id)),
                    ("activity_type_id", Value::Int(POSTPONE_TYPE)),
                    ("summary", s("Promesse de paiement")),
                    ("note", s("<p>Le client a promis de payer.</p>")),
                    ("date_deadline", s(&deadline.to_string())),
                    ("user_id", Value::Int(BOT_UID)),
                    ("active", true.into()),
                ]),
            );
        }
    }

    /// A customer payment not matched with any invoice: an open negative line.
    pub(super) fn unmatched_payment(&mut self, partner: i64, company: i64) {
        let amount = self.rng.range(1_000, 300_000);
        let date = self.o.as_of - Duration::days(self.rng.range(1, 40));
        let name = self.next_name(company, "PBNK", date);
        let currency = if company == 3 { USD } else { EUR };
        let move_id = self.w.insert(
            "account.move",
            row([
                ("name", s(&name)),
                ("move_type", s("entry")),
                ("state", s("posted")),
                ("partner_id", Value::Int(partner)),
                ("commercial_partner_id", Value::Int(partner)),
                ("date", s(&date.to_string())),
                ("amount_total", money(amount)),
                ("amount_residual", money(0)),
                ("payment_state", s("not_paid")),
                ("currency_id", Value::Int(currency)),
                ("company_id", Value::Int(company)),
            ]),
        );
        let mut line = row([
            ("move_id", Value::Int(move_id)),
            ("partner_id", Value::Int(partner)),
            ("account_id", Value::Int(1)),
            ("account_type", s("asset_receivable")),
            ("name", s("Paiement client")),
            ("date", s(&date.to_string())),
            ("date_maturity", s(&date.to_string())),
            ("balance", money(-amount)),
            ("credit", money(amount)),
            ("amount_currency", money(-amount)),
            ("amount_residual", money(-amount)),
            ("amount_residual_currency", money(-amount)),
            ("currency_id", Value::Int(currency)),
            ("company_id", Value::Int(company)),
            ("reconciled", false.into()),
        ]);
        if self.o.version == OdooVersion::V19 {
            line.insert("no_followup", false.into());
        }
        self.w.insert("account.move.line", line);
    }
}
