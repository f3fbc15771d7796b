//! The book of issue 13, built once per server version inside Odoo (`odoo-shell`,
//! batched ORM calls): N customers with 5 open posted invoices each, due dates spread
//! between 7 and 81 days before AS_OF so that every customer is overdue at level 1, and a
//! Billing user with an API key for relanced (`make_user` in `prelude.py`).
//!
//! Building it takes ≈ 35 ms per invoice (12 min for 4 000 customers on this machine), so
//! the built database is kept (`pg_dump`, its filestore, the script's answer) under
//! `<target>/speed-book/` and restored by the next run with the same version, size and
//! script; `SPEED_BENCH_REBUILD=1` builds it again.

use super::kit::{Server, env_value, run_kit, target_dir};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const PRELUDE: &str = include_str!("../../tests/real_odoo/support/prelude.py");

/// Partners in one `create`, invoices by 500 (create, due date set, `action_post` on the
/// recordset, commit).
const SCRIPT: &str = r#"
import time
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True,
                       mail_notrack=True, mail_create_nosubscribe=True))
t0 = time.time()
bot = make_user('relance-bot@relance-test.example')
fr = env.ref('base.fr').id
partners = env['res.partner'].create([{
    'name': 'Client %05d SARL' % i, 'email': 'compta%d@client%d.example' % (i, i),
    'lang': 'fr_FR', 'country_id': fr, 'is_company': True,
    'street': '1 rue de la Paix', 'zip': '75002', 'city': 'Paris'} for i in range(N)])
t1 = time.time()
jobs = [(p, k, i) for i, p in enumerate(partners) for k in range(5)]
last = D('2026-11-15')
for start in range(0, len(jobs), 500):
    chunk = jobs[start:start + 500]
    dues = [last - datetime.timedelta(days=(i * 7 + k * 13) % 75) for p, k, i in chunk]
    batch = env['account.move'].create([{
        'move_type': 'out_invoice', 'partner_id': p.id,
        'invoice_date': D('2026-08-01'), 'invoice_date_due': due,
        'invoice_line_ids': [Command.create({'name': 'Prestation %d' % (k + 1), 'quantity': 1,
            'price_unit': 100 + (i * 5 + k) % 50, 'tax_ids': [Command.set([])]})]}
        for (p, k, i), due in zip(chunk, dues)])
    for move, due in zip(batch, dues):
        move.invoice_date_due = due
    batch.action_post()
    env.cr.commit()
done({'bot': bot, 'customers': partners.ids, 'partners_s': t1 - t0,
      'invoices_s': time.time() - t1})
"#;

/// What the book script reports.
pub struct Book {
    pub login: String,
    pub key: String,
    pub uid: i64,
    /// The bot's partner: the author of relanced's notes.
    pub bot_partner: i64,
    pub customers: Vec<i64>,
    pub took: Duration,
    /// Seconds the invoices took to build; `None`: restored from the cache.
    pub invoices_s: Option<f64>,
}

/// Database `book` on `server` with `n` customers: restored from the cache, or built.
pub fn build(server: &Server, n: usize) -> Book {
    use std::hash::{Hash, Hasher};
    let script = format!("{PRELUDE}\nN = {n}\n{SCRIPT}");
    let mut hash = std::collections::hash_map::DefaultHasher::new();
    script.hash(&mut hash);
    let cache = target_dir().join("speed-book").join(format!(
        "{}-{n}-{:016x}",
        server.version,
        hash.finish()
    ));
    let t = Instant::now();
    let pg = |tool: &str, args: &[&str]| {
        let bin = Path::new(&env_value(&server.dir, "ODOO_PG_BIN")).join(tool);
        let port = env_value(&server.dir, "ODOO_PG_PORT");
        let ok = Command::new(&bin)
            .args(["-h", "127.0.0.1", "-p", &port, "-U", "odoo"])
            .args(args)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "{tool} {args:?} failed");
    };
    let filestore = Path::new(&server.dir).join("data/filestore/book");
    let copy = |from: &Path, to: &Path| {
        let _ = std::fs::remove_dir_all(to);
        let ok = Command::new("cp").arg("-r").arg(from).arg(to).status();
        assert!(ok.is_ok_and(|s| s.success()), "cp -r {from:?} {to:?}");
    };
    let answer = cache.join("answer.json");
    let dump = cache.join("book.dump").display().to_string();
    let (out, cached) = if std::env::var_os("SPEED_BENCH_REBUILD").is_none() && answer.exists() {
        pg("createdb", &["book"]);
        pg(
            "pg_restore",
            &["-d", "book", "--no-owner", "--role=odoo", &dump],
        );
        copy(&cache.join("filestore"), &filestore);
        (
            std::fs::read_to_string(&answer).expect("cached answer"),
            true,
        )
    } else {
        run_kit("odoo-new-db", &[&server.dir, "book"], None);
        let out = run_kit("odoo-shell", &[&server.dir, "book"], Some(&script));
        let _ = std::fs::remove_dir_all(&cache);
        std::fs::create_dir_all(&cache).expect("cache");
        pg("pg_dump", &["-Fc", "-f", &dump, "book"]);
        copy(&filestore, &cache.join("filestore"));
        let line = out
            .lines()
            .find(|l| l.starts_with("JSON="))
            .unwrap_or_default();
        std::fs::write(&answer, line).expect("cached answer");
        (out, false)
    };
    let json: Value = out
        .lines()
        .find_map(|l| l.strip_prefix("JSON="))
        .map(|j| serde_json::from_str(j).expect("book JSON"))
        .unwrap_or_else(|| panic!("the book script did not finish:\n{out}"));
    let bot = &json["bot"];
    Book {
        login: bot["login"].as_str().expect("login").to_owned(),
        key: bot["key"].as_str().expect("key").to_owned(),
        uid: bot["uid"].as_i64().expect("uid"),
        bot_partner: bot["partner_id"].as_i64().expect("bot partner"),
        customers: json["customers"]
            .as_array()
            .expect("customers")
            .iter()
            .filter_map(Value::as_i64)
            .collect(),
        took: t.elapsed(),
        invoices_s: (!cached).then(|| json["invoices_s"].as_f64().unwrap_or(0.0)),
    }
}
