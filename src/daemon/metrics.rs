//! The daemon's counters, gauges and Odoo call histogram, and their Prometheus text
//! (`/metrics`). It only counts and formats; it never decides nor calls anything.

use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// Upper bounds (seconds) of the Odoo call duration histogram.
const BUCKETS: [f64; 8] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Counters, gauges and a histogram, rendered by [`Metrics::render`].
#[derive(Debug, Default)]
pub struct Metrics {
    /// Runs by result: `done`, `interrupted`, `failed`, `skipped_locked`.
    pub runs: BTreeMap<String, u64>,
    /// Customers reminded, by level key (cumulative).
    pub customers_per_level: BTreeMap<String, u64>,
    /// Ledger actions by (kind, state): emails, letters, activities, notes, markers.
    pub actions: BTreeMap<(String, String), u64>,
    /// Odoo errors by kind (probes and failed runs).
    pub odoo_errors: BTreeMap<String, u64>,
    /// Odoo calls made by runs (cumulative).
    pub odoo_calls: u64,
    /// Duration of Odoo probe calls (`version`): counts per bucket, sum, count.
    pub odoo_call_buckets: [u64; BUCKETS.len()],
    pub odoo_call_sum: f64,
    pub odoo_call_count: u64,
    /// Every Odoo request of the runs (durations, errors by kind), from the client.
    pub odoo_requests: crate::odoo::client::RequestStats,
    /// Actions waiting for a person (`uncertain` in the ledger), as last counted.
    pub uncertain_actions: u64,
    pub last_success: Option<DateTime<Utc>>,
    pub last_run_seconds: Option<f64>,
    pub next_run: Option<DateTime<Utc>>,
    /// Configuration reloads by result: `applied`, `rejected`.
    pub reloads: BTreeMap<String, u64>,
    /// Whether each server (`SMTP host:port`, `Odoo host:port`) could be reached by the
    /// last run that used it; a run stops when one cannot.
    pub servers_up: BTreeMap<String, bool>,
}

impl Metrics {
    pub fn observe_odoo_call(&mut self, took: Duration) {
        let s = took.as_secs_f64();
        for (i, bound) in BUCKETS.iter().enumerate() {
            if s <= *bound {
                self.odoo_call_buckets[i] += 1;
            }
        }
        self.odoo_call_sum += s;
        self.odoo_call_count += 1;
    }

