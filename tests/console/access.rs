//! Who gets in and what is refused: a user without the Billing group, a wrong password
//! (then slowed down), a form posted without its CSRF token or with a forged one, and a
//! session after logging out, on every page.

use crate::browser::{Browser, with_cookie};
use crate::served::Served;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_without_the_group_and_a_wrong_password_are_refused() {
    let s = Served::start().await;
    let b = Browser::start().await;
    let (outsider, password) = s.user("outsider");
    b.login(&s.url, &outsider, &password).await;
    let page = b.source_with("role=\"alert\"").await;
    b.shot("10-refused").await;
    assert_eq!(b.path().await, "/login", "{page}");
    assert!(page.contains("lacks the required group"), "{page}");
    assert!(b.client.get_named_cookie("relanced_session").await.is_err());

    let (clerk, _) = s.user("clerk");
    b.login(&s.url, &clerk, "not-the-password").await;
    let page = b.source_with("role=\"alert\"").await;
    assert!(page.contains("Wrong login or password"), "{page}");
    // Each failure doubles the wait (2 s, 4 s, 8 s…): soon an attempt comes too early.
    let mut throttled = false;
    for _ in 0..6 {
        b.login(&s.url, &clerk, "not-the-password").await;
        let page = b.source_with("role=\"alert\"").await;
        if page.contains("Too many failed attempts") {
            throttled = true;
            b.shot("11-throttled").await;
            break;
        }
        assert!(page.contains("Wrong login or password"), "{page}");
    }
    assert!(throttled, "repeated failures are slowed down");

    let audit = s.audit().await;
    assert!(
        audit.contains(&(outsider.clone(), "login_refused".into())),
        "{audit:?}"
    );
    assert!(
        audit.contains(&(clerk.clone(), "login_failed".into())),
        "{audit:?}"
    );
    assert!(
        audit.contains(&(clerk.clone(), "login_throttled".into())),
        "{audit:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_without_their_token_and_ended_sessions_are_refused() {
    let s = Served::start().await;
    let b = Browser::start().await;
    let (clerk, password) = s.user("clerk");
    b.login(&s.url, &clerk, &password).await;
    b.wait_path("/").await;
    let cookie = b.session_cookie().await;
    let http = with_cookie(Some(&cookie));
    let launch = format!("{}/launch", s.url);
    let body = "strategy=S&level=amical&as_of=2026-11-22";
    for form in [body.to_owned(), format!("{body}&csrf=00ff")] {
        let answer = http
            .post(&launch)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.clone())
            .send()
            .await
            .expect("post");
        assert_eq!(answer.status(), 403, "{form}");
    }
    let login = with_cookie(None)
        .post(format!("{}/login", s.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("login={clerk}&password={password}"))
        .send()
        .await
        .expect("post login");
    assert_eq!(login.status(), 403, "a login form needs its token too");
    assert_eq!(s.notes_on("a").await, 0, "nothing was launched");

    // Logging out ends the session: the same cookie reaches no page any more.
    b.goto(&s.url).await;
    b.click("header form button").await;
    b.wait_path("/login").await;
    b.shot("12-logged-out").await;
    let a = s.id("a");
    for path in [
        "/",
        "/launch",
        "/approvals",
        "/runs",
        "/runs/1",
        "/uncertain",
        &format!("/customers/{a}"),
    ] {
        let answer = http
            .get(format!("{}{path}", s.url))
            .send()
            .await
            .expect("get");
        assert_eq!(answer.status(), 303, "{path} after logout");
        assert_eq!(answer.headers()["location"], "/login", "{path}");
    }
    let anonymous = with_cookie(None)
        .get(format!("{}/runs", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 303);
    b.goto(&format!("{}/approvals", s.url)).await;
    assert_eq!(b.path().await, "/login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_sees_the_customers_of_the_companies_odoo_lets_them_see() {
    let s = Served::start().await;
    let z = s.id("z");
    let b = Browser::start().await;
    let (clerk, password) = s.user("clerk");
    b.login(&s.url, &clerk, &password).await;
    b.wait_path("/").await;
    let today = b.source_with("id=\"awaiting\"").await;
    assert!(today.contains("Atelier Alpha"), "{today}");
    assert!(
        !today.contains("Zulu Brussel"),
        "the Belgian customer is not the clerk's: {today}"
    );
    let http = with_cookie(Some(&b.session_cookie().await));
    let page = http
        .get(format!("{}/customers/{z}", s.url))
        .send()
        .await
        .expect("get");
    assert_eq!(
        page.status(),
        404,
        "the clerk may not open a Belgian customer"
    );
    drop(b);

    // In Dutch for a user of both companies, who sees the Belgian customer too.
    let b = Browser::start().await;
    let (klerk, password) = s.user("clerk_be");
    b.login(&s.url, &klerk, &password).await;
    b.wait_path("/").await;
    let today = b.source_with("id=\"awaiting\"").await;
    b.shot("13-dutch").await;
    assert!(today.contains("<html lang=\"nl\">"), "{today}");
    assert!(
        today.contains("Wat de volgende uitvoering zal verzenden"),
        "{today}"
    );
    assert!(
        today.contains("Zulu Brussel") && today.contains("Atelier Alpha"),
        "{today}"
    );

    // From the keyboard: the first Tab reaches the skip link to the content.
    let body = b
        .client
        .find(fantoccini::Locator::Css("body"))
        .await
        .expect("body");
    body.send_keys(&char::from(fantoccini::key::Key::Tab).to_string())
        .await
        .expect("press Tab");
    let focused = b
        .client
        .execute(
            "return document.activeElement.getAttribute('href');",
            vec![],
        )
        .await
        .expect("the focused element");
    assert_eq!(
        focused,
        serde_json::json!("#content"),
        "Tab first reaches the skip link"
    );
}
