//! `cargo workbook`: the Rust Concurrency Workbook's runner for learners and
//! instructors (list, status, check, hint, watch, reset, serve, bench,
//! prepare, preflight, room). It is what the README's commands build on a fresh clone, so it
//! depends on `workbook-core` only.
//!
//! `cargo workbook verify ...` (the maintainers' check) is handed over to the
//! `workbook-maintainers` binary (`handoff.rs`), which cargo builds the first
//! time someone runs it: a learner who never runs verify never builds it. That
//! crate depends on this library for [`prepare`] and [`preflight`] (verify's
//! offline and preflight steps) and [`room`] (its class-page check), never the
//! other way.

mod arm64_bench;
mod bench;
mod check;
mod cli;
mod disk;
mod handoff;
mod hint;
mod list;
mod miri_seeds;
pub mod preflight;
mod preflight_tiers;
pub mod prepare;
mod reset;
pub mod room;
mod rounds;
mod serve;
mod state;
mod status;
mod status_file;
mod watch;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use workbook_core::workspace::Workbook;

use crate::cli::{Cli, Command};

/// Runs `cargo workbook <command>` from the process's arguments.
pub fn main() -> ExitCode {
    run_command_line(|cli: Cli| run(cli.command))
}

/// Parses the process's arguments as `C` and runs `run` on them, with the
/// exit codes both binaries share: help and `--version` succeed, bad arguments
/// and errors fail (an error is printed with its causes).
pub fn run_command_line<C: Parser>(run: impl FnOnce(C) -> Result<ExitCode>) -> ExitCode {
    let parsed = match C::try_parse() {
        Ok(parsed) => parsed,
        Err(error) => {
            // Help and --version are not failures; bad arguments exit 1 like any bad input.
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(parsed) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<ExitCode> {
    let done = ExitCode::SUCCESS;
    match command {
        Command::List => list::run(&Workbook::open()?).map(|()| done),
        // `--share` and `--to` come together (see cli.rs): `to` says both.
        Command::Status { share: _, to, name } => {
            let share = to.map(|to| status::Share { to, name });
            status::run(&Workbook::open()?, share.as_ref()).map(|()| done)
        }
        Command::Check { name, solution } => {
            let workbook = Workbook::open()?;
            let exercise = workbook.exercise_named_or_here(name.as_deref())?;
            check::run(&workbook, exercise, solution)
        }
        Command::Hint { name } => {
            let workbook = Workbook::open()?;
            let exercise = workbook.exercise_named_or_here(name.as_deref())?;
            hint::run(&workbook, exercise).map(|()| done)
        }
        Command::Watch { name } => watch::run(&Workbook::open()?, name.as_deref()),
        Command::Reset { name, rev, undo } => {
            let source = match (rev, undo) {
                (_, true) => reset::Source::LastBackup,
                (Some(rev), false) => reset::Source::Revision(rev),
                (None, false) => reset::Source::Shipped,
            };
            reset::run(&Workbook::open()?, &name, &source).map(|()| done)
        }
        Command::Verify { args } => handoff::verify(&args),
        Command::Serve { open, instructor } => serve::run(&Workbook::open()?, open, instructor),
        Command::Bench {
            name,
            arm64,
            import,
            rounds,
        } => {
            let workbook = Workbook::open()?;
            match (arm64, import) {
                (_, Some(folder)) => arm64_bench::import(&workbook, &folder),
                (true, None) => arm64_bench::pack(&workbook, name.as_deref(), rounds),
                (false, None) => bench::run(&workbook, name.as_deref(), rounds),
            }
        }
        Command::Prepare { undo } => prepare::run(&Workbook::open()?, undo),
        Command::Preflight => preflight::run(&Workbook::open()?),
        Command::Room { folder, html } => room::run(&folder, html.as_deref()).map(|()| done),
    }
}
