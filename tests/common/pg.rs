//! A throwaway PostgreSQL cluster for tests: `initdb` in a temporary directory, started on
//! a free port of 127.0.0.1 (unix socket in the same directory), one cluster per test
//! binary, a fresh database per test. When running as root, the cluster runs as the
//! `postgres` system user (initdb refuses root). The cluster is stopped and its directory
//! removed when the test process exits (a small reaper process watches it), or when a
//! non-shared `PgCluster` drops.
//!
//! If PostgreSQL is not installed the tests FAIL with a message saying what to install
//! (Debian: `postgresql`), unless `RELANCED_SKIP_PG=1` is set.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// A running cluster.
#[derive(Debug)]
pub struct PgCluster {
    root: PathBuf,
    bin: PathBuf,
    port: u16,
    run_as_postgres: bool,
}

/// Whether PostgreSQL tests are explicitly skipped.
pub fn skipped() -> bool {
    std::env::var("RELANCED_SKIP_PG").is_ok_and(|v| v == "1")
}

/// The cluster shared by this test binary, started on first use; `None` only when
/// `RELANCED_SKIP_PG=1`. Panics (failing the test) when PostgreSQL cannot be started.
pub fn shared() -> Option<&'static PgCluster> {
    static CLUSTER: OnceLock<PgCluster> = OnceLock::new();
    if skipped() {
        eprintln!("RELANCED_SKIP_PG=1: PostgreSQL test skipped");
        return None;
    }
    Some(CLUSTER.get_or_init(|| {
        let cluster = PgCluster::start().unwrap_or_else(|e| {
            panic!(
                "cannot start a throwaway PostgreSQL cluster: {e}\n\
                 Install PostgreSQL (Debian package `postgresql`) or set RELANCED_SKIP_PG=1 \
                 to skip the PostgreSQL half of the ledger suite."
            )
        });
        cluster.reap_on_exit();
        cluster
    }))
}

/// A URL to a brand-new empty database of the shared cluster (`None` when skipped).
pub fn fresh_database_url() -> Option<String> {
    shared().map(|cluster| cluster.create_database())
}

/// Finds `name` (initdb, pg_ctl…) on PATH or under /usr/lib/postgresql/*/bin (newest).
fn find_bin_dir() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if dir.join("initdb").is_file() && dir.join("pg_ctl").is_file() {
                // Resolve symlinks so that createdb and friends are found next to them.
                let real = std::fs::canonicalize(dir.join("initdb"))
                    .ok()
                    .and_then(|p| p.parent().map(Path::to_path_buf))
                    .unwrap_or(dir);
                return Ok(real);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| "initdb/pg_ctl not on PATH and no /usr/lib/postgresql".to_string())?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or_else(|| "no /usr/lib/postgresql/*/bin/initdb".to_string())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn id_of(flag: &str) -> Result<u32, String> {
    let out = Command::new("id")
        .args([flag, "postgres"])
        .output()
        .map_err(|e| format!("id {flag} postgres: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|_| {
            "running as root and there is no `postgres` system user to run the cluster as"
                .to_string()
        })
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

impl PgCluster {
    /// initdb + start. The caller owns the cluster (stopped on drop).
    pub fn start() -> Result<PgCluster, String> {
        let bin = find_bin_dir()?;
        let run_as_postgres = is_root();
        let root = tempfile::Builder::new()
            .prefix("relanced-pg-")
            .tempdir()
            .map_err(|e| format!("temporary directory: {e}"))?
            .keep();
        if run_as_postgres {
            let (uid, gid) = (id_of("-u")?, id_of("-g")?);
            std::os::unix::fs::chown(&root, Some(uid), Some(gid))
                .map_err(|e| format!("chown {} to postgres: {e}", root.display()))?;
        }
        let mut cluster = PgCluster {
            root,
            bin,
            port: 0,
            run_as_postgres,
        };
        let data = cluster.root.join("data");
        cluster.run(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        )?;
        let mut last_error = String::new();
        for _ in 0..3 {
            cluster.port = free_port()?;
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
                 -c synchronous_commit=off -c max_connections=300",
                cluster.port,
                cluster.root.display()
            );
            let log = cluster.root.join("postgres.log");
            match cluster.run(
                "pg_ctl",
                &[
                    "-D",
                    &data.to_string_lossy(),
                    "-l",
                    &log.to_string_lossy(),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    &options,
                    "start",
                ],
            ) {
                Ok(()) => return Ok(cluster),
                Err(e) => {
                    let tail = std::fs::read_to_string(&log).unwrap_or_default();
                    last_error = format!(
                        "{e}\n{}",
                        tail.lines().rev().take(5).collect::<Vec<_>>().join("\n")
                    );
                }
            }
        }
        Err(last_error)
    }

    /// Runs a PostgreSQL program (as `postgres` when we are root).
    fn run(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let path = self.bin.join(program);
        let mut command = if self.run_as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let out = command
            .args(args)
            .current_dir(&self.root)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", path.display()))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program} failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Creates a database with a unique name and returns its URL.
    pub fn create_database(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "ledger_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let port = self.port.to_string();
        self.run(
            "createdb",
            &["-h", "127.0.0.1", "-p", &port, "-U", "postgres", &name],
        )
        .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// Starts a process that stops the cluster and removes its directory once this
    /// process has exited (statics are never dropped).
    fn reap_on_exit(&self) {
        let stop = self.stop_script();
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop}",
            pid = std::process::id()
        );
        let spawned = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if let Err(e) = spawned {
            eprintln!(
                "warning: PostgreSQL reaper not started ({e}); stop the cluster in {} by hand",
                self.root.display()
            );
        }
    }

    fn stop_script(&self) -> String {
        let pg_ctl = self.bin.join("pg_ctl");
        let data = self.root.join("data");
        let prefix = if self.run_as_postgres {
            "runuser -u postgres -- "
        } else {
            ""
        };
        format!(
            "{prefix}'{}' -D '{}' -m immediate stop >/dev/null 2>&1; rm -rf '{}'",
            pg_ctl.display(),
            data.display(),
            self.root.display()
        )
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = Command::new("sh")
            .args(["-c", &self.stop_script()])
            .status();
    }
}
