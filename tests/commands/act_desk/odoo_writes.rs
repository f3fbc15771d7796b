//! `postpone`, `exclude` and `include` through the binary, and what the next runs do.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postpone_exclude_and_include_through_the_binary_change_what_the_next_run_does() {
    let mut world = empty_book(d("2026-01-01"));
    let mut customers = Vec::new();
    let mut moves = Vec::new();
    for n in 0..2 {
        let name = format!("Client Numéro {n}");
        let email = format!("client{n}@example.com");
        let id = add_customer(
            &mut world,
            &Customer {
                name: &name,
                email: Some(&email),
                ..Customer::default()
            },
        );
        let invoice = format!("INV/2026/{:05}", n + 1);
        let (move_id, _) = add_invoice(
            &mut world,
            id,
            &Invoice {
                name: &invoice,
                due: d("2026-01-01"),
                amount: 100.0,
                residual: 100.0,
                payment_state: "not_paid",
            },
        );
        customers.push(id.to_string());
        moves.push(move_id.to_string());
    }
    let install = Install::start(world, Mail::Files, DESK).await;
    let (code, out, err) = relanced(
        &install,
        &[
            "postpone",
            "--customer",
            &customers[0],
            "--invoice",
            &moves[0],
            "--until",
            "2026-01-31",
            "--reason",
            "Litige <livraison>",
            "--by",
            "Jeanne Dupont",
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("postponed until 2026-01-31"), "{out}");
    // Not this customer's invoice: refused, naming it.
    let (code, _, err) = relanced(
        &install,
        &[
            "postpone",
            "--customer",
            &customers[1],
            "--invoice",
            &moves[0],
            "--until",
            "2026-01-31",
            "--reason",
            "x",
        ],
    )
    .await;
    assert_ne!(code, 0);
    assert!(
        err.contains(&format!("invoice {} (account.move)", moves[0])),
        "{err}"
    );
    let (code, out, err) = relanced(&install, &["exclude", "--customer", &customers[1]]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("excluded from reminders (tag written)"),
        "{out}"
    );

    let report = install.once_ok(d("2026-01-10")).await;
    assert_eq!(report_count(&report, "emails"), 0, "{report}");

    let (code, out, err) = relanced(&install, &["include", "--customer", &customers[1]]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("followed again (tag written)"), "{out}");
    let report = install.once_ok(d("2026-01-11")).await;
    assert_eq!(
        report_count(&report, "emails"),
        1,
        "only the included one: {report}"
    );
    // On its deadline the invoice still waits (the other customer gets its second
    // reminder); the day after, it gets its first.
    let report = install.once_ok(d("2026-01-31")).await;
    assert_eq!(
        report["per_level"],
        serde_json::json!({"urgent": 1}),
        "{report}"
    );
    let report = install.once_ok(d("2026-02-01")).await;
    assert_eq!(
        report["per_level"],
        serde_json::json!({"standard": 1}),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postponing_without_the_activity_type_says_to_run_setup_odoo() {
    let (world, ids) = book(1, true);
    let install = Install::start_with(
        world,
        Mail::Files,
        DESK,
        "postponement_activity_type = \"Report inexistant\"",
    )
    .await;
    let (code, _, err) = relanced(
        &install,
        &[
            "postpone",
            "--customer",
            &ids[0].to_string(),
            "--until",
            "2026-01-31",
            "--reason",
            "x",
        ],
    )
    .await;
    assert_ne!(code, 0);
    assert!(
        err.contains("\"Report inexistant\"") && err.contains("relanced setup-odoo"),
        "{err}"
    );
}
