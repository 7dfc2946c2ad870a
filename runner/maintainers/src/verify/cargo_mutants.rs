//! `verify --cargo-mutants`: cargo-mutants' mutants of each solution, judged
//! by the workbook's own tiers. Not in the default plan: it takes minutes per
//! solution (see book/contributing.md for the figures).
//!
//! [cargo-mutants](https://mutants.rs) replaces a function's body with a
//! default value, an operator with another, a condition with its negation.
//! This mode asks it only for the list (`cargo mutants --list --json`, well
//! under a second) and judges each mutant the way verify judges a wrong
//! answer: the mutant is written into this step's copy of the workspace
//! ([`super::copy`]); if the tests do not build it is *unviable*; otherwise
//! the plain test tier runs, and a mutant it passes goes on to the exercise's
//! loom and then Miri tiers (only survivors: Miri takes minutes a run). A
//! mutant is *caught* by the first tier that fails, *timed out* if a tier
//! runs past its limit (a learner would meet a frozen terminal), *slow* if the
//! tests catch a hang through a test's deadline ("deadlock? (or an endless
//! loop)") but the failing test binary takes over [`FAIL_WITHIN`] to end
//! (the workbook promises seconds), *equivalent* if it survives every tier
//! and is listed in the solution's `equivalent-mutants.toml` ([`super::equivalents`]), and
//! *missed* otherwise. The step fails on a missed, slow or timed-out mutant,
//! and on a listed equivalent that no longer survives. Mutants in a file of
//! another solution that this one includes with `#[path]` (rocket-prep and
//! dining-philosophers build on the semaphore) are left to that solution's
//! step.
//!
//! Why not run cargo-mutants itself (`cargo mutants -p <pkg> --timeout 30 -j
//! 1`) and check only its survivors with loom and Miri? It copies the
//! workspace to a temporary folder and builds it there from scratch, and runs
//! each mutant's tests with its own notion of a timeout. Measured on
//! racy-ring's 17 mutants on the two-core build machine (cargo-mutants 27.1),
//! cargo-mutants took 2m 15s, 69 s of it building its copy's dependencies
//! from scratch, as it does on every run; this mode, which builds in the
//! shared `target/` and so rebuilds only the mutated crate, took 1m 31s (44 s
//! once the copy's builds were warm). And
//! here a survivor of the tests goes straight on to loom and Miri, each tier
//! run exactly as the rest of verify runs it, with verify's time limits.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

mod list;

use self::list::Mutant;
use super::catch::Catcher;
use super::copy::Restore;
use super::equivalents::{self, Equivalent};
use super::limits;
use super::plan::Verdict;
use super::workdirs::fresh_log;
use workbook_core::info_file::{Exercise, Tier};
use workbook_core::mutants_record::HEADING;
use workbook_core::process::{Ended, format_duration};
use workbook_core::tiers::Site;
use workbook_core::tools::CARGO_MUTANTS;
use workbook_core::workspace::Workbook;

/// How long the tests may take to fail on a mutant: the workbook promises
/// that a deadlock or an endless loop fails within seconds (the deadline is
/// 10 s without progress).
pub const FAIL_WITHIN: Duration = Duration::from_secs(15);

/// How long the test tier may run on a mutant before it counts as timed out.
const TEST_LIMIT: Duration = Duration::from_secs(90);

/// What became of one mutant.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Unviable,
    /// The tier failed; for the tests, how long the failing binary ran and
    /// whether a deadline failed it (the mutant hangs).
    Caught(Tier, Duration, bool),
    TimedOut(Tier),
    Survived,
    /// Survived the tiers that could run; this tier's tool is missing.
    Unknown(Tier),
}

/// The counts of one solution's table row.
#[derive(Default)]
struct Tally {
    mutants: usize,
    caught: [usize; 3],
    missed: usize,
    equivalent: usize,
    unviable: usize,
    timed_out: usize,
    slow: usize,
    unknown: usize,
    /// Mutants that hang, failed by a test's deadline, and the slowest such failure.
    hangs: usize,
    slowest_hang: Duration,
}

/// "9.8s": a tenth of a second matters next to a 10 s deadline.
fn seconds(duration: Duration) -> String {
    format!("{:.1}s", duration.as_secs_f64())
}

fn tier_index(tier: Tier) -> usize {
    match tier {
        Tier::Test => 0,
        Tier::Loom => 1,
        Tier::Miri => 2,
    }
}

