//! The Odoo client against the Odoo double playing 18 and 19: protocol choice,
//! authentication, typed errors from real fault texts, retries of reads only, paging,
//! feature detection and the write-back calls.

use odoo_double::{
    Fault, OdooVersion, RECORDED_API_KEY, RECORDED_BOT_UID, Sim, SimHandle, SimOptions, World,
};
use relanced::config::{Protocol, Secret};
use relanced::odoo::features::ServerFeatures;
use relanced::odoo::{Connection, ErrorKind, OdooApi, OdooClient, Struct, Value, leaf, writeback};
use std::time::Duration;

async fn sim(version: OdooVersion) -> SimHandle {
    Sim::start(SimOptions {
        version,
        world: World::recorded(version),
    })
    .await
    .expect("the double starts")
}

fn connection(url: &str, db: &str, login: &str, key: &str, protocol: Protocol) -> Connection {
    Connection {
        url: url::Url::parse(&format!("{url}/")).unwrap(),
        database: db.into(),
        login: login.into(),
        key: Secret::new(key),
        protocol,
        timeout: Duration::from_secs(5),
        attempts: 3,
        max_concurrency: 4,
        backoff: Duration::from_millis(10),
    }
}

fn admin18(s: &SimHandle) -> OdooClient {
    OdooClient::new(connection(
        &s.url(),
        "fu18",
        "admin",
        "admin",
        Protocol::Auto,
    ))
    .unwrap()
}

fn bot18(s: &SimHandle) -> OdooClient {
    OdooClient::new(connection(
        &s.url(),
        "fu18",
        "relance-bot@example.com",
        "bot-password-123",
        Protocol::Auto,
    ))
    .unwrap()
}

#[tokio::test]
async fn odoo_18_is_spoken_in_xmlrpc_and_19_in_json2_when_auto() {
    let s18 = sim(OdooVersion::V18).await;
    let c = admin18(&s18);
    let session = c.session().await.unwrap();
    assert_eq!(
        (session.version.major, session.protocol, session.uid),
        (18, Protocol::Xmlrpc, 2)
    );
    assert!(
        session.version.enterprise,
        "18.0+e-… is an enterprise build string"
    );

    let s19 = sim(OdooVersion::V19).await;
    let c = OdooClient::new(connection(
        &s19.url(),
        "fu19",
        "json-bot@example.com",
        RECORDED_API_KEY,
        Protocol::Auto,
    ))
    .unwrap();
    let session = c.session().await.unwrap();
    assert_eq!(
        (session.version.major, session.protocol, session.uid),
        (19, Protocol::Json2, 7)
    );
    let partners = c
        .search_read(
            "res.partner",
            vec![leaf("id", "=", 13)],
            &["name"],
            Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(partners[0].get("name"), Some(&Value::from("LightsUp")));
    // The calls really went through JSON-2.
    assert!(
        s19.calls()
            .iter()
            .any(|call| call.protocol == "json2" && call.method == "search_read"),
        "{:?}",
        s19.calls()
    );
}

#[tokio::test]
async fn json2_is_refused_on_odoo_18() {
    let s = sim(OdooVersion::V18).await;
    let c = OdooClient::new(connection(
        &s.url(),
        "fu18",
        "admin",
        "admin",
        Protocol::Json2,
    ))
    .unwrap();
    let e = c.session().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Protocol);
    assert!(e.to_string().contains("needs Odoo 19"), "{e}");
}

#[tokio::test]
async fn a_wrong_password_is_bad_credentials_not_a_crash() {
    let s = sim(OdooVersion::V18).await;
    let c = OdooClient::new(connection(
        &s.url(),
        "fu18",
        "admin",
        "wrong",
        Protocol::Xmlrpc,
    ))
    .unwrap();
    let e = c.session().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadCredentials);
    assert!(
        !e.to_string().contains("wrong"),
        "the password must not appear: {e}"
    );

    let s19 = sim(OdooVersion::V19).await;
    let c = OdooClient::new(connection(
        &s19.url(),
        "fu19",
        "x",
        "bad-key",
        Protocol::Json2,
    ))
    .unwrap();
    assert_eq!(
        c.session().await.unwrap_err().kind,
        ErrorKind::BadCredentials
    );
}

