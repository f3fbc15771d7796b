//! Rendering throughput, each figure as a ratio against a baseline measured in the same run:
//! - emails (tera + MJML → HTML with mrml + text part) per second, against rendering the
//!   letter HTML alone (tera without mrml) and against the 2 000/s target;
//! - PDF letters per second with the warm WeasyPrint pool (2 processes, 2 threads) against
//!   one `weasyprint` process per letter (also 2 threads).
//!
//! Run: `cargo bench --bench render` (needs the Debian package weasyprint).

use std::sync::Arc;
use std::time::{Duration, Instant};

use relanced::render::pdf::{OneShotWeasyPrint, WarmWeasyPrint};
use relanced::render::{LANGS, LEVEL_KEYS, PdfRenderer, Templates, sample_communication};

/// CPU time of the current thread (user + system), from `/proc/thread-self/stat` in clock
/// ticks of 10 ms: on a shared machine the wall clock measures the neighbours too.
fn thread_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0 // utime, stime (fields 14 and 15 of proc(5))
}

/// Runs `f` for `budget` of wall time: (per wall second, per CPU second, count).
fn rate<F: FnMut()>(budget: Duration, mut f: F) -> (f64, f64, u64) {
    let start = Instant::now();
    let cpu_start = thread_cpu_seconds();
    let mut n = 0u64;
    while start.elapsed() < budget {
        f();
        n += 1;
    }
    let cpu = (thread_cpu_seconds() - cpu_start).max(0.01);
    (n as f64 / start.elapsed().as_secs_f64(), n as f64 / cpu, n)
}

fn parallel_rate(
    renderer: Arc<dyn PdfRenderer>,
    html: Arc<String>,
    letters: usize,
    threads: usize,
) -> f64 {
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (r, h) = (renderer.clone(), html.clone());
            let mine = letters / threads + usize::from(t < letters % threads);
            std::thread::spawn(move || {
                for _ in 0..mine {
                    let pdf = r.render_pdf(&h).expect("pdf renders");
                    assert!(pdf.starts_with(b"%PDF"));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("bench thread");
    }
    letters as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let templates = Templates::builtin().expect("built-in templates");
    let comms: Vec<_> = LEVEL_KEYS
        .iter()
        .flat_map(|l| LANGS.iter().map(move |g| sample_communication(g, l)))
        .collect();

    // Emails.
    let mut i = 0;
    let (letter_html_rate, letter_html_cpu, _) = rate(Duration::from_secs(2), || {
        let c = &comms[i % comms.len()];
        i += 1;
        std::hint::black_box(templates.render_letter(c).expect("renders"));
    });
    let mut i = 0;
    let (email_rate, email_cpu, n) = rate(Duration::from_secs(3), || {
        let c = &comms[i % comms.len()];
        i += 1;
        std::hint::black_box(templates.render_email(c).expect("renders"));
    });
    let mjml: Vec<String> = comms
        .iter()
        .map(|c| templates.render_mjml(c).expect("renders"))
        .collect();
    let mut i = 0;
    let (mrml_rate, mrml_cpu, _) = rate(Duration::from_secs(2), || {
        let m = &mjml[i % mjml.len()];
        i += 1;
        std::hint::black_box(relanced::render::mjml::mjml_to_html(m).expect("converts"));
    });
    println!("## Rendering");
    println!("(per wall second / per CPU second of the rendering thread)");
    println!(
        "emails (subject + MJML->HTML + text), 1 thread: {email_rate:.0}/s / {email_cpu:.0}/s over {n} emails"
    );
    println!(
        "baseline, letter HTML only (tera, no mrml):    {letter_html_rate:.0}/s / {letter_html_cpu:.0}/s"
    );
    println!("of which MJML->HTML alone (mrml):             {mrml_rate:.0}/s / {mrml_cpu:.0}/s");
    println!(
        "ratio email / letter-HTML baseline: {:.2} (CPU: {:.2})",
        email_rate / letter_html_rate,
        email_cpu / letter_html_cpu
    );
    println!(
        "ratio email / target 2000/s: {:.2} (CPU: {:.2})",
        email_rate / 2000.0,
        email_cpu / 2000.0
    );
    // The same on both cores: the templates are shared between threads (no copy).
    let emails_each = 4_000usize;
    let t0 = std::time::Instant::now();
    std::thread::scope(|scope| {
        for t in 0..2 {
            let (templates, comms) = (&templates, &comms);
            scope.spawn(move || {
                for k in 0..emails_each {
                    let c = &comms[(k + t) % comms.len()];
                    std::hint::black_box(templates.render_email(c).expect("renders"));
                }
            });
        }
    });
    let two = (2 * emails_each) as f64 / t0.elapsed().as_secs_f64();
    println!(
        "emails, 2 threads (the machine's 2 cores):    {two:.0}/s; ratio to 1 thread {:.2}, to target 2000/s {:.2}",
        two / email_rate,
        two / 2000.0
    );
    if std::env::var_os("RENDER_BENCH_EMAIL_ONLY").is_some() {
        return;
    }
    // PDFs.
    let html = Arc::new(
        templates
            .render_letter(&sample_communication("fr", "urgent"))
            .expect("renders")
            .html,
    );
    let start = Instant::now();
    let warm: Arc<dyn PdfRenderer> =
        Arc::new(WarmWeasyPrint::start(2, None, "/").expect("weasyprint"));
    let startup = start.elapsed();
    parallel_rate(warm.clone(), html.clone(), 2, 2); // warm-up: the first render loads fonts
    let warm_rate = parallel_rate(warm, html.clone(), 24, 2);
    let oneshot: Arc<dyn PdfRenderer> = Arc::new(OneShotWeasyPrint::default());
    let oneshot_rate = parallel_rate(oneshot, html, 6, 2);
    println!(
        "warm pool start-up (2 processes): {:.2} s",
        startup.as_secs_f64()
    );
    println!("PDF letters, warm pool of 2, 2 threads:      {warm_rate:.2}/s (24 letters)");
    println!("baseline, one weasyprint per letter, 2 thr.: {oneshot_rate:.2}/s (6 letters)");
    println!(
        "ratio warm / one-shot: {:.1}x (target >= 5x)",
        warm_rate / oneshot_rate
    );
}
