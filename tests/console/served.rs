//! One test database on the real Odoo 18 with a book made for the console: a French and
//! a Belgian company; five French customers (one without email, one late enough for a
//! formal notice that waits for approval, one to postpone and exclude) and a Belgian one;
//! the exclusion tag and the postponement type; a Billing user of the French company who
//! speaks French, one of both companies who speaks Dutch, a user without the group, the
//! bot on both. A relanced installation on it and its console served in-process on a
//! free port, on a fixed date.

use crate::support::*;
use chrono::{DateTime, TimeZone, Utc};
use relanced::console::Console;
use serde_json::Value;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

pub const AS_OF: &str = "2026-11-22";

const BOOK: &str = r#"
fr = env.company
be = company('Relance Test BE SRL', 'BE')
bot = make_user('relance-bot@relance-test.example', companies=[fr, be])
clerk = make_user('clerk@relance-test.example', lang='fr_FR')
clerk_be = make_user('klerk@relance-test.example', lang='nl_BE', companies=[be, fr])
outsider = make_user('outsider@relance-test.example', groups=('base.group_user',))
a = customer('Atelier Alpha', email='compta@alpha.example')
b = customer('Bureau Beta', email='compta@beta.example')
c = customer('Chez Gamma')
d = customer('Delta Demeure', email='compta@delta.example')
invoice(a, '2026-10-01', '2026-11-10', 1200)
invoice(b, '2026-10-01', '2026-11-12', 800)
invoice(c, '2026-10-01', '2026-11-10', 500)
invoice(d, '2026-08-01', '2026-09-01', 2500)
e = customer('Echo Litige', email='compta@echo.example')
ie = invoice(e, '2026-10-01', '2026-11-10', 300)
z = customer('Zulu Brussel BV', email='boekhouding@zulu.example', lang='nl_BE', country='BE',
             company=be)
invoice(z, '2026-10-01', '2026-11-10', 700, company=be)
tag('Relance : exclu')
env['mail.activity.type'].create({'name': 'Relance : report'})
done({'bot': bot, 'clerk': clerk, 'clerk_be': clerk_be, 'outsider': outsider, 'a': a.id,
      'b': b.id, 'c': c.id, 'd': d.id, 'e': e.id, 'e_invoice': ie.id, 'z': z.id, 'be': be.id})
"#;

/// Strategy "S": `amical` at +3 days by email (a letter without email), `demeure` (a
/// formal notice) at +30 days by email and letter, waiting for approval; a customer late
/// for both jumps to the formal notice.
const STRATEGY: &str = r#"
[followup]
fallback_user = 2

[[strategy]]
name = "S"
default = true
min_amount = { EUR = 5.0 }
min_interval_days = 7
catch_up = "jump"

[[strategy.level]]
key = "amical"
label = "Rappel amical"
offset_days = 3
actions = ["email"]
marker = { tag = "Relance 1", color = 10 }

[[strategy.level]]
key = "demeure"
label = "Mise en demeure"
offset_days = 30
actions = ["email", "letter"]
approval = "manual"
marker = { tag = "Relance 2", color = 1 }

[console]
enabled = true
listen = "127.0.0.1:0"
"#;

/// The console's "now": the morning of `AS_OF`.
struct Fixed;

impl relanced::daemon::Clock for Fixed {
    fn now(&self) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
            .single()
            .expect("a date")
    }
}

pub struct Served {
    pub db: Db,
    pub book: Value,
    pub relanced: Relanced,
    pub url: String,
    stop: CancellationToken,
}

impl Drop for Served {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// A fresh copy of the book's database on `target` and a relanced installation on it
/// (console enabled on `127.0.0.1:0`), nothing started.
pub fn install(target: Target) -> (Db, Value, Relanced, String) {
    let (db, book) = target.server().copy_of("console", BOOK);
    let (login, key) = bot_of(&book, "bot");
    let relanced = Relanced::new(&db, target, &login, &key, Mail::Files, STRATEGY);
    let be = book["be"].as_i64().expect("the Belgian company");
    relanced.edit("companies = [1]", &format!("companies = [1, {be}]"));
    (db, book, relanced, key)
}

impl Served {
    pub async fn start() -> Served {
        let (db, book, relanced, key) = install(ODOO18_XMLRPC);
        let options = relanced::config::LoadOptions {
            env: vec![("RELANCED_TEST_KEY".into(), key.clone())],
            ..Default::default()
        };
        let config = relanced::config::load(&relanced.config, &options)
            .unwrap_or_else(|e| panic!("the test configuration: {e:?}"));
        let app = Arc::new(relanced::app::App::loaded_from(config, &relanced.config));
        let console = Console::new(app, None, Arc::new(Fixed)).expect("the console starts");
        let listener = relanced::console::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let stop = CancellationToken::new();
        tokio::spawn(relanced::console::serve(
            listener,
            Arc::new(console),
            stop.clone(),
        ));
        Served {
            db,
            book,
            relanced,
            url,
            stop,
        }
    }

    pub fn id(&self, who: &str) -> i64 {
        self.book[who]
            .as_i64()
            .unwrap_or_else(|| panic!("{who} in the book"))
    }

    /// Login and password of a user of the book.
    pub fn user(&self, who: &str) -> (String, String) {
        let u = &self.book[who];
        (
            u["login"].as_str().expect("login").to_owned(),
            u["password"].as_str().expect("password").to_owned(),
        )
    }

    /// Notes relanced's bot posted on customer `who`.
    pub async fn notes_on(&self, who: &str) -> usize {
        let bot = self.book["bot"]["partner_id"]
            .as_i64()
            .expect("bot partner");
        self.db.messages_on(self.id(who), bot).await.len()
    }

    /// The installation's ledger, opened beside the console's.
    pub async fn ledger(&self) -> relanced::ledger::Ledger {
        let path = self.relanced.dir.path().join("ledger.db");
        let url = format!("sqlite://{}", path.display());
        relanced::ledger::Ledger::open(&url)
            .await
            .expect("open the ledger")
    }

    /// The console's audit trail, newest first, as `(login, action)`.
    pub async fn audit(&self) -> Vec<(String, String)> {
        let ledger = self.ledger().await;
        let trail = ledger.audit_trail(100).await.expect("audit trail");
        ledger.close().await;
        trail
            .into_iter()
            .map(|r| (r.entry.login, r.entry.action))
            .collect()
    }
}
