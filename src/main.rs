//! The `relanced` command: argument parsing and wiring only; everything else is in the library.

mod cli;

use clap::{CommandFactory, Parser};
use cli::{AppCommand, Cli, Command, Exit};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    relanced::logging::init(cli.log_format, cli.verbose);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("relanced: cannot start the async runtime: {e}");
            return Exit::Internal.into();
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(exit) => exit.into(),
        Err(e) => {
            eprintln!("relanced: {e:#}");
            Exit::Failure.into()
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<Exit> {
    let path = cli.config.as_path();
    let command = match cli.command {
        Command::WithApp(command) => command,
        Command::Demo(args) => return cli::demo::run(args).await,
        Command::Run => return cli::daemon::run(path).await,
        Command::Healthcheck(args) => return cli::healthcheck::run(args, path).await,
        Command::Completions { shell } => {
            let out = &mut std::io::stdout();
            clap_complete::generate(shell, &mut Cli::command(), "relanced", out);
            return Ok(Exit::Success);
        }
    };
    let app = match cli::open(path) {
        Ok(app) => app,
        Err(exit) => return Ok(exit),
    };
    match command {
        AppCommand::Check(args) => cli::check::run(args, &app).await,
        AppCommand::Plan(args) => cli::plan::run(args, &app).await,
        AppCommand::Once(args) => cli::once::run(args, &app).await,
        AppCommand::Runs(args) => cli::runs::run(args, &app).await,
        AppCommand::Show(args) => cli::show::run(args, &app).await,
        AppCommand::Resolve(args) => cli::resolve::run(args, &app).await,
        AppCommand::Approve(args) => cli::approve::run(args, &app).await,
        AppCommand::Postpone(args) => cli::postpone::run(args, &app).await,
        AppCommand::Exclude(args) => cli::exclusion::run(args, &app, true).await,
        AppCommand::Include(args) => cli::exclusion::run(args, &app, false).await,
        AppCommand::NoteParagraph(args) => cli::note_paragraph::run(args, &app).await,
        AppCommand::Print(args) => cli::print::run(args, &app).await,
        AppCommand::Situation(args) => cli::situation::run(args, &app).await,
        AppCommand::Launch(args) => cli::launch::run(args, &app).await,
        AppCommand::Console(args) => cli::console::run(args, app).await,
        AppCommand::Preview(args) => cli::preview::run(args, &app).await,
        AppCommand::SetupOdoo(args) => cli::setup_odoo::run(args, &app).await,
    }
}
