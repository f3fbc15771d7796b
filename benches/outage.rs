//! When a server is down (issue 15), on a real Odoo 18.0 with a book of 4 000 customers
//! (one overdue posted invoice each, built once with `odoo-shell`, copied before each
//! measured run with `odoo-new-db`): the release binary `target/release/relanced` over
//! XML-RPC, mail to aiosmtpd on loopback. Baseline, measured in the same run: `relanced
//! plan` on the book (reading and deciding: what any run pays before acting). Then:
//!
//! - SMTP refused for the whole run: `once` wall time, its `halted` reason, no note in
//!   Odoo and no email done in the ledger; then SMTP back: a run that sends, stopped
//!   (SIGINT) after `OUTAGE_BENCH_RESUME` emails, with no customer emailed or noted twice;
//! - Odoo killed (`odoo-ctl stop`) once ~50 emails are out, `odoo.timeout_secs = 30`: time
//!   from the kill to the end of the run (goal ≤ 30 + 30 s); Odoo back, a second run, no
//!   customer with two emails or two notes (read back as admin through `/jsonrpc`);
//! - Odoo frozen (`odoo-ctl freeze`, thawed after the run ended): the same.
//!
//! Reproduce: `cargo build --release && cargo bench --bench outage` (needs the kit in
//! `../shared/odoo-real/` or `RELANCED_SHARED`, python3 with aiosmtpd).
//! `OUTAGE_BENCH_CUSTOMERS` (default 4000), `OUTAGE_BENCH_RESUME` (default 150).

#[path = "../tests/common/mod.rs"]
mod common;

// The kit's tools and the release binary, as the speed bench reaches them.
#[allow(dead_code)]
#[path = "speed/kit.rs"]
mod kit;

use common::smtp as smtp_support;
use kit::{bin, env_or, run_kit};

use serde_json::{Value, json};
use smtp_support::{Aiosmtpd, free_port};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const AS_OF: &str = "2026-11-22";
const ODOO_TIMEOUT: u64 = 30;
const PRELUDE: &str = include_str!("../tests/real_odoo/support/prelude.py");
const STRATEGY: &str = "[followup]\nfallback_user = 2\n\n[[strategy]]\nname = \"S\"\ndefault = true\n\
min_amount = { EUR = 5.0 }\nmin_interval_days = 7\n\n[[strategy.level]]\nkey = \"amical\"\n\
label = \"Rappel amical\"\noffset_days = 3\nactions = [\"email\"]\nmarker = { tag = \"Relance 1\", color = 10 }\n";

/// Partners in one `create`, invoices by 500 (create, then `action_post` on the recordset).
const BOOK: &str = r#"
import time
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True,
                       mail_notrack=True, mail_create_nosubscribe=True))
t0 = time.time()
bot = make_user('relance-bot@relance-test.example')
fr = env.ref('base.fr').id
partners = env['res.partner'].create([{
    'name': 'Client %04d SARL' % i, 'email': 'compta%d@client%d.example' % (i, i),
    'lang': 'fr_FR', 'country_id': fr, 'is_company': True,
    'street': '1 rue de la Paix', 'zip': '75002', 'city': 'Paris'} for i in range(N)])
t1 = time.time()
for start in range(0, N, 500):
    batch = env['account.move'].create([{
        'move_type': 'out_invoice', 'partner_id': p.id,
        'invoice_date': D('2026-10-01'), 'invoice_date_due': D('2026-11-01'),
        'invoice_line_ids': [Command.create({'name': 'Prestation', 'quantity': 1,
            'price_unit': 100 + i % 50, 'tax_ids': [Command.set([])]})]}
        for i, p in enumerate(partners[start:start + 500], start)])
    batch.invoice_date_due = D('2026-11-01')
    batch.action_post()
    env.cr.commit()
done({'bot': bot, 'partners_s': t1 - t0, 'invoices_s': time.time() - t1})
"#;

struct Odoo {
    dir: String,
    url: String,
}

impl Odoo {
    fn ctl(&self, what: &str) -> Duration {
        let t = Instant::now();
        run_kit("odoo-ctl", &[&self.dir, what], None);
        t.elapsed()
    }

