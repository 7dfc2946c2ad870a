//! `workbook-maintainers`: the Rust Concurrency Workbook's checks for its
//! maintainers and CI, `cargo workbook verify` (the learners' binary hands the
//! command over to this one, so that learners never build it). verify checks
//! the metadata, clippy, every stub, solution, wrong answer and ordering
//! mutant, ARM64, the offline setup, the instructor's class page and the
//! book; see [`verify`].
//!
//! It sits on top: it uses `workbook-core`, the learners' `workbook` library
//! (`prepare` and `preflight`, for the offline and preflight steps; `room`, for
//! the class-page step) and
//! `workbook-book` (front matter and schedules, for the metadata step).
//! Nothing depends on it.

mod verify;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use workbook_core::workspace::Workbook;

/// The Rust Concurrency Workbook's checks for maintainers.
#[derive(Parser)]
#[command(name = "cargo workbook", bin_name = "cargo workbook", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Checks the whole workbook: metadata, clippy, stubs, solutions, ARM64, ordering mutants, book.
    Verify {
        /// Restricts the per-exercise steps to this exercise.
        #[arg(long, value_name = "NAME")]
        only: Option<String>,
        /// Skips building, testing and link-checking the book.
        #[arg(long)]
        skip_book: bool,
        /// Skips the weakened-ordering mutants.
        #[arg(long)]
        skip_mutants: bool,
        /// Skips the ARM64 cross build and the solutions' tests under QEMU.
        #[arg(long)]
        skip_arm64: bool,
        /// How many steps run at once (default: one per core).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// How many times the load step runs every solution's tests under load.
        #[arg(long, value_name = "N", default_value_t = 1)]
        load_rounds: usize,
        /// How many times each stub's and each wrong answer's tests run, every one of which
        /// must fail (loom and Miri explore deterministically and run once).
        #[arg(long, value_name = "N", default_value_t = 1)]
        repeat: usize,
        /// Runs only the stubs' and the wrong answers' tests, with more busy threads than
        /// cores, and fails any of them that takes over 15 s to fail.
        #[arg(long)]
        under_load: bool,
        /// Runs only cargo-mutants' mutants of the solutions (of `--only`'s, if given) through
        /// each exercise's tiers; fails on a survivor not listed in equivalent-mutants.toml.
        #[arg(long, conflicts_with = "under_load")]
        cargo_mutants: bool,
        /// Runs only step N of the plan, with its output on the terminal (verify
        /// starts each step this way, with the output going to a log).
        #[arg(long, value_name = "N")]
        step: Option<usize>,
        /// Runs every step, also those whose inputs have not changed since they last passed
        /// (which a run outside CI skips, saying so).
        #[arg(long)]
        all: bool,
    },
}

fn main() -> ExitCode {
    workbook::run_command_line(|cli: Cli| run(cli.command))
}

fn run(command: Command) -> Result<ExitCode> {
    let Command::Verify {
        only,
        skip_book,
        skip_mutants,
        skip_arm64,
        jobs,
        load_rounds,
        repeat,
        under_load,
        cargo_mutants,
        step,
        all,
    } = command;
    verify::run(
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
            cargo_mutants,
            step,
            all,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