    /// The Prometheus text exposition (version 0.0.4).
    pub fn render(&self, progress: (u64, u64), running: bool) -> String {
        let mut out = String::new();
        let r = &self.odoo_requests;
        section(
            &mut out,
            "relanced_odoo_request_duration_seconds",
            "histogram",
            "Duration of every Odoo request made by runs.",
        );
        for (bound, n) in &r.buckets {
            let _ = writeln!(
                out,
                "relanced_odoo_request_duration_seconds_bucket{{le=\"{bound}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "relanced_odoo_request_duration_seconds_bucket{{le=\"+Inf\"}} {c}\n\
             relanced_odoo_request_duration_seconds_sum {}\n\
             relanced_odoo_request_duration_seconds_count {c}",
            r.sum_seconds,
            c = r.count
        );
        section(
            &mut out,
            "relanced_odoo_request_errors_total",
            "counter",
            "Odoo requests that failed, by kind (timeout, access_denied, connection_refused…).",
        );
        for (kind, n) in &r.errors {
            let _ = writeln!(
                out,
                "relanced_odoo_request_errors_total{{kind=\"{kind}\"}} {n}"
            );
        }
        section(
            &mut out,
            "relanced_runs_total",
            "counter",
            "Runs by result.",
        );
        for result in ["done", "interrupted", "failed", "skipped_locked"] {
            let n = self.runs.get(result).copied().unwrap_or(0);
            let _ = writeln!(out, "relanced_runs_total{{result=\"{result}\"}} {n}");
        }
        section(
            &mut out,
            "relanced_customers_reminded_total",
            "counter",
            "Customers reminded, by level.",
        );
        for (level, n) in &self.customers_per_level {
            let _ = writeln!(
                out,
                "relanced_customers_reminded_total{{level=\"{}\"}} {n}",
                escape(level)
            );
        }
        section(
            &mut out,
            "relanced_actions_total",
            "counter",
            "Side effects (email, letter, activity, note, marker…) by final state.",
        );
        for ((kind, state), n) in &self.actions {
            let _ = writeln!(
                out,
                "relanced_actions_total{{kind=\"{}\",result=\"{}\"}} {n}",
                escape(kind),
                escape(state)
            );
        }
        section(
            &mut out,
            "relanced_server_up",
            "gauge",
            "Whether the last run could reach the server (0: it stopped the run).",
        );
        for (server, up) in &self.servers_up {
            let _ = writeln!(
                out,
                "relanced_server_up{{server=\"{}\"}} {}",
                escape(server),
                u8::from(*up)
            );
        }
        section(
            &mut out,
            "relanced_uncertain_actions",
            "gauge",
            "Actions whose outcome is unknown, waiting for `relanced resolve`.",
        );
        let _ = writeln!(out, "relanced_uncertain_actions {}", self.uncertain_actions);
        section(
            &mut out,
            "relanced_odoo_errors_total",
            "counter",
            "Odoo errors by kind.",
        );
        for (kind, n) in &self.odoo_errors {
            let _ = writeln!(
                out,
                "relanced_odoo_errors_total{{kind=\"{}\"}} {n}",
                escape(kind)
            );
        }
        section(
            &mut out,
            "relanced_odoo_calls_total",
            "counter",
            "Odoo calls made by runs.",
        );
        let _ = writeln!(out, "relanced_odoo_calls_total {}", self.odoo_calls);
        section(
            &mut out,
            "relanced_odoo_probe_duration_seconds",
            "histogram",
            "Duration of the Odoo reachability probe (`version` call).",
        );
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "relanced_odoo_probe_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                self.odoo_call_buckets[i]
            );
        }
        let _ = writeln!(
            out,
            "relanced_odoo_probe_duration_seconds_bucket{{le=\"+Inf\"}} {c}\n\
             relanced_odoo_probe_duration_seconds_sum {}\n\
             relanced_odoo_probe_duration_seconds_count {c}",
            self.odoo_call_sum,
            c = self.odoo_call_count
        );
        let gauges = [
            (
                "relanced_last_success_timestamp_seconds",
                "Start of the last successful run (Unix time).",
                self.last_success.map(|t| t.timestamp() as f64),
            ),
            (
                "relanced_last_run_duration_seconds",
                "Duration of the last run.",
                self.last_run_seconds,
            ),
            (
                "relanced_next_run_timestamp_seconds",
                "When the next run is due (Unix time).",
                self.next_run.map(|t| t.timestamp() as f64),
            ),
            (
                "relanced_run_in_progress",
                "1 while a run is in progress.",
                Some(if running { 1.0 } else { 0.0 }),
            ),
            (
                "relanced_run_progress_customers",
                "Customers done in the run in progress.",
                Some(progress.0 as f64),
            ),
            (
                "relanced_run_total_customers",
                "Customers to do in the run in progress.",
                Some(progress.1 as f64),
            ),
        ];
        for (name, help, value) in gauges {
            if let Some(v) = value {
                section(&mut out, name, "gauge", help);
                let _ = writeln!(out, "{name} {v}");
            }
        }
        section(
            &mut out,
            "relanced_config_reloads_total",
            "counter",
            "Configuration reloads (SIGHUP) by result.",
        );
        for result in ["applied", "rejected"] {
            let n = self.reloads.get(result).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "relanced_config_reloads_total{{result=\"{result}\"}} {n}"
            );
        }
        out
    }
}

fn section(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// Label values: backslash, quote and newline escaped.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_prometheus_text_with_escaped_labels_and_a_cumulative_histogram() {
        let mut m = Metrics::default();
        *m.runs.entry("done".into()).or_default() += 2;
        m.customers_per_level.insert("rappel \"1\"".into(), 3);
        m.observe_odoo_call(Duration::from_millis(70));
        m.observe_odoo_call(Duration::from_millis(700));
        let text = m.render((5, 9), true);
        assert!(
            text.contains("relanced_runs_total{result=\"done\"} 2\n"),
            "{text}"
        );
        assert!(text.contains("relanced_runs_total{result=\"failed\"} 0\n"));
        assert!(text.contains("level=\"rappel \\\"1\\\"\"} 3"), "{text}");
        assert!(text.contains("relanced_odoo_probe_duration_seconds_bucket{le=\"0.05\"} 0\n"));
        assert!(text.contains("relanced_odoo_probe_duration_seconds_bucket{le=\"0.1\"} 1\n"));
        assert!(text.contains("relanced_odoo_probe_duration_seconds_bucket{le=\"1\"} 2\n"));
        assert!(text.contains("relanced_odoo_probe_duration_seconds_count 2\n"));
        assert!(text.contains("relanced_run_progress_customers 5\n"));
        assert!(text.contains("relanced_run_in_progress 1\n"));
        // Every sample belongs to a declared family.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let name = line.split(['{', ' ']).next().unwrap_or_default();
            let family = name
                .trim_end_matches("_bucket")
                .trim_end_matches("_sum")
                .trim_end_matches("_count");
            assert!(
                text.contains(&format!("# TYPE {family} ")),
                "{line} has no TYPE"
            );
        }
    }
}
