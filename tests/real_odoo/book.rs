//! A book covering FOLLOWUP.md's situations, run through the binary day after day on a
//! real Odoo, with emails to aiosmtpd and every effect read back from Odoo: markers and
//! their colours, one note per customer and level with its letter, call activities for
//! the salesperson, nothing twice on the same day, escalation on later days, and a
//! payment that lowers or removes the marker.

use crate::smtp_support::{Aiosmtpd, parse_eml};
use crate::support::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub const STRATEGY_S: &str = r#"
[followup]
fallback_user = 2

[[strategy]]
name = "S"
default = true
min_amount = { EUR = 5.0, USD = 5.0 }
min_interval_days = 7
catch_up = "step"

[[strategy.level]]
key = "amical"
label = "Rappel amical"
offset_days = 3
actions = ["email"]
marker = { tag = "Relance 1", color = 10 }

[[strategy.level]]
key = "standard"
label = "Rappel standard"
offset_days = 15
actions = ["email", "letter"]
marker = { tag = "Relance 2", color = 3 }

[[strategy.level]]
key = "urgent"
label = "Rappel urgent"
offset_days = 30
actions = ["email", "call"]
marker = { tag = "Relance 3", color = 2 }
responsible = "salesperson"
activity = { type = "mail.mail_activity_data_call", summary = "Appeler le client", deadline_days = 2 }
"#;

/// Customers acted on, and those left alone, as named in the book below. Odoo 18
/// registers a payment without a journal entry and then shows the invoice `paid`, even
/// for a partial payment (400 of 1 000 here), its receivable line still open for 1 000:
/// relanced follows what Odoo shows ("payment registered, not yet reconciled"). Odoo 19
/// reconciles the payment, leaving 600 due.
fn customers(target: Target) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut acted = vec!["plain", "noemail", "usd", "hostile", "sales"];
    let mut left_alone = vec!["credit", "paid", "postponed", "excluded"];
    if target.major() >= 19 {
        acted.push("partial");
    } else {
        left_alone.push("partial");
    }
    (acted, left_alone)
}

pub const BOOK: &str = r#"
bot = make_user('relance-bot@relance-test.example')
seller = make_user('vendeur@relance-test.example')
seller_user = env['res.users'].browse(seller['uid'])
excl = tag('Relance : exclu')
c = {}
c['plain'] = customer('Atelier Moreau & Fils', email='compta@moreau.example')
invoice(c['plain'], '2026-10-01', '2026-11-01', 1200)
# T16-like: a partial payment leaves a residual.
c['partial'] = customer('Menuiserie Dubois SAS', email='compta@dubois.example')
m = invoice(c['partial'], '2026-10-01', '2026-11-01', 1000)
pay(m, 400, '2026-11-05')
# T8: net credit.
c['credit'] = customer('Crédit Durand SARL', email='compta@durand.example')
invoice(c['credit'], '2026-09-01', '2026-10-13', 100)
invoice(c['credit'], '2026-10-15', '2026-10-15', 150, move_type='out_refund')
# T15: payment registered (on 18 without a reconciling entry).
c['paid'] = customer('Payé Lefèvre SA', email='compta@lefevre.example')
m = invoice(c['paid'], '2026-10-01', '2026-10-23', 750)
pay(m, 750, '2026-11-10')
# T10: postponed invoice.
c['postponed'] = customer('Litige Bernard', email='compta@bernard.example')
m = invoice(c['postponed'], '2026-10-01', '2026-11-01', 500)
postpone(m, '2027-01-31')
# T12: excluded, with a stale marker set by hand.
stale = tag('Relance 2', 3)
c['excluded'] = customer('Exclu Martin', email='compta@martin.example', tags=('Relance : exclu', 'Relance 2'))
invoice(c['excluded'], '2026-08-01', '2026-08-24', 900)
# T14: no email anywhere.
c['noemail'] = customer('Sans Courriel Petit')
invoice(c['noemail'], '2026-10-01', '2026-11-01', 300)
# Another currency, an English-speaking customer.
c['usd'] = customer('Taylor Supplies LLC', email='ap@taylor.example', lang='en_US', country='US')
invoice(c['usd'], '2026-10-01', '2026-11-01', 640, cur='USD')
# Hostile name, Dutch.
c['hostile'] = customer('<script>alert(1)</script> & "Peeters" BV', email='boekhouding@peeters.example',
                        lang='nl_BE', country='BE')
