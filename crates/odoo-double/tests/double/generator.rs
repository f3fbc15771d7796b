//! The data generator is deterministic and its worlds hold every situation
//! relanced must handle. Checked on the stored rows, as Odoo would store them.

use chrono::NaiveDate;
use odoo_double::generator::{POSTPONE_TYPE, TAG_EXCLUDED, TAG_GENTLE, TAG_KEY_ACCOUNTS, USD};
use odoo_double::world::Row;
use odoo_double::{GeneratorOptions, OdooVersion, World};
use odoo_wire::Value;

fn options(seed: u64, customers: usize) -> GeneratorOptions {
    GeneratorOptions {
        seed,
        customers,
        invoices_per_customer: (1, 5),
        as_of: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        version: OdooVersion::V18,
        us_company: true,
    }
}

fn rows<'w>(w: &'w World, model: &str) -> Vec<(i64, &'w Row)> {
    w.tables
        .get(model)
        .map(|t| t.rows.iter().map(|(id, r)| (*id, r)).collect())
        .unwrap_or_default()
}

fn str_of<'r>(r: &'r Row, f: &str) -> &'r str {
    r.get(f).and_then(Value::as_str).unwrap_or("")
}

fn num(r: &Row, f: &str) -> f64 {
    r.get(f)
        .and_then(|v| v.as_decimal())
        .map(|d| d.to_string().parse().unwrap())
        .unwrap_or(0.0)
}

#[test]
fn the_same_seed_gives_the_same_world_and_another_seed_another() {
    let a = World::generated(&options(7, 300));
    let b = World::generated(&options(7, 300));
    assert!(a == b, "two worlds from seed 7 differ");
    let c = World::generated(&options(8, 300));
    assert!(a != c, "seeds 7 and 8 gave the same world");
    assert!(a.count("account.move.line") > 600);
}

#[test]
fn customers_cover_countries_languages_contacts_and_tags() {
    let w = World::generated(&options(1, 400));
    let customers: Vec<&Row> = rows(&w, "res.partner")
        .into_iter()
        .filter(|(_, r)| r.get("customer_rank").and_then(Value::as_i64).unwrap_or(0) > 0)
        .map(|(_, r)| r)
        .collect();
    assert_eq!(customers.len(), 400);
    for (country, id) in [("FR", 75), ("BE", 20), ("GB", 231), ("US", 233)] {
        assert!(
            customers
                .iter()
                .any(|r| r.get("country_id") == Some(&Value::Int(id))),
            "no customer in {country}"
        );
    }
    for lang in ["fr_FR", "nl_BE", "en_US"] {
        assert!(
            customers.iter().any(|r| str_of(r, "lang") == lang),
            "no customer speaking {lang}"
        );
    }
    let companies: Vec<&&Row> = customers
        .iter()
        .filter(|r| r.get("is_company") == Some(&Value::Bool(true)))
        .collect();
    assert!(
        companies.len() > 100 && companies.len() < 400,
        "companies and individuals"
    );
    assert!(companies.iter().any(|r| str_of(r, "vat").starts_with("FR")));
    assert!(
        companies
            .iter()
            .any(|r| str_of(r, "vat").starts_with("BE0"))
    );
    assert!(
        customers
            .iter()
            .any(|r| r.get("email") == Some(&Value::Bool(false))),
        "some without email"
    );
    assert!(
        customers
            .iter()
            .any(|r| str_of(r, "name").contains("<script>")),
        "a hostile name"
    );
    assert!(
        customers
            .iter()
            .any(|r| str_of(r, "name").contains(['é', 'è', 'ë', 'ï', 'ü'])),
        "accents"
    );
    assert!(
        customers
            .iter()
            .any(|r| r.get("user_id").and_then(Value::as_i64).is_some()),
        "salespersons"
    );
    let tagged = |tag: i64| {
        customers.iter().any(|r| {
            r.get("category_id")
                .and_then(Value::as_ids)
                .unwrap_or_default()
                .contains(&tag)
        })
    };
    assert!(tagged(TAG_EXCLUDED) && (tagged(TAG_KEY_ACCOUNTS) || tagged(TAG_GENTLE)));
    let invoice_contacts: Vec<(i64, &Row)> = rows(&w, "res.partner")
        .into_iter()
        .filter(|(_, r)| str_of(r, "type") == "invoice" && !str_of(r, "email").is_empty())
        .collect();
    assert!(
        !invoice_contacts.is_empty(),
        "invoice-type child contacts with email"
    );
    let parent = invoice_contacts[0]
        .1
        .get("parent_id")
        .and_then(Value::as_i64)
        .unwrap();
    assert!(w.row("res.partner", parent).is_some());
    let currencies: Vec<i64> = rows(&w, "res.company")
        .iter()
        .filter_map(|(_, r)| r.get("currency_id")?.as_i64())
        .collect();
    assert_eq!(currencies, vec![1, 1, USD]);
}