    /// `execute_kw` as admin through `/jsonrpc` (neither relanced's client nor its codec).
    async fn call(&self, db: &str, model: &str, method: &str, args: Value, kw: Value) -> Value {
        let body = json!({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "service": "object", "method": "execute_kw",
            "args": [db, 2, "admin", model, method, args, kw]}});
        let answer: Value = reqwest::Client::new()
            .post(format!("{}/jsonrpc", self.url))
            .json(&body)
            .send()
            .await
            .expect("jsonrpc")
            .json()
            .await
            .expect("jsonrpc answer");
        assert!(answer.get("error").is_none(), "{model}.{method}: {answer}");
        answer["result"].clone()
    }

    /// Notes by the bot per customer.
    async fn notes(&self, db: &str, bot: i64) -> BTreeMap<i64, usize> {
        let domain = json!([[["model", "=", "res.partner"], ["author_id", "=", bot]]]);
        let rows = self
            .call(
                db,
                "mail.message",
                "search_read",
                domain,
                json!({"fields": ["res_id"]}),
            )
            .await;
        let mut per = BTreeMap::new();
        for r in rows.as_array().into_iter().flatten() {
            *per.entry(r["res_id"].as_i64().unwrap_or(0)).or_default() += 1;
        }
        per
    }
}

/// A relanced installation on one copy of the book.
struct Install {
    dir: tempfile::TempDir,
    config: PathBuf,
    key: String,
    db: String,
}

impl Install {
    async fn new(odoo: &Odoo, book: &Value, n: u32, smtp_port: u16) -> Install {
        let db = format!("run{n}");
        run_kit("odoo-new-db", &[&odoo.dir, &db, "book"], None);
        // The first request to a database loads its registry (seconds): not measured.
        odoo.call(&db, "res.partner", "search_count", json!([[]]), json!({}))
            .await;
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("relanced.toml");
        let p = |f: &str| dir.path().join(f).display().to_string();
        let text = format!(
            "[odoo]\nurl = \"{}\"\ndatabase = \"{db}\"\nlogin = \"{}\"\napi_key = {{ env = \"RELANCED_BENCH_KEY\" }}\n\
             protocol = \"xmlrpc\"\ncompanies = [1]\ntimeout_secs = {ODOO_TIMEOUT}\n\n[ledger]\nurl = \"sqlite://{}\"\n\n\
             [render]\ndefault_lang = \"fr\"\n\n{STRATEGY}\n[mail]\nfrom = \"Compta <compta@relance-test.example>\"\n\
             outbox_dir = \"{}\"\ntransport = \"smtp\"\n\n[mail.smtp]\nhost = \"127.0.0.1\"\nport = {smtp_port}\n\
             tls = \"none\"\ntimeout_secs = 10\n",
            odoo.url,
            book["bot"]["login"].as_str().expect("login"),
            p("ledger.db"),
            p("outbox"),
        );
        std::fs::write(&config, text).expect("config");
        let key = book["bot"]["key"].as_str().expect("key").to_owned();
        Install {
            dir,
            config,
            key,
            db,
        }
    }

    fn set_smtp_port(&self, port: u16) {
        let text = std::fs::read_to_string(&self.config).expect("config");
        let (head, _) = text.rsplit_once("port = ").expect("smtp port");
        let rest = text[head.len()..].split_once('\n').expect("eol").1;
        std::fs::write(&self.config, format!("{head}port = {port}\n{rest}")).expect("config");
    }

    /// Starts `relanced ARGS`, stdout and stderr to files (no pipe to fill).
    fn spawn(&self, args: &[&str], tag: &str) -> Child {
        let file = |ext: &str| std::fs::File::create(self.dir.path().join(format!("{tag}.{ext}")));
        Command::new(bin())
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env("RELANCED_BENCH_KEY", &self.key)
            .env("RUST_LOG", "warn")
            .env_remove("RELANCED_CONFIG")
            .stdin(Stdio::null())
            .stdout(file("out").expect("out"))
            .stderr(file("err").expect("err"))
            .spawn()
            .expect("spawn relanced")
    }