#[tokio::test]
async fn an_unknown_database_is_named() {
    let s = sim(OdooVersion::V18).await;
    let c = OdooClient::new(connection(
        &s.url(),
        "no_such_db",
        "admin",
        "admin",
        Protocol::Xmlrpc,
    ))
    .unwrap();
    let e = c.session().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownDatabase, "{e}");
    assert!(e.message.contains("no_such_db"), "{e}");
}

#[tokio::test]
async fn faults_become_typed_errors_naming_model_method_and_record() {
    for version in [OdooVersion::V18, OdooVersion::V19] {
        let s = sim(version).await;
        let c = match version {
            OdooVersion::V18 => admin18(&s),
            OdooVersion::V19 => OdooClient::new(connection(
                &s.url(),
                "fu19",
                "json-bot@example.com",
                RECORDED_API_KEY,
                Protocol::Auto,
            ))
            .unwrap(),
        };
        let e = c
            .search_read(
                "res.partner",
                vec![leaf("no_such_field", "=", 1)],
                &["name"],
                Default::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::UnknownField {
                field: "no_such_field".into()
            },
            "{version:?}: {e}"
        );
        assert!(
            e.to_string()
                .starts_with("Odoo res.partner.search_read: unknown field"),
            "{e}"
        );

        let e = c
            .write(
                "res.partner",
                &[999_999_999],
                Struct::new().with("name", "x"),
                None,
            )
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::MissingRecord, "{version:?}: {e}");
        assert!(
            e.to_string()
                .contains("res.partner.write on record 999999999"),
            "{e}"
        );

        let e = c
            .search_count("no.such.model", vec![], None)
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::UnknownModel, "{version:?}: {e}");

        let e = c
            .create("res.partner", vec![Struct::new().with("name", false)], None)
            .await
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Validation, "{version:?}: {e}");
        assert!(e.message.contains("Contacts require a name"), "{e}");

        // `read` of a missing id is an empty answer, not a fault.
        assert!(
            c.read("res.partner", &[999_999_999], &["name"], None)
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn access_errors_name_the_group_that_grants_the_right() {
    let s = sim(OdooVersion::V18).await;
    let c = bot18(&s);
    assert_eq!(c.session().await.unwrap().uid, RECORDED_BOT_UID);
    let e = c
        .search_read("ir.model", vec![], &["model"], Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::AccessDenied {
            groups: vec!["Administration/Access Rights".into()]
        }
    );
    assert!(
        e.to_string()
            .contains("the user needs the group Administration/Access Rights"),
        "{e}"
    );

    let context = Some(Struct::new().with("allowed_company_ids", vec![3i64]));
    let e = c
        .search_count("res.partner", vec![], context)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnauthorizedCompany, "{e}");
}

#[tokio::test]
async fn reads_are_retried_through_a_bad_gateway_and_writes_are_not_retried_blindly() {
    let s = sim(OdooVersion::V18).await;
    let c = admin18(&s);
    c.session().await.unwrap();

    s.switches().bad_gateway_next(2);
    let n = c.search_count("res.partner", vec![], None).await.unwrap();
    assert!(n > 0);
    assert_eq!(
        c.counters
            .retries
            .load(std::sync::atomic::Ordering::Relaxed),
        2
    );

    // A write whose connection drops may have been committed: it is not sent again.
    s.switches().drop_next(1);
    let before = c.counters.calls.load(std::sync::atomic::Ordering::Relaxed);
    let e = c
        .write("res.partner", &[13], Struct::new().with("ref", "X1"), None)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ConnectionDropped, "{e}");
    assert!(e.kind.outcome_unknown());
    assert_eq!(
        c.counters.calls.load(std::sync::atomic::Ordering::Relaxed),
        before + 1,
        "no second attempt"
    );

    // A read whose connection drops is simply retried.
    s.switches().drop_next(1);
    assert_eq!(
        c.search_count("res.partner", vec![], None).await.unwrap(),
        n
    );
}

#[tokio::test]
async fn a_non_transient_fault_is_answered_at_once_without_retry() {
    let s = sim(OdooVersion::V18).await;
    let c = admin18(&s);
    c.session().await.unwrap();
    let calls_before = s.calls().len();
    s.switches().fail_next(1, Fault::AccessDenied);
    let e = c
        .search_count("res.partner", vec![], None)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadCredentials);
    assert_eq!(s.calls().len(), calls_before + 1);
}

