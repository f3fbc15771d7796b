//! A Billing user's morning: today's plan, a customer, a launch with one customer left
//! out (only the others get it, read back from Odoo), a formal notice approved, a past
//! run opened and its letter downloaded. Every step is audited with the user's login.

use crate::browser::{Browser, with_cookie};
use crate::served::{AS_OF, Served};

/// ASCII, short: found as is in the email's text part.
const PARAGRAPH: &str = "Merci de regler avant vendredi, Jeanne.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_billing_user_plans_launches_approves_and_downloads() {
    let s = Served::start().await;
    let b = Browser::start().await;
    let (login, password) = s.user("clerk");
    b.login(&s.url, &login, &password).await;
    b.wait_path("/").await;

    // Today, in French (the clerk's Odoo language): the plan by level, with reasons.
    let today = b.source_with("id=\"awaiting\"").await;
    b.shot("01-today").await;
    assert!(today.contains("<html lang=\"fr\">"), "{today}");
    assert!(
        today.contains("Ce que la prochaine exécution enverra"),
        "{today}"
    );
    for name in [
        "Atelier Alpha",
        "Bureau Beta",
        "Chez Gamma",
        "Delta Demeure",
    ] {
        assert!(today.contains(name), "{name} is due today:\n{today}");
    }
    assert!(today.contains("Rappel amical") && today.contains("Mise en demeure"));
    let no_email = &today[today.find("id=\"no-email\"").expect("the no-email section")..];
    assert!(
        no_email.contains("Chez Gamma"),
        "Chez Gamma gets a letter instead"
    );

    // A customer: open items with days overdue, the email preview in a sandboxed frame.
    let a = s.id("a");
    b.goto(&format!("{}/customers/{a}", s.url)).await;
    let page = b.source().await;
    b.shot("02-customer").await;
    assert!(
        page.contains("Atelier Alpha") && page.contains("Jours de retard"),
        "{page}"
    );
    assert!(page.contains(">12<"), "12 days overdue on {AS_OF}:\n{page}");
    assert!(
        page.contains("<iframe class=\"preview\" sandbox=\"\""),
        "{page}"
    );
    let http = with_cookie(Some(&b.session_cookie().await));
    let email = http
        .get(format!("{}/customers/{a}/email", s.url))
        .send()
        .await
        .expect("email preview");
    assert_eq!(email.status(), 200);
    let csp = email.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.starts_with("sandbox"), "{csp}");
    assert!(
        email.text().await.unwrap().contains("<html"),
        "the email's HTML"
    );

    // A personal paragraph for Atelier Alpha's next reminder.
    b.type_in("#text", PARAGRAPH).await;
    b.click("#paragraph button[value=set]").await;
    let page = b.source_with("Écrit par").await;
    assert!(page.contains(PARAGRAPH), "{page}");

    // Echo Litige: its invoice postponed (an activity in Odoo), excluded, included again.
    let e = s.id("e");
    b.goto(&format!("{}/customers/{e}", s.url)).await;
    b.type_in("#reason", "Litige en cours").await;
    b.client
        .execute(
            "document.getElementById('until').value = '2026-12-31';",
            vec![],
        )
        .await
        .expect("set the date");
    b.shot("03-customer-actions").await;
    b.click("#postpone button[type=submit]").await;
    let page = b.source_with("Reports en cours").await;
    assert!(page.contains("2026-12-31"), "{page}");
    let invoice = s.book["e_invoice"].as_i64().expect("Echo's invoice");
    let activities = s.db.activities_on("account.move", invoice).await;
    assert_eq!(
        activities.len(),
        1,
        "the postponement on the invoice: {activities:?}"
    );
    assert_eq!(activities[0]["date_deadline"], "2026-12-31");
    b.click("#exclusion button[value=exclude]").await;
    b.source_with("Relancer à nouveau").await;
    assert!(
        s.db.tags_of(e)
            .await
            .contains(&"Relance : exclu".to_owned())
    );
    b.click("#exclusion button[value=include]").await;
    b.source_with("Exclure des relances").await;
    assert!(
        !s.db
            .tags_of(e)
            .await
            .contains(&"Relance : exclu".to_owned())
    );

    // Launch "amical" with Bureau Beta left out.
    b.goto(&format!("{}/launch", s.url)).await;
    b.click("#show-due").await;
    let wizard = b.source_with("id=\"without-email\"").await;
    let split = wizard
        .find("id=\"without-email\"")
        .expect("the without-email tab");
    let (with, without) = wizard.split_at(split);
    assert!(
        with.contains("Atelier Alpha") && with.contains("Bureau Beta"),
        "{wizard}"
    );
    assert!(
        without.contains("Chez Gamma") && !with.contains("Chez Gamma"),
        "{wizard}"
    );
    assert!(
        !wizard.contains("Delta Demeure"),
        "Delta is due for another level"
    );
    assert!(
        !wizard.contains("Echo Litige"),
        "Echo's invoice is postponed"
    );
    b.click(&format!("#c{}", s.id("b"))).await;
    b.shot("03-launch").await;
    b.click("#launch").await;
    let runs = b
        .wait_for_text(&format!("{}/runs", s.url), "id=\"last-outcome\"", 180)
        .await;
    b.shot("04-runs").await;
    assert!(
        runs.contains("data-run=\"1\""),
        "the launch is run 1:\n{runs}"
    );
    assert_eq!(s.notes_on("a").await, 1, "Atelier Alpha was launched");
    assert_eq!(
        s.notes_on("c").await,
        1,
        "Chez Gamma was launched (a letter)"
    );
    assert_eq!(s.notes_on("b").await, 0, "Bureau Beta was left out");
    assert_eq!(s.notes_on("d").await, 0, "Delta is for another level");

    // The daily run proposes Delta's formal notice; the clerk approves it.
    let (code, report, stderr) = s.relanced.once(AS_OF).await;
    assert_eq!(code, Some(0), "once: {stderr}\n{report:#}");
    assert_eq!(
        s.notes_on("b").await,
        1,
        "the daily run reminded Bureau Beta"
    );
    assert_eq!(
        s.notes_on("d").await,
        0,
        "the formal notice waits for approval"
    );
    b.goto(&format!("{}/approvals", s.url)).await;
    let approvals = b.source().await;
    b.shot("05-approvals").await;
    assert!(
        approvals.contains("Delta Demeure") && approvals.contains("Mise en demeure"),
        "{approvals}"
    );
    let preview = format!("/customers/{}/letter.pdf", s.id("d"));
    assert!(approvals.contains(&preview), "{approvals}");
    let letter = http
        .get(format!("{}{preview}", s.url))
        .send()
        .await
        .expect("letter preview");
    assert_eq!(letter.status(), 200, "{preview}");
    assert!(
        letter.bytes().await.unwrap().starts_with(b"%PDF"),
        "{preview} is a PDF"
    );
    b.click("#approve").await;
    let runs = b
        .wait_for_text(&format!("{}/runs", s.url), "data-run=\"3\"", 180)
        .await;
    assert!(runs.contains("approbation"), "run 3 is an approval: {runs}");
    let bot = s.book["bot"]["partner_id"].as_i64().expect("bot partner");
    let notes = s.db.messages_on(s.id("d"), bot).await;
    assert_eq!(
        notes.len(),
        1,
        "the approved formal notice was sent: {notes:?}"
    );
    let note = notes[0]["body"].as_str().unwrap_or("");
    assert!(
        note.contains("Clerk"),
        "the note names the approver: {note}"
    );
    let letters = s.db.attachments_on(s.id("d")).await;
    assert_eq!(letters.len(), 1, "the formal notice's letter: {letters:?}");

    // The launch run: every document downloadable, the letter as a PDF.
    b.goto(&format!("{}/runs/1", s.url)).await;
    let run = b.source().await;
    b.shot("06-run").await;
    let hrefs: Vec<String> = run
        .split("href=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
        .filter(|h| h.contains("/files/"))
        .map(str::to_owned)
        .collect();
    let pdf = hrefs
        .iter()
        .find(|h| h.ends_with(".pdf"))
        .unwrap_or_else(|| panic!("a letter in {run}"));
    let emails: Vec<_> = hrefs.iter().filter(|h| h.ends_with(".eml")).collect();
    assert_eq!(emails.len(), 1, "Atelier Alpha's email, only: {hrefs:?}");
    assert!(
        run.contains("Atelier Alpha") && run.contains("Chez Gamma"),
        "names: {run}"
    );
    assert!(
        !run.contains("Bureau Beta"),
        "left out of the launch: {run}"
    );
    let letter = http
        .get(format!("{}{pdf}", s.url))
        .send()
        .await
        .expect("download");
    assert_eq!(letter.status(), 200, "{pdf}");
    assert!(
        letter.bytes().await.unwrap().starts_with(b"%PDF"),
        "{pdf} is a PDF"
    );

    let email = http
        .get(format!("{}{}", s.url, emails[0]))
        .send()
        .await
        .expect("download the email");
    let email = String::from_utf8_lossy(&email.bytes().await.unwrap()).into_owned();
    assert!(
        email.contains(PARAGRAPH),
        "the paragraph is in Atelier Alpha's email:\n{email}"
    );

    // The approval run: its letters as one PDF to print, with the sheets counted.
    b.goto(&format!("{}/runs/3", s.url)).await;
    b.click("#print").await;
    let page = b.source_with("id=\"sheets\"").await;
    b.shot("08-print").await;
    assert!(
        page.contains("<dd id=\"sheets\">1</dd>"),
        "one sheet: {page}"
    );
    let print = http
        .get(format!("{}/runs/3/letters.pdf", s.url))
        .send()
        .await
        .expect("print");
    assert_eq!(print.status(), 200);
    assert_eq!(print.headers()["x-sheets"], "1");
    assert!(print.bytes().await.unwrap().starts_with(b"%PDF"));

    // On a tablet in portrait, the same page stays readable (looked at in the screenshot).
    b.client
        .set_window_size(820, 1180)
        .await
        .expect("tablet size");
    b.goto(&s.url).await;
    b.source_with("id=\"awaiting\"").await;
    b.shot("14-tablet-today").await;

    let audit = s.audit().await;
    for action in [
        "login",
        "paragraph",
        "postpone",
        "exclude",
        "include",
        "launch",
        "approve",
    ] {
        assert!(
            audit.contains(&(login.clone(), action.to_owned())),
            "{action} by {login} is audited: {audit:?}"
        );
    }
}
