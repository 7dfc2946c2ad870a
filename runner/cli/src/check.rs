//! `cargo workbook check <name> [--solution]`: runs an exercise's tiers and says what a failure means.

use std::process::ExitCode;

use anyhow::Result;

use crate::miri_seeds;
use crate::state::{State, Status};
use workbook_core::info_file::{Exercise, Tier};
use workbook_core::tiers::Site;
use workbook_core::workspace::Workbook;

pub fn run(workbook: &Workbook, exercise: &Exercise, solution: bool) -> Result<ExitCode> {
    let status = if solution {
        let package = exercise.solution_package();
        println!(
            "Checking the reference solution {package} (solutions/{})",
            exercise.dir
        );
        let outcome = run_tiers(
            &Site::of(workbook),
            &package,
            &exercise.tiers,
            &exercise.miri_flags,
        )?;
        report(exercise, outcome, false);
        status_after(outcome)
    } else {
        check_and_record(workbook, exercise)?
    };
    Ok(if status == Status::Verified {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Checks the learner's version of `exercise`, explains the result and records it.
pub fn check_and_record(workbook: &Workbook, exercise: &Exercise) -> Result<Status> {
    println!("Checking {} (exercises/{})", exercise.name, exercise.dir);
    let outcome = run_tiers(
        &Site::of(workbook),
        exercise.package(),
        &exercise.tiers,
        &exercise.miri_flags,
    )?;
    report(exercise, outcome, true);
    let status = status_after(outcome);
    // Loaded afresh: a `hint` in another terminal may have changed the file meanwhile.
    let mut state = State::load(workbook)?;
    state.set_status(&exercise.name, status);
    state.save()?;
    Ok(status)
}

fn status_after(outcome: Outcome) -> Status {
    match outcome {
        Outcome::Passed => Status::Verified,
        Outcome::Failed(Tier::Test) => Status::Failing,
        Outcome::Failed(_) | Outcome::ToolMissing(_) => Status::Passing,
    }
}

fn report(exercise: &Exercise, outcome: Outcome, for_learner: bool) {
    let name = &exercise.name;
    let total = exercise.tiers.len();
    let position = |tier| {
        exercise
            .tiers
            .iter()
            .position(|&t| t == tier)
            .map_or(0, |i| i + 1)
    };
    println!();
    match outcome {
        Outcome::Passed => print!("{}", verified_message(exercise)),
        Outcome::Failed(tier) => {
            println!(
                "{name}: tier {}/{total} ({}) FAILED.",
                position(tier),
                tier.title()
            );
            println!("{}", tier.failure_meaning());
            if for_learner {
                println!("Stuck? `cargo workbook hint {name}` shows one more hint.");
            }
        }
        Outcome::ToolMissing(tier) => {
            println!(
                "{name}: tier {}/{total} ({}) was SKIPPED because its tool is missing (see above); \
                 the tiers before it pass. Install the tool and check again.",
                position(tier),
                tier.title()
            );
        }
    }
}

/// What a full pass means, and what it does not (info.toml's `limits`).
fn verified_message(exercise: &Exercise) -> String {
    let mut message = format!(
        "{} is verified: all {} tiers pass ({}).\n",
        exercise.name,
        exercise.tiers.len(),
        tier_list(&exercise.tiers)
    );
    if !exercise.limits.is_empty() {
        message += "What no tier can check here, so look at it yourself:\n";
        for limit in &exercise.limits {
            message += &format!("  - {limit}\n");
        }
    }
    message
}

fn tier_list(tiers: &[Tier]) -> String {
    tiers
        .iter()
        .map(|tier| tier.title())
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a run of an exercise's tiers ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed(Tier),
    /// Every tier before this one passed, and this one's tool is not installed.
    ToolMissing(Tier),
}

/// Runs `tiers` in order on `package`, streaming their output, until one fails.
pub fn run_tiers(
    site: &Site,
    package: &str,
    tiers: &[Tier],
    miri_flags: &[String],
) -> Result<Outcome> {
    for (index, &tier) in tiers.iter().enumerate() {
        let invocation = tier.invocation(site, package, miri_flags);
        // The Miri tier prints its commands itself, one per seed.
        let command = match tier {
            Tier::Miri => String::new(),
            _ => format!(" - {invocation}"),
        };
        println!(
            "\ntier {}/{}: {}{command}",
            index + 1,
            tiers.len(),
            tier.title()
        );
        if let Some(reason) = tier.missing_tool() {
            println!("{reason}");
            return Ok(Outcome::ToolMissing(tier));
        }
        let passed = match tier {
            Tier::Miri => miri_seeds::run(site, package, miri_flags)?,
            _ => invocation.run()?,
        };
        if !passed {
            return Ok(Outcome::Failed(tier));
        }
    }
    Ok(Outcome::Passed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verified_lists_what_no_tier_can_check() {
        let text = workbook_core::info_file::SAMPLE.replace(
            "hints = [\"only\"]",
            "hints = [\"only\"]\nlimits = [\"First limit.\", \"Second limit.\"]",
        );
        let info = workbook_core::info_file::InfoFile::parse(&text).unwrap();
        assert_eq!(
            verified_message(&info.exercises[0]),
            "racy-ring is verified: all 3 tiers pass (tests, loom model, miri).\n"
        );
        assert_eq!(
            verified_message(&info.exercises[1]),
            "thread-bounds is verified: all 2 tiers pass (tests, miri).\n\
             What no tier can check here, so look at it yourself:\n\
             \x20 - First limit.\n\
             \x20 - Second limit.\n"
        );
    }

    #[test]
    fn only_a_full_pass_is_verified() {
        assert_eq!(status_after(Outcome::Passed), Status::Verified);
        assert_eq!(status_after(Outcome::Failed(Tier::Test)), Status::Failing);
        assert_eq!(status_after(Outcome::Failed(Tier::Loom)), Status::Passing);
        assert_eq!(
            status_after(Outcome::ToolMissing(Tier::Miri)),
            Status::Passing
        );
    }
}
