//! Real SMTP servers on loopback for the delivery tests: aiosmtpd (Maildir, events
//! log, optional soft failures, TLS, AUTH) and postfix's smtp-sink (failure
//! injection). Also a TLS certificate authority made with `openssl`, and an `.eml`
//! parser (Python's `email` package) so assertions use an independent decoder.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

const SCRIPTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/common/smtp");

/// Options of the aiosmtpd test server.
#[derive(Default, Clone)]
pub struct AiosmtpdOptions {
    pub soft_fail_rcpt: u32,
    /// `"starttls"` or `"implicit"` with a certificate and key.
    pub tls: Option<(&'static str, PathBuf, PathBuf)>,
    pub auth: Option<(String, String)>,
    /// Seconds to accept each message; the server then logs `INFLIGHT n` (messages being
    /// accepted at once) as each arrives.
    pub data_delay: f64,
}

/// aiosmtpd running as a child process; stopped when dropped.
pub struct Aiosmtpd {
    child: Child,
    _stdin: Option<ChildStdin>,
    pub port: u16,
    dir: TempDir,
}

impl Aiosmtpd {
    pub fn start() -> Self {
        Self::start_with(AiosmtpdOptions::default())
    }

    pub fn start_with(options: AiosmtpdOptions) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut cmd = Command::new("python3");
        cmd.arg(format!("{SCRIPTS}/maildir_server.py"))
            .arg("--maildir")
            .arg(dir.path().join("Maildir"))
            .arg("--events")
            .arg(dir.path().join("events.log"))
            .arg("--soft-fail-rcpt")
            .arg(options.soft_fail_rcpt.to_string())
            .arg("--data-delay")
            .arg(options.data_delay.to_string());
        if let Some((mode, cert, key)) = &options.tls {
            cmd.args(["--tls", mode])
                .arg("--cert")
                .arg(cert)
                .arg("--key")
                .arg(key);
        }
        if let Some((user, password)) = &options.auth {
            cmd.args(["--auth-user", user, "--auth-password", password]);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start aiosmtpd: is python3 with `pip install aiosmtpd` available?");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read READY line");
        let port = line
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("aiosmtpd did not start: {line:?}"));
        let stdin = child.stdin.take();
        Aiosmtpd {
            child,
            _stdin: stdin,
            port,
            dir,
        }
    }

    /// Raw messages stored in the Maildir, oldest first.
    pub fn messages(&self) -> Vec<Vec<u8>> {
        let mut files: Vec<PathBuf> = ["new", "cur"]
            .iter()
            .flat_map(|sub| std::fs::read_dir(self.dir.path().join("Maildir").join(sub)).ok())
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files
            .iter()
            .map(|p| std::fs::read(p).expect("read maildir message"))
            .collect()
    }

    /// Lines like `MAIL x@y`, `RCPT x@y`, `DATA 1234`, in order.
    pub fn events(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("events.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The most messages being accepted at once (with `data_delay`).
    pub fn most_in_flight(&self) -> usize {
        self.events()
            .iter()
            .filter_map(|l| l.strip_prefix("INFLIGHT ")?.parse().ok())
            .max()
            .unwrap_or(0)
    }

    pub fn count(&self, command: &str) -> usize {
        self.events()
            .iter()
            .filter(|l| l.split(' ').next() == Some(command))
            .count()
    }
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        self._stdin.take();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// postfix's smtp-sink with extra arguments (e.g. `["-r", "RCPT"]`); stopped when dropped.
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    log: PathBuf,
    _dir: TempDir,
}

impl SmtpSink {
    pub fn start(args: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = dir.path().join("smtp-sink.log");
        let port = free_port();
        let mut cmd = Command::new("smtp-sink");
        if running_as_root() {
            cmd.args(["-u", "nobody"]); // smtp-sink refuses to run as root otherwise
        }
        let child = cmd
            .arg("-v")
            .args(args)
            .arg(format!("127.0.0.1:{port}"))
            .arg("10")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start smtp-sink: install the Debian `postfix` package");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "smtp-sink did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        SmtpSink {
            child,
            port,
            log,
            _dir: dir,
        }
    }

    /// How many `MAIL FROM` commands the server received, i.e. transaction attempts.
    pub fn mail_commands(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with("smtp-sink: mail from"))
            .count()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A private CA and a server certificate for `localhost` / `127.0.0.1` signed by it.
pub struct TlsMaterial {
    pub dir: TempDir,
    pub ca_cert: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
}

pub fn make_tls_material() -> TlsMaterial {
    make_tls_material_for("DNS:localhost,IP:127.0.0.1")
}

/// Like [`make_tls_material`] with the given subjectAltName list.
pub fn make_tls_material_for(subject_alt_names: &str) -> TlsMaterial {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |name: &str| dir.path().join(name);
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("run openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=relanced test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        p("ext.cnf"),
        format!(
            "basicConstraints=CA:FALSE\nsubjectAltName={subject_alt_names}\n\
             extendedKeyUsage=serverAuth\n"
        ),
    )
    .expect("ext.cnf");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "server.pem",
    ]);
    TlsMaterial {
        ca_cert: p("ca.pem"),
        server_cert: p("server.pem"),
        server_key: p("server.key"),
        dir,
    }
}

/// Parses an `.eml` with Python's `email` package: decoded headers and parts.
pub fn parse_eml(eml: &[u8]) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.eml");
    std::fs::write(&path, eml).expect("write eml");
    parse_eml_file(&path)
}

pub fn parse_eml_file(path: &Path) -> Value {
    let out = Command::new("python3")
        .arg(format!("{SCRIPTS}/parse_eml.py"))
        .arg(path)
        .output()
        .expect("run parse_eml.py");
    assert!(
        out.status.success(),
        "parse_eml: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("parse_eml JSON")
}
