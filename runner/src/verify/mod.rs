//! `cargo workbook verify`: the maintainers' check, and what CI runs.
//!
//! Each step prints "[i/n] <step>" and ends passed, failed or skipped; every
//! step runs even after a failure, so one CI run reports every problem. A step
//! is skipped only when a tool it needs is missing, which outside CI is a loud
//! warning and under CI=true a failure.

pub mod arm64;
mod book_checks;
mod book_deps;
mod copy;
mod metadata;
mod mutants;
mod offline;
mod quizzes;
mod render;
mod wrong_answers;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::info_file::{Exercise, Tier};
use crate::process::{Invocation, format_duration};
use crate::tiers::Site;
use crate::workspace::Workbook;

pub struct Options {
    pub only: Option<String>,
    pub skip_book: bool,
    pub skip_mutants: bool,
    pub skip_arm64: bool,
}

pub enum Verdict {
    Passed,
    Failed(String),
    /// A tool the step needs is not installed; says which and how to install it.
    Skipped(String),
}

enum Step<'a> {
    Metadata(Vec<&'a Exercise>),
    Clippy,
    StubFails(&'a Exercise),
    SolutionPasses(&'a Exercise, Tier),
    Arm64(Vec<&'a Exercise>),
    Mutants(&'a Exercise),
    WrongAnswers(&'a Exercise),
    Offline,
    BookQuizzes,
    BookTools,
    BookBuild,
    BookRender,
    BookTest,
    BookLinks,
    Preflight,
}

impl fmt::Display for Step<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Metadata(exercises) => {
                write!(
                    f,
                    "metadata: info.toml agrees with the files of {} exercises",
                    exercises.len()
                )
            }
            Step::Clippy => f.write_str("cargo clippy --workspace --all-targets -- -D warnings"),
            Step::StubFails(exercise) => write!(f, "stub {} fails its tests", exercise.package()),
            Step::SolutionPasses(exercise, tier) => {
                write!(
                    f,
                    "solution {} passes tier {tier}",
                    exercise.solution_package()
                )
            }
            Step::Arm64(exercises) => {
                let whose = match exercises.as_slice() {
                    [one] => one.solution_package(),
                    all => format!("{} solutions", all.len()),
                };
                write!(
                    f,
                    "ARM64: every crate builds for {}, and the tests of {whose} pass under QEMU",
                    arm64::TARGET
                )
            }
            Step::Mutants(exercise) => {
                write!(
                    f,
                    "weakened orderings in {} are caught",
                    exercise.solution_package()
                )
            }
            Step::WrongAnswers(exercise) => write!(
                f,
                "wrong answers to {} are caught by their tiers",
                exercise.name
            ),
            Step::BookQuizzes => f.write_str(
                "book: quiz answers about orderings name their quiz-checks tests, which pass under loom and Miri",
            ),
            Step::BookTools => {
                f.write_str("book: the pinned mdBook, mdbook-quiz and mdbook-linkcheck2 are installed")
            }
            Step::BookBuild => f.write_str("book: mdbook build prints no warnings"),
            Step::BookRender => f.write_str(
                "book: every page renders in headless Chromium without errors, quizzes and search work",
            ),
            Step::BookTest => f.write_str("book: mdbook test passes"),
            Step::BookLinks => f.write_str("book: every link resolves (mdbook-linkcheck2)"),
            Step::Offline => f.write_str(
                "offline: with only the vendored crates and an empty CARGO_HOME, every crate \
                 checks and one exercise's solution passes `cargo workbook check`",
            ),
            Step::Preflight => f.write_str("preflight: this machine passes the learners' check"),
        }
    }
}

pub fn run(workbook: &Workbook, options: &Options) -> Result<ExitCode> {
    let exercises: Vec<&Exercise> = match &options.only {
        Some(name) => vec![workbook.info.find(name)?],
        None => workbook.info.exercises.iter().collect(),
    };
    let steps = plan(&exercises, options);
    let in_ci = std::env::var("CI").is_ok_and(|value| value == "true");
    let started = Instant::now();
    let mut shared = Shared {
        workspace_copy: None,
        tools_install: steps
            .iter()
            .any(|step| matches!(step, Step::BookTools))
            .then(|| book_checks::start_installing_tools(workbook))
            .flatten(),
    };
    let mut failed = Vec::new();
    let mut skipped = Vec::new();

    for (index, step) in steps.iter().enumerate() {
        let heading = format!("[{}/{}] {step}", index + 1, steps.len());
        println!("\n{heading}");
        let step_started = Instant::now();
        let verdict = run_step(workbook, step, &mut shared)
            .unwrap_or_else(|error| Verdict::Failed(format!("{error:#}")));
        // Each step's time, so that the CI budget can be kept an eye on.
        let took = format_duration(step_started.elapsed());
        match verdict {
            Verdict::Passed => println!("    passed ({took})"),
            Verdict::Skipped(reason) if in_ci => {
                println!("    FAILED (a missing tool fails under CI=true): {reason}");
                failed.push(format!("{heading}: {reason}"));
            }
            Verdict::Skipped(reason) => {
                println!("    SKIPPED: {reason}");
                skipped.push(format!("{heading}: {reason}"));
            }
            Verdict::Failed(reason) => {
                println!("    FAILED: {reason}");
                failed.push(format!("{heading}: {reason}"));
            }
        }
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
    let passed = steps.len() - failed.len() - skipped.len();
    println!(
        "verify: {passed} passed, {} failed, {} skipped",
        failed.len(),
        skipped.len()
    );
    Ok(if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn plan<'a>(exercises: &[&'a Exercise], options: &Options) -> Vec<Step<'a>> {
    let mut steps = vec![Step::Metadata(exercises.to_vec()), Step::Clippy];
    steps.extend(exercises.iter().map(|&exercise| Step::StubFails(exercise)));
    for &exercise in exercises {
        steps.extend(
            exercise
                .tiers
                .iter()
                .map(|&tier| Step::SolutionPasses(exercise, tier)),
        );
    }
    if !options.skip_arm64 {
        steps.push(Step::Arm64(exercises.to_vec()));
    }
    if !options.skip_mutants {
        let weakenable =
            |e: &&&Exercise| e.tiers.iter().any(|t| matches!(t, Tier::Loom | Tier::Miri));
        steps.extend(
            exercises
                .iter()
                .filter(weakenable)
                .map(|&exercise| Step::Mutants(exercise)),
        );
    }
    steps.extend(
        exercises
            .iter()
            .map(|&exercise| Step::WrongAnswers(exercise)),
    );
    // Whole-workbook checks, for full runs only.
    let full = options.only.is_none();
    if full {
        steps.push(Step::Offline);
    }
    if !options.skip_book {
        steps.extend([
            Step::BookQuizzes,
            Step::BookTools,
            Step::BookBuild,
            Step::BookRender,
            Step::BookTest,
            Step::BookLinks,
        ]);
        if full {
            steps.push(Step::Preflight);
        }
    }
    steps
}

/// What one step leaves for later ones.
struct Shared {
    /// The workspace copy, made by the first step that edits one and reused by the others.
    workspace_copy: Option<PathBuf>,
    /// The book's tools, installing in the background since verify started.
    tools_install: Option<book_checks::ToolsInstall>,
}

fn run_step(workbook: &Workbook, step: &Step, shared: &mut Shared) -> Result<Verdict> {
    match step {
        Step::Metadata(exercises) => {
            let problems = metadata::problems(workbook, exercises);
            Ok(if problems.is_empty() {
                Verdict::Passed
            } else {
                let list = problems.join("\n      ");
                Verdict::Failed(format!("{} problems:\n      {list}", problems.len()))
            })
        }
        Step::Clippy => clippy(workbook),
        Step::StubFails(exercise) => stub_fails(workbook, exercise),
        Step::SolutionPasses(exercise, tier) => solution_passes(workbook, exercise, *tier),
        Step::Arm64(exercises) => arm64::check(workbook, exercises),
        Step::Mutants(exercise) => {
            mutants::check(workbook, exercise, workspace_copy(workbook, shared)?)
        }
        Step::WrongAnswers(exercise) => {
            wrong_answers::check(workbook, exercise, workspace_copy(workbook, shared)?)
        }
        Step::BookQuizzes => quizzes::check(workbook),
        Step::BookTools => book_checks::install_tools(workbook, shared.tools_install.take()),
        Step::BookBuild => book_checks::build(workbook),
        Step::BookRender => render::check(workbook),
        Step::BookTest => book_checks::test(workbook),
        Step::BookLinks => book_checks::links(workbook),
        Step::Offline => offline::check(workbook),
        Step::Preflight => offline::preflight(workbook),
    }
}

/// The workspace copy that mutants and wrong answers are applied to, made the
/// first time a step asks for it.
fn workspace_copy<'s>(workbook: &Workbook, shared: &'s mut Shared) -> Result<&'s Path> {
    if shared.workspace_copy.is_none() {
        let copy = workbook.target_dir().join("edited").join("src");
        println!(
            "copying the workspace to {}",
            workbook.relative(&copy).display()
        );
        copy::prepare_copy(&workbook.root, &copy)?;
        shared.workspace_copy = Some(copy);
    }
    Ok(shared.workspace_copy.as_deref().expect("made above"))
}

