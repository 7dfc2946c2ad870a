//! verify's plan: its options, the steps they choose, in order, and what a
//! step ends with.

use std::fmt;

use workbook_core::info_file::{Exercise, Tier};

use super::workdirs::Edits;

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
    /// Run only cargo-mutants' mutants of the solutions through their tiers
    /// (see [`super::cargo_mutants`]): a maintainers' mode, not in the default plan.
    pub cargo_mutants: bool,
    /// Run just this step (numbered from 1), as a child of a verify run.
    pub step: Option<usize>,
    /// Run every step, even one whose inputs are as they were when it last
    /// passed (see [`super::unchanged`]).
    pub all: bool,
}

impl Options {
    /// The options that choose the steps, as command-line arguments, so a
    /// child process plans the same steps.
    pub fn as_args(&self) -> Vec<String> {
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
            (self.cargo_mutants, "--cargo-mutants"),
        ] {
            if set {
                args.push(flag.to_owned());
            }
        }
        args
    }
}

/// What a step ended with.
pub enum Verdict {
    Passed,
    Failed(String),
    /// A tool the step needs is not installed; says which and how to install it.
    Skipped(String),
}

impl Verdict {
    /// Passed if there is no problem, else failed with the problems, one a line.
    pub fn from_problems(problems: &[String]) -> Self {
        if problems.is_empty() {
            Verdict::Passed
        } else {
            Verdict::Failed(format!(
                "{} problems:\n      {}",
                problems.len(),
                problems.join("\n      ")
            ))
        }
    }

    /// Panics with the reason unless the step passed: for the tests that run
    /// one step on the real workbook.
    #[cfg(test)]
    pub fn assert_passed(self) {
        match self {
            Verdict::Passed => {}
            Verdict::Failed(reason) | Verdict::Skipped(reason) => panic!("{reason}"),
        }
    }
}

