//! HTML letters → PDF with WeasyPrint, behind the `PdfRenderer` trait.
//!
//! `WarmWeasyPrint` keeps a small pool of `python3` processes that imported WeasyPrint
//! once (the embedded `weasy_worker.py`) and renders letters sent over their stdin,
//! avoiding WeasyPrint's ~1 s start-up per letter; `OneShotWeasyPrint` runs the
//! `weasyprint` command once per letter (the simple, slow baseline). Both are blocking:
//! call them from tokio with `spawn_blocking`. Only `file:` and `data:` URLs are fetched.
//!
//! This module does not store, attach or send PDFs.

use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

const WORKER_SCRIPT: &str = include_str!("weasy_worker.py");
const INSTALL_HINT: &str = "install the Debian package weasyprint (apt-get install weasyprint)";

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("WeasyPrint is not available ({detail}): {INSTALL_HINT}")]
    NotInstalled { detail: String },
    #[error("WeasyPrint could not render the letter: {0}")]
    Render(String),
    #[error("the WeasyPrint process failed ({0}); it will be restarted on the next letter")]
    Process(String),
}

/// Turns a letter's HTML into PDF bytes.
pub trait PdfRenderer: Send + Sync {
    fn render_pdf(&self, html: &str) -> Result<Vec<u8>, PdfError>;
}

