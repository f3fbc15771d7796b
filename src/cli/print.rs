//! `relanced print RUN --out FILE`: all of a run's letters in one PDF to print
//! recto-verso, each letter starting on a recto (`desk::print`).

use super::Exit;
use relanced::app::App;
use relanced::ledger::RunId;

#[derive(clap::Args)]
pub struct Args {
    run: i64,
    /// Where to write the PDF.
    #[arg(long)]
    out: std::path::PathBuf,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let bundle = relanced::desk::print::run_letters_for_print(app, RunId(args.run)).await?;
    if bundle.letters == 0 {
        println!("run {} has no letter to print", args.run);
        return Ok(Exit::Success);
    }
    std::fs::write(&args.out, &bundle.pdf)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", args.out.display()))?;
    println!(
        "{} letter(s), {} page(s) ({} blank), {} sheet(s) recto-verso: {}",
        bundle.letters,
        bundle.pages,
        bundle.blanks,
        bundle.sheets,
        args.out.display()
    );
    Ok(Exit::Success)
}