impl Tally {
    /// "| semaphore | 27 | 17 / 2 / 0 | 0 | 3 | 5 | 0 | 4m 10s |", the row of
    /// the contributors' page's table.
    fn row(&self, name: &str, took: Duration) -> String {
        let [test, loom, miri] = self.caught;
        format!(
            "| {name} | {} | {test} / {loom} / {miri} | {} | {} | {} | {} | {} ({}) | {} |",
            self.mutants,
            self.missed,
            self.equivalent,
            self.unviable,
            self.timed_out,
            self.hangs,
            seconds(self.slowest_hang),
            format_duration(took),
        )
    }
}

/// Judges every cargo-mutants mutant of `exercise`'s solution in the copy at `copy`.
pub fn check(workbook: &Workbook, exercise: &Exercise, copy: &Path) -> Result<Verdict> {
    let started = Instant::now();
    CARGO_MUTANTS.ensure_installed(workbook)?;
    let list::Listing { mutants, elsewhere } =
        list::list(&workbook.root, &CARGO_MUTANTS.path(workbook), exercise)?;
    for (file, count) in &elsewhere {
        println!(
            "{count} mutants in {file}, which this solution includes: judged with its own solution"
        );
    }
    let solution_dir = exercise.solution_dir(&workbook.root);
    let equivalents = equivalents::load(&solution_dir)?;
    let log = fresh_log(workbook, &exercise.name, "cargo-mutants")?;
    println!(
        "{} mutants from cargo-mutants; their output goes to {}",
        mutants.len(),
        workbook.relative(&log).display()
    );
    let site = Site {
        workspace: copy.to_owned(),
        target: workbook.target_dir(),
    };
    let package = exercise.solution_package();
    // Without this, a copy that cannot build at all would make every mutant unviable.
    if !Tier::Test
        .invocation(&site, &package, &exercise.miri_flags)
        .arg("--no-run")
        .run_logged(&log)?
    {
        return Ok(Verdict::Failed(format!(
            "the unmutated solution's tests do not build in the copy (log: {})",
            workbook.relative(&log).display()
        )));
    }
    let copied_crate = copy.join("solutions").join(&exercise.dir);
    let mut catcher = Catcher::new(&site, package, &exercise.miri_flags, &copied_crate)?;
    let mut tally = Tally {
        mutants: mutants.len(),
        ..Tally::default()
    };
    let mut problems = Vec::new();
    let mut matched = vec![false; equivalents.len()];
    for mutant in &mutants {
        let label = mutant.label();
        append(&log, &format!("\n===== {label}\n"))?;
        let fate = judge(&mut catcher, &site, exercise, mutant, copy, &log)?;
        let listed = equivalents.iter().position(|e| {
            e.matches(
                &mutant.file,
                mutant.line,
                mutant.column,
                &mutant.description,
            )
        });
        if let Some(at) = listed {
            matched[at] = true;
        }
        let said = match fate {
            Fate::Unviable => {
                tally.unviable += 1;
                "unviable (does not build)".to_owned()
            }
            Fate::Caught(tier, took, by_deadline) => {
                tally.caught[tier_index(tier)] += 1;
                if by_deadline {
                    tally.hangs += 1;
                    tally.slowest_hang = tally.slowest_hang.max(took);
                }
                if by_deadline && took > FAIL_WITHIN {
                    tally.slow += 1;
                    problems.push(format!(
                        "{label} (the tests took {} to fail)",
                        format_duration(took)
                    ));
                }
                if listed.is_some() {
                    problems.push(format!(
                        "{label} (listed as equivalent, but {tier} catches it)"
                    ));
                }
                let how = if by_deadline {
                    " (a hang, failed by a deadline)"
                } else {
                    ""
                };
                format!("caught by {tier} in {}{how}", seconds(took))
            }
            Fate::TimedOut(tier) => {
                tally.timed_out += 1;
                problems.push(format!("{label} (timed out in {tier})"));
                format!("TIMED OUT in {tier}")
            }
            Fate::Unknown(tier) => {
                tally.unknown += 1;
                format!("not caught so far; {tier} cannot run here")
            }
            Fate::Survived => match listed {
                Some(at) => {
                    tally.equivalent += 1;
                    format!("equivalent: {}", equivalents[at].reason)
                }
                None => {
                    tally.missed += 1;
                    problems.push(format!("{label} (MISSED)"));
                    "MISSED by every tier".to_owned()
                }
            },
        };
        println!("{label}: {said}");
    }
    problems.extend(stale(&equivalents, &matched));
    let row = tally.row(&exercise.name, started.elapsed());
    println!("\n{HEADING}");
    println!("{row}");
    let rows = rows_dir(workbook);
    std::fs::create_dir_all(&rows)?;
    std::fs::write(rows.join(format!("{}.md", exercise.name)), row + "\n")?;
    Ok(if !problems.is_empty() {
        Verdict::Failed(format!(
            "{}; log: {}",
            problems.join(", "),
            workbook.relative(&log).display()
        ))
    } else if tally.unknown > 0 {
        Verdict::Skipped(format!(
            "{} mutants survive the tiers that could run; Miri is missing",
            tally.unknown
        ))
    } else {
        Verdict::Passed
    })
}

