//! `relanced check` through the binary: it passes for a correct bot user, and fails, with
//! the words a person needs, for a user without the Invoicing group, a user without email,
//! a company the user may not access, and a wrong key or password.

use crate::book::Book;
use crate::support::{Mail, Relanced, Target};

/// `relanced check` as `login`/`key` on the companies given: exit code and output.
async fn check(
    book: &Book,
    login: &str,
    key: &str,
    companies: &str,
) -> (Option<i32>, String, String) {
    let relanced = Relanced::new(&book.db, book.target, login, key, Mail::Files, "");
    let out = relanced
        .command(&["check"])
        .env("RELANCED__ODOO__COMPANIES", companies)
        .output()
        .await
        .expect("run relanced check");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn failures(stdout: &str) -> Vec<&str> {
    stdout.lines().filter(|l| l.starts_with("FAIL")).collect()
}

async fn check_passes_for_the_bot_on_both_companies(target: Target) {
    let book = Book::copy(target);
    let (login, key) = book.login_key("bot");
    let be = book.be();
    let (code, stdout, stderr) = check(&book, &login, &key, &format!("[1, {be}]")).await;
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert_eq!(failures(&stdout), Vec::<&str>::new());
    assert!(stdout.contains("all checks passed"), "{stdout}");
    assert!(
        stdout.contains(&format!("Odoo {}", target.version)),
        "{stdout}"
    );
    let protocol = if target.protocol == "json2" {
        "Json2"
    } else {
        "Xmlrpc"
    };
    assert!(stdout.contains(&format!("protocol {protocol}")), "{stdout}");
    assert!(
        stdout.contains("email address relance-bot@relance-test.example"),
        "{stdout}"
    );
    assert!(
        stdout.contains("company 1: 6 open receivable items, 5 customers"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "company {be}: 2 open receivable items, 2 customers"
        )),
        "{stdout}"
    );
    if target == crate::support::ODOO19_XMLRPC {
        assert!(
            stdout.contains("warn odoo      XML-RPC is deprecated"),
            "{stdout}"
        );
    }
}
on_each_target!(check_passes_for_the_bot_on_both_companies);

/// The user has Internal User only: reading items and writing partners are refused, each
/// line naming the group as this Odoo names it (neither 18 nor 19 has a "Billing" group).
async fn check_names_the_groups_a_user_lacks(target: Target) {
    let book = Book::copy(target);
    let (login, key) = book.login_key("nobill");
    let (code, stdout, stderr) = check(&book, &login, &key, "[1]").await;
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    let fails = failures(&stdout);
    let line = |what: &str| {
        *fails
            .iter()
            .find(|l| l.contains(what))
            .unwrap_or_else(|| panic!("{what} refused: {stdout}"))
    };
    let (invoicing, contacts) = match target.major() {
        18 => (
            "\"Invoicing/Invoicing\"",
            "\"Extra Rights / Contact Creation\"",
        ),
        _ => ("\"Accounting/Invoicing\"", "\"Contact / Creation\""),
    };
    let items = line("read account.move.line: not allowed; the group");
    assert!(items.contains(invoicing), "{items}");
    assert!(
        !items.contains("Portal"),
        "no portal group for an internal user: {items}"
    );
    let partners = line("write res.partner: not allowed");
    assert!(partners.contains(contacts), "{partners}");
    let tags = line("create res.partner.category: not allowed");
    assert!(tags.contains(contacts), "{tags}");
    assert!(stdout.contains("relanced cannot run until the problems are fixed"));
}
on_each_target!(check_names_the_groups_a_user_lacks);

/// Odoo 18 refuses notes from a user without email: check fails. Odoo 19 posts them:
/// check warns (emails through Odoo would have no sender), and fails only when emails go
/// through Odoo.
async fn check_fails_for_a_user_without_email(target: Target) {
    let book = Book::copy(target);
    let (login, key) = book.login_key("nomail");
    let (code, stdout, stderr) = check(&book, &login, &key, "[1]").await;
    let no_email: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("the user has no email address"))
        .collect();
    assert_eq!(no_email.len(), 1, "{stdout}");
    assert!(no_email[0].contains("Settings → Users"), "{stdout}");
    if target.major() <= 18 {
        assert_eq!(code, Some(1), "{stdout}\n{stderr}");
        assert_eq!(failures(&stdout), no_email, "only the email fails");
        assert!(
            no_email[0].contains("refuses its chatter notes"),
            "{stdout}"
        );
        return;
    }
    assert_eq!(code, Some(0), "{stdout}\n{stderr}");
    assert!(no_email[0].starts_with("warn"), "{stdout}");
    let relanced = Relanced::new(&book.db, target, &login, &key, Mail::Odoo, "");
    let (code, stdout, stderr) = relanced.run(&["check"]).await;
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    let fails = failures(&stdout);
    assert_eq!(fails.len(), 1, "{stdout}");
    assert!(fails[0].contains("have no sender address"), "{stdout}");
}
on_each_target!(check_fails_for_a_user_without_email);

async fn check_fails_for_a_company_the_user_may_not_access(target: Target) {
    let book = Book::copy(target);
    let (login, key) = book.login_key("bot_fr");
    let be = book.be();
    let (code, stdout, stderr) = check(&book, &login, &key, &format!("[1, {be}]")).await;
    assert_eq!(code, Some(1), "{stdout}\n{stderr}");
    let fails = failures(&stdout);
    assert_eq!(fails.len(), 1, "only the company: {stdout}");
    assert!(
        fails[0].contains(&format!("company {be}: the user may not access it")),
        "{stdout}"
    );
    assert!(
        stdout.contains("company 1: 6 open receivable items"),
        "{stdout}"
    );
}
on_each_target!(check_fails_for_a_company_the_user_may_not_access);

async fn check_says_bad_credentials_for_a_wrong_key_or_password(target: Target) {
    let book = Book::copy(target);
    let (login, key) = book.login_key("bot");
    let password = book.user("bot")["password"].as_str().unwrap().to_owned();
    let wrong_key = format!("{}x", &key[..key.len() - 1]);
    for (what, secret) in [("key", wrong_key), ("password", format!("{password}x"))] {
        let (code, stdout, stderr) = check(&book, &login, &secret, "[1]").await;
        assert_eq!(code, Some(1), "wrong {what}: {stdout}\n{stderr}");
        let fails = failures(&stdout);
        assert_eq!(fails.len(), 1, "wrong {what}: {stdout}");
        assert!(
            fails[0].contains("bad credentials"),
            "wrong {what}: {stdout}"
        );
        assert!(!stdout.contains(&secret), "the secret is never printed");
    }
    // The right password is an accepted secret over XML-RPC, never over JSON-2 (keys only).
    let (code, stdout, _) = check(&book, &login, &password, "[1]").await;
    match target.protocol {
        "json2" => {
            assert_eq!(code, Some(1), "{stdout}");
            assert!(stdout.contains("bad credentials"), "{stdout}");
        }
        _ => assert_eq!(code, Some(0), "{stdout}"),
    }
}
on_each_target!(check_says_bad_credentials_for_a_wrong_key_or_password);
