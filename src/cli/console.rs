//! `relanced console`: the credit controller's console served on its own, without the
//! scheduler (to try it, or beside a daemon on another host), until Ctrl-C or SIGTERM.
//! The daemon serves the same console when `[console] enabled = true`.

use super::Exit;
use relanced::app::App;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// Listen here instead of `[console] listen`.
    #[arg(long)]
    listen: Option<String>,
}

pub async fn run(args: Args, app: App) -> anyhow::Result<Exit> {
    let listen = args
        .listen
        .unwrap_or_else(|| app.config().console.listen.clone());
    let console = relanced::console::Console::standalone(Arc::new(app))?;
    let listener = relanced::console::bind(&listen).await?;
    eprintln!("relanced console on http://{listen}/ (Ctrl-C to stop)");
    let stop = tokio_util::sync::CancellationToken::new();
    let on_signal = stop.clone();
    tokio::spawn(async move {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
        }
        on_signal.cancel();
    });
    relanced::console::serve(listener, Arc::new(console), stop).await?;
    Ok(Exit::Success)
}