#[tokio::test]
async fn timeouts_and_refused_connections_are_told_apart() {
    let s = sim(OdooVersion::V18).await;
    let mut conn = connection(&s.url(), "fu18", "admin", "admin", Protocol::Xmlrpc);
    conn.timeout = Duration::from_millis(300);
    conn.attempts = 1;
    let c = OdooClient::new(conn).unwrap();
    c.session().await.unwrap();
    s.switches().set_latency(Duration::from_millis(800));
    let e = c
        .search_count("res.partner", vec![], None)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Timeout, "{e}");
    s.switches().set_latency(Duration::ZERO);

    let addr = s.addr();
    s.stop().await;
    let mut conn = connection(
        &format!("http://{addr}"),
        "fu18",
        "admin",
        "admin",
        Protocol::Xmlrpc,
    );
    conn.attempts = 2;
    let c = OdooClient::new(conn).unwrap();
    let e = c.version().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::ConnectionRefused, "{e}");
}

#[tokio::test]
async fn search_read_all_pages_by_id_and_misses_nothing() {
    let s = sim(OdooVersion::V18).await;
    let c = admin18(&s);
    let all = c
        .search_read("res.partner", vec![], &["name"], Default::default())
        .await
        .unwrap();
    s.switches().reset_log();
    let paged = c
        .search_read_all("res.partner", vec![], &["name"], 3, None)
        .await
        .unwrap();
    let mut ids: Vec<i64> = all
        .iter()
        .map(|r| r.get("id").unwrap().as_i64().unwrap())
        .collect();
    ids.sort();
    let got: Vec<i64> = paged
        .iter()
        .map(|r| r.get("id").unwrap().as_i64().unwrap())
        .collect();
    assert_eq!(got, ids, "paged by id, in id order, complete");
    let pages = s
        .calls()
        .iter()
        .filter(|c| c.method == "search_read")
        .count();
    assert_eq!(pages, ids.len() / 3 + 1);
}

#[tokio::test]
async fn features_are_detected_per_version() {
    let s = sim(OdooVersion::V18).await;
    let f = ServerFeatures::detect(&admin18(&s)).await.unwrap();
    assert_eq!(
        (f.line_blocked, f.line_no_followup, f.partner_mobile),
        (false, false, true)
    );
    assert_eq!(f.user_groups_field, "groups_id");
    assert_eq!(f.line_flag_field(), None);

    let s = sim(OdooVersion::V19).await;
    let c = OdooClient::new(connection(
        &s.url(),
        "fu19",
        "json-bot@example.com",
        RECORDED_API_KEY,
        Protocol::Auto,
    ))
    .unwrap();
    let f = ServerFeatures::detect(&c).await.unwrap();
    assert_eq!(
        (f.line_blocked, f.line_no_followup, f.partner_mobile),
        (false, true, false)
    );
    assert_eq!(f.user_groups_field, "group_ids");
    assert_eq!(f.line_flag_field(), Some("no_followup"));
}

