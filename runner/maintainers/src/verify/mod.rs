//! `cargo workbook verify`: the maintainers' check, and what CI runs.
//!
//! Each step prints "[i/n] <step>" and ends passed, failed or skipped; every
//! step runs even after a failure, so one CI run reports every problem. A step
//! is skipped only when a tool it needs is missing, which outside CI is a loud
//! warning and under CI=true a failure.

//!
//! This module runs the plan ([`plan`]): each step in a process of its own
//! ([`pool`]), or one step when started as such a process.

mod arm64;
mod book_checks;
mod book_deps;
mod browser;
mod cargo_mutants;
mod catch;
mod claims;
mod class_page;
mod comparisons;
mod copy;
mod equivalents;
mod exercise_steps;
mod limits;
mod load;
mod macos;
mod metadata;
mod mutants;
mod mutants_record;
mod offline;
mod plan;
mod pool;
mod quizzes;
mod render;
mod unchanged;
mod workdirs;
mod wrong_answers;

use std::collections::{HashMap, HashSet};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use workbook_core::info_file::Exercise;
use workbook_core::process::format_duration;
use workbook_core::tools::CARGO_MUTANTS;
use workbook_core::workspace::Workbook;

pub use self::plan::Options;
use self::plan::{Step, Verdict, plan};
use self::workdirs::{Edits, RUN_ID_VARIABLE, copy_dir, copy_tag, ensure_copy, log_dir, run_id};

