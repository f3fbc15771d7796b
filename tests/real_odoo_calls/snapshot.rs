//! The snapshot reads: open items paged by id (two records a page, over six items and
//! more tags than a page), customers and their invoice contacts, tags, postponements on
//! an invoice and on a customer, markers without debt, and a second company, allowed to
//! one bot user and refused to another.

use crate::book::Book;
use crate::support::Target;
use relanced::followup::{PostponementTarget, Snapshot};
use relanced::odoo::features::ServerFeatures;
use relanced::odoo::snapshot::{SnapshotRequest, read_snapshot};
use relanced::odoo::{ErrorKind, OdooApi, OdooClient, OdooError, leaf};
use serde_json::json;
use std::collections::BTreeSet;

async fn snapshot_of(
    client: &OdooClient,
    company: i64,
    owned: &BTreeSet<i64>,
) -> Result<Snapshot, OdooError> {
    let features = ServerFeatures::detect(client).await?;
    let markers: BTreeSet<&str> = ["Relance 1", "Relance 2"].into();
    let request = SnapshotRequest {
        company_id: company,
        marker_tags: &markers,
        marker_owned: owned,
        postponement_type: "Relance : report",
        page_size: 2,
    };
    read_snapshot(client, &features, &request).await
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> i64) -> BTreeSet<i64> {
    items.iter().map(id).collect()
}

async fn a_snapshot_reads_the_whole_book_in_pages(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 2);
    let marked = book.customer("marked");
    let snapshot = snapshot_of(&bot.client, 1, &[marked].into())
        .await
        .expect("the snapshot of company 1");

    // Every open item, across pages of two, with its residual and invoice.
    let want = book.json["items"].as_array().unwrap();
    assert_eq!(snapshot.items.len(), want.len(), "{:#?}", snapshot.items);
    for w in want {
        let item = snapshot
            .items
            .iter()
            .find(|i| i.move_id == w["move"].as_i64().unwrap())
            .unwrap_or_else(|| panic!("item of {w} missing"));
        assert_eq!(item.customer_id.get(), w["customer"].as_i64().unwrap());
        assert_eq!(item.move_name, w["name"].as_str().unwrap());
        assert_eq!(item.residual_company.to_string(), w["amount"].to_string());
        assert_eq!(
            (item.currency.as_str(), item.company_currency.as_str()),
            ("EUR", "EUR")
        );
        assert_eq!(
            item.date_maturity.map(|d| d.to_string()),
            Some("2026-10-31".into())
        );
    }
    assert_eq!(snapshot.invoices.len(), want.len());
    assert!(
        snapshot
            .invoices
            .iter()
            .all(|i| i.payment_state == "not_paid")
    );
    assert_eq!(snapshot.company.currency, "EUR");
    assert_eq!(
        snapshot.features.item_no_followup_field,
        target.major() >= 19
    );

    // Customers: those with items, and the owned marker without debt; never Belgium's.
    let mut customers: BTreeSet<i64> = want
        .iter()
        .map(|w| w["customer"].as_i64().unwrap())
        .collect();
    customers.insert(marked);
    assert_eq!(ids(&snapshot.customers, |c| c.id.get()), customers);
    let find = |id: i64| {
        snapshot
            .customers
            .iter()
            .find(|c| c.id.get() == id)
            .unwrap()
    };

    // Invoice contacts: the child of type invoice, with its email; not the other child.
    let contacts = &find(book.customer("contacts")).invoice_contacts;
    assert_eq!(contacts.len(), 1, "{contacts:?}");
    assert_eq!(contacts[0].id, book.json["billing"].as_i64().unwrap());
    assert_eq!(
        contacts[0].email.as_deref(),
        Some("compta@contacts.example")
    );

    // Tags by name (all tags read in pages of two).
    let mut tags: Vec<&str> = find(book.customer("tagged"))
        .tags
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    tags.sort();
    assert_eq!(tags, ["Relance 1", "VIP"]);
    assert!(find(marked).has_tag("Relance 1"));

    // Postponements: the invoice's and the customer's, with their deadlines.
    let mut got: Vec<(PostponementTarget, i64, String)> = snapshot
        .postponements
        .iter()
        .map(|p| (p.res_model, p.res_id, p.deadline.unwrap().to_string()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                PostponementTarget::Invoice,
                want[2]["move"].as_i64().unwrap(),
                "2027-01-31".to_owned()
            ),
            (
                PostponementTarget::Customer,
                book.customer("cust_postponed"),
                "2027-02-28".to_owned()
            ),
        ]
    );

    // A marker this company's runs did not put is left out.
    let snapshot = snapshot_of(&bot.client, 1, &BTreeSet::new()).await.unwrap();
    assert!(!snapshot.customers.iter().any(|c| c.id.get() == marked));
}
on_each_target!(a_snapshot_reads_the_whole_book_in_pages);

