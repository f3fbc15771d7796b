//! The engine's rules beyond the worked timelines: strategy assignment, items Odoo flags,
//! currency grouping, jump mode, customer postponement, repetition of the last level,
//! manual approval, recipients and responsible, fees, interest and indemnity.

use crate::common::followup::*;
use relanced::followup::{
    ActivitySpec, Approval, AssignedBy, CatchUp, Interest, ItemStatus, LedgerState, LevelAction,
    NothingReason, Outcome, PlannedAction, Postponement, PostponementTarget, ReferenceRate,
    ResponsibleRule, ResponsibleSource, Rule, Strategy, StrategySet, Trust, UserRef, plan,
};

fn one_invoice(due: &str, amount: &str) -> relanced::followup::Snapshot {
    let mut s = snapshot(vec![customer(1)]);
    add_invoice(&mut s, 1, 1, d(due), amount, amount);
    s
}

fn with_strategy(set: &mut StrategySet, name: &str, edit: impl FnOnce(&mut Strategy)) {
    let mut s = set.strategies[0].clone();
    s.name = name.into();
    s.is_default = false;
    edit(&mut s);
    set.strategies.push(s);
}

#[test]
fn strategy_tag_wins_and_a_second_tag_is_reported_as_conflict() {
    let mut set = strategy_s();
    with_strategy(&mut set, "grands comptes", |s| {
        s.tag = Some("Relance : Grands comptes".into())
    });
    with_strategy(&mut set, "douce", |s| {
        s.tag = Some("Relance : Douce".into())
    });
    let mut s = one_invoice("01-01", "100.00");
    s.customers[0].tags = vec![
        tag(2, "Relance : Douce"),
        tag(1, "Relance : Grands comptes"),
    ];
    let p = plan(&s, &LedgerState::default(), &set, d("01-04"));
    let dec = &p.decisions[0];
    assert_eq!(dec.strategy.as_deref(), Some("grands comptes"));
    assert_eq!(
        dec.assigned_by,
        Some(AssignedBy::Tag {
            tag: "Relance : Grands comptes".into()
        })
    );
    assert_eq!(p.warnings.len(), 1);
    assert!(
        p.warnings[0].contains("ignored: Relance : Douce"),
        "{:?}",
        p.warnings
    );
    assert!(
        dec.explanation.contains("several strategy tags"),
        "{}",
        dec.explanation
    );
}

#[test]
fn rules_then_company_default_then_global_default() {
    let mut set = strategy_s();
    with_strategy(&mut set, "mauvais payeurs", |s| {
        s.rules = vec![Rule {
            trust: vec![Trust::Bad],
            countries: vec!["BE".into()],
            ..Rule::default()
        }]
    });
    with_strategy(&mut set, "société 1", |s| s.companies = vec![1]);
    let mut s = snapshot(vec![customer(1), customer(2), customer(3)]);
    s.customers[0].trust = Trust::Bad;
    s.customers[0].country_code = Some("BE".into());
    s.customers[1].trust = Trust::Bad;
    s.customers[1].country_code = Some("FR".into());
    let p = plan(&s, &LedgerState::default(), &set, d("01-04"));
    let names: Vec<_> = p
        .decisions
        .iter()
        .map(|d| d.strategy.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, vec!["mauvais payeurs", "société 1", "société 1"]);
    set.strategies.retain(|s| s.name != "société 1");
    let p = plan(&s, &LedgerState::default(), &set, d("01-04"));
    assert_eq!(p.decisions[1].assigned_by, Some(AssignedBy::GlobalDefault));
}

#[test]
fn customer_reference_prefix_rule() {
    let mut set = strategy_s();
    with_strategy(&mut set, "public", |s| {
        s.rules = vec![Rule {
            ref_prefix: Some("PUB-".into()),
            ..Rule::default()
        }]
    });
    let mut s = one_invoice("01-01", "100.00");
    s.customers[0].reference = Some("PUB-0042".into());
    let p = plan(&s, &LedgerState::default(), &set, d("01-04"));
    assert_eq!(p.decisions[0].strategy.as_deref(), Some("public"));
}

#[test]
fn items_flagged_by_odoo_are_not_counted() {
    let set = strategy_s();
    for flag in ["blocked", "no_followup", "payment_blocked"] {
        let mut s = one_invoice("01-01", "100.00");
        match flag {
            "blocked" => s.items[0].blocked = Some(true),
            "no_followup" => s.items[0].no_followup = Some(true),
            _ => s.invoices[0].payment_state = "blocked".into(),
        }
        let p = plan(&s, &LedgerState::default(), &set, d("02-01"));
        let dec = &p.decisions[0];
        assert!(
            matches!(dec.items[0].status, ItemStatus::Blocked { .. }),
            "{flag}"
        );
        assert!(dec.communication().is_none(), "{flag}: {}", dec.explanation);
    }
    let mut lenient = strategy_s();
    lenient.settings.skip_blocked_invoices = false;
    let mut s = one_invoice("01-01", "100.00");
    s.invoices[0].payment_state = "blocked".into();
    assert!(
        plan(&s, &LedgerState::default(), &lenient, d("02-01")).decisions[0]
            .communication()
            .is_some()
    );
}

