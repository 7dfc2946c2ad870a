//! The command line: `cargo workbook <command>`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// The Rust Concurrency Workbook's runner.
///
/// Learners: `list`, `status`, `check`, `hint`, `watch`, `reset`, `serve`.
/// Instructors: `prepare`, `room`.
/// Maintainers: `verify` (what CI runs), `check --solution`, `bench`.
#[derive(Parser)]
#[command(name = "cargo workbook", bin_name = "cargo workbook", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Lists every exercise in order, with its status and its page in the book.
    List,
    /// Shows your progress in one line; with `--share --to <FOLDER>`, also writes it there
    /// for the instructor's `room`.
    Status {
        /// Writes your status into the folder `--to` names (a USB stick, a shared drive), in a
        /// file named after you. Nothing is written or sent anywhere without it.
        #[arg(long, requires = "to")]
        share: bool,
        /// The folder to share into.
        #[arg(long, value_name = "FOLDER", requires = "share")]
        to: Option<PathBuf>,
        /// Your name as the instructor will see it; without it, $WORKBOOK_NAME, else git's
        /// user.name.
        #[arg(long, requires = "share")]
        name: Option<String>,
    },
    /// Runs an exercise's test tiers (tests, loom, Miri) in order and stops at the first failure.
    Check {
        /// The exercise, as `list` names it (e.g. `racy-ring`); by default the one whose
        /// folder you are in.
        name: Option<String>,
        /// Checks the reference solution instead of your version (for maintainers).
        #[arg(long)]
        solution: bool,
    },
    /// Shows the exercise's hints, one more each time.
    Hint {
        /// The exercise, as `list` names it; by default the one whose folder you are in.
        name: Option<String>,
    },
    /// Checks an exercise on every save; without a name, moves on to the next once it is verified.
    Watch {
        /// Watches this exercise until Ctrl-C; by default the first one not verified yet,
        /// then the next.
        name: Option<String>,
    },
    /// Restores an exercise's stub as shipped, after backing up your version.
    Reset {
        /// The exercise, as `list` names it.
        name: String,
        /// Restores from this git revision instead of the shipped stub.
        #[arg(long = "from", value_name = "REV", conflicts_with = "undo")]
        rev: Option<String>,
        /// Puts back the version the last reset backed up.
        #[arg(long)]
        undo: bool,
    },
    /// Checks the whole workbook: metadata, clippy, stubs, solutions, ARM64, ordering mutants, book.
    // For maintainers: handed to the `workbook-maintainers` binary (see
    // handoff.rs), whose own `--help` lists the options.
    #[command(disable_help_flag = true)]
    Verify {
        /// verify's options, handed on as they are (`cargo workbook verify --help` lists them).
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "OPTIONS"
        )]
        args: Vec<OsString>,
    },
    /// Serves the book at http://localhost:3000, installing the pinned mdBook first if needed.
    Serve {
        /// Opens the book in the default web browser.
        #[arg(long)]
        open: bool,
        /// Serves the instructor's book, with the speaker notes the learners' book leaves out,
        /// at http://localhost:3001 (the learners' book can run beside it).
        #[arg(long)]
        instructor: bool,
    },
    /// Runs the solutions' benchmarks and records the results for this machine under results/.
    Bench {
        /// The exercise whose solution to benchmark; by default every solution with benchmarks.
        name: Option<String>,
        /// Builds the benchmarks for ARM64 into target/arm64-bench/, to run on a Raspberry Pi,
        /// instead of running them here.
        #[arg(long, conflicts_with = "import")]
        arm64: bool,
        /// Records the measurements in a folder from `--arm64` after its run.sh ran on the Pi.
        #[arg(long, value_name = "FOLDER", conflicts_with = "name")]
        import: Option<PathBuf>,
        /// How many times to run every benchmark, all of them taking turns in each round;
        /// the results keep each variant's median and its range over the rounds.
        #[arg(
            long,
            default_value_t = crate::rounds::DEFAULT_ROUNDS,
            value_parser = clap::value_parser!(u32).range(1..),
            conflicts_with = "import"
        )]
        rounds: u32,
    },
    /// Readies this folder for a workshop without network (instructors, once, online):
    /// toolchains, book tools, vendored crates, Miri's sysroot, warm builds.
    Prepare {
        /// Takes the vendored crates out of .cargo/config.toml again.
        #[arg(long)]
        undo: bool,
    },
    /// Checks that this laptop has everything the workshop needs, and says how to fix what is missing.
    Preflight,
    /// Shows the class at a glance (instructors): who is on which exercise, with how many
    /// hints, from the status files learners shared into a folder; also writes it as a page.
    Room {
        /// The folder the learners shared into with `status --share --to <FOLDER>`.
        folder: PathBuf,
        /// Where to write the page; by default class.html in the folder.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn reset_defaults_to_the_shipped_stub_and_cannot_undo_from_a_revision() {
        let cli = Cli::try_parse_from(["workbook", "reset", "racy-ring"]).unwrap();
        let Command::Reset { rev, undo, .. } = cli.command else {
            panic!("not reset")
        };
        assert_eq!((rev, undo), (None, false));
        assert!(
            Cli::try_parse_from(["workbook", "reset", "racy-ring", "--undo", "--from", "HEAD"])
                .is_err()
        );
    }

    #[test]
    fn status_shares_only_into_a_named_folder() {
        let cli = Cli::try_parse_from(["workbook", "status"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Status {
                share: false,
                to: None,
                name: None
            }
        ));
        for half in [
            &["workbook", "status", "--share"][..],
            &["workbook", "status", "--to", "E:"],
            &["workbook", "status", "--name", "Ana"],
        ] {
            assert!(Cli::try_parse_from(half).is_err(), "{half:?}");
        }
        let cli = Cli::try_parse_from([
            "workbook", "status", "--share", "--to", "E:", "--name", "Ana",
        ])
        .unwrap();
        let Command::Status { share, to, name } = cli.command else {
            panic!("not status")
        };
        assert_eq!(
            (share, to, name),
            (true, Some("E:".into()), Some("Ana".to_owned()))
        );
    }

    #[test]
    fn bench_runs_five_rounds_unless_told_and_never_none() {
        let rounds_of = |args: &[&str]| match Cli::try_parse_from(args).map(|cli| cli.command) {
            Ok(Command::Bench { rounds, .. }) => Some(rounds),
            _ => None,
        };
        assert_eq!(rounds_of(&["workbook", "bench"]), Some(5));
        assert_eq!(rounds_of(&["workbook", "bench", "--rounds", "9"]), Some(9));
        assert_eq!(rounds_of(&["workbook", "bench", "--rounds", "0"]), None);
    }

    #[test]
    fn verify_hands_on_every_argument_help_included() {
        let cli =
            Cli::try_parse_from(["workbook", "verify", "--only", "racy-ring", "--help"]).unwrap();
        let Command::Verify { args } = cli.command else {
            panic!("not verify")
        };
        assert_eq!(args, ["--only", "racy-ring", "--help"]);
    }
}
