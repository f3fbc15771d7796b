//! `relanced run`: the scheduling loop. Start-up loads and validates the configuration
//! and templates, opens the ledger, starts the health listener, reaches Odoo once and
//! tells systemd READY (or degraded, with STATUS saying why). Then it sleeps until the
//! next scheduled run (catching up at start-up when the last successful run is older than
//! the last scheduled time), runs under the ledger's run lock, and wakes at least every
//! tick to feed the watchdog and refresh STATUS — during a run too. SIGHUP reloads the
//! configuration (kept when invalid, and said so); SIGTERM lets the customer in progress
//! finish, then the daemon exits 0.
//!
//! It must not decide who gets reminded, nor do a run's work itself: `operate::run_once`.

use super::attempt::{Attempt, Inputs, attempt};
use super::http::{HttpState, Targets};
use super::notify::Notifier;
use super::reload::load_and_validate;
use super::schedule::Schedule;
use super::setup::{Current, PrepareError, last_success, prepare, probe, targets};
use super::state::DaemonState;
use crate::config::LoadOptions;
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Where "now" comes from (tests may pass their own).
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// What the signal handlers ask of the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// SIGHUP: reload configuration and templates.
    Reload,
}

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error("the configuration has {} problem(s):\n  {}", .0.len(), .0.join("\n  "))]
    Config(Vec<String>),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error("cannot listen on {listen} ([http] listen): {source}")]
    Listen {
        listen: String,
        source: std::io::Error,
    },
    /// The cause's text is the message: `{:#}` chains must not repeat it.
    #[error("{0}")]
    Prepare(PrepareError),
    #[error("{0}")]
    Signals(std::io::Error),
    #[error(transparent)]
    Console(crate::console::ConsoleError),
}

/// Tuning of the loop; the defaults suit production.
#[derive(Debug, Clone)]
pub struct DaemonOptions {
    pub config_path: PathBuf,
    /// Longest sleep between two loop ticks (shorter with a watchdog).
    pub idle_tick: Duration,
    /// After a failed run, try again this much later (at the latest at the next slot).
    pub retry_failed: Duration,
    /// When another daemon holds the run lock, look again this much later.
    pub retry_locked: Duration,
    /// How often an idle daemon checks that Odoo answers.
    pub probe_every: Duration,
}

impl DaemonOptions {
    pub fn new(config_path: PathBuf) -> Self {
        Self {
            config_path,
            idle_tick: Duration::from_secs(10),
            retry_failed: Duration::from_secs(300),
            retry_locked: Duration::from_secs(30),
            probe_every: Duration::from_secs(300),
        }
    }
}

/// Forwards SIGHUP to the loop and SIGTERM/SIGINT to `shutdown`.
pub fn watch_signals(
    controls: mpsc::UnboundedSender<Control>,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hup = signal(SignalKind::hangup())?;
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = hup.recv() => { let _ = controls.send(Control::Reload); }
                _ = term.recv() => { shutdown.cancel(); }
                _ = int.recv() => { shutdown.cancel(); }
            }
        }
    });
    Ok(())
}

/// `relanced run` until SIGTERM. `Ok` means a clean stop (exit 0).
pub async fn run_daemon(options: DaemonOptions, clock: Arc<dyn Clock>) -> Result<(), DaemonError> {
    let loaded = load_and_validate(&options.config_path, &LoadOptions::from_process())
        .map_err(DaemonError::Config)?;
    for w in &loaded.config.warnings {
        tracing::warn!("{w}");
    }
    let current = prepare(loaded).await.map_err(DaemonError::Prepare)?;
    let state = Arc::new(DaemonState::new());
    let notifier = Notifier::from_env();
    let shutdown = CancellationToken::new();
    let (tx, controls) = mpsc::unbounded_channel();
    watch_signals(tx, shutdown.clone()).map_err(DaemonError::Signals)?;
    let tick = notifier.tick_every(options.idle_tick);
    let http_targets = Arc::new(Mutex::new(Some(targets(&current))));
    let http_stop = CancellationToken::new();
    let mut http_task = None;
    if current.config().http.enabled {
        let listen = current.config().http.listen.clone();
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .map_err(|source| DaemonError::Listen { listen, source })?;
        let http = HttpState {
            daemon: state.clone(),
            targets: http_targets.clone(),
            liveness: (tick * 3).max(Duration::from_secs(30)),
            odoo_fresh: options.probe_every * 3,
        };
        http_task = Some(tokio::spawn(super::http::serve(
            listener,
            http,
            http_stop.clone(),
        )));
    }
    let mut console = None;
    let mut console_task = None;
    if current.config().console.enabled {
        let c =
            crate::console::Console::new(current.app.clone(), Some(state.clone()), clock.clone())
                .map_err(DaemonError::Console)?;
        let listener = crate::console::bind(&current.config().console.listen)
            .await
            .map_err(DaemonError::Console)?;
        let c = Arc::new(c);
        tracing::info!("console listening on {}", current.config().console.listen);
        console_task = Some(tokio::spawn(crate::console::serve(
            listener,
            c.clone(),
            http_stop.clone(),
        )));
        console = Some(c);
    }
    state.tick();
    let ready = match probe(&current.client, &state).await {
        Ok(()) => "ready".to_owned(),
        Err(e) => format!("degraded: Odoo unreachable ({e}); will retry"),
    };
    tracing::info!("relanced daemon started: {ready}");
    notifier.ready(&ready);
    let mut lp = Loop {
        options,
        clock,
        state,
        notifier,
        shutdown,
        controls,
        http_targets,
        current,
        console,
        note: None,
        last_failure: None,
        tick,
    };
    let result = lp.run().await;
    lp.notifier.stopping("stopping");
    http_stop.cancel();
    for task in [http_task, console_task].into_iter().flatten() {
        let _ = task.await;
    }
    lp.current.ledger.close().await;
    tracing::info!("relanced daemon stopped");
    result
}