pub enum Step<'a> {
    Metadata(Vec<&'a Exercise>),
    Clippy,
    StubFails(&'a Exercise),
    SolutionPasses(&'a Exercise, Tier),
    Arm64(Vec<&'a Exercise>),
    UnderLoad(Vec<&'a Exercise>, usize),
    Mutants(&'a Exercise),
    CargoMutants(&'a Exercise),
    WrongAnswers(&'a Exercise),
    Offline,
    ClassPage,
    MacOs,
    BookQuizzes,
    BookClaims,
    BookTools,
    BookBuild,
    BookRender,
    BookTest,
    BookLinks,
    Preflight,
}

impl Step<'_> {
    pub fn edits(&self) -> Option<Edits> {
        match self {
            Step::Mutants(_) => Some(Edits::Mutants),
            Step::CargoMutants(_) => Some(Edits::CargoMutants),
            Step::WrongAnswers(_) => Some(Edits::WrongAnswers),
            _ => None,
        }
    }
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
                    workbook_core::arm64::TARGET
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
            Step::CargoMutants(exercise) => write!(
                f,
                "cargo-mutants' mutants of {} are caught or listed as equivalent",
                exercise.solution_package()
            ),
            Step::WrongAnswers(exercise) => write!(
                f,
                "wrong answers to {} are caught by their tiers",
                exercise.name
            ),
            Step::BookQuizzes => f.write_str(
                "book: quiz answers about orderings name their quiz-checks tests, which pass under loom and Miri",
            ),
            Step::BookClaims => f.write_str(
                "book: every measured comparison in the prose comes from the results files, \
                 and no machine contradicts what a sentence claims",
            ),
            Step::BookTools => {
                f.write_str("book: the pinned mdBook, mdbook-quiz and mdbook-linkcheck2 are installed")
            }
            Step::BookBuild => f.write_str(
                "book: mdbook build prints no warnings, for learners (no speaker notes) and \
                 for the instructor (notes kept)",
            ),
            Step::BookRender => f.write_str(
                "book: every page renders in headless Chromium without errors, quizzes and search work",
            ),
            Step::BookTest => f.write_str("book: mdbook test passes"),
            Step::BookLinks => f.write_str("book: every link resolves (mdbook-linkcheck2)"),
            Step::Offline => f.write_str(
                "offline: with only the vendored crates and an empty CARGO_HOME, every crate \
                 is found and one exercise's solution passes `cargo workbook check`",
            ),
            Step::ClassPage => f.write_str(
                "class page: `cargo workbook room`'s page of a sample class renders in headless \
                 Chromium, offline and without scripts, every learner and skipped file shown",
            ),
            Step::MacOs => write!(
                f,
                "macOS: every crate type-checks for {} (a check: Apple's linker is not here)",
                super::macos::TARGET
            ),
            Step::Preflight => f.write_str("preflight: this machine passes the learners' check"),
        }
    }
}

/// The steps for `exercises`; `mutants_out_of_date` are those whose solution's
/// cargo-mutants record is missing or older than its files (see
/// [`super::mutants_record`]), judged again in the default plan.
pub fn plan<'a>(
    exercises: &[&'a Exercise],
    options: &Options,
    mutants_out_of_date: &[&'a Exercise],
) -> Vec<Step<'a>> {
    if options.cargo_mutants {
        return exercises
            .iter()
            .map(|&exercise| Step::CargoMutants(exercise))
            .collect();
    }
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
    if !options.skip_mutants {
        steps.extend(
            mutants_out_of_date
                .iter()
                .map(|&exercise| Step::CargoMutants(exercise)),
        );
    }
    // Whole-workbook checks, for full runs only.
    let full = options.only.is_none();
    if full {
        steps.extend([Step::Offline, Step::ClassPage, Step::MacOs]);
    }
    if !options.skip_book {
        steps.extend([
            Step::BookQuizzes,
            Step::BookClaims,
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

#[cfg(test)]
mod tests {
    use super::*;
    use workbook_core::info_file::{InfoFile, SAMPLE};

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
            cargo_mutants: false,
            step: None,
            all: false,
        };
        let titles = |options: &Options| -> Vec<String> {
            plan(&exercises, options, &[])
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(
            titles(&all),
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
                 is found and one exercise's solution passes `cargo workbook check`",
                "class page: `cargo workbook room`'s page of a sample class renders in headless \
                 Chromium, offline and without scripts, every learner and skipped file shown",
                "macOS: every crate type-checks for aarch64-apple-darwin (a check: Apple's \
                 linker is not here)",
                "book: quiz answers about orderings name their quiz-checks tests, which pass \
                 under loom and Miri",
                "book: every measured comparison in the prose comes from the results files, \
                 and no machine contradicts what a sentence claims",
                "book: the pinned mdBook, mdbook-quiz and mdbook-linkcheck2 are installed",
                "book: mdbook build prints no warnings, for learners (no speaker notes) and \
                 for the instructor (notes kept)",
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
            cargo_mutants: false,
            step: None,
            all: false,
        };
        assert_eq!(plan(&exercises, &lean, &[]).len(), 15);
        // A solution whose cargo-mutants record is out of date is judged again
        // after the wrong answers, unless mutants are skipped.
        let stale = [exercises[1]];
        let with_stale = plan(&exercises, &all, &stale);
        let judged_again = with_stale
            .iter()
            .position(|step| matches!(step, Step::CargoMutants(e) if e.name == "thread-bounds"))
            .expect("the out-of-date solution's cargo-mutants step");
        assert!(matches!(
            with_stale[judged_again - 1],
            Step::WrongAnswers(_)
        ));
        assert_eq!(with_stale.len(), plan(&exercises, &all, &[]).len() + 1);
        assert_eq!(plan(&exercises, &lean, &stale).len(), 15);
        let under_load = Options {
            under_load: true,
            ..all
        };
        assert_eq!(
            titles(&under_load),
            [
                "stub racy-ring fails its tests",
                "stub thread-bounds fails its tests",
                "wrong answers to racy-ring are caught by their tiers",
                "wrong answers to thread-bounds are caught by their tiers",
            ]
        );
        let cargo_mutants = Options {
            cargo_mutants: true,
            under_load: false,
            ..under_load
        };
        assert_eq!(
            titles(&cargo_mutants),
            [
                "cargo-mutants' mutants of racy-ring-solution are caught or listed as equivalent",
                "cargo-mutants' mutants of thread-bounds-solution are caught or listed as \
                 equivalent",
            ]
        );
    }
}
