//! A Billing user's morning: today's plan, a customer, a launch with one customer left
//! out (only the others get it, read back from Odoo), a formal notice approved, a past
//! run opened and its letter downloaded. Every step is audited with the user's login.

use crate::browser::{Browser, with_cookie};
use crate::served::{AS_OF, Served};

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
    assert!(today.contains("Ce que la prochaine exécution enverra"), "{today}");
    for name in ["Atelier Alpha", "Bureau Beta", "Chez Gamma", "Delta Demeure"] {
        assert!(today.contains(name), "{name} is due today:\n{today}");
    }
    assert!(today.contains("Rappel amical") && today.contains("Mise en demeure"));
    let no_email = &today[today.find("id=\"no-email\"").expect("the no-email section")..];
    assert!(no_email.contains("Chez Gamma"), "Chez Gamma gets a letter instead");

    // A customer: open items with days overdue, the email preview in a sandboxed frame.
    let a = s.id("a");
    b.goto(&format!("{}/customers/{a}", s.url)).await;
    let page = b.source().await;
    b.shot("02-customer").await;
    assert!(page.contains("Atelier Alpha") && page.contains("Jours de retard"), "{page}");
    assert!(page.contains(">12<"), "12 days overdue on {AS_OF}:\n{page}");
    assert!(page.contains("<iframe class=\"preview\" sandbox=\"\""), "{page}");
    let http = with_cookie(Some(&b.session_cookie().await));
    let email = http
        .get(format!("{}/customers/{a}/email", s.url))
        .send()
        .await
        .expect("email preview");
    assert_eq!(email.status(), 200);
    let csp = email.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.starts_with("sandbox"), "{csp}");
    assert!(email.text().await.unwrap().contains("<html"), "the email's HTML");

    // Launch "amical" with Bureau Beta left out.
    b.goto(&format!("{}/launch", s.url)).await;
    b.click("#show-due").await;
    let wizard = b.source_with("id=\"without-email\"").await;
    let split = wizard.find("id=\"without-email\"").expect("the without-email tab");
    let (with, without) = wizard.split_at(split);
    assert!(with.contains("Atelier Alpha") && with.contains("Bureau Beta"), "{wizard}");
    assert!(without.contains("Chez Gamma") && !with.contains("Chez Gamma"), "{wizard}");
    assert!(!wizard.contains("Delta Demeure"), "Delta is due for another level");
    b.click(&format!("#c{}", s.id("b"))).await;
    b.shot("03-launch").await;
    b.click("#launch").await;
    let runs = b
        .wait_for_text(&format!("{}/runs", s.url), "id=\"last-outcome\"", 180)
        .await;
    b.shot("04-runs").await;
    assert!(runs.contains("data-run=\"1\""), "the launch is run 1:\n{runs}");
    assert_eq!(s.notes_on("a").await, 1, "Atelier Alpha was launched");
    assert_eq!(s.notes_on("c").await, 1, "Chez Gamma was launched (a letter)");
    assert_eq!(s.notes_on("b").await, 0, "Bureau Beta was left out");
    assert_eq!(s.notes_on("d").await, 0, "Delta is for another level");

    // The daily run proposes Delta's formal notice; the clerk approves it.
    let (code, report, stderr) = s.relanced.once(AS_OF).await;
    assert_eq!(code, Some(0), "once: {stderr}\n{report:#}");
    assert_eq!(s.notes_on("b").await, 1, "the daily run reminded Bureau Beta");
    assert_eq!(s.notes_on("d").await, 0, "the formal notice waits for approval");
    b.goto(&format!("{}/approvals", s.url)).await;
    let approvals = b.source().await;
    b.shot("05-approvals").await;
    assert!(approvals.contains("Delta Demeure") && approvals.contains("Mise en demeure"), "{approvals}");
    let preview = format!("/customers/{}/letter.pdf", s.id("d"));
    assert!(approvals.contains(&preview), "{approvals}");
    let letter = http.get(format!("{}{preview}", s.url)).send().await.expect("letter preview");
    assert_eq!(letter.status(), 200, "{preview}");
    assert!(letter.bytes().await.unwrap().starts_with(b"%PDF"), "{preview} is a PDF");
    b.click("#approve").await;
    let runs = b
        .wait_for_text(&format!("{}/runs", s.url), "data-run=\"3\"", 180)
        .await;
    assert!(runs.contains("approbation"), "run 3 is an approval: {runs}");
    assert_eq!(s.notes_on("d").await, 1, "the approved formal notice was sent");
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
    let pdf = hrefs.iter().find(|h| h.ends_with(".pdf")).unwrap_or_else(|| panic!("a letter in {run}"));
    let emails: Vec<_> = hrefs.iter().filter(|h| h.ends_with(".eml")).collect();
    assert_eq!(emails.len(), 1, "Atelier Alpha's email, only: {hrefs:?}");
    assert!(run.contains("Atelier Alpha") && run.contains("Chez Gamma"), "names: {run}");
    assert!(!run.contains("Bureau Beta"), "left out of the launch: {run}");
    let letter = http.get(format!("{}{pdf}", s.url)).send().await.expect("download");
    assert_eq!(letter.status(), 200, "{pdf}");
    assert!(letter.bytes().await.unwrap().starts_with(b"%PDF"), "{pdf} is a PDF");

    let audit = s.audit().await;
    for action in ["login", "launch", "approve"] {
        assert!(
            audit.contains(&(login.clone(), action.to_owned())),
            "{action} by {login} is audited: {audit:?}"
        );
    }
}
