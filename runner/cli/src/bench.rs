//! `cargo workbook bench [name] [--rounds N]`: runs the solutions' benchmarks
//! in interleaved rounds (see [`crate::rounds`]) and records what they
//! measured (each variant's criterion timing in every round, and the outcomes
//! counted through `bench_support::record_count`) in `results/<machine-id>.json`.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use walkdir::WalkDir;

use workbook_core::info_file::Exercise;
use workbook_core::machine;
use workbook_core::process::Invocation;
use workbook_core::results::{Benchmark, Count, Machine, ResultsFile};
use workbook_core::workspace::Workbook;

use crate::rounds;

pub fn run(workbook: &Workbook, name: Option<&str>, rounds: u32) -> Result<ExitCode> {
    let selected = with_benchmarks(workbook, name)?;
    let packages: Vec<String> = selected.iter().map(|e| e.solution_package()).collect();
    // Only files criterion writes from now on are this run's measurements;
    // older ones in target/criterion may come from other code or other days.
    let started = SystemTime::now();
    let logs = workbook.target_dir().join("bench-logs");
    let _ = std::fs::remove_dir_all(&logs);
    std::fs::create_dir_all(&logs).with_context(|| format!("cannot create {}", logs.display()))?;
    let failed = rounds::interleave(rounds, &packages, |round, package| {
        // `--bench '*'`: only the criterion targets, since the library's own
        // bench harness (libtest) would refuse criterion's `--save-baseline`.
        let bench = Invocation::new("cargo", &workbook.root)
            .args(["bench", "-p", package, "--bench", "*", "--"])
            .args(["--save-baseline", &rounds::baseline_name(round)])
            .env(
                "WORKBOOK_REGIME_LOG",
                rounds::regime_log(&logs, round).display().to_string(),
            )
            .env(
                "WORKBOOK_COUNT_LOG",
                rounds::count_log(&logs, round).display().to_string(),
            );
        println!("\n[round {round}/{rounds}] {bench}");
        bench.run()
    })?;

    record(
        workbook,
        Measured {
            criterion_dir: &workbook.target_dir().join("criterion"),
            since: started,
            logs_dir: &logs,
        },
        machine::describe(&workbook.root)?,
    )?;
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        println!("Benchmarks failed for: {}", failed.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

/// Where one run left its measurements.
pub struct Measured<'a> {
    pub criterion_dir: &'a Path,
    /// Only criterion files written since then belong to the run.
    pub since: SystemTime,
    /// The rounds' regime and count logs (see [`rounds::regime_log`]).
    pub logs_dir: &'a Path,
}

/// Adds a run's measurements to `machine`'s results file.
pub fn record(workbook: &Workbook, run: Measured, machine: Machine) -> Result<()> {
    let (measured, counted) = measurements(&run)?;
    if measured.is_empty() && counted.is_empty() {
        println!("\nNo new measurements, so results/ is unchanged.");
        return Ok(());
    }
    let path = workbook
        .root
        .join("results")
        .join(format!("{}.json", machine.id));
    let file = ResultsFile::merged(ResultsFile::load(&path)?, machine, measured, counted);
    file.save(&path)?;
    println!(
        "\nRecorded the measurements in {}",
        workbook.relative(&path).display()
    );
    Ok(())
}

/// A run's benchmarks, each variant's rounds combined, and its counts.
///
/// The counts are the first round's: a count is what one run observed (the
/// bytes one run still held, say), which a sum over rounds would not be.
fn measurements(run: &Measured) -> Result<(Vec<Benchmark>, Vec<Count>)> {
    let mut measured = criterion_measurements(run.criterion_dir, run.since)?;
    let rounds: BTreeSet<u32> = measured.iter().map(|&(round, _)| round).collect();
    for round in rounds {
        let log = std::fs::read_to_string(rounds::regime_log(run.logs_dir, round));
        attach_regimes(&mut measured, round, &log.unwrap_or_default());
    }
    let counts = std::fs::read_to_string(rounds::count_log(run.logs_dir, 1));
    Ok((
        rounds::combine(measured),
        parse_counts(&counts.unwrap_or_default()),
    ))
}

/// The exercise `name`, or every exercise, whose solution has benchmarks.
pub fn with_benchmarks<'a>(
    workbook: &'a Workbook,
    name: Option<&str>,
) -> Result<Vec<&'a Exercise>> {
    let has_benches = |exercise: &&Exercise| {
        exercise
            .solution_dir(&workbook.root)
            .join("benches")
            .is_dir()
    };
    let selected: Vec<&Exercise> = match name {
        Some(name) => {
            let exercise = workbook.info.find(name)?;
            if !has_benches(&exercise) {
                bail!(
                    "{name} has no benchmarks (solutions/{}/benches/ does not exist)",
                    exercise.dir
                );
            }
            vec![exercise]
        }
        None => workbook.info.exercises.iter().filter(has_benches).collect(),
    };
    if selected.is_empty() {
        bail!("no solution has benchmarks yet (solutions/<chapter>/<exercise>/benches/)");
    }
    Ok(selected)
}

