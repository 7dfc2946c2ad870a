//! Runs verify's steps side by side: each step in a child process of its own
//! (`workbook-maintainers verify --step <i>`), its output in a log, as many at once as the
//! machine has cores. Most steps run one test binary, Miri or loom on one core,
//! so on a two-core machine two at a time roughly halves the wait; cargo's own
//! lock on each build folder keeps two builds from colliding.
//!
//! Steps that depend on each other (the book's tools, then its build, its
//! render check, ...) form a lane that runs in order; lanes run in parallel,
//! the longest expected first.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::plan::{Options, Step, Verdict};
use workbook_core::process::format_duration;
use workbook_core::workspace::Workbook;

/// What a step's child process leaves beside its log.
const VERDICT_SUFFIX: &str = "verdict";

/// Writes `verdict` where the parent looks for it (the child's side).
pub fn write_verdict(log_dir: &Path, index: usize, verdict: &Verdict) -> Result<()> {
    let text = match verdict {
        Verdict::Passed => "passed\n".to_owned(),
        Verdict::Failed(reason) => format!("failed\n{reason}"),
        Verdict::Skipped(reason) => format!("skipped\n{reason}"),
    };
    let path = verdict_path(log_dir, index);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

fn read_verdict(log_dir: &Path, index: usize, log: &Path) -> Verdict {
    let Ok(text) = std::fs::read_to_string(verdict_path(log_dir, index)) else {
        return Verdict::Failed(format!(
            "the step ended without a verdict (it crashed or was killed); see {}",
            log.display()
        ));
    };
    let (kind, reason) = text.split_once('\n').unwrap_or((&text, ""));
    match kind {
        "passed" => Verdict::Passed,
        "skipped" => Verdict::Skipped(reason.to_owned()),
        _ => Verdict::Failed(reason.to_owned()),
    }
}

fn verdict_path(log_dir: &Path, index: usize) -> PathBuf {
    log_dir.join(format!("{:03}.{VERDICT_SUFFIX}", index + 1))
}

fn log_path(log_dir: &Path, index: usize) -> PathBuf {
    log_dir.join(format!("{:03}.log", index + 1))
}

/// Groups steps into lanes: steps that must run in order share a lane.
pub fn lanes(steps: &[Step]) -> Vec<Vec<usize>> {
    let mut book = Vec::new();
    let mut lanes = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        match step {
            // The tools first, then what uses them; preflight checks them too.
            Step::BookTools
            | Step::BookBuild
            | Step::BookRender
            | Step::BookTest
            | Step::BookLinks
            | Step::Preflight => book.push(index),
            _ => lanes.push(vec![index]),
        }
    }
    if !book.is_empty() {
        lanes.push(book);
    }
    lanes.sort_by_key(|lane| {
        std::cmp::Reverse(
            lane.iter()
                .map(|&i| expected_seconds(&steps[i]))
                .sum::<u64>(),
        )
    });
    lanes
}

/// A rough guess at a step's length on a two-core machine, only to start the
/// long lanes first.
fn expected_seconds(step: &Step) -> u64 {
    use workbook_core::info_file::Tier;
    match step {
        Step::Mutants(_) => 400,
        Step::WrongAnswers(_) => 300,
        Step::BookTools => 420,
        Step::Arm64(_) | Step::Offline | Step::UnderLoad(..) => 300,
        Step::SolutionPasses(_, Tier::Miri) | Step::BookQuizzes => 120,
        Step::Clippy | Step::BookTest | Step::BookRender => 90,
        _ => 20,
    }
}

struct Running {
    lane: usize,
    /// Position in the lane.
    position: usize,
    index: usize,
    child: Child,
    started: Instant,
}

/// What each step ended with, by index.
pub type Verdicts = HashMap<usize, (Verdict, Duration)>;