struct Loop {
    options: DaemonOptions,
    clock: Arc<dyn Clock>,
    state: Arc<DaemonState>,
    notifier: Notifier,
    shutdown: CancellationToken,
    controls: mpsc::UnboundedReceiver<Control>,
    http_targets: Arc<Mutex<Option<Targets>>>,
    current: Current,
    /// The console, when `[console] enabled`: it follows reloads.
    console: Option<Arc<crate::console::Console>>,
    /// A rejected reload, repeated in STATUS until a good one.
    note: Option<String>,
    /// Why the last attempt failed (a server unreachable…), repeated in STATUS until a
    /// run succeeds.
    last_failure: Option<String>,
    tick: Duration,
}

impl Loop {
    fn say(&self, status: &str) {
        let mut line = status.to_owned();
        for extra in [&self.note, &self.last_failure].into_iter().flatten() {
            line.push_str("; ");
            line.push_str(extra);
        }
        self.state.set_status(&line);
        self.notifier.status(&line);
    }

    fn alive(&self) {
        self.state.tick();
        self.notifier.watchdog();
    }

    async fn run(&mut self) -> Result<(), DaemonError> {
        let now = self.clock.now();
        let mut last_start = last_success(&self.current.ledger).await?;
        let mut next = self.current.schedule.first_due(now, last_start);
        let mut last_probe = Instant::now();
        let mut probing: Option<tokio::task::JoinHandle<()>> = None;
        // Failed attempts in a row: the retry waits twice as long each time (a server
        // down for hours is not hammered), never past the next scheduled run.
        let mut failures = 0u32;
        loop {
            self.alive();
            if self.shutdown.is_cancelled() {
                return Ok(());
            }
            self.state.with_metrics(|m| m.next_run = Some(next));
            let now = self.clock.now();
            if now >= next {
                let started = now;
                let outcome = self.attempt(started).await;
                let now = self.clock.now();
                let scheduled = self.current.schedule.next_after(now, Some(started));
                next = match outcome {
                    Attempt::Ran { .. } => {
                        failures = 0;
                        self.last_failure = None;
                        last_start = Some(started);
                        scheduled
                    }
                    Attempt::Locked => scheduled.min(now + to_chrono(self.options.retry_locked)),
                    Attempt::Failed(why) => {
                        failures += 1;
                        self.last_failure = Some(format!("last run failed: {why}"));
                        let wait = retry_delay(self.options.retry_failed, failures);
                        scheduled.min(now + to_chrono(wait))
                    }
                };
                continue;
            }
            let local = match &self.current.schedule {
                Schedule::Daily { tz, .. } => next.with_timezone(tz).to_rfc3339(),
                Schedule::Every { .. } => next.to_rfc3339(),
            };
            self.say(&format!("next run at {local}"));
            if last_probe.elapsed() >= self.options.probe_every
                && probing.as_ref().is_none_or(|p| p.is_finished())
            {
                last_probe = Instant::now();
                let (client, state) = (self.current.client.clone(), self.state.clone());
                probing = Some(tokio::spawn(async move {
                    if let Err(e) = probe(&client, &state).await {
                        tracing::warn!("Odoo unreachable: {e}");
                    }
                }));
            }
            let wait = (next - now).to_std().unwrap_or_default().min(self.tick);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.shutdown.cancelled() => {}
                Some(c) = self.controls.recv() => {
                    self.handle(c).await;
                    next = self.current.schedule.next_after(self.clock.now(), last_start);
                }
            }
        }
    }

    /// One attempt, feeding the watchdog and STATUS while it runs.
    async fn attempt(&mut self, started: DateTime<Utc>) -> Attempt {
        self.say("starting a run");
        let state = self.state.clone();
        let inputs = Inputs {
            app: self.current.app.clone(),
            client: self.current.client.clone(),
            ledger: self.current.ledger.clone(),
            state: &state,
            shutdown: self.shutdown.clone(),
            started,
            as_of: self.current.schedule.local_date(started),
        };
        let run = attempt(inputs);
        tokio::pin!(run);
        let mut ticker = tokio::time::interval(self.tick.min(Duration::from_secs(2)));
        let mut stopping = false;
        loop {
            tokio::select! {
                outcome = &mut run => return outcome,
                _ = ticker.tick() => {
                    self.alive();
                    let (done, total) = self.state.progress_now();
                    if stopping {
                        self.say(&format!("stopping after the customer in progress ({done}/{total} customers)"));
                    } else {
                        self.say(&format!("running: {done}/{total} customers"));
                    }
                }
                _ = self.shutdown.cancelled(), if !stopping => {
                    stopping = true;
                    tracing::info!("stop asked: finishing the customer in progress");
                }
                Some(c) = self.controls.recv() => self.handle(c).await,
            }
        }
    }

    async fn handle(&mut self, control: Control) {
        match control {
            Control::Reload => self.reload().await,
        }
    }

    /// SIGHUP: validate like `check`; apply, or keep the old configuration and say so.
    async fn reload(&mut self) {
        let path = self.options.config_path.clone();
        tracing::info!("reloading {}", path.display());
        let result = match load_and_validate(&path, &LoadOptions::from_process()) {
            Ok(loaded) => prepare(loaded).await.map_err(|e| vec![e.to_string()]),
            Err(problems) => Err(problems),
        };
        match result {
            Ok(new) => {
                if new.config().http.listen != self.current.config().http.listen {
                    tracing::warn!("http.listen changed: it takes effect at the next restart");
                }
                *self.http_targets.lock().unwrap_or_else(|e| e.into_inner()) = Some(targets(&new));
                if new.config().console.listen != self.current.config().console.listen
                    || new.config().console.enabled != self.current.config().console.enabled
                {
                    tracing::warn!(
                        "console.enabled / console.listen changed: it takes effect at the next restart"
                    );
                }
                if let Some(console) = &self.console {
                    console.replace_app(new.app.clone());
                }
                self.current = new;
                self.note = None;
                self.state
                    .with_metrics(|m| *m.reloads.entry("applied".into()).or_default() += 1);
                tracing::info!("configuration reloaded from {}", path.display());
                self.say("configuration reloaded");
            }
            Err(problems) => {
                tracing::error!(
                    "configuration reload rejected, keeping the previous one; {} problem(s):\n  {}",
                    problems.len(),
                    problems.join("\n  ")
                );
                self.note = Some(format!(
                    "reload rejected, previous configuration kept: {}",
                    problems.first().map(String::as_str).unwrap_or("invalid")
                ));
                self.state
                    .with_metrics(|m| *m.reloads.entry("rejected".into()).or_default() += 1);
                self.say("configuration reload rejected");
            }
        }
    }
}

/// The wait before retrying after `failures` failed attempts in a row: `first`, doubled
/// at each failure, at most an hour.
fn retry_delay(first: Duration, failures: u32) -> Duration {
    let factor = 2u32.saturating_pow(failures.saturating_sub(1).min(16));
    first
        .saturating_mul(factor)
        .min(Duration::from_secs(3600).max(first))
}

fn to_chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::seconds(60))
}

#[cfg(test)]
mod retry_tests {
    use super::retry_delay;
    use std::time::Duration;

    #[test]
    fn failed_attempts_back_off_up_to_an_hour() {
        let first = Duration::from_secs(300);
        let waits: Vec<u64> = (1..=6).map(|n| retry_delay(first, n).as_secs()).collect();
        assert_eq!(waits, vec![300, 600, 1200, 2400, 3600, 3600]);
        assert_eq!(retry_delay(first, 1000).as_secs(), 3600);
        // A first delay longer than an hour is kept as configured.
        assert_eq!(retry_delay(Duration::from_secs(7200), 3).as_secs(), 7200);
    }
}