#[test]
fn receivables_cover_every_payment_situation() {
    let w = World::generated(&options(3, 400));
    let as_of = "2026-11-22";
    let moves = rows(&w, "account.move");
    let lines = rows(&w, "account.move.line");
    let receivable: Vec<&Row> = lines
        .iter()
        .filter(|(_, r)| str_of(r, "account_type") == "asset_receivable")
        .map(|(_, r)| *r)
        .collect();
    let lines_of = |move_id: i64| {
        receivable
            .iter()
            .filter(move |r| r.get("move_id") == Some(&Value::Int(move_id)))
            .copied()
            .collect::<Vec<_>>()
    };
    let state = |m: &Row| str_of(m, "payment_state").to_owned();
    // Instalments: several receivable lines with their own due dates.
    assert!(moves.iter().any(|(id, _)| {
        let l = lines_of(*id);
        l.len() >= 2 && str_of(l[0], "date_maturity") != str_of(l[1], "date_maturity")
    }));
    // Partial payments: 0 < residual < total.
    assert!(moves.iter().any(|(_, m)| state(m) == "partial"
        && num(m, "amount_residual") > 0.0
        && num(m, "amount_residual") < num(m, "amount_total")));
    // Credit notes with a negative open line.
    assert!(moves.iter().any(|(id, m)| {
        str_of(m, "move_type") == "out_refund"
            && lines_of(*id)
                .iter()
                .any(|l| num(l, "amount_residual") < 0.0)
    }));
    // Unmatched payments: an entry with a negative open receivable line.
    assert!(moves.iter().any(|(id, m)| {
        str_of(m, "move_type") == "entry"
            && lines_of(*id).iter().any(|l| {
                num(l, "amount_residual") < 0.0 && l.get("reconciled") == Some(&Value::Bool(false))
            })
    }));
    // Paid without journal entry: the move is paid, its line still open.
    assert!(moves.iter().any(|(id, m)| {
        state(m) == "paid"
            && lines_of(*id).iter().any(|l| {
                l.get("reconciled") == Some(&Value::Bool(false)) && num(l, "amount_residual") > 0.0
            })
    }));
    assert!(moves.iter().any(|(_, m)| state(m) == "in_payment"));
    // Two currencies among open items.
    assert!(receivable.iter().any(
        |l| l.get("currency_id") == Some(&Value::Int(USD)) && num(l, "amount_residual") != 0.0
    ));
    assert!(
        receivable
            .iter()
            .any(|l| l.get("currency_id") == Some(&Value::Int(1))
                && num(l, "amount_residual") != 0.0)
    );
    // Due dates from 120 days late to 10 days ahead, both ends reached.
    let dues: Vec<NaiveDate> = receivable
        .iter()
        .filter(|l| str_of(l, "name") != "Paiement client")
        .map(|l| NaiveDate::parse_from_str(str_of(l, "date_maturity"), "%Y-%m-%d").unwrap())
        .collect();
    let day = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
    assert!(
        dues.iter()
            .all(|d| (*d - day).num_days() >= -120 && (*d - day).num_days() <= 10)
    );
    assert!(dues.iter().any(|d| (*d - day).num_days() <= -100));
    assert!(dues.iter().any(|d| (*d - day).num_days() > 0));
    // Postponements on invoices, deadlines after and before as_of.
    let postponed: Vec<&Row> = rows(&w, "mail.activity")
        .into_iter()
        .filter(|(_, a)| a.get("activity_type_id") == Some(&Value::Int(POSTPONE_TYPE)))
        .map(|(_, a)| a)
        .collect();
    assert!(
        postponed
            .iter()
            .all(|a| str_of(a, "res_model") == "account.move")
    );
    assert!(postponed.iter().any(|a| str_of(a, "date_deadline") > as_of));
    assert!(postponed.iter().any(|a| str_of(a, "date_deadline") < as_of));
}

