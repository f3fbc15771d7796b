//! Cost of sending mail over SMTP with connection reuse, against a baseline of one
//! new connection per mail, both to postfix's smtp-sink on loopback in the same run.
//! Also the cost of building the MIME message against hashing its bytes.
//! Run: `cargo bench --bench deliver_smtp` (needs smtp-sink from the postfix package).

#[path = "../tests/common/mod.rs"]
mod common;

use common::deliver as fixtures;
use common::smtp as smtp_support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use relanced::deliver::message::build;
use relanced::deliver::{SmtpSettings, SmtpTransport, TlsMode};
use sha2::{Digest, Sha256};

const MAILS: usize = 200;

async fn send_all(port: u16, max_idle: usize) -> Duration {
    let mut settings = SmtpSettings::new("127.0.0.1", port, TlsMode::None);
    settings.max_idle_connections = max_idle;
    let transport = SmtpTransport::new(settings).expect("settings");
    let started = Instant::now();
    for i in 0..MAILS {
        transport
            .send(&fixtures::reminder(&format!("bench-{i}")))
            .await
            .expect("sent");
    }
    transport.close().await;
    started.elapsed()
}

fn per_item(d: Duration, n: usize) -> f64 {
    d.as_secs_f64() * 1e6 / n as f64
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let sink = smtp_support::SmtpSink::start(&[]);
    // Warm up (connection setup code paths, page cache).
    send_all(sink.port, 2).await;

    let fresh = send_all(sink.port, 0).await;
    let pooled = send_all(sink.port, 2).await;
    println!(
        "smtp send, new connection per mail (baseline): {:8.1} µs/mail",
        per_item(fresh, MAILS)
    );
    println!(
        "smtp send, pooled connection:                  {:8.1} µs/mail  ratio {:.2}x of baseline",
        per_item(pooled, MAILS),
        pooled.as_secs_f64() / fresh.as_secs_f64()
    );

    let email = fixtures::reminder("bench-build");
    let eml = build(&email).expect("build").eml;
    let n = 2_000;
    let started = Instant::now();
    for _ in 0..n {
        black_box(Sha256::digest(black_box(&eml)));
    }
    let hash = started.elapsed();
    let started = Instant::now();
    for _ in 0..n {
        black_box(build(black_box(&email)).expect("build"));
    }
    let built = started.elapsed();
    println!(
        "sha256 of the {} byte .eml (baseline):          {:8.1} µs/mail",
        eml.len(),
        per_item(hash, n)
    );
    println!(
        "MIME build with lettre:                        {:8.1} µs/mail  ratio {:.2}x of baseline",
        per_item(built, n),
        built.as_secs_f64() / hash.as_secs_f64()
    );
}