pub fn run(workbook: &Workbook, options: &Options) -> Result<ExitCode> {
    let exercises: Vec<&Exercise> = match &options.only {
        Some(name) => vec![workbook.info.find(name)?],
        None => workbook.info.exercises.iter().collect(),
    };
    let standing = if options.cargo_mutants || options.under_load {
        mutants_record::Standing {
            changed: Vec::new(),
            unrecorded: Vec::new(),
        }
    } else {
        mutants_record::standing(workbook, &exercises)?
    };
    let steps = plan(&exercises, options, &standing.changed);
    if let Some(number) = options.step {
        return run_child(workbook, &steps, options, number);
    }
    if !standing.unrecorded.is_empty() {
        let names: Vec<&str> = standing
            .unrecorded
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        println!(
            "cargo-mutants has no record yet for {} (judged only by a maintainer's \
             `cargo workbook verify --cargo-mutants --only <name>`)",
            names.join(", ")
        );
    }
    let mutants_inputs = cargo_mutants_inputs(workbook, &steps)?;
    let in_ci = std::env::var("CI").is_ok_and(|value| value == "true");
    let started = Instant::now();
    let fingerprints = unchanged::fingerprints(workbook, &steps)?;
    let passed_before = unchanged::Passed::load(workbook);
    let unchanged = if in_ci || options.all {
        HashSet::new()
    } else {
        passed_before.unchanged(&fingerprints, &steps, options)
    };
    if unchanged.len() == steps.len() {
        println!(
            "all {} steps passed before and their inputs have not changed since: nothing to \
             run (`--all` runs them again)",
            steps.len()
        );
        println!(
            "verify: 0 passed, 0 failed, 0 skipped ({} unchanged since they passed, not run)",
            steps.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if !unchanged.is_empty() {
        println!(
            "{} of {} steps passed before and their inputs have not changed since: not run \
             again (`--all` runs them). Those that run:",
            unchanged.len(),
            steps.len()
        );
        for (index, step) in steps.iter().enumerate() {
            if !unchanged.contains(&index) {
                println!("  [{}] {step}", index + 1);
            }
        }
    }
    for edits in Edits::ALL {
        let needed = steps
            .iter()
            .enumerate()
            .any(|(index, step)| step.edits() == Some(edits) && !unchanged.contains(&index));
        if needed {
            let copy = copy_dir(workbook, edits);
            println!(
                "copying the workspace to {}",
                workbook.relative(&copy).display()
            );
            copy::prepare_copy(&workbook.root, &copy, &copy_tag(edits))?;
        }
    }
    let jobs = options.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
    });
    // SAFETY: no other thread runs yet; the steps' processes inherit the id.
    unsafe { std::env::set_var(RUN_ID_VARIABLE, run_id()) };
    let verdicts = pool::run_all(
        workbook,
        &steps,
        options,
        &log_dir(workbook),
        jobs.max(1),
        &unchanged,
    )?;
    passed_before.record(&steps, options, &fingerprints, &verdicts)?;
    record_cargo_mutants(workbook, &steps, &verdicts, &mutants_inputs)?;
    for edits in Edits::ALL {
        // The copies are remade each run; a copy left behind is only disk space.
        let _ = std::fs::remove_dir_all(copy_dir(workbook, edits));
    }

    let mut failed = Vec::new();
    let mut skipped = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        let heading = format!("[{}/{}] {step}", index + 1, steps.len());
        match verdicts.get(&index) {
            Some((Verdict::Passed, _)) => {}
            None if unchanged.contains(&index) => {}
            Some((Verdict::Skipped(reason), _)) if in_ci => {
                failed.push(format!(
                    "{heading}: (a missing tool fails under CI=true) {reason}"
                ));
            }
            Some((Verdict::Skipped(reason), _)) => skipped.push(format!("{heading}: {reason}")),
            Some((Verdict::Failed(reason), _)) => failed.push(format!("{heading}: {reason}")),
            None => failed.push(format!("{heading}: never ran")),
        }
    }
    // The slowest steps, so that the CI budget can be kept an eye on.
    let mut times: Vec<(usize, Duration)> =
        verdicts.iter().map(|(&i, (_, took))| (i, *took)).collect();
    times.sort_by_key(|&(_, took)| std::cmp::Reverse(took));
    let table: Vec<String> = times
        .iter()
        .map(|(index, took)| {
            format!(
                "  {:>7}  [{}] {}",
                format_duration(*took),
                index + 1,
                steps[*index]
            )
        })
        .collect();
    let table_file = workbook.target_dir().join("verify").join("step-times.txt");
    std::fs::write(&table_file, table.join("\n") + "\n")?;
    println!(
        "\nslowest steps (all of them in {}):",
        workbook.relative(&table_file).display()
    );
    for line in table.iter().take(15) {
        println!("{line}");
    }

    println!(
        "\nverify finished {} steps in {}.",
        steps.len(),
        format_duration(started.elapsed())
    );
    for line in &failed {
        println!("FAILED  {line}");
    }
    if !skipped.is_empty() {
        println!(
            "WARNING: {} SKIPPED because a tool is missing; under CI=true that fails.",
            match skipped.len() {
                1 => "1 step was".to_owned(),
                n => format!("{n} steps were"),
            }
        );
        for line in &skipped {
            println!("SKIPPED {line}");
        }
    }
    // Last, and in the plain form that CI reads as the run's test count.
    let passed = steps.len() - failed.len() - skipped.len() - unchanged.len();
    let not_run = match unchanged.len() {
        0 => String::new(),
        n => format!(" ({n} unchanged since they passed, not run)"),
    };
    println!(
        "verify: {passed} passed, {} failed, {} skipped{not_run}",
        failed.len(),
        skipped.len()
    );
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One step, run in a child process of `run`: its output goes to the step's
/// log, its verdict to a file beside it.
fn run_child(
    workbook: &Workbook,
    steps: &[Step],
    options: &Options,
    number: usize,
) -> Result<ExitCode> {
    let index = number
        .checked_sub(1)
        .filter(|&index| index < steps.len())
        .with_context(|| format!("there is no step {number}; this plan has {}", steps.len()))?;
    let step = &steps[index];
    println!("[{number}/{}] {step}", steps.len());
    let verdict = run_step(workbook, step, options)
        .unwrap_or_else(|error| Verdict::Failed(format!("{error:#}")));
    match &verdict {
        Verdict::Passed => println!("    passed"),
        Verdict::Skipped(reason) => println!("    SKIPPED: {reason}"),
        Verdict::Failed(reason) => println!("    FAILED: {reason}"),
    }
    let log_dir = log_dir(workbook);
    std::fs::create_dir_all(&log_dir)?;
    pool::write_verdict(&log_dir, index, &verdict)?;
    Ok(match verdict {
        Verdict::Failed(_) => ExitCode::FAILURE,
        Verdict::Passed | Verdict::Skipped(_) => ExitCode::SUCCESS,
    })
}