#[test]
fn currencies_are_grouped_and_checked_against_their_own_minimum() {
    let mut set = strategy_s();
    set.strategies[0].min_amount.insert("USD".into(), dec("50"));
    let mut s = one_invoice("01-01", "100.00");
    add_invoice(&mut s, 2, 1, d("01-01"), "20.00", "20.00");
    s.items[1].currency = "USD".into();
    s.items[1].residual_company = dec("18.00");
    let p = plan(&s, &LedgerState::default(), &set, d("01-04"));
    let dec = &p.decisions[0];
    let c = dec.communication().expect("EUR reaches its minimum");
    assert_eq!(
        c.record.iter().map(|r| r.item_id).collect::<Vec<_>>(),
        vec![1]
    );
    assert_eq!(dec.items[1].status, ItemStatus::BelowMinimum);
    let currencies: Vec<_> = dec
        .totals
        .iter()
        .map(|t| {
            (
                t.currency.as_str(),
                t.overdue.to_string(),
                t.reaches_minimum,
            )
        })
        .collect();
    assert_eq!(
        currencies,
        vec![
            ("EUR", "100.00".into(), true),
            ("USD", "20.00".into(), false)
        ]
    );
    assert!(
        dec.explanation.ends_with("overdue 100,00 EUR ≥ 5,00"),
        "{}",
        dec.explanation
    );
}

#[test]
fn jump_mode_goes_straight_to_the_elapsed_level() {
    let mut set = strategy_s();
    set.strategies[0].catch_up = CatchUp::Jump;
    let p = plan(
        &one_invoice("01-01", "100.00"),
        &LedgerState::default(),
        &set,
        d("03-01"),
    );
    assert_eq!(p.decisions[0].communication().map(|c| c.level), Some(3));
}

#[test]
fn customer_postponement_holds_everything() {
    let mut s = one_invoice("01-01", "100.00");
    s.postponements.push(Postponement {
        res_model: PostponementTarget::Customer,
        res_id: 1,
        deadline: Some(d("03-01")),
    });
    let p = plan(&s, &LedgerState::default(), &strategy_s(), d("02-01"));
    assert_eq!(
        p.decisions[0].decision,
        Outcome::Nothing {
            reason: NothingReason::Postponed { until: d("03-01") }
        }
    );
    assert_eq!(
        p.decisions[0].explanation,
        "nothing: customer postponed until 2026-03-01"
    );
    s.postponements[0].deadline = None;
    assert!(
        plan(&s, &LedgerState::default(), &strategy_s(), d("02-01")).decisions[0]
            .communication()
            .is_some()
    );
}

#[test]
fn last_level_repeats_only_every_configured_days() {
    let mut set = strategy_s();
    let s = one_invoice("01-01", "100.00");
    let mut ledger = LedgerState::default();
    for day in ["01-04", "01-16", "01-31"] {
        run_and_execute(&s, &mut ledger, &set, d(day));
    }
    assert_eq!(ledger.sent(1), 3);
    assert!(
        plan(&s, &ledger, &set, d("06-01")).decisions[0]
            .communication()
            .is_none()
    );
    set.strategies[0].repeat_last_every_days = Some(30);
    assert!(
        plan(&s, &ledger, &set, d("03-01")).decisions[0]
            .communication()
            .is_none()
    );
    let p = plan(&s, &ledger, &set, d("03-02"));
    assert_eq!(p.decisions[0].communication().map(|c| c.level), Some(3));
}

#[test]
fn manual_approval_is_proposed_and_keeps_the_marker() {
    let mut set = strategy_s();
    set.strategies[0].levels[0].approval = Approval::Manual;
    let p = plan(
        &one_invoice("01-01", "100.00"),
        &LedgerState::default(),
        &set,
        d("01-04"),
    );
    let dec = &p.decisions[0];
    assert_eq!(
        dec.communication().map(|c| c.approval),
        Some(Approval::Manual)
    );
    assert_eq!(dec.marker, None);
    assert!(dec.explanation.contains("manual approval required"));
}

#[test]
fn invoice_contacts_receive_the_email_before_the_customer() {
    let mut s = one_invoice("01-01", "100.00");
    s.customers[0].invoice_contacts = vec![
        invoice_contact(8, Some("compta@client.fr")),
        invoice_contact(9, None),
    ];
    let p = plan(&s, &LedgerState::default(), &strategy_s(), d("01-04"));
    let to: Vec<_> = p.decisions[0]
        .recipients
        .iter()
        .map(|r| (r.partner_id, r.email.as_str()))
        .collect();
    assert_eq!(to, vec![(8, "compta@client.fr")]);
}