invoice(c['hostile'], '2026-10-01', '2026-11-01', 2500.5)
# A salesperson, two invoices: the later one is recorded at a lower level.
c['sales'] = customer('Garage Laurent', email='compta@laurent.example', salesperson=seller_user)
invoice(c['sales'], '2026-10-01', '2026-11-01', 4000)
late = invoice(c['sales'], '2026-11-20', '2026-12-10', 350)
done({'bot': bot, 'seller': seller, 'c': {k: v.id for k, v in c.items()},
      'invoices': {k: env['account.move'].search(
          [('partner_id', '=', v.id), ('move_type', '=', 'out_invoice')], order='id').ids
          for k, v in c.items()}})
"#;

fn id(book: &Value, who: &str) -> i64 {
    book["c"][who].as_i64().expect(who)
}

/// Registers a payment of an invoice's whole residual (the administrator, as an
/// accountant would), through Odoo's own wizard.
pub async fn pay_in_full(db: &Db, invoice: i64, date: &str) {
    let context = json!({"active_model": "account.move", "active_ids": [invoice]});
    let wizard = db
        .call(
            "account.payment.register",
            "create",
            json!([{"payment_date": date}]),
            json!({"context": context}),
        )
        .await;
    let wizard = wizard
        .as_i64()
        .or_else(|| wizard[0].as_i64())
        .expect("wizard id");
    db.call(
        "account.payment.register",
        "action_create_payments",
        json!([[wizard]]),
        json!({"context": context}),
    )
    .await;
}

/// What the test checks after each run: tags, notes by the bot, attachments, activities.
struct Seen {
    tags: BTreeMap<&'static str, Vec<String>>,
    notes: BTreeMap<&'static str, usize>,
}

async fn seen(db: &Db, book: &Value, target: Target) -> Seen {
    let bot = book["bot"]["partner_id"].as_i64().unwrap();
    let mut tags = BTreeMap::new();
    let mut notes = BTreeMap::new();
    let (acted, left_alone) = customers(target);
    for who in acted.iter().chain(left_alone.iter()) {
        let partner = id(book, who);
        tags.insert(*who, db.tags_of(partner).await);
        notes.insert(*who, db.messages_on(partner, bot).await.len());
    }
    Seen { tags, notes }
}

fn recipients(smtp: &Aiosmtpd) -> BTreeMap<String, usize> {
    let mut by = BTreeMap::new();
    for raw in smtp.messages() {
        let eml = parse_eml(&raw);
        let to = eml["headers"]["to"].as_str().unwrap_or("").to_owned();
        *by.entry(to).or_default() += 1;
    }
    by
}

