//! `cargo workbook verify`: the maintainers' check, and what CI runs.
//!
//! Each step prints "[i/n] <step>" and ends passed, failed or skipped; every
//! step runs even after a failure, so one CI run reports every problem. A step
//! is skipped only when a tool it needs is missing, which outside CI is a loud
//! warning and under CI=true a failure.

pub mod arm64;
mod book_checks;
mod book_deps;
mod catch;
mod copy;
mod load;
mod metadata;
mod mutants;
mod offline;
mod pool;
mod quizzes;
mod render;
mod wrong_answers;

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::info_file::{Exercise, Tier};
use crate::process::{Ended, Invocation, format_duration};
use crate::tiers::Site;
use crate::workspace::Workbook;

pub struct Options {
    pub only: Option<String>,
    pub skip_book: bool,
    pub skip_mutants: bool,
    pub skip_arm64: bool,
    /// How many steps run at once; by default, one per core.
    pub jobs: Option<usize>,
    /// How many times the load step runs the solutions' tests.
    pub load_rounds: usize,
    /// How many times the stubs' and the wrong answers' tests run, each of
    /// which must fail (loom and Miri are deterministic and run once).
    pub repeat: usize,
    /// Run only the stubs' and the wrong answers' tests, under load, each of
    /// which must fail within [`FAIL_UNDER_LOAD_WITHIN`].
    pub under_load: bool,
    /// Run just this step (numbered from 1), as a child of a verify run.
    pub step: Option<usize>,
}

impl Options {
    /// The options that choose the steps, as command-line arguments, so a
    /// child process plans the same steps.
    fn as_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(only) = &self.only {
            args.extend(["--only".to_owned(), only.clone()]);
        }
        args.extend(["--load-rounds".to_owned(), self.load_rounds.to_string()]);
        args.extend(["--repeat".to_owned(), self.repeat.to_string()]);
        for (set, flag) in [
            (self.skip_book, "--skip-book"),
            (self.skip_mutants, "--skip-mutants"),
            (self.skip_arm64, "--skip-arm64"),
            (self.under_load, "--under-load"),
        ] {
            if set {
                args.push(flag.to_owned());
            }
        }
        args
    }
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
    UnderLoad(Vec<&'a Exercise>, usize),
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

/// The two kinds of step that edit a copy of the workspace, each its own copy
/// so that they can run at the same time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edits {
    Mutants,
    WrongAnswers,
}

impl Edits {
    /// Its copy's folder name, and the version tag that keeps its builds apart.
    fn tag(self) -> &'static str {
        match self {
            Edits::Mutants => "mutant",
            Edits::WrongAnswers => "wrong",
        }
    }
}

impl Step<'_> {
    fn edits(&self) -> Option<Edits> {
        match self {
            Step::Mutants(_) => Some(Edits::Mutants),
            Step::WrongAnswers(_) => Some(Edits::WrongAnswers),
            _ => None,
        }
    }
}

/// Where the workspace copy for `edits` is, made by `run` before any step starts.
fn copy_dir(workbook: &Workbook, edits: Edits) -> PathBuf {
    workbook.target_dir().join("edited").join(copy_tag(edits))
}

/// The copy's version tag: the kind of edit and the verify run, so that two
/// verify runs at once (two maintainers' terminals) never build over each
/// other's edited crates.
fn copy_tag(edits: Edits) -> String {
    format!("{}.{}", edits.tag(), run_id())
}

/// The copy for `edits`: the one `run` made before starting the steps, or,
/// for a step run by hand (`verify --step N`), a new one.
fn ensure_copy(workbook: &Workbook, edits: Edits) -> Result<PathBuf> {
    let copy = copy_dir(workbook, edits);
    if !copy.join("Cargo.toml").exists() {
        println!(
            "copying the workspace to {}",
            workbook.relative(&copy).display()
        );
        copy::prepare_copy(&workbook.root, &copy, &copy_tag(edits))?;
    }
    Ok(copy)
}

/// Tells apart the concurrent runs of verify on one machine: the parent's
/// process id, handed on to its steps.
fn run_id() -> String {
    std::env::var(RUN_ID_VARIABLE).unwrap_or_else(|_| std::process::id().to_string())
}

/// Carries [`run_id`] from a verify run to its steps' processes.
const RUN_ID_VARIABLE: &str = "WORKBOOK_VERIFY_RUN";