/// Runs every step, `jobs` at a time, printing each as it starts and ends.
pub fn run_all(
    workbook: &Workbook,
    steps: &[Step],
    options: &Options,
    log_dir: &Path,
    jobs: usize,
    unchanged: &HashSet<usize>,
) -> Result<Verdicts> {
    remove_old_logs(log_dir);
    if log_dir.exists() {
        std::fs::remove_dir_all(log_dir)?;
    }
    std::fs::create_dir_all(log_dir)?;
    // The steps run a copy of this program, so that rebuilding it while
    // verify runs (cargo replaces target/debug/workbook-maintainers) cannot
    // pull it from under the steps still to start.
    let program = log_dir.join(format!("workbook{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(std::env::current_exe()?, &program)
        .context("cannot copy the runner for its steps")?;
    let lanes: Vec<Vec<usize>> = lanes(steps)
        .into_iter()
        .map(|lane| {
            lane.into_iter()
                .filter(|index| !unchanged.contains(index))
                .collect()
        })
        .filter(|lane: &Vec<usize>| !lane.is_empty())
        .collect();
    let total = steps.len();
    println!(
        "{total} steps in {} lanes, {jobs} at a time; each step's output goes to {}",
        lanes.len(),
        workbook.relative(log_dir).display()
    );
    let mut next_lane = 0;
    let mut running: Vec<Running> = Vec::new();
    let mut verdicts = Verdicts::new();
    loop {
        while running.len() < jobs && next_lane < lanes.len() {
            let index = lanes[next_lane][0];
            let lane = (next_lane, 0, index);
            running.push(start(workbook, steps, options, &program, log_dir, lane)?);
            next_lane += 1;
        }
        if running.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
        let mut still = Vec::new();
        for mut step in running {
            if step.child.try_wait()?.is_none() {
                still.push(step);
                continue;
            }
            let took = step.started.elapsed();
            let log = log_path(log_dir, step.index);
            let verdict = read_verdict(log_dir, step.index, &log);
            report(workbook, steps, step.index, &verdict, took, &log);
            verdicts.insert(step.index, (verdict, took));
            let lane = &lanes[step.lane];
            if let Some(&index) = lane.get(step.position + 1) {
                let lane = (step.lane, step.position + 1, index);
                still.push(start(workbook, steps, options, &program, log_dir, lane)?);
            }
        }
        running = still;
    }
    Ok(verdicts)
}

/// Removes the step logs of earlier runs beside `log_dir`, but for those
/// written to in the last hour, which may belong to a run still going.
fn remove_old_logs(log_dir: &Path) {
    const RECENT: Duration = Duration::from_secs(3600);
    let Some(parent) = log_dir.parent() else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let is_steps = entry.file_name().to_string_lossy().starts_with("steps-");
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .is_ok_and(|modified| modified.elapsed().is_ok_and(|age| age > RECENT));
        if is_steps && old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Starts step `index`, at `position` in lane `lane`.
fn start(
    workbook: &Workbook,
    steps: &[Step],
    options: &Options,
    program: &Path,
    log_dir: &Path,
    (lane, position, index): (usize, usize, usize),
) -> Result<Running> {
    println!("  start [{}/{}] {}", index + 1, steps.len(), steps[index]);
    let log = log_path(log_dir, index);
    let file = File::create(&log).with_context(|| format!("cannot create {}", log.display()))?;
    let mut command = Command::new(program);
    command
        .current_dir(&workbook.root)
        .args(["verify", "--step", &(index + 1).to_string()])
        .args(options.as_args())
        .stdin(Stdio::null())
        .stdout(file.try_clone()?)
        .stderr(file);
    let child = command
        .spawn()
        .context("cannot start a verify step as a child process")?;
    Ok(Running {
        lane,
        position,
        index,
        child,
        started: Instant::now(),
    })
}

fn report(
    workbook: &Workbook,
    steps: &[Step],
    index: usize,
    verdict: &Verdict,
    took: Duration,
    log: &Path,
) {
    let took = format_duration(took);
    let heading = format!("[{}/{}] {}", index + 1, steps.len(), steps[index]);
    match verdict {
        Verdict::Passed => println!("\n{heading}\n    passed ({took})"),
        Verdict::Skipped(reason) => println!("\n{heading}\n    skipped ({took}): {reason}"),
        Verdict::Failed(reason) => {
            println!("\n{heading}\n    failed ({took}): {reason}");
            print_tail(workbook, log);
        }
    }
}

/// The end of a failed step's log, where cargo and the tests say what went wrong.
fn print_tail(workbook: &Workbook, log: &Path) {
    const LINES: usize = 40;
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(LINES);
    println!(
        "    --- last {} lines of {} ---",
        lines.len() - from,
        workbook.relative(log).display()
    );
    for line in &lines[from..] {
        println!("    | {line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use workbook_core::info_file::{InfoFile, SAMPLE, Tier};

    #[test]
    fn the_book_steps_share_one_lane_in_order_and_long_lanes_go_first() {
        let info = InfoFile::parse(SAMPLE).unwrap();
        let ring = &info.exercises[0];
        let steps = vec![
            Step::Clippy,
            Step::BookTools,
            Step::StubFails(ring),
            Step::BookBuild,
            Step::Mutants(ring),
            Step::SolutionPasses(ring, Tier::Miri),
            Step::Preflight,
        ];
        let lanes = lanes(&steps);
        assert_eq!(lanes[0], [1, 3, 6], "the book's lane is the longest");
        assert_eq!(lanes[1], [4]);
        assert_eq!(lanes.len(), 5);
    }

    #[test]
    fn a_verdict_survives_the_trip_through_its_file() {
        let dir = std::env::temp_dir().join(format!("workbook-verdict-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("x.log");
        write_verdict(&dir, 3, &Verdict::Failed("two\nlines".into())).unwrap();
        assert!(matches!(read_verdict(&dir, 3, &log), Verdict::Failed(r) if r == "two\nlines"));
        write_verdict(&dir, 3, &Verdict::Passed).unwrap();
        assert!(matches!(read_verdict(&dir, 3, &log), Verdict::Passed));
        assert!(matches!(read_verdict(&dir, 4, &log), Verdict::Failed(r) if r.contains("crashed")));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
