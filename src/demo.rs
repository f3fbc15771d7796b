//! `relanced demo`: the whole job on an embedded default, with nothing to configure and
//! no network. It starts the Odoo double with a generated French/Belgian/English book,
//! runs the default five-level strategy as of today with mail written to files, and
//! reports what happened and where to look.
//!
//! It must not take decisions of its own: it goes through the same `App` and
//! `operate::run_once` as `relanced once`.

use crate::app::{App, AppError};
use crate::config::{self, ConfigError, LoadOptions};
use crate::odoo::Value;
use crate::operate::{OperateError, RunOptions, RunOutcome, run_once};
use crate::render::PdfRenderer;
use chrono::NaiveDate;
use odoo_double::generator::{BOT_API_KEY, BOT_LOGIN, DEMO_DB};
use odoo_double::{GeneratorOptions, OdooVersion, Sim, SimError, SimOptions, World};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// What the demo needs to know.
pub struct DemoOptions {
    pub dir: PathBuf,
    pub as_of: NaiveDate,
    pub customers: usize,
    pub seed: u64,
    /// Earlier runs to replay first, in days before `as_of` (e.g. `[45, 30, 15]`).
    pub history_days: Vec<i64>,
    /// Letters need WeasyPrint; tests may pass their own renderer.
    pub pdf: Option<Arc<dyn PdfRenderer>>,
}

/// Why the demo could not run. The causes' texts are the messages (no `source`: `{:#}`
/// chains must not repeat them).
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot create {}: {error}", dir.display())]
    CreateDir { dir: PathBuf, error: std::io::Error },
    #[error("{0}")]
    Sim(SimError),
    #[error("{0}")]
    Write(crate::deliver::MailError),
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Config(Vec<ConfigError>),
    #[error("no demo key")]
    NoKey,
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Run(#[from] OperateError),
}

/// What the demo did: the run, and what Odoo now shows.
pub struct DemoOutcome {
    /// The earlier runs, oldest first.
    pub history: Vec<RunOutcome>,
    pub outcome: RunOutcome,
    /// Customer name → marker tag now carried.
    pub markers: BTreeMap<String, String>,
    pub notes: usize,
    pub activities: Vec<String>,
    pub attachments: usize,
    pub dir: PathBuf,
}

fn demo_config(dir: &Path, url: &str) -> String {
    format!(
        r#"
[odoo]
url = "{url}"
database = "{DEMO_DB}"
login = "{BOT_LOGIN}"
api_key = {{ file = "{key}" }}
protocol = "auto"

[ledger]
url = "sqlite://{ledger}"

[mail]
transport = "files"
from = "Service comptabilité <compta@relance-demo.example>"
reply_to = "Service comptabilité <compta@relance-demo.example>"
outbox_dir = "{outbox}"

[render]
default_lang = "fr"

[letterhead]
bank_accounts = [{{ bank = "Banque Démo", iban = "FR76 3000 6000 0112 3456 7890 189", bic = "AGRIFRPP" }}]

[followup]
fallback_user = 2
"#,
        ledger = dir.join("ledger.db").display(),
        key = dir.join("odoo-api-key").display(),
        outbox = dir.display(),
    )
}