/// How long building one package's tests may take in an edited copy.
const BUILD_LIMIT: Duration = Duration::from_secs(900);

/// How long a tier may run on edited code before verify calls it hung. Tests
/// fail a deadlock within seconds, so these only catch what escapes them.
fn run_limit(tier: Tier) -> Duration {
    Duration::from_secs(match tier {
        Tier::Test => 180,
        Tier::Loom => 900,
        Tier::Miri => 1800,
    })
}

fn clippy(workbook: &Workbook) -> Result<Verdict> {
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
        Verdict::Failed("clippy found problems (see above)".to_owned())
    })
}

/// The stub's tests must fail, or the learner has nothing to do: those of the
/// tier named by `stub_fails_in`. Its output, failures by design, goes to a log
/// rather than the terminal.
fn stub_fails(workbook: &Workbook, exercise: &Exercise) -> Result<Verdict> {
    let tier = exercise.stub_fails_in;
    if let Some(reason) = tier.missing_tool() {
        return Ok(Verdict::Skipped(reason));
    }
    let logs = workbook.target_dir().join("verify");
    std::fs::create_dir_all(&logs)?;
    let log = logs.join(format!("{}-stub.log", exercise.name));
    let _ = std::fs::remove_file(&log);
    let test = tier.invocation(&Site::of(workbook), exercise.package(), &exercise.miri_flags);
    println!("$ {test} (output in {})", workbook.relative(&log).display());
    Ok(if test.run_logged(&log)? {
        Verdict::Failed(format!(
            "already solved: `{test}` passes on the stub, so the learner has nothing to do"
        ))
    } else {
        Verdict::Passed
    })
}

