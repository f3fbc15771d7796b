//! The Odoo double against real Odoo (`../shared/odoo-real/`): the same raw requests go
//! to a real Odoo 18.0 (XML-RPC), 19.0 (XML-RPC) and 19.0 (JSON-2) and to the double
//! playing that version, with the same records on both sides, and the answers must be
//! the same: value shapes, `False`/`null`, ids or lists of ids, fault codes and
//! messages, HTTP statuses and error names.

#[macro_use]
#[path = "../real_odoo/support/mod.rs"]
pub mod support;

mod cases;
mod cases_chatter;
mod cases_records;
mod cases_write;
mod normalize;
mod pair;

use odoo_double::OdooVersion;
use pair::{CREATED, FIRST_ID, Pair, Side, User, double_side};
use support::{Target, bot_of};

/// The real side's book: the same two users as the double's world, and the sequences
/// of the models the comparison creates restarted at `FIRST_ID` (as the double's).
fn book() -> String {
    let tables: Vec<String> = CREATED
        .iter()
        .map(|m| format!("'{}'", m.replace('.', "_")))
        .collect();
    format!(
        r#"
bot = make_user('relance-bot@example.com')
nob = make_user('sales-only@example.com', groups=('base.group_partner_manager', 'base.group_user'))
for table in ({tables},):
    env.cr.execute(f"ALTER SEQUENCE {{table}}_id_seq RESTART WITH {FIRST_ID}")
done({{'bot': bot, 'nob': nob}})
"#,
        tables = tables.join(", ")
    )
}

async fn pair(target: Target) -> Pair {
    let (db, book) = target.server().copy_of("double", &book());
    let user = |name: &str| {
        let (login, key) = bot_of(&book, name);
        User {
            uid: book[name]["uid"].as_i64().expect("uid"),
            partner: book[name]["partner_id"].as_i64().expect("partner_id"),
            login,
            key,
        }
    };
    let real = Side {
        url: db.server.url.clone(),
        db: db.name.clone(),
        bot: user("bot"),
        no_billing: user("nob"),
        sim: None,
    };
    let version = if target.major() == 18 {
        OdooVersion::V18
    } else {
        OdooVersion::V19
    };
    let double = double_side(version).await;
    Pair {
        target,
        real,
        double,
        diffs: Vec::new(),
        checks: 0,
    }
}

async fn the_double_answers_like_odoo(target: Target) {
    let started = std::time::Instant::now();
    let mut pair = pair(target).await;
    cases::session(&mut pair).await;
    cases::errors(&mut pair).await;
    let ids = cases_write::creations(&mut pair).await;
    cases::reads(&mut pair, &ids).await;
    cases_write::writes(&mut pair, &ids).await;
    cases_chatter::chatter(&mut pair, &ids).await;
    cases_records::relanced_reads(&mut pair, &ids).await;
    cases_records::author_without_email(&mut pair, &ids).await;
    eprintln!(
        "{} {}: {} answers compared in {:.1} s",
        target.version,
        target.protocol,
        pair.checks,
        started.elapsed().as_secs_f64()
    );
    pair.finish();
}
on_each_target!(the_double_answers_like_odoo);