/// Every benchmark criterion saved under `dir` since `since` as a round's
/// baseline (see [`rounds::baseline_name`]), with its round.
fn criterion_measurements(dir: &Path, since: SystemTime) -> Result<Vec<(u32, Benchmark)>> {
    let mut measured = Vec::new();
    for entry in WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        let round = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|name| rounds::round_of(&name.to_string_lossy()));
        let Some(round) = round.filter(|_| entry.file_name() == "benchmark.json") else {
            continue;
        };
        let estimates = path.with_file_name("estimates.json");
        let fresh = std::fs::metadata(&estimates)
            .and_then(|meta| meta.modified())
            .is_ok_and(|modified| modified >= since);
        if !fresh {
            continue;
        }
        let read = |path: &Path| {
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
        };
        let benchmark = parse_measurement(&read(path)?, &read(&estimates)?)
            .with_context(|| format!("in {}", path.display()))?;
        measured.push((round, benchmark));
    }
    Ok(measured)
}

/// Adds to each of round `round`'s benchmarks the regime its harness logged,
/// from lines of `group<TAB>function<TAB>regime`.
fn attach_regimes(measured: &mut [(u32, Benchmark)], round: u32, log: &str) {
    for line in log.lines() {
        let mut fields = line.splitn(3, '\t');
        let (Some(group), Some(function), Some(regime)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        for (_, benchmark) in measured.iter_mut().filter(|(r, _)| *r == round) {
            if benchmark.group == group && benchmark.function == function {
                benchmark.regime = Some(regime.to_owned());
            }
        }
    }
}

/// The counts the benchmarks logged, from lines of
/// `group<TAB>variant<TAB>observed<TAB>runs`; a line that does not parse is skipped.
fn parse_counts(log: &str) -> Vec<Count> {
    log.lines()
        .filter_map(|line| {
            let [group, variant, observed, runs] = line.split('\t').collect::<Vec<_>>()[..] else {
                return None;
            };
            Some(Count {
                group: group.to_owned(),
                variant: variant.to_owned(),
                observed: observed.parse().ok()?,
                runs: runs.parse().ok()?,
            })
        })
        .collect()
}

/// One benchmark from criterion's `benchmark.json` and `estimates.json`.
///
/// The figure is criterion's headline estimate per iteration: the slope of its
/// linear regression where it has one, else the mean. With an `Elements`
/// throughput an iteration handles that many items, without one it counts as
/// a single item.
fn parse_measurement(benchmark_json: &str, estimates_json: &str) -> Result<Benchmark> {
    let benchmark: Value = serde_json::from_str(benchmark_json)?;
    let estimates: Value = serde_json::from_str(estimates_json)?;
    let text = |key: &str| benchmark[key].as_str().map(str::to_owned);
    let group = text("group_id").context("no group_id")?;
    let function = match (text("function_id"), text("value_str")) {
        (Some(function), Some(value)) => format!("{function}/{value}"),
        (Some(function), None) => function,
        (None, Some(value)) => value,
        (None, None) => group.clone(),
    };
    let items = benchmark["throughput"]["Elements"].as_f64().unwrap_or(1.0);
    let per_iteration_ns = estimates["slope"]["point_estimate"]
        .as_f64()
        .or_else(|| estimates["mean"]["point_estimate"].as_f64())
        .context("no slope or mean point estimate")?;
    Ok(Benchmark::new(group, function, per_iteration_ns / items))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ESTIMATES: &str = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,
        "lower_bound":4900.0,"upper_bound":5100.0},"point_estimate":5000.0,"standard_error":1.0},
        "median":{"point_estimate":4990.0}}"#;

    #[test]
    fn reads_criterion_output_per_item() {
        let benchmark = r#"{"group_id":"spsc","function_id":"rtrb","value_str":null,
            "throughput":{"Elements":1000},"full_id":"spsc/rtrb","directory_name":"spsc/rtrb"}"#;
        let b = parse_measurement(benchmark, ESTIMATES).unwrap();
        assert_eq!((b.group.as_str(), b.function.as_str()), ("spsc", "rtrb"));
        assert_eq!(b.ns_per_item, 5.0);
        assert_eq!(b.items_per_second, 200_000_000);
    }

    #[test]
    fn prefers_the_regression_slope_to_the_mean() {
        let estimates = r#"{"mean":{"point_estimate":5000.0},"slope":{"point_estimate":4000.0}}"#;
        let benchmark =
            r#"{"group_id":"spsc","function_id":"rtrb","throughput":{"Elements":1000}}"#;
        assert_eq!(
            parse_measurement(benchmark, estimates).unwrap().ns_per_item,
            4.0
        );
    }

    #[test]
    fn attaches_each_logged_regime_to_its_rounds_benchmark() {
        let mut measured = vec![
            (1, Benchmark::new("spsc".into(), "rtrb".into(), 5.0)),
            (1, Benchmark::new("spsc".into(), "mine".into(), 6.0)),
            (2, Benchmark::new("spsc".into(), "mine".into(), 7.0)),
        ];
        attach_regimes(
            &mut measured,
            2,
            "spsc\tmine\tempty on 2.0% of pops\nbroken line\n",
        );
        let regimes: Vec<_> = measured.iter().map(|(_, b)| b.regime.as_deref()).collect();
        assert_eq!(regimes, [None, None, Some("empty on 2.0% of pops")]);
    }

    #[test]
    fn parses_logged_counts_and_skips_broken_lines() {
        let counts = parse_counts(
            "litmus\trelaxed\t42\t1000000\nbroken line\nlitmus\tx\tmany\t10\n\
             litmus\tseqcst\t0\t1000000\n",
        );
        let rows: Vec<_> = counts
            .iter()
            .map(|c| (c.group.as_str(), c.variant.as_str(), c.observed, c.runs))
            .collect();
        assert_eq!(
            rows,
            [
                ("litmus", "relaxed", 42, 1_000_000),
                ("litmus", "seqcst", 0, 1_000_000)
            ]
        );
        assert!(parse_counts("").is_empty());
    }

    #[test]
    fn names_parameterised_and_unthrottled_benchmarks() {
        let benchmark =
            r#"{"group_id":"ring","function_id":"mine","value_str":"1024","throughput":null}"#;
        let b = parse_measurement(benchmark, ESTIMATES).unwrap();
        assert_eq!(b.function, "mine/1024");
        assert_eq!(b.ns_per_item, 5000.0);
    }

    /// Writes what criterion's `--save-baseline` leaves for one benchmark:
    /// its description and estimates in the round's folder, beside `new/`.
    fn save_baseline(criterion: &Path, round: u32, group: &str, function: &str, ns: f64) {
        let saved = criterion
            .join(group.replace('/', "_"))
            .join(function)
            .join(rounds::baseline_name(round));
        std::fs::create_dir_all(&saved).unwrap();
        let benchmark = format!(
            r#"{{"group_id":"{group}","function_id":"{function}","throughput":{{"Elements":10}}}}"#
        );
        std::fs::write(saved.join("benchmark.json"), benchmark).unwrap();
        let estimates = format!(r#"{{"mean":{{"point_estimate":{}}}}}"#, ns * 10.0);
        std::fs::write(saved.join("estimates.json"), estimates).unwrap();
    }

    fn append(path: &Path, line: &str) {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        writeln!(file, "{line}").unwrap();
    }

    #[test]
    fn collects_only_fresh_round_baselines() {
        let dir = std::env::temp_dir().join(format!("workbook-criterion-{}", std::process::id()));
        save_baseline(&dir, 1, "spsc", "rtrb", 5.0);
        let new = dir.join("spsc/rtrb/new");
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(new.join("benchmark.json"), "not read").unwrap();

        let long_ago = SystemTime::UNIX_EPOCH;
        let measured = criterion_measurements(&dir, long_ago).unwrap();
        assert_eq!(measured.len(), 1);
        assert_eq!((measured[0].0, measured[0].1.ns_per_item), (1, 5.0));
        let later = SystemTime::now() + std::time::Duration::from_secs(60);
        assert!(criterion_measurements(&dir, later).unwrap().is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// The whole path of a run without criterion's measuring: two packages
    /// take turns for three rounds, each "benchmark" saving what criterion
    /// would, and the run's files become one benchmark per variant with its
    /// rounds.
    #[test]
    fn a_fake_group_measured_in_interleaved_rounds_keeps_every_round() {
        let dir = std::env::temp_dir().join(format!("workbook-rounds-{}", std::process::id()));
        let criterion = dir.join("criterion");
        let logs = dir.join("logs");
        std::fs::create_dir_all(&logs).unwrap();
        let packages = ["fake-solution".to_owned(), "litmus-solution".to_owned()];
        let mut ran = Vec::new();
        let failed = rounds::interleave(3, &packages, |round, package| {
            ran.push(format!("{package} {round}"));
            if package == "fake-solution" {
                // The variants alternate within the round; round 2 is a noisy one.
                let noise = if round == 2 { 3.0 } else { 1.0 };
                save_baseline(&criterion, round, "fake/group", "base", 10.0 * noise);
                save_baseline(&criterion, round, "fake/group", "mine", 20.0 + round as f64);
                let regime = format!("fake/group\tmine\tround {round}");
                append(&rounds::regime_log(&logs, round), &regime);
            } else {
                append(&rounds::count_log(&logs, round), "litmus\tseqcst\t0\t1000");
            }
            Ok(true)
        })
        .unwrap();
        assert!(failed.is_empty());
        assert_eq!(
            ran,
            [
                "fake-solution 1",
                "litmus-solution 1",
                "fake-solution 2",
                "litmus-solution 2",
                "fake-solution 3",
                "litmus-solution 3"
            ]
        );

        let run = Measured {
            criterion_dir: &criterion,
            // The folder is new: all of it is this run's.
            since: SystemTime::UNIX_EPOCH,
            logs_dir: &logs,
        };
        let (measured, counted) = measurements(&run).unwrap();
        let [base, mine] = &measured[..] else {
            panic!("{measured:?}")
        };
        assert_eq!(base.rounds, [10.0, 30.0, 10.0]);
        assert_eq!(mine.rounds, [21.0, 22.0, 23.0]);
        assert_eq!(mine.ns_per_item, 22.0);
        assert_eq!(mine.regime.as_deref(), Some("round 2"));
        let ratio = mine.ratio_to(base);
        assert_eq!(
            (ratio.min, ratio.median, ratio.max),
            (22.0 / 30.0, 2.1, 2.3)
        );
        // Counts are one run's observation: the first round's.
        assert_eq!(counted.len(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