#[tokio::test]
async fn write_back_calls_work_for_the_bot_user_on_both_protocols() {
    for version in [OdooVersion::V18, OdooVersion::V19] {
        let s = sim(version).await;
        let c = match version {
            OdooVersion::V18 => bot18(&s),
            OdooVersion::V19 => OdooClient::new(connection(
                &s.url(),
                "fu19",
                "json-bot@example.com",
                RECORDED_API_KEY,
                Protocol::Auto,
            ))
            .unwrap(),
        };
        let partner = 15;
        let tags = writeback::ensure_tags(
            &c,
            &[
                ("Relance 2 · Rappel standard".into(), 3),
                ("Relance 3 · Rappel urgent".into(), 2),
            ],
        )
        .await
        .unwrap();
        assert_eq!(tags.len(), 2);
        let again = writeback::ensure_tags(&c, &[("Relance 2 · Rappel standard".into(), 3)])
            .await
            .unwrap();
        assert_eq!(
            again["Relance 2 · Rappel standard"], tags["Relance 2 · Rappel standard"],
            "{version:?}: created once"
        );

        let t2 = tags["Relance 2 · Rappel standard"];
        let t3 = tags["Relance 3 · Rappel urgent"];
        let before = c
            .read("res.partner", &[partner], &["category_id"], None)
            .await
            .unwrap()[0]
            .get("category_id")
            .unwrap()
            .as_ids()
            .unwrap();
        writeback::set_marker(&c, partner, Some(t2), &[t3])
            .await
            .unwrap();
        writeback::set_marker(&c, partner, Some(t3), &[t2])
            .await
            .unwrap();
        let after = c
            .read("res.partner", &[partner], &["category_id"], None)
            .await
            .unwrap()[0]
            .get("category_id")
            .unwrap()
            .as_ids()
            .unwrap();
        let mut expected = before.clone();
        expected.push(t3);
        expected.sort();
        let mut after_sorted = after.clone();
        after_sorted.sort();
        assert_eq!(
            after_sorted, expected,
            "{version:?}: one marker added, the other removed, other tags untouched"
        );

        let attachment = writeback::attach_pdf(
            &c,
            "res.partner",
            partner,
            "relance-2.pdf",
            b"%PDF-1.4 test",
        )
        .await
        .unwrap();
        let token = "c1/p15/l2/2026-11-22/note";
        let body = format!(
            "<p>Relance <b>niveau 2</b></p>{}",
            writeback::token_html(token)
        );
        let message = writeback::post_note(&c, partner, &body, &[attachment])
            .await
            .unwrap();
        assert_eq!(
            writeback::find_note(&c, partner, token).await.unwrap(),
            Some(message),
            "{version:?}"
        );
        assert_eq!(
            writeback::find_note(&c, partner, "c1/p15/l3/other")
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            writeback::find_attachment(&c, partner, "relance-2.pdf")
                .await
                .unwrap(),
            Some(attachment)
        );

        let call_type = writeback::xmlid(&c, "mail", "mail_activity_data_call")
            .await
            .unwrap();
        let activity_token = "c1/p15/l3/2026-11-22/call";
        let note = format!("<p>Appeler</p>{}", writeback::token_html(activity_token));
        let activity = writeback::create_activity(
            &c,
            &writeback::NewActivity {
                partner_id: partner,
                activity_type_id: call_type,
                user_id: c.session().await.unwrap().uid,
                summary: "Appeler le client (relance 3)",
                note_html: &note,
                deadline: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            },
        )
        .await
        .unwrap();
        assert_eq!(
            writeback::find_activity(&c, partner, activity_token)
                .await
                .unwrap(),
            Some(activity),
            "{version:?}"
        );
    }
}

#[tokio::test]
async fn a_tls_failure_is_named_as_such() {
    // The double speaks plain HTTP: an https:// URL fails in the TLS handshake.
    let s = sim(OdooVersion::V18).await;
    let url = s.url().replace("http://", "https://");
    let mut conn = connection(&url, "fu18", "admin", "admin", Protocol::Xmlrpc);
    conn.attempts = 1;
    let c = OdooClient::new(conn).unwrap();
    let e = c.version().await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Tls, "{e}");
}

#[tokio::test]
async fn concurrent_calls_are_limited() {
    let s = sim(OdooVersion::V18).await;
    let mut conn = connection(&s.url(), "fu18", "admin", "admin", Protocol::Xmlrpc);
    conn.max_concurrency = 2;
    let c = OdooClient::new(conn).unwrap();
    c.session().await.unwrap();
    s.switches().set_latency(Duration::from_millis(200));
    let started = std::time::Instant::now();
    let calls = (0..6).map(|_| c.search_count("res.partner", vec![], None));
    let results = futures_join_all(calls).await;
    assert!(results.iter().all(Result::is_ok));
    // 6 calls of 200 ms, 2 at a time: at least 3 rounds.
    assert!(
        started.elapsed() >= Duration::from_millis(580),
        "{:?}",
        started.elapsed()
    );
}

async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut out = Vec::new();
    // Poll all together: a tiny join_all over pinned futures.
    let mut pending: Vec<Option<std::pin::Pin<Box<F>>>> = set.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    out.extend(
        results
            .into_iter()
            .map(|r| r.expect("every future completed")),
    );
    out
}