    /// Waits for the child (killed past `limit`): exit code, its JSON, stderr's tail.
    fn wait(&self, mut child: Child, tag: &str, limit: Duration) -> (Option<i32>, Value, String) {
        let started = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().expect("status") {
                break s;
            }
            if started.elapsed() > limit {
                eprintln!("outage bench: {tag} still running after {limit:?}: killed");
                let _ = child.kill();
                break child.wait().expect("status");
            }
            std::thread::sleep(Duration::from_millis(25));
        };
        let read = |ext: &str| {
            std::fs::read_to_string(self.dir.path().join(format!("{tag}.{ext}")))
                .unwrap_or_default()
        };
        let err = read("err");
        let tail = err.lines().rev().take(5).collect::<Vec<_>>().join(" | ");
        (
            status.code(),
            serde_json::from_str(&read("out")).unwrap_or(Value::Null),
            tail,
        )
    }

    /// `once` to its end, or stopped by SIGINT once `more` emails are out (the customer in
    /// progress finishes; `more` = 0: to the end): wall time, time to its first email,
    /// exit code, JSON.
    fn once_until(
        &self,
        smtp: &Aiosmtpd,
        more: usize,
        tag: &str,
    ) -> (Duration, Duration, Option<i32>, Value) {
        let started = Instant::now();
        let (before, mut first) = (smtp.count("DATA"), None);
        let stop_at = if more == 0 { usize::MAX } else { before + more };
        let mut child = self.spawn(&["once", "--as-of", AS_OF, "--json"], tag);
        while smtp.count("DATA") < stop_at && child.try_wait().expect("status").is_none() {
            if first.is_none() && smtp.count("DATA") > before {
                first = Some(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
        let (code, json, err) = self.wait(child, tag, Duration::from_secs(1800));
        if json.is_null() {
            eprintln!("outage bench: {tag} printed no JSON (exit {code:?}): {err}");
        }
        let wall = started.elapsed();
        (wall, first.unwrap_or(wall), code, json)
    }

    async fn emails_done_in_ledger(&self) -> usize {
        let url = format!("sqlite://{}", self.dir.path().join("ledger.db").display());
        let ledger = relanced::ledger::Ledger::open(&url).await.expect("ledger");
        let all = ledger
            .list_actions(Default::default())
            .await
            .expect("actions");
        all.iter()
            .filter(|a| a.kind.as_str() == "email" && a.state.as_str() == "done")
            .count()
    }
}

/// Emails per customer in the mailbox, from each email's action key (`…/p<id>/…`).
fn emails_per_customer(smtp: &Aiosmtpd) -> BTreeMap<i64, usize> {
    let mut per = BTreeMap::new();
    for raw in smtp.messages() {
        let text = String::from_utf8_lossy(&raw);
        let customer = text
            .lines()
            .find_map(|l| l.strip_prefix("X-Relanced-Action: "))
            .and_then(|k| k.split('/').nth(1))
            .and_then(|p| p.strip_prefix('p'))
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(0);
        *per.entry(customer).or_default() += 1;
    }
    per
}

/// The run after recovery (to its end, or `OUTAGE_BENCH_RESUME` emails): its figures,
/// then no customer with two emails or two notes, and, run to its end, one of each for all.
async fn resume(what: &str, odoo: &Odoo, i: &Install, smtp: &Aiosmtpd, c: &Ctx) -> bool {
    let more = env_or("OUTAGE_BENCH_RESUME", 0) as usize;
    let before = smtp.count("DATA");
    let (wall, first, code, json) = i.once_until(smtp, more, "resume");
    let n = smtp.count("DATA") - before;
    let rate = n.saturating_sub(1) as f64 / (wall - first).as_secs_f64();
    let full = more == 0;
    println!(
        "  {what}, next run{}: {}, first email after {}, then {rate:.1} emails/s, {n} emails, exit {code:?}{}\n  {}",
        if full {
            " to its end"
        } else {
            " stopped by SIGINT"
        },
        ratio(wall, c.base),
        ratio(first, c.base),
        if full {
            String::new()
        } else {
            format!(
                " (all {} ≈ {:.0} s)",
                c.customers,
                first.as_secs_f64() + c.customers as f64 / rate
            )
        },
        timings(&json)
    );
    let emails = emails_per_customer(smtp);
    let notes = odoo.notes(&i.db, c.bot).await;
    let twice = |m: &BTreeMap<i64, usize>| m.values().filter(|n| **n > 1).count();
    let once_each = (emails.len(), notes.len()) == (c.customers, c.customers)
        && emails.values().chain(notes.values()).all(|n| *n == 1);
    println!(
        "  {} customers emailed, {} noted; with two emails: {}, with two notes: {}, emailed without a note: {}",
        emails.len(),
        notes.len(),
        twice(&emails),
        twice(&notes),
        emails.keys().filter(|c| !notes.contains_key(c)).count()
    );
    let ok = twice(&emails) == 0
        && twice(&notes) == 0
        && n > 0
        && (!full || (once_each && code == Some(0)));
    println!(
        "  goal: {}no duplicate: {}",
        if full {
            "completes, one email and one note each, "
        } else {
            ""
        },
        verdict(ok)
    );
    ok
}

fn ratio(d: Duration, base: Duration) -> String {
    let s = d.as_secs_f64();
    format!("{s:.2} s ({:.2} × plan)", s / base.as_secs_f64())
}

fn verdict(met: bool) -> &'static str {
    if met { "MET" } else { "NOT MET" }
}

fn halted(json: &Value, err: &str) -> String {
    let h = &json["report"]["halted"];
    match json.is_null() {
        true => format!("no report; stderr: {err}"),
        false => format!(
            "{} — {} ({} customers left)",
            h["server"], h["cause"], h["customers_left"]
        ),
    }
}

fn timings(json: &Value) -> String {
    let t = &json["timings"];
    let g = |k: &str| t[k].as_f64().unwrap_or(0.0);
    format!(
        "timings: wall {:.1} s = Odoo {:.1} ({} requests) + ledger {:.1} + templates {:.1} + PDF {:.1} + mail {:.1} + other {:.1}",
        g("wall"),
        g("odoo"),
        t["odoo_requests"],
        g("ledger"),
        g("render"),
        g("pdf"),
        g("mail"),
        g("other")
    )
}

struct Ctx {
    odoo: Odoo,
    book: Value,
    bot: i64,
    customers: usize,
    base: Duration,
}

/// Odoo killed or frozen once 50 emails are out; then back, and the next run.
async fn fault(c: &Ctx, n: u32, fault: &str, undo: &str) -> bool {
    let smtp = Aiosmtpd::start();
    let i = Install::new(&c.odoo, &c.book, n, smtp.port).await;
    let child = i.spawn(&["once", "--as-of", AS_OF, "--json"], "fault");
    let t = Instant::now();
    while smtp.count("DATA") < 50 {
        std::thread::sleep(Duration::from_millis(20));
        assert!(t.elapsed() < Duration::from_secs(900), "no 50 emails");
    }
    let before = t.elapsed();
    let t = Instant::now();
    let ctl = c.odoo.ctl(fault);
    let (code, json, err) = i.wait(child, "fault", Duration::from_secs(ODOO_TIMEOUT + 240));
    let took = t.elapsed();
    c.odoo.ctl(undo);
    let bound = Duration::from_secs(ODOO_TIMEOUT + 30);
    println!(
        "Odoo {fault} after 50 emails ({before:.1?} into the run; odoo-ctl took {ctl:.1?}): the run ended {} later, \
         exit {code:?}, {} emails out\n  halted: {}\n  {}",
        ratio(took, c.base),
        smtp.count("DATA"),
        halted(&json, &err),
        timings(&json),
    );
    let met = took <= bound && code == Some(3);
    println!(
        "  goal: ends within odoo.timeout_secs + 30 s = {} s ({:.2} × plan): {}",
        bound.as_secs(),
        bound.as_secs_f64() / c.base.as_secs_f64(),
        verdict(met)
    );
    // Odoo back: its first request loads the registry again (not measured).
    c.odoo
        .call(&i.db, "res.partner", "search_count", json!([[]]), json!({}))
        .await;
    resume(&format!("Odoo {undo}"), &c.odoo, &i, &smtp, c).await && met
}

fn main() {
    let customers = env_or("OUTAGE_BENCH_CUSTOMERS", 4000) as usize;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let pid = std::process::id().to_string();
    let up = run_kit(
        "odoo-up",
        &["18.0", "--workers", "0", "--watch", &pid],
        None,
    );
    let dir = up.lines().last().expect("odoo-up's directory").to_owned();
    let env = std::fs::read_to_string(Path::new(&dir).join("env")).expect("env");
    let url = env
        .lines()
        .find_map(|l| l.strip_prefix("ODOO_URL="))
        .expect("ODOO_URL");
    let odoo = Odoo {
        url: url.to_owned(),
        dir,
    };
    run_kit("odoo-new-db", &[&odoo.dir, "book"], None);
    let t = Instant::now();
    let script = format!("{PRELUDE}\nN = {customers}\n{BOOK}");
    let out = run_kit("odoo-shell", &[&odoo.dir, "book"], Some(&script));
    let book: Value = out
        .lines()
        .find_map(|l| l.strip_prefix("JSON="))
        .map(|j| serde_json::from_str(j).expect("book JSON"))
        .unwrap_or_else(|| panic!("the book script did not finish:\n{out}"));
    println!(
        "outage bench: Odoo 18.0 (--workers 0) at {}; book of {customers} customers with an overdue posted \
         invoice each built in {:.1?} (partners {:.1} s, invoices {:.1} s, the rest is odoo-shell starting)",
        odoo.url,
        t.elapsed(),
        book["partners_s"].as_f64().unwrap_or(0.0),
        book["invoices_s"].as_f64().unwrap_or(0.0)
    );
    let bot = book["bot"]["partner_id"].as_i64().expect("bot");
    rt.block_on(async {
        let i = Install::new(&odoo, &book, 1, free_port()).await;
        let t = Instant::now();
        let child = i.spawn(&["plan", "--as-of", AS_OF, "--format", "json"], "plan");
        let (code, _, err) = i.wait(child, "plan", Duration::from_secs(900));
        let base = t.elapsed();
        assert_eq!(code, Some(0), "plan: {err}");
        println!("baseline: relanced plan on {customers} customers: {:.2} s (1.00)", base.as_secs_f64());
        let c = Ctx { odoo, book, bot, customers, base };

        let down = free_port();
        let i = Install::new(&c.odoo, &c.book, 2, down).await;
        let t = Instant::now();
        let child = i.spawn(&["once", "--as-of", AS_OF, "--json"], "refused");
        let (code, json, err) = i.wait(child, "refused", Duration::from_secs(900));
        let took = t.elapsed();
        let notes = c.odoo.notes(&i.db, bot).await.len();
        let sent = i.emails_done_in_ledger().await;
        let left = json["report"]["halted"]["customers_left"] == json!(customers);
        println!(
            "SMTP refused (port {down}) for the whole run: {}, exit {code:?}\n  halted: {}\n  {}\n  \
             notes in Odoo: {notes}, emails done in the ledger: {sent}",
            ratio(took, base),
            halted(&json, &err),
            timings(&json),
        );
        let met = took < Duration::from_secs(30) && code == Some(3) && notes == 0 && sent == 0 && left;
        println!(
            "  goal: < 30 s (= {:.2} × plan) with the reason, nothing lost: {}",
            30.0 / base.as_secs_f64(),
            verdict(met)
        );
        let smtp = Aiosmtpd::start();
        i.set_smtp_port(smtp.port);
        let mut all = met & resume("SMTP back", &c.odoo, &i, &smtp, &c).await;
        all &= fault(&c, 3, "stop", "start").await;
        all &= fault(&c, 4, "freeze", "thaw").await;
        println!("outage bench: every goal {}", verdict(all));
        run_kit("odoo-down", &[&c.odoo.dir], None);
    });
}
