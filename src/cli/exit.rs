//! The exit codes of `relanced`, by what they mean to a script or to systemd.

use std::process::ExitCode;

/// How `relanced` ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// All is well.
    Success,
    /// `check` found problems, a daemon is not ready, or an error was printed.
    Failure,
    /// The configuration is invalid (every problem printed).
    Config,
    /// Some actions of the run failed (retried by the next run, listed in the summary),
    /// or the run stopped at a server it cannot reach.
    ActionsFailed,
    /// Emails of uncertain fate wait for a person (`relanced resolve`).
    Uncertain,
    /// The command is not built into this binary (EX_USAGE).
    NotBuiltIn,
    /// relanced itself cannot work: the async runtime did not start (EX_SOFTWARE).
    Internal,
}

impl Exit {
    /// The exit of a run: every action done, or some failed.
    pub fn of_run(outcome: &relanced::operate::RunOutcome) -> Exit {
        if outcome.all_done() {
            Exit::Success
        } else {
            Exit::ActionsFailed
        }
    }

    /// `Success` when `ok`, else `Failure`.
    pub fn success_if(ok: bool) -> Exit {
        if ok { Exit::Success } else { Exit::Failure }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(match exit {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Config => 2,
            Exit::ActionsFailed => 3,
            Exit::Uncertain => 4,
            Exit::NotBuiltIn => 64,
            Exit::Internal => 70,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_exit_has_the_code_scripts_and_systemd_rely_on() {
        let codes = [
            (Exit::Success, 0u8),
            (Exit::Failure, 1),
            (Exit::Config, 2),
            (Exit::ActionsFailed, 3),
            (Exit::Uncertain, 4),
            (Exit::NotBuiltIn, 64),
            (Exit::Internal, 70),
        ];
        for (exit, code) in codes {
            assert_eq!(ExitCode::from(exit), ExitCode::from(code), "{exit:?}");
        }
    }
}