/// `search_read_all` by pages of two gives what the administrator reads in one go.
async fn paging_by_id_loses_nothing(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 2);
    let domain = json!([["customer_rank", ">", 0]]);
    let all = book.db.search_read("res.partner", domain, &["name"]).await;
    assert!(all.len() > 4, "more than two pages: {all:?}");
    // Connected first: over JSON-2 the session costs a call (`context_get`).
    bot.client.session().await.expect("a session");
    let calls = bot
        .client
        .counters
        .calls
        .load(std::sync::atomic::Ordering::Relaxed);
    let paged = bot
        .client
        .search_read_all(
            "res.partner",
            vec![leaf("customer_rank", ">", 0)],
            &["name"],
            2,
            None,
        )
        .await
        .expect("search_read_all");
    let calls = bot
        .client
        .counters
        .calls
        .load(std::sync::atomic::Ordering::Relaxed)
        - calls;
    let got: Vec<i64> = paged
        .iter()
        .map(|r| r.get("id").and_then(|v| v.as_i64()).unwrap())
        .collect();
    let want: Vec<i64> = all.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(got, want);
    let retries = bot
        .client
        .counters
        .retries
        .load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        calls as usize,
        want.len() / 2 + 1,
        "one call a page ({retries} retries, {} records)",
        want.len()
    );
}
on_each_target!(paging_by_id_loses_nothing);

