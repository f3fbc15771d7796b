//! One whole run, wired: configuration → Odoo client → per company, snapshot + ledger
//! state → plan → (unless dry) execution. `relanced plan`, `once`, the daemon and the demo
//! all go through here, so they behave the same.

use crate::config::{Config, MailTransportKind, SmtpTls};
use crate::deliver::{
    FilesTransport, MailTransport, Mailbox, Outbox, SmtpSettings, SmtpTransport, TlsMode,
};
use crate::execute::compose::{ComposeContext, SUSPENSION_NOTICE_DAYS, fallback_currency};
use crate::execute::prepare::Ids;
use crate::execute::reconcile::{Reconciled, reconcile};
use crate::execute::{CompanyRun, ExecuteError, Executor, MailChannel, Performer, RunReport};
use crate::followup::{self, CustomerLast, ItemLevel, LedgerState, Plan, Snapshot};
use crate::ledger::{FollowupState, Ledger, RunKind, RunStatus};
use crate::odoo::features::Features;
use crate::odoo::records::{
    COMPANY_FIELDS, CURRENCY_FIELDS, CompanyRecord, CurrencyRecord, read_typed,
};
use crate::odoo::snapshot::{SnapshotRequest, read_snapshot};
use crate::odoo::{OdooApi, OdooClient, OdooError, Value, leaf, writeback};
use crate::render::{CompanyInfo, CurrencyInfo, PdfRenderer, Responsible, SymbolPosition};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Why a run could not happen.
#[derive(Debug, thiserror::Error)]
pub enum OperateError {
    #[error(transparent)]
    Odoo(#[from] OdooError),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Execute(#[from] ExecuteError),
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Pdf(#[from] crate::render::PdfError),
    #[error(transparent)]
    Mail(#[from] crate::deliver::MailError),
    #[error("{0}")]
    Setup(String),
    #[error(
        "another relanced run holds the ledger's run lock; this one does nothing (it will be covered by the next run)"
    )]
    Busy,
}

/// The engine's view of the ledger for one company.
pub fn ledger_state(state: &FollowupState, company: i64) -> LedgerState {
    LedgerState {
        item_levels: state
            .items
            .iter()
            .filter(|((c, _), _)| *c == company)
            .map(|((_, item), l)| {
                (
                    *item,
                    ItemLevel {
                        level: l.level_index,
                        date: l.date,
                    },
                )
            })
            .collect(),
        customer_last: state
            .customers
            .iter()
            .filter(|((c, _), _)| *c == company)
            .filter_map(|((_, customer), s)| {
                let last = s.last.as_ref()?;
                Some((
                    *customer,
                    CustomerLast {
                        level: last.level_index,
                        key: last.level_key.clone(),
                        date: last.date,
                    },
                ))
            })
            .collect(),
    }
}

/// The companies to follow: configured, else every company the user may access.
pub async fn companies(config: &Config, client: &OdooClient) -> Result<Vec<i64>, OdooError> {
    if !config.odoo.companies.is_empty() {
        return Ok(config.odoo.companies.clone());
    }
    let uid = client.session().await?.uid;
    let users = client
        .read("res.users", &[uid], &["company_ids"], None)
        .await?;
    Ok(users
        .first()
        .and_then(|u| u.get("company_ids"))
        .and_then(Value::as_ids)
        .unwrap_or_default())
}

/// Reads and plans one company.
pub async fn plan_company(
    config: &Config,
    client: &OdooClient,
    features: &Features,
    state: &FollowupState,
    company: i64,
    as_of: NaiveDate,
) -> Result<(Snapshot, Plan), OdooError> {
    let set = &config.strategy_set;
    let markers: BTreeSet<&str> = set.marker_tags();
    let owned: BTreeSet<i64> = state
        .customers
        .iter()
        .filter(|((c, _), s)| *c == company && s.marker_tag_id.is_some())
        .map(|((_, customer), _)| *customer)
        .collect();
    let request = SnapshotRequest {
        company_id: company,
        marker_tags: &markers,
        marker_owned: &owned,
        postponement_type: &config.followup.postponement_activity_type,
        page_size: config.odoo.page_size,
    };
    let snapshot = read_snapshot(client, features, &request).await?;
    let plan = followup::plan(&snapshot, &ledger_state(state, company), set, as_of);
    Ok((snapshot, plan))
}

/// Opens the ledger named in configuration.
pub async fn open_ledger(config: &Config) -> Result<Ledger, OperateError> {
    Ok(Ledger::open(&config.ledger.url).await?)
}

/// The mail channel of the configuration.
pub fn mail_channel(config: &Config) -> Result<MailChannel, OperateError> {
    match config.mail.transport {
        MailTransportKind::Odoo => Ok(MailChannel::Odoo),
        MailTransportKind::Files => Ok(MailChannel::Transport(MailTransport::Files(
            FilesTransport::new(config.mail.outbox_dir.join("mail")),
        ))),
        MailTransportKind::Smtp => {
            let smtp = config
                .mail
                .smtp
                .as_ref()
                .ok_or_else(|| OperateError::Setup("mail.smtp is missing".into()))?;
            let tls = match smtp.tls {
                SmtpTls::None => TlsMode::None,
                SmtpTls::Starttls => TlsMode::Starttls,
                SmtpTls::Tls => TlsMode::Tls,
            };
            let mut settings = SmtpSettings::new(smtp.host.clone(), smtp.port, tls);
            settings.username = smtp.username.clone();
            settings.password = config
                .secrets
                .smtp_password
                .as_ref()
                .map(|s| s.expose().to_owned());
            settings.ca_file = smtp.ca_file.clone();
            settings.timeout = std::time::Duration::from_secs(smtp.timeout_secs);
            Ok(MailChannel::Transport(MailTransport::Smtp(Box::new(
                SmtpTransport::new(settings)?,
            ))))
        }
    }
}

fn from_mailbox(config: &Config) -> Result<Mailbox, OperateError> {
    let from = config
        .mail
        .from
        .as_deref()
        .unwrap_or("relanced <relanced@localhost>");
    from.parse()
        .map_err(|e| OperateError::Setup(format!("mail.from: {e}")))
}

/// Company letterhead: Odoo's company record.
pub async fn company_info(
    config: &Config,
    client: &OdooClient,
    company: i64,
) -> Result<CompanyInfo, OdooError> {
    let rec = read_typed(
        client,
        "res.company",
        &[company],
        COMPANY_FIELDS,
        None,
        CompanyRecord::from_record,
    )
    .await?
    .into_iter()
    .next();
    let banks: Vec<crate::render::BankAccount> = config
        .letterhead
        .bank_accounts
        .iter()
        .map(|b| crate::render::BankAccount {
            bank: b.bank.clone(),
            iban: b.iban.clone(),
            bic: b.bic.clone(),
        })
        .collect();
    let logo = config
        .letterhead
        .logo
        .as_ref()
        .map(|p| p.display().to_string());
    let mut info = match rec {
        Some(c) => CompanyInfo {
            name: c.name,
            street: c.street,
            zip: c.zip,
            city: c.city,
            country: c.country.map(|c| c.name),
            vat: c.vat,
            phone: c.phone,
            email: c.email,
            website: c.website,
            logo_path: None,
            bank_accounts: vec![],
        },
        None => CompanyInfo {
            name: format!("company {company}"),
            street: None,
            zip: None,
            city: None,
            country: None,
            vat: None,
            phone: None,
            email: None,
            website: None,
            logo_path: None,
            bank_accounts: vec![],
        },
    };
    info.bank_accounts = banks;
    info.logo_path = logo;
    Ok(info)
}

pub async fn currencies(
    client: &OdooClient,
    snapshot: &Snapshot,
) -> Result<BTreeMap<String, CurrencyInfo>, OdooError> {
    let codes: BTreeSet<String> = snapshot.items.iter().map(|i| i.currency.clone()).collect();
    if codes.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows = client
        .search_read(
            "res.currency",
            vec![leaf(
                "name",
                "in",
                Value::Array(codes.iter().map(|c| Value::from(c.as_str())).collect()),
            )],
            CURRENCY_FIELDS,
            Default::default(),
        )
        .await?;
    let mut out: BTreeMap<String, CurrencyInfo> = rows
        .iter()
        .map(CurrencyRecord::from_record)
        .map(|c| {
            let position = if c.position == "before" {
                SymbolPosition::Before
            } else {
                SymbolPosition::After
            };
            (
                c.name.clone(),
                CurrencyInfo::new(&c.name, &c.symbol, c.decimal_places, position),
            )
        })
        .collect();
    for code in codes {
        out.entry(code.clone())
            .or_insert_with(|| fallback_currency(&code));
    }
    Ok(out)
}

async fn users(client: &OdooClient, plan: &Plan) -> Result<BTreeMap<i64, Responsible>, OdooError> {
    let ids: Vec<i64> = plan
        .decisions
        .iter()
        .filter_map(|d| d.responsible.as_ref().map(|r| r.user_id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows = client
        .read("res.users", &ids, &["name", "partner_id"], None)
        .await?;
    let partners: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.get("partner_id")?.as_many2one().map(|(id, _)| id))
        .collect();
    let contacts: BTreeMap<i64, (Option<String>, Option<String>)> = client
        .read("res.partner", &partners, &["email", "phone"], None)
        .await?
        .iter()
        .filter_map(|p| {
            let text = |f: &str| p.get(f).and_then(Value::as_str).map(str::to_owned);
            Some((p.get("id")?.as_i64()?, (text("email"), text("phone"))))
        })
        .collect();
    Ok(rows
        .iter()
        .filter_map(|r| {
            let id = r.get("id")?.as_i64()?;
            let name = r.get("name")?.as_str()?.to_owned();
            let (email, phone) = r
                .get("partner_id")
                .and_then(Value::as_many2one)
                .and_then(|(p, _)| contacts.get(&p).cloned())
                .unwrap_or_default();
            Some((id, Responsible { name, email, phone }))
        })
        .collect())
}

/// Marker tags (created once) and activity types used by the strategies.
async fn resolve_ids(
    client: &OdooClient,
    config: &Config,
) -> Result<(BTreeMap<String, i64>, Option<i64>, BTreeMap<String, i64>), OdooError> {
    let wanted: Vec<(String, i64)> = config
        .strategy_set
        .strategies
        .iter()
        .flat_map(|s| s.levels.iter())
        .filter_map(|l| {
            l.marker
                .as_ref()
                .map(|m| (m.tag.clone(), i64::from(m.color)))
        })
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let tags = writeback::ensure_tags(client, &wanted).await?;
    let call = writeback::xmlid(client, "mail", "mail_activity_data_call")
        .await
        .ok();
    let mut types = BTreeMap::new();
    for spec in config
        .strategy_set
        .strategies
        .iter()
        .flat_map(|s| s.levels.iter())
        .filter_map(|l| l.activity.as_ref())
    {
        let name = spec.activity_type.clone();
        if types.contains_key(&name) {
            continue;
        }
        let id = match name.split_once('.') {
            Some((module, xml)) if !name.contains(' ') => {
                writeback::xmlid(client, module, xml).await.ok()
            }
            _ => client
                .search_read(
                    "mail.activity.type",
                    vec![leaf("name", "=", name.as_str())],
                    &["name"],
                    Default::default(),
                )
                .await?
                .first()
                .and_then(|r| r.get("id"))
                .and_then(Value::as_i64),
        };
        if let Some(id) = id {
            types.insert(name, id);
        }
    }
    Ok((tags, call, types))
}

/// A full run: reconcile, then per company read, plan and execute.
pub struct RunOptions {
    pub as_of: NaiveDate,
    pub kind: RunKind,
    pub shutdown: CancellationToken,
    /// A manual launch or an approval acts on these customers only.
    pub selection: Option<crate::execute::Selection>,
}

/// What a run produced.
#[derive(Debug, Default, serde::Serialize)]
pub struct RunOutcome {
    pub run_id: i64,
    pub reconciled: Reconciled,
    pub report: RunReport,
    pub plans: Vec<Plan>,
    pub odoo_calls: u64,
    pub odoo_writes: u64,
    /// Where the run's time went.
    pub timings: crate::timing::Timings,
}

pub async fn run_once(
    config: &Config,
    client: &OdooClient,
    ledger: &Ledger,
    pdf: Arc<dyn PdfRenderer>,
    options: RunOptions,
    progress: &dyn Fn(usize, usize),
) -> Result<RunOutcome, OperateError> {
    let started = Start::now(client, ledger);
    // A new run tries every server again (the daemon keeps its Odoo client between runs).
    client.breaker.reset();
    let clock = Arc::new(crate::timing::WorkClock::default());
    let default_lang = config.render.language().to_owned();
    let templates = config.render.templates()?;
    let outbox = Outbox::new(config.mail.outbox_dir.clone());
    let mail = mail_channel(config)?;
    let from = from_mailbox(config)?;
    let reply_to = config.mail.reply_to.as_deref().and_then(|r| r.parse().ok());
    let features = Features::detect(client).await?;

    // Never two runs at once on one ledger (two daemons on one PostgreSQL ledger cooperate).
    let Some(guard) = ledger.try_lock().await? else {
        return Err(OperateError::Busy);
    };
    // Runs left `running` by a dead process are marked interrupted, then their actions
    // reconciled.
    ledger.interrupt_stale_runs().await?;
    let reconciled = reconcile(client, ledger, &outbox, config.strategy_set.settings.lang).await?;
    let run = ledger.begin_run(options.kind, options.as_of).await?;
    let result = async {
        let (tags, call_type, activity_types) = resolve_ids(client, config).await?;
        let mut executor = Executor {
            performer: Performer {
                odoo: client,
                ledger,
                mail: &mail,
                pdf: pdf.clone(),
                created: BTreeMap::new(),
                clock: clock.clone(),
                ahead: BTreeMap::new(),
            },
            templates: &templates,
            outbox: &outbox,
            from,
            reply_to,
            shutdown: options.shutdown.clone(),
        };
        // Before reading the state: a left-over communication gets recorded there.
        let mut report = executor.retry_left_over().await?;
        let state = ledger.followup_state(None).await?;
        let mut plans = Vec::new();
        for company in companies(config, client).await? {
            let (snapshot, plan) =
                plan_company(config, client, &features, &state, company, options.as_of).await?;
            let company_info = company_info(config, client, company).await?;
            let currencies = currencies(client, &snapshot).await?;
            let users = users(client, &plan).await?;
            let input = CompanyRun {
                plan: &plan,
                snapshot: &snapshot,
                strategies: &config.strategy_set,
                compose: ComposeContext {
                    snapshot: &snapshot,
                    reference_rates: &config.strategy_set.settings.reference_rates,
                    company: &company_info,
                    currencies: &currencies,
                    users: &users,
                    default_lang: &default_lang,
                    odoo_lang: config.strategy_set.settings.lang,
                    as_of: options.as_of,
                    suspension_notice_days: SUSPENSION_NOTICE_DAYS,
                },
                ids: Ids {
                    tags: &tags,
                    call_type,
                    activity_types: &activity_types,
                },
                selection: options.selection.as_ref(),
            };
            report.merge(executor.execute(run, &input, progress).await?);
            plans.push(plan);
            if options.shutdown.is_cancelled() || report.halted.is_some() {
                break;
            }
        }
        Ok::<_, OperateError>((report, plans))
    }
    .await;
    let counters = &client.counters;
    let timings = started.timings(client, ledger, &clock);
    let outcome = finish(ledger, run, result, reconciled, counters, timings).await;
    if let Err(e) = guard.release().await {
        tracing::warn!("could not release the run lock: {e}");
    }
    outcome
}

/// The clocks at a run's start, to tell what the run itself spent.
struct Start {
    at: std::time::Instant,
    odoo: crate::timing::Lap,
    ledger: crate::timing::Lap,
    cpu: crate::timing::Cpu,
}

impl Start {
    fn now(client: &OdooClient, ledger: &Ledger) -> Start {
        Start {
            at: std::time::Instant::now(),
            odoo: client.counters.time_spent(),
            ledger: ledger.time_spent(),
            cpu: crate::timing::Cpu::now(),
        }
    }

    fn timings(
        &self,
        client: &OdooClient,
        ledger: &Ledger,
        clock: &crate::timing::WorkClock,
    ) -> crate::timing::Timings {
        let wall = self.at.elapsed().as_secs_f64();
        let odoo = client.counters.time_spent() - self.odoo;
        let ledger = ledger.time_spent() - self.ledger;
        let (render, pdf, mail) = (clock.render.lap(), clock.pdf.lap(), clock.mail.lap());
        let cpu = crate::timing::Cpu::now();
        let accounted = odoo.seconds + ledger.seconds + render.seconds + pdf.seconds + mail.seconds;
        crate::timing::Timings {
            wall,
            odoo: odoo.seconds,
            odoo_requests: odoo.count,
            ledger: ledger.seconds,
            ledger_transactions: ledger.count,
            render: render.seconds,
            pdf: pdf.seconds,
            pdfs: pdf.count,
            mail: mail.seconds,
            emails: mail.count,
            other: (wall - accounted).max(0.0),
            cpu: crate::timing::Cpu {
                own_seconds: cpu.own_seconds - self.cpu.own_seconds,
                children_seconds: cpu.children_seconds - self.cpu.children_seconds,
            },
        }
    }
}

async fn finish(
    ledger: &Ledger,
    run: crate::ledger::RunId,
    result: Result<(RunReport, Vec<Plan>), OperateError>,
    reconciled: Reconciled,
    counters: &crate::odoo::client::CallCounters,
    timings: crate::timing::Timings,
) -> Result<RunOutcome, OperateError> {
    match result {
        Ok((report, plans)) => {
            let status = if report.halted.is_some() {
                RunStatus::Failed
            } else if report.interrupted {
                RunStatus::Interrupted
            } else {
                RunStatus::Done
            };
            let summary = serde_json::to_value(&report).unwrap_or_default();
            ledger.finish_run(run, status, &summary).await?;
            Ok(RunOutcome {
                run_id: run.0,
                reconciled,
                report,
                plans,
                odoo_calls: counters.calls.load(std::sync::atomic::Ordering::Relaxed),
                odoo_writes: counters.writes.load(std::sync::atomic::Ordering::Relaxed),
                timings,
            })
        }
        Err(e) => {
            let summary = serde_json::json!({ "error": e.to_string() });
            let _ = ledger.finish_run(run, RunStatus::Failed, &summary).await;
            Err(e)
        }
    }
}

/// A WeasyPrint pool started at the first letter (a run without letters never pays for it).
pub struct LazyPdf {
    size: usize,
    base_url: String,
    pool: std::sync::OnceLock<Result<crate::render::pdf::WarmWeasyPrint, String>>,
}

impl LazyPdf {
    pub fn new(size: usize, base_url: &str) -> Self {
        Self {
            size,
            base_url: base_url.to_owned(),
            pool: std::sync::OnceLock::new(),
        }
    }
}

impl PdfRenderer for LazyPdf {
    fn render_pdf(&self, html: &str) -> Result<Vec<u8>, crate::render::PdfError> {
        let pool = self.pool.get_or_init(|| {
            crate::render::pdf::WarmWeasyPrint::start(self.size, None, &self.base_url)
                .map_err(|e| e.to_string())
        });
        match pool {
            Ok(p) => p.render_pdf(html),
            Err(e) => Err(crate::render::PdfError::Process(e.clone())),
        }
    }
}

/// `relanced resolve --resend`: an uncertain email goes back to `planned` and is sent now,
/// from the payload recorded when it was first prepared.
pub async fn resend(
    config: &Config,
    client: &OdooClient,
    ledger: &Ledger,
    pdf: Arc<dyn PdfRenderer>,
    id: crate::ledger::ActionId,
) -> Result<crate::execute::perform::Outcome, OperateError> {
    let action = ledger
        .resolve(id, crate::ledger::Resolution::Resend)
        .await?;
    let outbox = Outbox::new(config.mail.outbox_dir.clone());
    let payload =
        crate::execute::payload::load(&outbox, &action.key).map_err(ExecuteError::from)?;
    let mail = mail_channel(config)?;
    let mut performer = Performer {
        odoo: client,
        ledger,
        mail: &mail,
        pdf,
        created: BTreeMap::new(),
        clock: Default::default(),
        ahead: BTreeMap::new(),
    };
    Ok(performer.perform(&action, &payload).await?)
}