/// The Python interpreter to use: Debian's (`/usr/bin/python3`, where the `weasyprint`
/// package installs its module) when present, else `python3` from `PATH`.
pub fn default_python() -> PathBuf {
    let debian = Path::new("/usr/bin/python3");
    if debian.exists() {
        debian.to_path_buf()
    } else {
        PathBuf::from("python3")
    }
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Worker {
    fn spawn(python: &Path, base_url: &str) -> Result<Self, PdfError> {
        let mut child = Command::new(python)
            .arg("-c")
            .arg(WORKER_SCRIPT)
            .arg(base_url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| PdfError::NotInstalled {
                detail: format!("cannot start {}: {e}", python.display()),
            })?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(PdfError::Process("no pipes to the worker".into()));
        };
        let mut worker = Worker {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        };
        match worker.read_reply() {
            Ok((b'R', _)) => Ok(worker),
            Ok((_, msg)) => Err(PdfError::NotInstalled {
                detail: String::from_utf8_lossy(&msg).into_owned(),
            }),
            Err(e) => Err(PdfError::NotInstalled {
                detail: format!("{} exited at start-up: {e}", python.display()),
            }),
        }
    }

    fn read_reply(&mut self) -> std::io::Result<(u8, Vec<u8>)> {
        let mut header = [0u8; 5];
        self.stdout.read_exact(&mut header)?;
        let len = u32::from_be_bytes([header[1], header[2], header[3], header[4]]) as usize;
        let mut payload = vec![0u8; len];
        self.stdout.read_exact(&mut payload)?;
        Ok((header[0], payload))
    }

    /// Renders one letter; a worker still busy after `timeout` is killed (the read then
    /// fails, and the pool restarts the worker on the next letter).
    fn render(&mut self, html: &str, timeout: Duration) -> Result<Vec<u8>, PdfError> {
        let (done, wait) = mpsc::channel::<()>();
        let pid = self.child.id();
        let watchdog = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(timeout) {
                // The signal itself, not procps' kill(1): the package does not depend on it.
                if let Ok(pid) = libc::pid_t::try_from(pid) {
                    // SAFETY: kill(2) with a plain pid and signal number.
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                }
            }
        });
        let result = self.exchange(html);
        let _ = done.send(());
        let _ = watchdog.join();
        result.map_err(|e| match e {
            PdfError::Process(m) => PdfError::Process(format!("{m} (timeout {timeout:?})")),
            other => other,
        })
    }

    fn exchange(&mut self, html: &str) -> Result<Vec<u8>, PdfError> {
        let len = u32::try_from(html.len())
            .map_err(|_| PdfError::Render("letter larger than 4 GiB".into()))?;
        let io = |e: std::io::Error| PdfError::Process(e.to_string());
        self.stdin.write_all(&len.to_be_bytes()).map_err(io)?;
        self.stdin.write_all(html.as_bytes()).map_err(io)?;
        self.stdin.flush().map_err(io)?;
        match self.read_reply().map_err(io)? {
            (b'O', pdf) => Ok(pdf),
            (_, msg) => Err(PdfError::Render(String::from_utf8_lossy(&msg).into_owned())),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A pool of warm WeasyPrint processes (one per core is right: rendering is CPU-bound).
pub struct WarmWeasyPrint {
    python: PathBuf,
    timeout: Duration,
    base_url: String,
    workers: Vec<Mutex<Option<Worker>>>,
    next: AtomicUsize,
}

impl WarmWeasyPrint {
    /// Starts `size` (at least 1) workers and waits until each has imported WeasyPrint.
    /// Relative URLs in letters (logo) resolve against `base_url` (a directory path).
    pub fn start(size: usize, python: Option<PathBuf>, base_url: &str) -> Result<Self, PdfError> {
        let python = python.unwrap_or_else(default_python);
        let size = size.max(1);
        let handles: Vec<_> = (0..size)
            .map(|_| {
                let (p, b) = (python.clone(), base_url.to_owned());
                std::thread::spawn(move || Worker::spawn(&p, &b))
            })
            .collect();
        let mut workers = Vec::with_capacity(size);
        for h in handles {
            let worker = h
                .join()
                .map_err(|_| PdfError::Process("worker start-up thread panicked".into()))??;
            workers.push(Mutex::new(Some(worker)));
        }
        Ok(Self {
            python,
            timeout: Duration::from_secs(120),
            base_url: base_url.to_owned(),
            workers,
            next: AtomicUsize::new(0),
        })
    }

    /// Longest time one letter may take before its worker is killed (default 120 s).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn size(&self) -> usize {
        self.workers.len()
    }
}

impl PdfRenderer for WarmWeasyPrint {
    fn render_pdf(&self, html: &str) -> Result<Vec<u8>, PdfError> {
        let n = self.workers.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        // A free worker if there is one, else wait for the next in turn.
        let mut slot = (0..n)
            .find_map(|i| self.workers[(start + i) % n].try_lock().ok())
            .map_or_else(|| self.workers[start % n].lock(), Ok)
            .map_err(|_| PdfError::Process("a worker lock was poisoned".into()))?;
        if slot.is_none() {
            *slot = Some(Worker::spawn(&self.python, &self.base_url)?);
        }
        let Some(worker) = slot.as_mut() else {
            return Err(PdfError::Process("no worker".into()));
        };
        match worker.render(html, self.timeout) {
            Err(e @ PdfError::Process(_)) => {
                *slot = None; // dead or desynchronised: restart on the next letter
                Err(e)
            }
            other => other,
        }
    }
}

/// Runs `weasyprint - -` once per letter (slow: WeasyPrint starts every time).
pub struct OneShotWeasyPrint {
    pub program: PathBuf,
    pub base_url: String,
}

impl Default for OneShotWeasyPrint {
    fn default() -> Self {
        Self {
            program: PathBuf::from("weasyprint"),
            base_url: "/".into(),
        }
    }
}

impl PdfRenderer for OneShotWeasyPrint {
    fn render_pdf(&self, html: &str) -> Result<Vec<u8>, PdfError> {
        let mut child = Command::new(&self.program)
            .args(["--base-url", &self.base_url, "-", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| PdfError::NotInstalled {
                detail: format!("cannot run {}: {e}", self.program.display()),
            })?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| PdfError::Process("no stdin".into()))?;
        let input = html.to_owned();
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let output = child
            .wait_with_output()
            .map_err(|e| PdfError::Process(e.to_string()))?;
        let _ = writer.join();
        if output.status.success() && output.stdout.starts_with(b"%PDF") {
            Ok(output.stdout)
        } else {
            let err = String::from_utf8_lossy(&output.stderr);
            Err(PdfError::Render(err.chars().take(500).collect()))
        }
    }
}