/// Where each run writes its table row, `<exercise>.md`, for the parent
/// process to record once the step has passed.
pub fn rows_dir(workbook: &Workbook) -> std::path::PathBuf {
    workbook.target_dir().join("verify").join("cargo-mutants")
}

/// The row the last run of `exercise`'s step wrote.
pub fn last_row(workbook: &Workbook, exercise: &Exercise) -> Result<String> {
    let path = rows_dir(workbook).join(format!("{}.md", exercise.name));
    Ok(std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .trim_end()
        .to_owned())
}

/// Listed equivalents that matched no mutant: the solution moved on.
fn stale(equivalents: &[Equivalent], matched: &[bool]) -> Vec<String> {
    equivalents
        .iter()
        .zip(matched)
        .filter(|(_, matched)| !**matched)
        .map(|(e, _)| {
            format!(
                "{}: {} (listed in {} but cargo-mutants no longer makes it)",
                e.file,
                e.mutant,
                equivalents::FILE_NAME
            )
        })
        .collect()
}

fn append(log: &Path, text: &str) -> Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

/// How long the failing test binary ran, from the test harness's
/// "test result: FAILED. ... finished in 10.02s" in `output` (what a learner
/// waits for, without the time cargo spent waiting for another build's
/// lock); `None` if the binary died without a summary (an abort).
fn harness_time(output: &str) -> Option<Duration> {
    let (_, failed) = output.rsplit_once("test result: FAILED.")?;
    let (_, after) = failed.lines().next()?.rsplit_once("finished in ")?;
    let seconds = after.trim_end().strip_suffix('s')?.parse::<f64>().ok()?;
    Some(Duration::from_secs_f64(seconds))
}

/// What test-support's deadline says when it fails a test that stopped moving.
const DEADLINE_MESSAGE: &str = "deadlock? (or an endless loop)";

/// Applies `mutant` in the copy, runs the tiers, and puts the file back.
fn judge(
    catcher: &mut Catcher,
    site: &Site,
    exercise: &Exercise,
    mutant: &Mutant,
    copy: &Path,
    log: &Path,
) -> Result<Fate> {
    let path = copy.join(&mutant.workspace_file);
    let original = std::fs::read_to_string(&path)?;
    let _restore = Restore {
        path: &path,
        original: &original,
    };
    std::fs::write(&path, mutant.apply(&original)?)?;
    let package = exercise.solution_package();
    for &tier in &exercise.tiers {
        if let Some(_missing) = tier.missing_tool() {
            return Ok(Fate::Unknown(tier));
        }
        let build = tier
            .invocation(site, &package, &exercise.miri_flags)
            .arg("--no-run");
        if build.run_logged_within(log, limits::BUILD_LIMIT)? != Ended::Passed {
            return Ok(Fate::Unviable);
        }
        let limit = match tier {
            Tier::Test => TEST_LIMIT,
            _ => limits::run_limit(tier),
        };
        let started = Instant::now();
        let logged_before = std::fs::metadata(log).map_or(0, |m| m.len());
        match catcher.run(tier, None, log, limit)? {
            Ended::Passed => {}
            Ended::Failed => {
                let logged = std::fs::read(log)?;
                let output = String::from_utf8_lossy(
                    logged
                        .get(usize::try_from(logged_before)?..)
                        .unwrap_or_default(),
                );
                let took = harness_time(&output).unwrap_or_else(|| started.elapsed());
                let by_deadline = output.contains(DEADLINE_MESSAGE);
                return Ok(Fate::Caught(tier, took, by_deadline));
            }
            Ended::TimedOut => return Ok(Fate::TimedOut(tier)),
        }
    }
    Ok(Fate::Survived)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_failing_binarys_time_from_its_summary() {
        let output = "test result: ok. 3 passed; finished in 0.50s\n\
             test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; \
             finished in 10.02s\n\nerror: test failed\n";
        assert_eq!(harness_time(output), Some(Duration::from_millis(10_020)));
        // A binary that aborted prints no summary; a passing one before it does not count.
        assert_eq!(harness_time("test result: ok. finished in 0.00s\n"), None);
    }
}
