//! The wrong-answer corpus: each mistake in a solution's `wrong-answers.toml`
//! is made in the workspace copy, must still build, and must then fail the tier
//! it names, within that tier's time limit (a hang is not a catch: the learner
//! would be left with a frozen terminal).

use std::path::Path;

use anyhow::Result;

use super::catch::Catcher;
use super::copy::Restore;
use super::limits;
use super::load::Load;
use super::plan::{Options, Verdict};
use super::workdirs::fresh_log;
use workbook_core::info_file::{Exercise, Tier};
use workbook_core::process::{Ended, format_duration};
use workbook_core::tiers::Site;
use workbook_core::workspace::Workbook;
use workbook_core::wrong_answers::{self, WrongAnswer};

/// Checks every wrong answer of `exercise` inside the workspace copy at `copy`.
pub fn check(
    workbook: &Workbook,
    exercise: &Exercise,
    copy: &Path,
    options: &Options,
) -> Result<Verdict> {
    let corpus = wrong_answers::load(&workbook.root, exercise)?;
    if corpus.is_empty() {
        return Ok(Verdict::Failed(format!(
            "no wrong answers: write the mistakes learners make in solutions/{}/{}",
            exercise.dir,
            wrong_answers::FILE_NAME
        )));
    }
    let log = fresh_log(workbook, &exercise.name, "wrong-answers")?;
    println!(
        "{} wrong answers; their output goes to {}",
        corpus.len(),
        workbook.relative(&log).display()
    );
    let site = Site {
        workspace: copy.to_owned(),
        target: workbook.target_dir(),
    };
    let copied_crate = copy.join("solutions").join(&exercise.dir);
    let package = exercise.solution_package();
    let mut catcher = Catcher::new(&site, package, &exercise.miri_flags, &copied_crate)?;
    let mut problems = Vec::new();
    let mut missing_tool = None;
    for wrong in &corpus {
        let tier = wrong.caught_by;
        if options.under_load && tier != Tier::Test {
            // loom and Miri explore schedules of their own: load changes nothing.
            continue;
        }
        if let Some(reason) = tier.missing_tool() {
            println!("{}: cannot run {tier} here", wrong.name);
            missing_tool = Some(reason);
            continue;
        }
        match judge(
            &mut catcher,
            &site,
            exercise,
            wrong,
            &copied_crate,
            &log,
            options,
        )? {
            Judgement::Caught(took) => {
                println!("{}: caught by {tier} ({took})", wrong.name)
            }
            Judgement::Problem(problem) => {
                println!("{}: {problem}", wrong.name);
                problems.push(format!("{} ({problem})", wrong.name));
            }
        }
    }
    Ok(if !problems.is_empty() {
        Verdict::Failed(format!(
            "{}; log: {}",
            problems.join(", "),
            workbook.relative(&log).display()
        ))
    } else if let Some(reason) = missing_tool {
        Verdict::Skipped(reason)
    } else {
        Verdict::Passed
    })
}

enum Judgement {
    /// The tier failed, after the given time.
    Caught(String),
    Problem(String),
}

fn judge(
    catcher: &mut Catcher,
    site: &Site,
    exercise: &Exercise,
    wrong: &WrongAnswer,
    crate_dir: &Path,
    log: &Path,
    options: &Options,
) -> Result<Judgement> {
    // Read every file first and restore them all when done, also on error.
    let mut originals = Vec::new();
    for edit in &wrong.edits {
        let path = crate_dir.join(&edit.file);
        if !originals.iter().any(|(p, _)| p == &path) {
            let text = std::fs::read_to_string(&path)?;
            originals.push((path, text));
        }
    }
    let _restore: Vec<Restore> = originals
        .iter()
        .map(|(path, original)| Restore { path, original })
        .collect();
    for edit in &wrong.edits {
        let path = crate_dir.join(&edit.file);
        let text = std::fs::read_to_string(&path)?;
        match edit.apply(&text) {
            Ok(edited) => std::fs::write(&path, edited)?,
            Err(error) => return Ok(Judgement::Problem(format!("{error:#}"))),
        }
    }

    let tier = wrong.caught_by;
    let package = exercise.solution_package();
    let build = tier
        .invocation(site, &package, &exercise.miri_flags)
        .arg("--no-run");
    if build.run_logged_within(log, limits::BUILD_LIMIT)? != Ended::Passed {
        return Ok(Judgement::Problem(
            "does not build, so it proves nothing".to_owned(),
        ));
    }
    let limit = limits::time_to_fail(tier, options);
    let runs = limits::runs_of(tier, options.repeat);
    let _load = options.under_load.then(Load::busier_than_cores);
    let started = std::time::Instant::now();
    for number in 1..=runs {
        match catcher.run(tier, wrong.filter.as_deref(), log, limit)? {
            Ended::Failed => {}
            Ended::Passed => {
                return Ok(Judgement::Problem(format!(
                    "NOT CAUGHT: tier {tier} passes (run {number} of {runs})"
                )));
            }
            Ended::TimedOut => {
                return Ok(Judgement::Problem(format!(
                    "HUNG: tier {tier} was still running after {} (run {number} of {runs}); it \
                     must fail, not hang",
                    format_duration(limit)
                )));
            }
        }
    }
    Ok(Judgement::Caught(format!(
        "{}{}",
        format_duration(started.elapsed()),
        limits::times(runs)
    )))
}