fn solution_passes(workbook: &Workbook, exercise: &Exercise, tier: Tier) -> Result<Verdict> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::info_file::{InfoFile, SAMPLE};

    #[test]
    fn plans_every_step_in_order() {
        let info = InfoFile::parse(SAMPLE).unwrap();
        let exercises: Vec<&Exercise> = info.exercises.iter().collect();
        let all = Options {
            only: None,
            skip_book: false,
            skip_mutants: false,
            skip_arm64: false,
        };
        let titles: Vec<String> = plan(&exercises, &all)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            titles,
            [
                "metadata: info.toml agrees with the files of 2 exercises",
                "cargo clippy --workspace --all-targets -- -D warnings",
                "stub racy-ring fails its tests",
                "stub thread-bounds fails its tests",
                "solution racy-ring-solution passes tier test",
                "solution racy-ring-solution passes tier loom",
                "solution racy-ring-solution passes tier miri",
                "solution thread-bounds-solution passes tier test",
                "solution thread-bounds-solution passes tier miri",
                "ARM64: every crate builds for aarch64-unknown-linux-gnu, and the tests of \
                 2 solutions pass under QEMU",
                "weakened orderings in racy-ring-solution are caught",
                "weakened orderings in thread-bounds-solution are caught",
                "wrong answers to racy-ring are caught by their tiers",
                "wrong answers to thread-bounds are caught by their tiers",
                "offline: with only the vendored crates and an empty CARGO_HOME, every crate \
                 checks and one exercise's solution passes `cargo workbook check`",
                "book: quiz answers about orderings name their quiz-checks tests, which pass \
                 under loom and Miri",
                "book: the pinned mdBook, mdbook-quiz and mdbook-linkcheck2 are installed",
                "book: mdbook build prints no warnings",
                "book: every page renders in headless Chromium without errors, quizzes and search work",
                "book: mdbook test passes",
                "book: every link resolves (mdbook-linkcheck2)",
                "preflight: this machine passes the learners' check",
            ]
        );
        let lean = Options {
            only: None,
            skip_book: true,
            skip_mutants: true,
            skip_arm64: true,
        };
        assert_eq!(plan(&exercises, &lean).len(), 12);
    }
}
