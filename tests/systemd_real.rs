//! The Debian package under a real systemd: `tests/systemd_real.sh` boots Debian 12 with
//! systemd 252 as PID 1 (`../shared/systemd-real`), starts a real Odoo 19
//! (`../shared/odoo-real`), builds the package and installs it following README.md's
//! "Install on Debian with systemd" line by line, then checks with systemd itself: `check`
//! before the first start, READY and STATUS, a scheduled run (emails, a PDF letter rendered
//! under the sandbox, markers in Odoo), a rejected reload, a stop during a run, the
//! watchdog, the exposure README.md states, and an upgrade.
//!
//! The script does the work (it drives a container and two servers); this test runs it and
//! fails with its output when it fails. It never skips: a machine that cannot boot the
//! container fails it (`.ci/run` installs what it needs).

use std::process::Command;
use std::time::Instant;

#[test]
fn the_package_installed_as_the_readme_says_runs_under_systemd_252() {
    let repo = env!("CARGO_MANIFEST_DIR");
    let script = format!("{repo}/tests/systemd_real.sh");
    let t0 = Instant::now();
    let output = Command::new("bash")
        .arg(&script)
        .current_dir(repo)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {script}: {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!("{stdout}{stderr}");
    assert!(
        output.status.success(),
        "{script} failed ({}) after {:.0} s; its last lines:\n{}",
        output.status,
        t0.elapsed().as_secs_f64(),
        stderr
            .lines()
            .rev()
            .take(60)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        stderr.contains("systemd_real [") && stderr.contains("] PASS"),
        "{script} exited 0 without reaching its end"
    );
}
