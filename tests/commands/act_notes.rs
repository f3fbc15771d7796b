//! What sales people and accountants read in Odoo (issue 10), through the real binary
//! against the Odoo double: the chatter note and the call activity are written in the
//! company's language (`render.default_lang`: fr, nl, en) with amounts and dates written
//! that language's way, hostile invoice names stay escaped, `relanced plan` keeps the
//! operator's English, and a level without `marker` gets `Relance N · <label>` in the
//! colour of its rank.

use crate::common::act;

use act::*;
use relanced::odoo::Value;

/// Jump mode, so that one run reaches level 2; level 2 names no marker and asks for a
/// call without a configured summary (the default summary is written then).
const STRATEGY_J: &str = r#"
[[strategy]]
name = "J"
default = true
min_amount = { EUR = 5.0 }
min_interval_days = 7
catch_up = "jump"

[[strategy.level]]
key = "amical"
label = "Rappel amical"
offset_days = 3
actions = ["email"]

[[strategy.level]]
key = "urgent"
label = "Rappel urgent"
offset_days = 30
actions = ["email", "letter", "call"]
responsible = "salesperson"
"#;

const INVOICE: &str = "INV/2026/<i>77</i>";

/// What a person should read in each language.
struct Expected {
    lang: &'static str,
    note: &'static [&'static str],
    summary: &'static str,
}

const EXPECTED: [Expected; 3] = [
    Expected {
        lang: "fr",
        note: &[
            "<b>Relance 2 · Rappel urgent</b>",
            "E-mail envoyé à contact@dupont.example.fr",
            "Lettre (PDF jointe)",
            "<th>Pièce</th><th>Échéance</th>",
            "<td>01/01/2026</td><td>31</td><td>1 234,50 EUR</td>",
            "Total dû : 1 234,50 EUR",
            "Pourquoi : niveau 2 (urgent) : INV/2026/&lt;i&gt;77&lt;/i&gt; est en retard de 31 jours (≥ 30), première relance; échu 1 234,50 EUR ≥ 5,00",
            "(échéance 01/02/2026)",
        ],
        summary: "Appeler le client (relance 2 · Rappel urgent)",
    },
    Expected {
        lang: "nl",
        note: &[
            "<b>Aanmaning 2 · Rappel urgent</b>",
            "E-mail verzonden naar contact@dupont.example.fr",
            "Brief (PDF bijgevoegd)",
            "<th>Stuk</th><th>Vervaldatum</th>",
            "<td>01-01-2026</td><td>31</td><td>1.234,50 EUR</td>",
            "Totaal verschuldigd: 1.234,50 EUR",
            "Waarom: niveau 2 (urgent): INV/2026/&lt;i&gt;77&lt;/i&gt; is 31 dagen achterstallig (≥ 30), eerste aanmaning; vervallen 1.234,50 EUR ≥ 5,00",
            "(uiterlijk 01-02-2026)",
        ],
        summary: "Klant opbellen (aanmaning 2 · Rappel urgent)",
    },
    Expected {
        lang: "en",
        note: &[
            "<b>Reminder 2 · Rappel urgent</b>",
            "Email to contact@dupont.example.fr",
            "Letter (PDF attached)",
            "<th>Item</th><th>Due</th>",
            "<td>2026-01-01</td><td>31</td><td>1,234.50 EUR</td>",
            "Total due: 1,234.50 EUR",
            "Why: level 2 (urgent): INV/2026/&lt;i&gt;77&lt;/i&gt; is 31 days overdue (≥ 30), first reminder; overdue 1,234.50 EUR ≥ 5.00",
            "(due 2026-02-01)",
        ],
        summary: "Call the customer (reminder 2 · Rappel urgent)",
    },
];

async fn install() -> (Install, i64) {
    let mut world = empty_book(d("2026-02-01"));
    let customer = add_customer(&mut world, &Customer::default());
    add_invoice(
        &mut world,
        customer,
        &Invoice {
            name: INVOICE,
            due: d("2026-01-01"),
            amount: 1234.5,
            residual: 1234.5,
            payment_state: "not_paid",
        },
    );
    (
        Install::start(world, Mail::Files, STRATEGY_J).await,
        customer,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_and_call_activities_are_written_in_the_company_language() {
    for expected in &EXPECTED {
        let (install, customer) = install().await;
        let out = install
            .command(d("2026-02-01"))
            .env("RELANCED__RENDER__DEFAULT_LANG", expected.lang)
            .output()
            .await
            .expect("run relanced once");
        assert!(
            out.status.success(),
            "{}: {}",
            expected.lang,
            String::from_utf8_lossy(&out.stderr)
        );
        let notes = install.notes(customer);
        assert_eq!(notes.len(), 1, "{}: {notes:?}", expected.lang);
        let body = &notes[0].body;
        for phrase in expected.note {
            assert!(
                body.contains(phrase),
                "{}: the note lacks {phrase:?}:\n{body}",
                expected.lang
            );
        }
        assert!(!body.contains("<i>77"), "hostile name unescaped: {body}");
        let activities = install.activities(customer);
        assert_eq!(activities.len(), 1, "{activities:?}");
        assert_eq!(activities[0].summary, expected.summary);
        let why = expected.note[6].split_once(' ').map_or("", |(_, w)| w);
        let why = why.trim_start_matches(": ");
        assert!(
            activities[0].note.contains(why),
            "{}: the activity explains why:\n{}",
            expected.lang,
            activities[0].note
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_keeps_the_operators_english_and_carries_the_odoo_text() {
    let (install, customer) = install().await;
    let plan = install.plan_json(d("2026-02-01")).await;
    let decisions = plan[0]["decisions"]
        .as_array()
        .unwrap_or_else(|| panic!("decisions in {plan}"));
    let d = decisions
        .iter()
        .find(|d| d["customer_id"] == customer)
        .expect("the customer's decision");
    assert_eq!(
        d["explanation"],
        "level 2 (urgent): INV/2026/<i>77</i> is 31 days overdue (≥ 30), first reminder; overdue 1 234,50 EUR ≥ 5,00"
    );
    assert!(
        d["decision"]["explanation_odoo"]
            .as_str()
            .is_some_and(|t| t.starts_with("niveau 2 (urgent) : ")),
        "{d}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_level_without_marker_shows_relance_n_and_its_label_in_its_rank_colour() {
    let (install, customer) = install().await;
    install.once_ok(d("2026-02-01")).await;
    assert_eq!(
        install.markers(customer),
        vec!["Relance 2 · Rappel urgent".to_owned()]
    );
    let colours = install.sim.with_world(|w| {
        w.table("res.partner.category")
            .unwrap()
            .rows
            .values()
            .filter(|r| r.get("name").and_then(Value::as_str) == Some("Relance 2 · Rappel urgent"))
            .filter_map(|r| r.get("color").and_then(Value::as_i64))
            .collect::<Vec<_>>()
    });
    assert_eq!(colours, vec![3], "rank 2 is yellow");
}
