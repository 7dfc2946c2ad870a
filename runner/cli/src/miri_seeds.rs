//! The Miri tier of `check`: each scheduler seed in a process of its own, side
//! by side, with its output kept apart.
//!
//! `-Zmiri-many-seeds` runs the seeds on parallel threads that all print to
//! the same terminal, so their lines interleave ("oktest a_new_ring_is_empty
//! ..."). Here each seed of the same range runs as `-Zmiri-seed=N` and
//! writes to a log of its own; the first seed to fail
//! stops the others and its whole report is printed, and a pass prints each
//! seed's summary.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use workbook_core::process::Running;
use workbook_core::tiers::{MIRI_SEEDS, Site, miri_command};

/// Runs `package`'s tests under Miri once per seed, at most one seed per core
/// at a time, and says whether every seed passed.
pub fn run(site: &Site, package: &str, miri_flags: &[String]) -> Result<bool> {
    let tests = ["--tests".to_owned()];
    let with_seed = |seed: u64| {
        miri_command(
            site,
            package,
            &format!("-Zmiri-seed={seed}"),
            miri_flags,
            &tests,
        )
    };
    println!(
        "seeds 0 to {}, side by side, each run as `{}` with its own seed:",
        MIRI_SEEDS - 1,
        with_seed(0)
    );
    // Built once, with cargo's progress on the terminal.
    if !with_seed(0).arg("--no-run").run()? {
        return Ok(false);
    }
    let logs = site.target.join("miri-seeds");
    std::fs::create_dir_all(&logs).with_context(|| format!("cannot create {}", logs.display()))?;
    let log_of = |seed: u64| logs.join(format!("{package}-seed-{seed}.log"));
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let jobs = u64::try_from(cores).unwrap_or(1).clamp(1, MIRI_SEEDS);

    let mut next = 0;
    let mut running: Vec<(u64, Running)> = Vec::new();
    let mut passed = Vec::new();
    let failed = loop {
        while next < MIRI_SEEDS && (running.len() as u64) < jobs {
            let log = log_of(next);
            let _ = std::fs::remove_file(&log);
            running.push((next, with_seed(next).spawn_logged(&log)?));
            next += 1;
        }
        if running.is_empty() {
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
        let mut failed = None;
        let mut still = Vec::new();
        for (seed, mut run) in running {
            match run.try_wait()? {
                None => still.push((seed, run)),
                Some(true) => passed.push(seed),
                Some(false) => failed = failed.or(Some(seed)),
            }
        }
        running = still;
        if failed.is_some() {
            for (_, run) in &mut running {
                run.kill();
            }
            break failed;
        }
    };

    match failed {
        Some(seed) => {
            print_log(&log_of(seed))?;
            passed.sort_unstable();
            println!(
                "\nMiri failed under seed {seed} (its whole report is above; all seeds' logs are \
                 in {}). Seeds that passed before it stopped the others: {}.",
                logs.display(),
                if passed.is_empty() {
                    "none".to_owned()
                } else {
                    passed
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            );
            Ok(false)
        }
        None => {
            for seed in 0..MIRI_SEEDS {
                println!("seed {seed}: {}", summary(&log_of(seed)));
            }
            Ok(true)
        }
    }
}

fn print_log(log: &PathBuf) -> Result<()> {
    let text =
        std::fs::read_to_string(log).with_context(|| format!("cannot read {}", log.display()))?;
    print!("{text}");
    Ok(())
}

/// "passed: 9 tests in 3 targets", from a passing seed's log.
fn summary(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let (mut targets, mut tests) = (0, 0);
    for line in text
        .lines()
        .filter(|line| line.starts_with("test result: ok."))
    {
        targets += 1;
        tests += line
            .split_whitespace()
            .nth(3)
            .and_then(|count| count.parse::<usize>().ok())
            .unwrap_or(0);
    }
    format!("passed: {tests} tests in {targets} targets")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passing_seed_is_summed_up_from_its_test_results() {
        let log = std::env::temp_dir().join(format!("workbook-seed-{}.log", std::process::id()));
        std::fs::write(
            &log,
            "running 2 tests\ntest a ... ok\ntest b ... ok\n\n\
             test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n\
             test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out\n",
        )
        .unwrap();
        assert_eq!(summary(&log), "passed: 7 tests in 2 targets");
        std::fs::remove_file(&log).unwrap();
    }
}
