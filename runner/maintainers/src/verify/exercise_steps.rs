//! The steps about each exercise's own crates: clippy over the workspace, each
//! stub fails its tests (the learner has something to do), each solution
//! passes each of its tiers.

use std::time::Instant;

use anyhow::Result;
use workbook_core::info_file::{Exercise, Tier};
use workbook_core::process::{Ended, Invocation, format_duration};
use workbook_core::tiers::Site;
use workbook_core::workspace::Workbook;

use super::limits::{BUILD_LIMIT, runs_of, time_to_fail, times};
use super::load;
use super::plan::{Options, Verdict};

pub fn clippy(workbook: &Workbook) -> Result<Verdict> {
    let clippy = Invocation::new("cargo", &workbook.root).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    println!("$ {clippy}");
    Ok(if clippy.run()? {
        Verdict::Passed
    } else {
        Verdict::Failed("clippy found problems (see its log)".to_owned())
    })
}

/// The stub's plain tests must fail, or the learner has nothing to do (and a
/// learner told to run `cargo test` would see green). Its output, failures by
/// design, goes to a log rather than the terminal.
pub fn stub_fails(workbook: &Workbook, exercise: &Exercise, options: &Options) -> Result<Verdict> {
    let tier = Tier::Test;
    if let Some(reason) = tier.missing_tool() {
        return Ok(Verdict::Skipped(reason));
    }
    let logs = workbook.target_dir().join("verify");
    std::fs::create_dir_all(&logs)?;
    let log = logs.join(format!("{}-stub.log", exercise.name));
    let _ = std::fs::remove_file(&log);
    let test = tier.invocation(
        &Site::of(workbook),
        exercise.package(),
        &exercise.miri_flags,
    );
    let build = test.clone().arg("--no-run");
    if build.run_logged_within(&log, BUILD_LIMIT)? != Ended::Passed {
        return Ok(Verdict::Failed(format!(
            "the stub's tests do not build, so the learner cannot start: `{build}` (log: {})",
            workbook.relative(&log).display()
        )));
    }
    let runs = runs_of(tier, options.repeat);
    let limit = time_to_fail(tier, options);
    println!(
        "$ {test} (output in {}){}",
        workbook.relative(&log).display(),
        times(runs)
    );
    let _load = options.under_load.then(load::Load::busier_than_cores);
    for run in 1..=runs {
        let started = Instant::now();
        match test.run_logged_within(&log, limit)? {
            Ended::Failed => println!(
                "run {run}: failed, as it must, in {}",
                format_duration(started.elapsed())
            ),
            Ended::Passed => {
                return Ok(Verdict::Failed(format!(
                    "already solved: `{test}` passes on the stub (run {run} of {runs}), so the \
                     learner has nothing to do"
                )));
            }
            Ended::TimedOut => {
                return Ok(Verdict::Failed(format!(
                    "`{test}` was still running after {} on the stub (run {run} of {runs}) \
                     instead of failing with a message; a learner would see a frozen terminal",
                    format_duration(limit)
                )));
            }
        }
    }
    Ok(Verdict::Passed)
}

pub fn solution_passes(workbook: &Workbook, exercise: &Exercise, tier: Tier) -> Result<Verdict> {
    if let Some(reason) = tier.missing_tool() {
        return Ok(Verdict::Skipped(reason));
    }
    let run = tier.invocation(
        &Site::of(workbook),
        &exercise.solution_package(),
        &exercise.miri_flags,
    );
    println!("$ {run}");
    Ok(if run.run()? {
        Verdict::Passed
    } else {
        Verdict::Failed(format!("the reference solution fails: `{run}`"))
    })
}