async fn a_second_company_is_read_apart_and_refused_to_others(target: Target) {
    let book = Book::copy(target);
    let be = book.be();
    let bot = book.bot("bot", 2);
    let snapshot = snapshot_of(&bot.client, be, &BTreeSet::new())
        .await
        .expect("the Belgian company for a bot allowed on it");
    assert_eq!(snapshot.company.id, be);
    assert_eq!(snapshot.company.name, "Relance Test BE SRL");
    assert_eq!(snapshot.company.currency, "EUR");
    let be_customers: BTreeSet<i64> = [book.customer("be1"), book.customer("be2")].into();
    assert_eq!(ids(&snapshot.customers, |c| c.id.get()), be_customers);
    let be_moves: BTreeSet<i64> = book.json["be_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_i64().unwrap())
        .collect();
    assert_eq!(ids(&snapshot.items, |i| i.move_id), be_moves);
    assert!(
        snapshot
            .items
            .iter()
            .all(|i| i.residual_company.to_string() == "700")
    );
    let peeters = snapshot
        .customers
        .iter()
        .find(|c| c.id.get() == book.customer("be1"))
        .unwrap();
    assert_eq!(peeters.lang.as_deref(), Some("nl_BE"));
    assert_eq!(peeters.country_code.as_deref(), Some("BE"));
    assert_eq!(peeters.company_id, Some(be));

    let fr_only = book.bot("bot_fr", 2);
    let refused = snapshot_of(&fr_only.client, be, &BTreeSet::new()).await;
    match refused {
        Err(e) => assert_eq!(e.kind, ErrorKind::UnauthorizedCompany, "{e}"),
        Ok(s) => panic!("company {be} read by a user not allowed on it: {s:?}"),
    }
    let own = snapshot_of(&fr_only.client, 1, &BTreeSet::new())
        .await
        .unwrap();
    assert_eq!(
        own.items.len(),
        book.json["items"].as_array().unwrap().len()
    );
}
on_each_target!(a_second_company_is_read_apart_and_refused_to_others);

/// What `ServerFeatures::detect` finds on each version, and the companies a run follows when
/// the configuration names none (the user's allowed companies).
async fn features_and_companies_are_read_from_the_server(target: Target) {
    let book = Book::copy(target);
    let mut bot = book.bot("bot", 80);
    let features = ServerFeatures::detect(&bot.client)
        .await
        .expect("fields_get");
    let odoo19 = target.major() >= 19;
    assert_eq!(features.line_no_followup, odoo19, "{features:?}");
    assert!(!features.line_blocked, "{features:?}");
    assert_eq!(features.partner_mobile, !odoo19, "{features:?}");
    let groups = if odoo19 { "group_ids" } else { "groups_id" };
    assert_eq!(features.user_groups_field, groups);
    assert!(features.partner_followup_fields.is_empty(), "Community");
    let version = bot.client.session().await.unwrap().version.clone();
    assert_eq!(version.major, target.major());
    assert_eq!(version.serie, target.version);

    bot.config.odoo.companies.clear();
    let companies = relanced::odoo::company::companies(&bot.config, &bot.client).await;
    // In Odoo's order of companies (by sequence, then name): Belgium's first here.
    let mut companies = companies.unwrap();
    companies.sort();
    assert_eq!(companies, [1, book.be()]);
    let mut fr_only = book.bot("bot_fr", 80);
    fr_only.config.odoo.companies.clear();
    let companies = relanced::odoo::company::companies(&fr_only.config, &fr_only.client).await;
    assert_eq!(companies.unwrap(), [1]);
}
on_each_target!(features_and_companies_are_read_from_the_server);

/// Salespeople of every kind, and an invoice in another currency than the company's.
const SELLERS: &str = r#"
users = {'bot': make_user('relance-bot@relance-test.example'),
         'seller': make_user('vendeur@relance-test.example'),
         'gone': make_user('parti@relance-test.example')}
seller = env['res.users'].browse(users['seller']['uid'])
gone = env['res.users'].browse(users['gone']['uid'])
gone.active = False
portal = env['res.users'].with_context(no_reset_password=True).create({
    'name': 'Client Portail', 'login': 'portail@relance-test.example',
    GROUPS_FIELD: [Command.set([env.ref('base.group_portal').id])]})
c = {'served': customer('Servi SARL', email='compta@servi.example', salesperson=seller),
     'orphan': customer('Orphelin SARL', email='compta@orphelin.example', salesperson=gone),
     'portal': customer('Portail SARL', email='compta@portail.example', salesperson=portal)}
m = {'served': invoice(c['served'], '2026-10-01', '2026-10-31', 100),
     'orphan': invoice(c['orphan'], '2026-10-01', '2026-10-31', 200, cur='USD'),
     'portal': invoice(c['portal'], '2026-10-01', '2026-10-31', 300)}
m['served'].invoice_user_id = seller
m['orphan'].invoice_user_id = env.ref('base.user_root')
m['portal'].invoice_user_id = portal
done({'users': users, 'portal': portal.id, 'c': {k: v.id for k, v in c.items()},
      'm': {k: v.id for k, v in m.items()}})
"#;

/// The big reads ask for many2one values without their names (`load` false); the names
/// the engine shows are put back from the users and currencies read beside them. An
/// active user, even a portal one (read apart), is a salesperson with its name; an
/// archived user and OdooBot are nobody; a line in USD says USD.
async fn salespeople_and_currencies_keep_their_names(target: Target) {
    let (db, json) = target.server().copy_of("sellers", SELLERS);
    let (login, key) = crate::support::bot_of(&json["users"], "bot");
    let bot = crate::Bot::new(&db, target, &login, &key, 2);
    let snapshot = snapshot_of(&bot.client, 1, &BTreeSet::new())
        .await
        .expect("the snapshot");
    let id = |k: &str, what: &str| json[k][what].as_i64().expect(what);
    let seller = json["users"]["seller"]["uid"].as_i64().unwrap();
    let portal = json["portal"].as_i64().unwrap();
    let named =
        |u: &Option<relanced::followup::UserRef>| u.as_ref().map(|u| (u.id, u.name.clone()));

    let customer = |k: &str| {
        snapshot
            .customers
            .iter()
            .find(|c| c.id.get() == id("c", k))
            .unwrap_or_else(|| panic!("customer {k}"))
    };
    assert_eq!(
        named(&customer("served").salesperson),
        Some((seller, "Vendeur".into()))
    );
    assert_eq!(named(&customer("orphan").salesperson), None, "archived");
    assert_eq!(
        named(&customer("portal").salesperson),
        Some((portal, "Client Portail".into()))
    );

    let invoice = |k: &str| {
        snapshot
            .invoices
            .iter()
            .find(|i| i.id == id("m", k))
            .unwrap_or_else(|| panic!("invoice {k}"))
    };
    assert_eq!(
        named(&invoice("served").salesperson),
        Some((seller, "Vendeur".into()))
    );
    assert_eq!(named(&invoice("orphan").salesperson), None, "OdooBot");
    assert_eq!(
        named(&invoice("portal").salesperson),
        Some((portal, "Client Portail".into()))
    );
    assert_eq!(invoice("served").currency, "EUR");
    assert_eq!(invoice("orphan").currency, "USD");

    let item = |k: &str| {
        snapshot
            .items
            .iter()
            .find(|i| i.move_id == id("m", k))
            .unwrap_or_else(|| panic!("item of {k}"))
    };
    assert_eq!(
        (
            item("orphan").currency.as_str(),
            item("orphan").company_currency.as_str()
        ),
        ("USD", "EUR")
    );
    assert_eq!(item("served").currency, "EUR");
    assert!(!item("served").move_name.is_empty());
}
on_each_target!(salespeople_and_currencies_keep_their_names);