#[test]
fn calls_go_to_the_salesperson_then_the_invoice_salesperson_then_the_fallback() {
    let mut set = strategy_s();
    set.settings.fallback_user = Some(2);
    let level = &mut set.strategies[0].levels[0];
    level.actions = vec![LevelAction::Email, LevelAction::Call];
    level.responsible = ResponsibleRule::Salesperson;
    let mut s = one_invoice("01-01", "100.00");
    add_invoice(&mut s, 2, 1, d("01-01"), "900.00", "900.00");
    s.invoices[1].salesperson = Some(UserRef {
        id: 6,
        name: "Inès".into(),
    });
    let who = |s: &relanced::followup::Snapshot| {
        let p = plan(s, &LedgerState::default(), &set, d("01-04"));
        p.decisions[0]
            .responsible
            .clone()
            .map(|r| (r.user_id, r.source))
    };
    assert_eq!(who(&s), Some((6, ResponsibleSource::InvoiceSalesperson)));
    s.customers[0].salesperson = Some(UserRef {
        id: 5,
        name: "Paul".into(),
    });
    assert_eq!(who(&s), Some((5, ResponsibleSource::CustomerSalesperson)));
    s.customers[0].salesperson = None;
    s.invoices[1].salesperson = None;
    assert_eq!(who(&s), Some((2, ResponsibleSource::Fallback)));
    let p = plan(&s, &LedgerState::default(), &set, d("01-04"));
    let actions = &p.decisions[0].communication().unwrap().actions;
    assert_eq!(
        actions[1],
        PlannedAction::Call {
            deadline: d("01-04"),
            summary: None
        }
    );
}

#[test]
fn activity_action_carries_its_settings_and_deadline() {
    let mut set = strategy_s();
    let level = &mut set.strategies[0].levels[0];
    level.actions = vec![LevelAction::Letter, LevelAction::Activity];
    level.responsible = ResponsibleRule::User(4);
    level.activity = Some(ActivitySpec {
        activity_type: "mail.mail_activity_data_todo".into(),
        summary: "Transmettre au recouvrement".into(),
        note: None,
        deadline_days: 7,
    });
    let p = plan(
        &one_invoice("01-01", "100.00"),
        &LedgerState::default(),
        &set,
        d("01-04"),
    );
    let dec = &p.decisions[0];
    match &dec.communication().unwrap().actions[1] {
        PlannedAction::Activity { spec, deadline } => {
            assert_eq!(spec.summary, "Transmettre au recouvrement");
            assert_eq!(*deadline, d("01-11"));
        }
        other => panic!("expected an activity, got {other:?}"),
    }
    assert_eq!(dec.responsible.as_ref().map(|r| r.user_id), Some(4));
    assert!(dec.recipients.is_empty());
}

#[test]
fn fees_interest_and_indemnity_for_a_business_customer() {
    let mut set = strategy_s();
    set.settings.reference_rates = vec![ReferenceRate {
        from: d("01-01"),
        rate: dec("2.15"),
    }];
    let level = &mut set.strategies[0].levels[0];
    level.fee.insert("EUR".into(), dec("10"));
    level.interest = Some(Interest::Statutory { margin: dec("10") });
    level.indemnity.insert("EUR".into(), dec("40"));
    let mut s = one_invoice("01-01", "1000.00");
    // A second instalment of the same invoice: one indemnity per invoice, not per item.
    add_invoice(&mut s, 2, 1, d("01-01"), "500.00", "500.00");
    s.items[1].move_id = 101;
    s.invoices.pop();
    let p = plan(&s, &LedgerState::default(), &set, d("03-01"));
    let dec = &p.decisions[0];
    // 1000 × 12.15 % × 59 / 365 = 19.64; 500 × … = 9.82
    assert_eq!(
        dec.items
            .iter()
            .map(|i| i.interest.to_string())
            .collect::<Vec<_>>(),
        vec!["19.64", "9.82"]
    );
    let eur = &dec.totals[0];
    assert_eq!(
        (eur.fee, eur.indemnity, eur.interest),
        (dec_("10"), dec_("40"), dec_("29.46"))
    );
    assert_eq!(eur.total_due, dec_("1579.46"));
    assert!(
        dec.explanation.contains("fees and interest 79,46 EUR"),
        "{}",
        dec.explanation
    );
    // A consumer never pays the indemnity.
    let mut consumer = s.clone();
    consumer.customers[0].is_company = false;
    consumer.customers[0].vat = None;
    let p = plan(&consumer, &LedgerState::default(), &set, d("03-01"));
    assert_eq!(p.decisions[0].totals[0].indemnity, dec_("0"));
}

fn dec_(s: &str) -> rust_decimal::Decimal {
    dec(s)
}