fn run_step(workbook: &Workbook, step: &Step, options: &Options) -> Result<Verdict> {
    match step {
        Step::Metadata(exercises) => Ok(Verdict::from_problems(&metadata::problems(
            workbook, exercises,
        ))),
        Step::Clippy => exercise_steps::clippy(workbook),
        Step::StubFails(exercise) => exercise_steps::stub_fails(workbook, exercise, options),
        Step::SolutionPasses(exercise, tier) => {
            exercise_steps::solution_passes(workbook, exercise, *tier)
        }
        Step::Arm64(exercises) => arm64::check(workbook, exercises),
        Step::MacOs => macos::check(workbook),
        Step::UnderLoad(exercises, rounds) => load::check(workbook, exercises, *rounds),
        Step::Mutants(exercise) => {
            let copy = ensure_copy(workbook, Edits::Mutants)?;
            mutants::check(workbook, exercise, &copy)
        }
        Step::CargoMutants(exercise) => {
            let copy = ensure_copy(workbook, Edits::CargoMutants)?;
            cargo_mutants::check(workbook, exercise, &copy)
        }
        Step::WrongAnswers(exercise) => {
            let copy = ensure_copy(workbook, Edits::WrongAnswers)?;
            wrong_answers::check(workbook, exercise, &copy, options)
        }
        Step::BookQuizzes => quizzes::check(workbook),
        Step::BookClaims => claims::check(workbook),
        Step::BookTools => book_checks::install_tools(workbook),
        Step::BookBuild => book_checks::build(workbook),
        Step::BookRender => render::check(workbook),
        Step::BookTest => book_checks::test(workbook),
        Step::BookLinks => book_checks::links(workbook),
        Step::Offline => offline::check(workbook),
        Step::ClassPage => class_page::check(workbook),
        Step::Preflight => offline::preflight(workbook),
    }
}

/// The hash of each cargo-mutants step's files, taken before the run, so that
/// the record names the files the run saw.
fn cargo_mutants_inputs(workbook: &Workbook, steps: &[Step]) -> Result<HashMap<String, String>> {
    steps
        .iter()
        .filter_map(|step| match step {
            Step::CargoMutants(exercise) => Some(exercise),
            _ => None,
        })
        .map(|exercise| {
            let inputs = mutants_record::inputs(&workbook.root, exercise)?;
            Ok((exercise.name.clone(), inputs))
        })
        .collect()
}

/// Writes the row of each cargo-mutants step that passed into
/// [`workbook_core::mutants_record::FILE`], with the hash of the files it read.
fn record_cargo_mutants(
    workbook: &Workbook,
    steps: &[Step],
    verdicts: &pool::Verdicts,
    inputs: &HashMap<String, String>,
) -> Result<()> {
    let passed: Vec<&Exercise> = steps
        .iter()
        .enumerate()
        .filter_map(|(index, step)| match (step, verdicts.get(&index)) {
            (Step::CargoMutants(exercise), Some((Verdict::Passed, _))) => Some(*exercise),
            _ => None,
        })
        .collect();
    if passed.is_empty() {
        return Ok(());
    }
    let mut record = workbook_core::mutants_record::load(&workbook.root)?;
    let ran = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    for exercise in &passed {
        let entry = workbook_core::mutants_record::Entry {
            inputs: inputs[&exercise.name].clone(),
            cargo_mutants: CARGO_MUTANTS.version.to_owned(),
            ran: ran.clone(),
            row: cargo_mutants::last_row(workbook, exercise)?,
        };
        record.insert(exercise.name.clone(), entry);
    }
    workbook_core::mutants_record::store(&workbook.root, &record)?;
    let names: Vec<&str> = passed.iter().map(|e| e.name.as_str()).collect();
    println!(
        "cargo-mutants' results for {} recorded in {}: commit it with the change, so that CI \
         need not run them again",
        names.join(", "),
        workbook_core::mutants_record::FILE
    );
    Ok(())
}
