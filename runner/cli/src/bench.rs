//! `cargo workbook bench [name]`: runs the solutions' benchmarks and records
//! what they measured (criterion's timings, and the outcomes counted through
//! `bench_support::record_count`) in `results/<machine-id>.json`.

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

pub fn run(workbook: &Workbook, name: Option<&str>) -> Result<ExitCode> {
    let selected = with_benchmarks(workbook, name)?;
    // Only files criterion writes from now on are this run's measurements;
    // older ones in target/criterion may come from other code or other days.
    let started = SystemTime::now();
    let regime_log = workbook.target_dir().join("bench-regimes.tsv");
    let _ = std::fs::remove_file(&regime_log);
    let count_log = workbook.target_dir().join("bench-counts.tsv");
    let _ = std::fs::remove_file(&count_log);
    let mut failed = Vec::new();
    for (index, exercise) in selected.iter().enumerate() {
        let package = exercise.solution_package();
        let bench = Invocation::new("cargo", &workbook.root)
            .args(["bench", "-p", &package])
            .env("WORKBOOK_REGIME_LOG", regime_log.display().to_string())
            .env("WORKBOOK_COUNT_LOG", count_log.display().to_string());
        println!("\n[{}/{}] {bench}", index + 1, selected.len());
        if !bench.run()? {
            failed.push(package);
        }
    }

    record(
        workbook,
        Measured {
            criterion_dir: &workbook.target_dir().join("criterion"),
            since: started,
            regime_log: &regime_log,
            count_log: &count_log,
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
    pub regime_log: &'a Path,
    pub count_log: &'a Path,
}

/// Adds a run's measurements to `machine`'s results file.
pub fn record(workbook: &Workbook, run: Measured, machine: Machine) -> Result<()> {
    let mut measured = criterion_measurements(run.criterion_dir, run.since)?;
    attach_regimes(
        &mut measured,
        &std::fs::read_to_string(run.regime_log).unwrap_or_default(),
    );
    let counted = parse_counts(&std::fs::read_to_string(run.count_log).unwrap_or_default());
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

/// Every benchmark criterion saved under `dir` since `since`.
fn criterion_measurements(dir: &Path, since: SystemTime) -> Result<Vec<Benchmark>> {
    let mut measured = Vec::new();
    for entry in WalkDir::new(dir).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        let in_new = path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|name| name == "new");
        if !in_new || entry.file_name() != "benchmark.json" {
            continue;
        }
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
        measured.push(benchmark);
    }
    Ok(measured)
}

/// Adds to each benchmark the regime its harness logged, from lines of
/// `group<TAB>function<TAB>regime`.
fn attach_regimes(measured: &mut [Benchmark], log: &str) {
    for line in log.lines() {
        let mut fields = line.splitn(3, '\t');
        let (Some(group), Some(function), Some(regime)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        for benchmark in measured.iter_mut() {
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
    fn attaches_each_logged_regime_to_its_benchmark() {
        let mut measured = vec![
            Benchmark::new("spsc".into(), "rtrb".into(), 5.0),
            Benchmark::new("spsc".into(), "mine".into(), 6.0),
        ];
        attach_regimes(
            &mut measured,
            "spsc\tmine\tempty on 2.0% of pops\nbroken line\n",
        );
        assert_eq!(measured[0].regime, None);
        assert_eq!(measured[1].regime.as_deref(), Some("empty on 2.0% of pops"));
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

    #[test]
    fn collects_only_fresh_results() {
        let dir = std::env::temp_dir().join(format!("workbook-criterion-{}", std::process::id()));
        let new = dir.join("spsc/rtrb/new");
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(
            new.join("benchmark.json"),
            r#"{"group_id":"spsc","function_id":"rtrb"}"#,
        )
        .unwrap();
        std::fs::write(new.join("estimates.json"), ESTIMATES).unwrap();
        let base = dir.join("spsc/rtrb/base");
        std::fs::create_dir_all(&base).unwrap();
        std::fs::write(base.join("benchmark.json"), "not read").unwrap();

        let long_ago = SystemTime::UNIX_EPOCH;
        assert_eq!(criterion_measurements(&dir, long_ago).unwrap().len(), 1);
        let later = SystemTime::now() + std::time::Duration::from_secs(60);
        assert!(criterion_measurements(&dir, later).unwrap().is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