/// Where the steps' logs and verdicts go.
fn log_dir(workbook: &Workbook) -> PathBuf {
    workbook
        .target_dir()
        .join("verify")
        .join(format!("steps-{}", run_id()))
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
            Step::UnderLoad(exercises, rounds) => {
                let whose = match exercises.as_slice() {
                    [one] => format!("{}'s tests pass", one.solution_package()),
                    all => format!("the tests of {} solutions pass", all.len()),
                };
                let times = match rounds {
                    1 => String::new(),
                    n => format!(", {n} times"),
                };
                write!(f, "under load (more busy threads than cores), {whose}{times}")
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
    if let Some(number) = options.step {
        return run_child(workbook, &steps, options, number);
    }
    let in_ci = std::env::var("CI").is_ok_and(|value| value == "true");
    let started = Instant::now();
    for edits in [Edits::Mutants, Edits::WrongAnswers] {
        if steps.iter().any(|step| step.edits() == Some(edits)) {
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
    let verdicts = pool::run_all(workbook, &steps, options, &log_dir(workbook), jobs.max(1))?;
    for edits in [Edits::Mutants, Edits::WrongAnswers] {
        // The copies are remade each run; a copy left behind is only disk space.
        let _ = std::fs::remove_dir_all(copy_dir(workbook, edits));
    }

    let mut failed = Vec::new();
    let mut skipped = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        let heading = format!("[{}/{}] {step}", index + 1, steps.len());
        match verdicts.get(&index) {
            Some((Verdict::Passed, _)) => {}
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

fn plan<'a>(exercises: &[&'a Exercise], options: &Options) -> Vec<Step<'a>> {
    if options.under_load {
        let stubs = exercises.iter().map(|&exercise| Step::StubFails(exercise));
        let wrong = exercises
            .iter()
            .map(|&exercise| Step::WrongAnswers(exercise));
        return stubs.chain(wrong).collect();
    }
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
    steps.push(Step::UnderLoad(exercises.to_vec(), options.load_rounds));
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

fn run_step(workbook: &Workbook, step: &Step, options: &Options) -> Result<Verdict> {
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
        Step::StubFails(exercise) => stub_fails(workbook, exercise, options),
        Step::SolutionPasses(exercise, tier) => solution_passes(workbook, exercise, *tier),
        Step::Arm64(exercises) => arm64::check(workbook, exercises),
        Step::UnderLoad(exercises, rounds) => load::check(workbook, exercises, *rounds),
        Step::Mutants(exercise) => {
            let copy = ensure_copy(workbook, Edits::Mutants)?;
            mutants::check(workbook, exercise, &copy)
        }
        Step::WrongAnswers(exercise) => {
            let copy = ensure_copy(workbook, Edits::WrongAnswers)?;
            wrong_answers::check(workbook, exercise, &copy, options)
        }
        Step::BookQuizzes => quizzes::check(workbook),
        Step::BookTools => book_checks::install_tools(workbook),
        Step::BookBuild => book_checks::build(workbook),
        Step::BookRender => render::check(workbook),
        Step::BookTest => book_checks::test(workbook),
        Step::BookLinks => book_checks::links(workbook),
        Step::Offline => offline::check(workbook),
        Step::Preflight => offline::preflight(workbook),
    }
}

/// With `--under-load`, how long a stub's or a wrong answer's tests may take
/// to fail: a learner's deadlock must fail within seconds on a busy laptop too.
pub const FAIL_UNDER_LOAD_WITHIN: Duration = Duration::from_secs(15);

/// How long building one package's tests may take in an edited copy.
const BUILD_LIMIT: Duration = Duration::from_secs(900);

/// How long a tier may run on edited code before verify calls it hung. Tests
/// fail a deadlock within seconds, so these only catch what escapes them.
/// How long a stub's or a wrong answer's `tier` may run before it counts as
/// hung: [`run_limit`], or under `--under-load` the tests' promise to fail fast.
fn time_to_fail(tier: Tier, options: &Options) -> Duration {
    if options.under_load && tier == Tier::Test {
        FAIL_UNDER_LOAD_WITHIN
    } else {
        run_limit(tier)
    }
}

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
        Verdict::Failed("clippy found problems (see its log)".to_owned())
    })
}

/// The stub's plain tests must fail, or the learner has nothing to do (and a
/// learner told to run `cargo test` would see green). Its output, failures by
/// design, goes to a log rather than the terminal.
fn stub_fails(workbook: &Workbook, exercise: &Exercise, options: &Options) -> Result<Verdict> {
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

/// How many times a tier runs to show it fails "on every run": `repeat` for
/// the tests, whose threads interleave differently each time; once for loom,
/// which explores the same interleavings every time, and for Miri, whose
/// scheduler seeds are fixed.
fn runs_of(tier: Tier, repeat: usize) -> usize {
    match tier {
        Tier::Test => repeat.max(1),
        Tier::Loom | Tier::Miri => 1,
    }
}

/// " (20 times)", or nothing for one run.
fn times(runs: usize) -> String {
    match runs {
        1 => String::new(),
        n => format!(" ({n} times)"),
    }
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
            jobs: None,
            load_rounds: 1,
            repeat: 1,
            under_load: false,
            step: None,
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
                "under load (more busy threads than cores), the tests of 2 solutions pass",
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
            jobs: None,
            load_rounds: 1,
            repeat: 1,
            under_load: false,
            step: None,
        };
        assert_eq!(plan(&exercises, &lean).len(), 13);
        let under_load = Options {
            under_load: true,
            ..all
        };
        let titles: Vec<String> = plan(&exercises, &under_load)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            titles,
            [
                "stub racy-ring fails its tests",
                "stub thread-bounds fails its tests",
                "wrong answers to racy-ring are caught by their tiers",
                "wrong answers to thread-bounds are caught by their tiers",
            ]
        );
    }
}
