//! The console as the daemon serves it, on Odoo 18 (XML-RPC) and 19 (JSON-2): `relanced
//! run` (the built binary) with `[console] enabled`, reached over HTTP: the login form, a
//! login through Odoo with its CSRF token, today's page with the daemon's next run.

use crate::browser::with_cookie;
use crate::served::install;
use crate::support::Target;
use std::time::Duration;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// The value of `name="csrf"` in a page.
fn csrf(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    page[at..].split('"').next().expect("its value").to_owned()
}

/// On Odoo 18 over XML-RPC and on Odoo 19 over JSON-2 (`group_ids`, `has_group` by name).
async fn the_daemon_serves_the_console_when_enabled(target: Target) {
    let (_db, book, relanced, _) = install(target);
    let (console, http) = (free_port(), free_port());
    relanced.edit(
        "listen = \"127.0.0.1:0\"",
        &format!("listen = \"127.0.0.1:{console}\"\n\n[http]\nlisten = \"127.0.0.1:{http}\""),
    );
    let mut daemon = relanced
        .command(&["run"])
        .spawn()
        .expect("start relanced run");
    let base = format!("http://127.0.0.1:{console}");
    let anonymous = with_cookie(None);
    let mut form = None;
    for _ in 0..300 {
        if let Ok(answer) = anonymous.get(format!("{base}/login")).send().await {
            form = Some(answer);
            break;
        }
        if let Ok(Some(status)) = daemon.try_wait() {
            let out = daemon.wait_with_output().await.expect("output");
            panic!(
                "relanced run exited {status}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let form = form.expect("the daemon's console answers within 30 s");
    assert_eq!(form.status(), 200);
    let pre = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("relanced_login="))
        .expect("the login cookie")
        .split(';')
        .next()
        .expect("its value")
        .to_owned();
    let token = csrf(&form.text().await.expect("the form"));
    let clerk = &book["clerk"];
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf", &token)
        .append_pair("login", clerk["login"].as_str().expect("login"))
        .append_pair("password", clerk["password"].as_str().expect("password"))
        .finish();
    let login = anonymous
        .post(format!("{base}/login"))
        .header("cookie", pre)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("post login");
    assert_eq!(login.status(), 303, "the clerk gets in");
    let session = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("relanced_session="))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let cookie = login.headers()["set-cookie"]
        .to_str()
        .unwrap_or("")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let today = with_cookie(Some(&session))
        .get(&base)
        .send()
        .await
        .expect("today");
    assert_eq!(today.status(), 200);
    let page = today.text().await.expect("today's page");
    assert!(page.contains("<html lang=\"fr\">"), "{page}");
    assert!(
        !page.contains("non planifiée par ce processus"),
        "the daemon says when it runs next: {page}"
    );
    let _ = daemon.kill().await;
}

mod the_daemon_serves_the_console_when_enabled {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn odoo18_xmlrpc() {
        super::the_daemon_serves_the_console_when_enabled(crate::support::ODOO18_XMLRPC).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn odoo19_json2() {
        super::the_daemon_serves_the_console_when_enabled(crate::support::ODOO19_JSON2).await
    }
}

/// `relanced console`: the same console without the scheduler, on `--listen`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_command_serves_the_login_page() {
    let (_db, _book, relanced, _) = install(crate::support::ODOO18_XMLRPC);
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = relanced
        .command(&["console", "--listen", &listen])
        .spawn()
        .expect("start relanced console");
    let client = with_cookie(None);
    for _ in 0..300 {
        if let Ok(answer) = client.get(format!("http://{listen}/runs")).send().await {
            assert_eq!(answer.status(), 303, "no session: to the login page");
            let form = client
                .get(format!("http://{listen}/login"))
                .send()
                .await
                .expect("the login page");
            assert_eq!(form.status(), 200);
            assert!(form.text().await.unwrap().contains("name=\"password\""));
            let _ = child.kill().await;
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let out = child.wait_with_output().await.expect("output");
            panic!(
                "relanced console exited {status}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("relanced console did not answer on {listen} within 30 s");
}