async fn a_book_escalates_day_after_day(target: Target) {
    let (db, book) = target.server().copy_of("book", BOOK);
    let (login, key) = bot_of(&book, "bot");
    let (acted, left_alone) = customers(target);
    let smtp = Aiosmtpd::start();
    let relanced = Relanced::new(&db, target, &login, &key, Mail::Smtp(smtp.port), STRATEGY_S);

    // Day 1: level 1 for the acted customers, nothing for the others.
    let (code, report, stderr) = relanced.once("2026-11-22").await;
    assert_eq!(code, Some(0), "once 11-22: {stderr}\n{report}");
    let day1 = seen(&db, &book, target).await;
    for who in acted.iter().copied() {
        assert_eq!(day1.tags[who], vec!["Relance 1"], "{who} after day 1");
        assert_eq!(day1.notes[who], 1, "{who}: one note after day 1");
    }
    for who in left_alone.iter().copied() {
        let relance: Vec<_> = day1.tags[who]
            .iter()
            .filter(|t| t.starts_with("Relance ") && t.as_str() != "Relance : exclu")
            .collect();
        assert!(relance.is_empty(), "{who} carries no marker: {relance:?}");
        assert_eq!(day1.notes[who], 0, "{who}: no note");
    }
    // The excluded customer keeps its exclusion tag, only the marker went.
    assert_eq!(day1.tags["excluded"], vec!["Relance : exclu"]);
    // The marker's colour is the level's.
    let markers = db
        .search_read(
            "res.partner.category",
            json!([["name", "like", "Relance %"]]),
            &["name", "color"],
        )
        .await;
    let colour = |name: &str| {
        markers
            .iter()
            .find(|m| m["name"] == json!(name))
            .map(|m| m["color"].clone())
    };
    assert_eq!(colour("Relance 1"), Some(json!(10)), "{markers:?}");
    // Emails: one per acted customer with an address, none for the customer without.
    let sent = recipients(&smtp);
    let addressees = acted.len() - 1;
    assert_eq!(sent.len(), addressees, "all but noemail: {sent:?}");
    assert!(sent.values().all(|n| *n == 1), "one email each: {sent:?}");
    // The customer without email got a letter, attached to its note.
    let noemail = id(&book, "noemail");
    let attachments = db.attachments_on(noemail).await;
    assert_eq!(attachments.len(), 1, "{attachments:?}");
    assert_eq!(attachments[0]["mimetype"], json!("application/pdf"));
    let bot = book["bot"]["partner_id"].as_i64().unwrap();
    let note = &db.messages_on(noemail, bot).await[0];
    assert_eq!(note["attachment_ids"], json!([attachments[0]["id"]]));
    // A hostile name is text, not markup, in the note.
    let hostile = &db.messages_on(id(&book, "hostile"), bot).await[0];
    let body = hostile["body"].as_str().unwrap_or("");
    assert!(!body.contains("<script>"), "{body}");

    // The same day again: nothing more anywhere.
    let (code, report, stderr) = relanced.once("2026-11-22").await;
    assert_eq!(code, Some(0), "second once 11-22: {stderr}\n{report}");
    let again = seen(&db, &book, target).await;
    assert_eq!(again.notes, day1.notes, "no new note the same day");
    assert_eq!(again.tags, day1.tags);
    assert_eq!(recipients(&smtp), sent, "no email the same day");

    // 16 days later: level 2 (email + letter) for each.
    let (code, report, stderr) = relanced.once("2026-12-08").await;
    assert_eq!(code, Some(0), "once 12-08: {stderr}\n{report}");
    let day2 = seen(&db, &book, target).await;
    for who in acted.iter().copied() {
        assert_eq!(day2.tags[who], vec!["Relance 2"], "{who} after day 2");
        assert_eq!(day2.notes[who], 2, "{who}: two notes after day 2");
        let letters = db.attachments_on(id(&book, who)).await;
        let want = if who == "noemail" { 2 } else { 1 };
        assert_eq!(letters.len(), want, "{who}: letters {letters:?}");
    }

    // 16 more days: level 3, a call for the salesperson (fallback user 2 otherwise).
    let (code, report, stderr) = relanced.once("2026-12-24").await;
    assert_eq!(code, Some(0), "once 12-24: {stderr}\n{report}");
    let day3 = seen(&db, &book, target).await;
    let seller = book["seller"]["uid"].as_i64().unwrap();
    for who in acted.iter().copied() {
        assert_eq!(day3.tags[who], vec!["Relance 3"], "{who} after day 3");
        let calls = db.activities_on("res.partner", id(&book, who)).await;
        assert_eq!(calls.len(), 1, "{who}: one call {calls:?}");
        assert_eq!(calls[0]["summary"], json!("Appeler le client"));
        assert_eq!(calls[0]["date_deadline"], json!("2026-12-26"));
        let user = calls[0]["user_id"][0].as_i64();
        let want = if who == "sales" { seller } else { 2 };
        assert_eq!(
            user,
            Some(want),
            "{who}: call assigned to {:?}",
            calls[0]["user_id"]
        );
    }
    let mails = recipients(&smtp);
    assert_eq!(
        mails.values().sum::<usize>(),
        3 * addressees,
        "3 levels: {mails:?}"
    );

    // Payments: the old invoice of "sales" paid → its marker drops to the later invoice's
    // level; "plain" paid in full → no marker.
    let sales_invoices = book["invoices"]["sales"].as_array().unwrap().clone();
    pay_in_full(&db, sales_invoices[0].as_i64().unwrap(), "2026-12-28").await;
    let plain_invoice = book["invoices"]["plain"][0].as_i64().unwrap();
    pay_in_full(&db, plain_invoice, "2026-12-28").await;
    let (code, report, stderr) = relanced.once("2026-12-29").await;
    assert_eq!(code, Some(0), "once 12-29: {stderr}\n{report}");
    let after = seen(&db, &book, target).await;
    assert_eq!(
        after.tags["plain"],
        Vec::<String>::new(),
        "plain paid: {report}"
    );
    assert_eq!(after.tags["sales"], vec!["Relance 1"], "sales: {report}");
    assert_eq!(
        after.notes["plain"], day3.notes["plain"],
        "nothing sent to plain"
    );
}
on_each_target!(a_book_escalates_day_after_day);
