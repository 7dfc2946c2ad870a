//! `cargo workbook`: the Rust Concurrency Workbook's runner, for learners
//! (list, check, hint, watch, reset, serve) and maintainers (verify, bench,
//! and the book's preprocessor).

mod arm64_bench;
mod bench;
mod book;
mod chart;
mod check;
mod cli;
mod front_matter;
mod hint;
mod info_file;
mod list;
mod machine;
mod preflight;
mod prepare;
mod process;
mod reset;
mod results;
mod schedule;
mod serve;
mod shipped;
mod state;
mod tiers;
mod tools;
mod verify;
mod watch;
mod workspace;
mod wrong_answers;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use crate::cli::{Cli, Command};
use crate::workspace::Workbook;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
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
    match run(cli.command) {
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
        Command::Verify {
            only,
            skip_book,
            skip_mutants,
            skip_arm64,
            jobs,
            load_rounds,
            repeat,
            under_load,
            step,
        } => verify::run(
            &Workbook::open()?,
            &verify::Options {
                only,
                skip_book,
                skip_mutants,
                skip_arm64,
                jobs,
                load_rounds,
                repeat,
                under_load,
                step,
            },
        ),
        Command::Serve { open } => serve::run(&Workbook::open()?, open),
        Command::Bench {
            name,
            arm64,
            import,
        } => {
            let workbook = Workbook::open()?;
            match (arm64, import) {
                (_, Some(folder)) => arm64_bench::import(&workbook, &folder),
                (true, None) => arm64_bench::pack(&workbook, name.as_deref()),
                (false, None) => bench::run(&workbook, name.as_deref()),
            }
        }
        Command::Prepare { undo } => prepare::run(&Workbook::open()?, undo),
        Command::Preflight => preflight::run(&Workbook::open()?),
        // Finds the workbook from mdBook's context rather than the current folder.
        Command::BookPreprocessor { query } => book::run(query),
    }
}