#[test]
fn a_v19_world_carries_no_followup_and_a_v18_world_does_not() {
    let mut o = options(5, 20);
    let w18 = World::generated(&o);
    o.version = OdooVersion::V19;
    let w19 = World::generated(&o);
    let has = |w: &World| {
        rows(w, "account.move.line")
            .iter()
            .any(|(_, r)| r.get("no_followup").is_some())
    };
    assert!(!has(&w18));
    assert!(has(&w19));
}

#[test]
fn even_a_small_world_holds_every_situation_whatever_the_seed() {
    for seed in [0, 1, 99, 12345] {
        let w = World::generated(&options(seed, 16));
        let moves = rows(&w, "account.move");
        let lines = rows(&w, "account.move.line");
        let partners = rows(&w, "res.partner");
        let has_move = |f: &dyn Fn(&Row) -> bool| moves.iter().any(|(_, m)| f(m));
        assert!(
            has_move(&|m| str_of(m, "payment_state") == "partial"),
            "seed {seed}: partial"
        );
        assert!(
            has_move(&|m| str_of(m, "payment_state") == "in_payment"),
            "seed {seed}: in_payment"
        );
        assert!(
            has_move(&|m| str_of(m, "move_type") == "out_refund"),
            "seed {seed}: credit note"
        );
        assert!(
            has_move(&|m| str_of(m, "move_type") == "entry"),
            "seed {seed}: unmatched payment"
        );
        assert!(
            has_move(&|m| m.get("currency_id") == Some(&Value::Int(USD))),
            "seed {seed}: USD"
        );
        let paid_open = lines.iter().any(|(_, l)| {
            let mid = l.get("move_id").and_then(Value::as_i64).unwrap();
            let paid = w.stored("account.move", mid, "payment_state") == Some(&Value::from("paid"));
            paid && l.get("reconciled") == Some(&Value::Bool(false))
                && num(l, "amount_residual") > 0.0
        });
        assert!(paid_open, "seed {seed}: paid without journal entry");
        let tagged = |t: i64| {
            partners.iter().any(|(_, p)| {
                p.get("category_id")
                    .and_then(Value::as_ids)
                    .unwrap_or_default()
                    .contains(&t)
            })
        };
        assert!(tagged(TAG_EXCLUDED), "seed {seed}: excluded");
        assert!(
            tagged(TAG_KEY_ACCOUNTS) || tagged(TAG_GENTLE),
            "seed {seed}: strategy tag"
        );
        assert!(
            partners.iter().any(|(_, p)| str_of(p, "type") == "invoice"),
            "seed {seed}: invoicing contact"
        );
        assert!(
            partners
                .iter()
                .any(|(_, p)| str_of(p, "name").contains("<script>")),
            "seed {seed}: hostile name"
        );
        let deadlines: Vec<String> = rows(&w, "mail.activity")
            .iter()
            .map(|(_, a)| str_of(a, "date_deadline").to_owned())
            .collect();
        assert!(
            deadlines.iter().any(|d| d.as_str() > "2026-11-22")
                && deadlines.iter().any(|d| d.as_str() < "2026-11-22"),
            "seed {seed}: postponements"
        );
    }
}