pub async fn run(options: DemoOptions) -> Result<DemoOutcome, DemoError> {
    std::fs::create_dir_all(&options.dir).map_err(|error| DemoError::CreateDir {
        dir: options.dir.clone(),
        error,
    })?;
    let dir = options.dir.canonicalize().unwrap_or(options.dir.clone());
    let world = World::generated(&GeneratorOptions {
        seed: options.seed,
        customers: options.customers,
        as_of: options.as_of,
        version: OdooVersion::V18,
        us_company: true,
        ..Default::default()
    });
    let sim = Sim::start(SimOptions {
        version: OdooVersion::V18,
        world,
    })
    .await
    .map_err(DemoError::Sim)?;
    let text = demo_config(&dir, &sim.url());
    // Kept beside the results, so that `relanced -c <dir>/relanced.toml runs|show` work
    // on the demo's ledger afterwards.
    crate::deliver::outbox::write_private(&dir.join("odoo-api-key"), BOT_API_KEY.as_bytes())
        .and_then(|_| {
            crate::deliver::outbox::write_private(&dir.join("relanced.toml"), text.as_bytes())
        })
        .map_err(DemoError::Write)?;
    let load = LoadOptions {
        env: vec![],
        credentials_dir: None,
        credentials_fallback: None,
    };
    let config =
        config::load_str(&text, "(demo configuration)", &load).map_err(DemoError::Config)?;
    if config.secrets.odoo_api_key.is_none() {
        return Err(DemoError::NoKey);
    }
    let app = App::new(config);
    app.odoo()?;
    app.ledger().await?;
    let config = app.config();
    let pdf = options.pdf.unwrap_or_else(|| app.pdf_pool());
    let run_options = RunOptions {
        as_of: options.as_of,
        kind: crate::ledger::RunKind::Once,
        shutdown: CancellationToken::new(),
        selection: None,
    };
    // A short history first (runs 45, 30 and 15 days ago), so that today's run shows
    // customers escalating through the levels, as after weeks of daily runs.
    let mut history = Vec::new();
    for days in options.history_days.iter().copied() {
        let past = RunOptions {
            as_of: options.as_of - chrono::Duration::days(days),
            kind: crate::ledger::RunKind::Once,
            shutdown: CancellationToken::new(),
            selection: None,
        };
        history.push(run_once(&app, pdf.clone(), past, &|_, _| {}).await?);
    }
    let outcome = run_once(&app, pdf, run_options, &|_, _| {}).await?;

    // What Odoo shows now, read from the double's records.
    let markers_of: Vec<String> = config
        .strategy_set
        .marker_tags()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let (markers, notes, activities, attachments) = sim.with_world(|w| {
        let tag_names: BTreeMap<i64, String> = w
            .table("res.partner.category")
            .map(|t| {
                t.rows
                    .iter()
                    .filter_map(|(id, r)| Some((*id, r.get("name")?.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        let mut markers = BTreeMap::new();
        if let Some(partners) = w.table("res.partner") {
            for row in partners.rows.values() {
                let tags = row
                    .get("category_id")
                    .and_then(Value::as_ids)
                    .unwrap_or_default();
                for t in tags {
                    if let Some(name) = tag_names.get(&t).filter(|n| markers_of.contains(n)) {
                        let customer = row
                            .get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("?")
                            .to_owned();
                        markers.insert(customer, name.clone());
                    }
                }
            }
        }
        let notes = w
            .table("mail.message")
            .map(|t| {
                t.rows
                    .values()
                    .filter(|r| {
                        r.get("body")
                            .and_then(Value::as_str)
                            .is_some_and(|b| b.contains("relanced:"))
                    })
                    .count()
            })
            .unwrap_or(0);
        let activities = w
            .table("mail.activity")
            .map(|t| {
                t.rows
                    .values()
                    .filter(|r| {
                        r.get("note")
                            .and_then(Value::as_str)
                            .is_some_and(|n| n.contains("relanced:"))
                    })
                    .map(|r| {
                        r.get("summary")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let attachments = w.table("ir.attachment").map(|t| t.rows.len()).unwrap_or(0);
        (markers, notes, activities, attachments)
    });
    Ok(DemoOutcome {
        history,
        outcome,
        markers,
        notes,
        activities,
        attachments,
        dir,
    })
}

/// The text `relanced demo` prints.
pub fn describe(d: &DemoOutcome) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "relanced demo — a generated book of French, Belgian and American customers,"
    );
    let _ = writeln!(
        out,
        "followed up with the default five-level strategy (run as of {}).\n",
        d.outcome
            .plans
            .first()
            .map(|p| p.as_of.to_string())
            .unwrap_or_default()
    );
    for h in &d.history {
        let day = h
            .plans
            .first()
            .map(|p| p.as_of.to_string())
            .unwrap_or_default();
        let levels: Vec<String> = h
            .report
            .per_level
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        let _ = writeln!(
            out,
            "earlier run as of {day}: {} emails, {} letters ({})",
            h.report.emails,
            h.report.letters,
            if levels.is_empty() {
                "nothing sent".into()
            } else {
                levels.join(", ")
            }
        );
    }
    out.push('\n');
    for plan in &d.outcome.plans {
        out.push_str(&crate::present::plan::table(plan, false));
        out.push('\n');
    }
    out.push_str(&crate::present::run::summary(&d.outcome));
    let _ = writeln!(
        out,
        "\nMarkers now on customers in Odoo ({}):",
        d.markers.len()
    );
    let mut by_marker: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (customer, marker) in &d.markers {
        by_marker
            .entry(marker.as_str())
            .or_default()
            .push(customer.as_str());
    }
    for (marker, customers) in by_marker {
        let shown: Vec<&str> = customers.iter().take(4).copied().collect();
        let more = if customers.len() > 4 {
            format!(" and {} more", customers.len() - 4)
        } else {
            String::new()
        };
        let _ = writeln!(out, "  {marker:<32} {}{more}", shown.join(", "));
    }
    let _ = writeln!(
        out,
        "Chatter notes written: {} · letters attached: {} · activities: {}",
        d.notes,
        d.attachments,
        d.activities.len()
    );
    for a in d.activities.iter().take(5) {
        let _ = writeln!(out, "  activity: {a}");
    }
    let _ = writeln!(out, "\nWhere to look:");
    let _ = writeln!(
        out,
        "  emails (.eml, .html):   {}",
        d.dir.join("mail").display()
    );
    let _ = writeln!(out, "  letters (.pdf) by day:  {}", d.dir.display());
    let _ = writeln!(
        out,
        "  ledger (SQLite):        {}",
        d.dir.join("ledger.db").display()
    );
    let _ = writeln!(
        out,
        "  run history:            relanced -c {} runs   (and: show RUN)",
        d.dir.join("relanced.toml").display()
    );
    let _ = writeln!(out, "Run it again: the same day sends nothing new.");
    out
}
