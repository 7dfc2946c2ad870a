//! `results/<machine-id>.json`: one machine's benchmark measurements and counted
//! outcomes, written by `cargo workbook bench` and read by the book's
//! `{{#results}}` and `{{#counts}}` tables.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::spread::{self, Spread};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsFile {
    pub machine: Machine,
    #[serde(default)]
    pub benchmarks: Vec<Benchmark>,
    /// Outcomes counted rather than timed (see `bench_support::COUNT_LOG`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counts: Vec<Count>,
}

/// What an absolute figure needs beside it to mean anything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    pub id: String,
    pub cpu: String,
    pub cores: usize,
    pub os: String,
    pub rustc: String,
    /// When the last group was measured, `YYYY-MM-DD` (UTC).
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// Criterion's group: the variants compared with each other.
    pub group: String,
    /// The variant.
    pub function: String,
    /// The median over [`Benchmark::rounds`] (in a file from before rounds,
    /// the one run's figure).
    pub ns_per_item: f64,
    pub items_per_second: u64,
    /// The figure of each round, in the order the rounds ran: the same index
    /// is the same round for every variant of the group. Empty in files
    /// written before rounds, which hold one run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rounds: Vec<f64>,
    /// The conditions the harness saw (how often the queue was empty or full),
    /// where the benchmark logged them (see `bench_support::REGIME_LOG`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regime: Option<String>,
}

/// How often an outcome was observed, such as a litmus test's reordering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count {
    /// The variants compared with each other, as with a benchmark group.
    pub group: String,
    pub variant: String,
    /// In how many of the runs the outcome was seen.
    pub observed: u64,
    pub runs: u64,
}

impl Benchmark {
    /// One run's figure.
    pub fn new(group: String, function: String, ns_per_item: f64) -> Self {
        let ns_per_item = rounded(ns_per_item);
        let items_per_second = (1e9 / ns_per_item).round() as u64;
        Self {
            group,
            function,
            ns_per_item,
            items_per_second,
            rounds: Vec::new(),
            regime: None,
        }
    }

    /// The figures of several rounds, summarised by their median; `None`
    /// without any.
    pub fn from_rounds(group: String, function: String, rounds: &[f64]) -> Option<Self> {
        let rounds: Vec<f64> = rounds.iter().copied().map(rounded).collect();
        let median = Spread::of(&rounds)?.median;
        Some(Self {
            rounds,
            ..Self::new(group, function, median)
        })
    }

    /// Each round's figure, or the one run's.
    pub fn figures(&self) -> Vec<f64> {
        if self.rounds.is_empty() {
            vec![self.ns_per_item]
        } else {
            self.rounds.clone()
        }
    }

    /// The median and range of the time per item over the rounds.
    pub fn spread(&self) -> Spread {
        Spread::of(&self.figures()).unwrap_or(Spread::single(self.ns_per_item))
    }

    /// This variant's time relative to `baseline`'s, round by round.
    pub fn ratio_to(&self, baseline: &Benchmark) -> Spread {
        spread::ratio(&self.figures(), &baseline.figures())
            .unwrap_or(Spread::single(self.ns_per_item / baseline.ns_per_item))
    }
}

/// Rounded so that re-measuring shows meaningful digits in a diff, not noise.
fn rounded(ns_per_item: f64) -> f64 {
    (ns_per_item * 1000.0).round() / 1000.0
}

impl ResultsFile {
    /// This machine's file with `measured` and `counted` in it: a group measured
    /// or counted again is replaced whole, since its variants are only
    /// comparable within one run.
    pub fn merged(
        previous: Option<ResultsFile>,
        machine: Machine,
        measured: Vec<Benchmark>,
        counted: Vec<Count>,
    ) -> Self {
        let (benchmarks, counts) = previous
            .map(|file| (file.benchmarks, file.counts))
            .unwrap_or_default();
        Self {
            machine,
            benchmarks: replace_groups(benchmarks, measured, |b| (&b.group, &b.function)),
            counts: replace_groups(counts, counted, |c| (&c.group, &c.variant)),
        }
    }

    pub fn load(path: &Path) -> Result<Option<Self>> {
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let file = serde_json::from_str(&text)
            .with_context(|| format!("cannot parse {}", path.display()))?;
        Ok(Some(file))
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(self)? + "\n";
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Every `*.json` file in `dir`, in file-name order (none if there is no folder).
    pub fn load_all(dir: &Path) -> Result<Vec<Self>> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(Vec::new());
        };
        let mut paths: Vec<_> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
            .collect();
        paths.sort();
        paths
            .iter()
            .filter_map(|path| Self::load(path).transpose())
            .collect()
    }

    pub fn group<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a Benchmark> {
        self.benchmarks.iter().filter(move |b| b.group == group)
    }

    /// `function`'s measurement in `group`, if this machine has one.
    pub fn benchmark(&self, group: &str, function: &str) -> Option<&Benchmark> {
        self.benchmarks
            .iter()
            .find(|b| b.group == group && b.function == function)
    }

    /// `variant`'s time relative to `baseline`'s in `group`, round by round;
    /// `None` unless this machine measured both.
    pub fn ratio(&self, group: &str, variant: &str, baseline: &str) -> Option<Spread> {
        let measured = self.benchmark(group, variant)?;
        Some(measured.ratio_to(self.benchmark(group, baseline)?))
    }

    pub fn counted<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a Count> {
        self.counts.iter().filter(move |c| c.group == group)
    }
}

/// `previous` without the groups that `new` has, plus `new`, sorted by
/// `(group, variant)` as `key` gives them.
fn replace_groups<T>(previous: Vec<T>, new: Vec<T>, key: fn(&T) -> (&String, &String)) -> Vec<T> {
    let renewed: HashSet<&String> = new.iter().map(|item| key(item).0).collect();
    let mut merged: Vec<T> = previous
        .into_iter()
        .filter(|item| !renewed.contains(key(item).0))
        .collect();
    merged.extend(new);
    merged.sort_by(|a, b| key(a).cmp(&key(b)));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(date: &str) -> Machine {
        Machine {
            id: "x86-64-cpu-2c".into(),
            cpu: "CPU".into(),
            cores: 2,
            os: "Linux".into(),
            rustc: "rustc 1.95.0".into(),
            date: date.into(),
        }
    }

    fn bench(group: &str, function: &str, ns: f64) -> Benchmark {
        Benchmark::new(group.into(), function.into(), ns)
    }

    fn count(group: &str, variant: &str, observed: u64) -> Count {
        Count {
            group: group.into(),
            variant: variant.into(),
            observed,
            runs: 1000,
        }
    }

    #[test]
    fn computes_throughput() {
        let b = bench("spsc", "rtrb", 4.0);
        assert_eq!(b.items_per_second, 250_000_000);
    }

    #[test]
    fn a_remeasured_group_replaces_the_old_one_whole() {
        let previous = ResultsFile {
            machine: machine("2026-01-01"),
            benchmarks: vec![
                bench("spsc", "mine", 5.0),
                bench("spsc", "gone", 9.0),
                bench("mpmc", "a", 20.0),
            ],
            counts: vec![count("litmus", "relaxed", 7)],
        };
        let merged = ResultsFile::merged(
            Some(previous),
            machine("2026-02-02"),
            vec![bench("spsc", "rtrb", 3.0), bench("spsc", "mine", 4.0)],
            Vec::new(),
        );
        assert_eq!(merged.counts, [count("litmus", "relaxed", 7)]);
        assert_eq!(merged.machine.date, "2026-02-02");
        let rows: Vec<_> = merged
            .benchmarks
            .iter()
            .map(|b| (b.group.as_str(), b.function.as_str(), b.ns_per_item))
            .collect();
        assert_eq!(
            rows,
            [
                ("mpmc", "a", 20.0),
                ("spsc", "mine", 4.0),
                ("spsc", "rtrb", 3.0)
            ]
        );
    }

    #[test]
    fn a_recounted_group_replaces_the_old_one_whole_and_keeps_the_benchmarks() {
        let previous = ResultsFile {
            machine: machine("2026-01-01"),
            benchmarks: vec![bench("spsc", "mine", 5.0)],
            counts: vec![
                count("litmus", "relaxed", 7),
                count("litmus", "gone", 1),
                count("other", "a", 2),
            ],
        };
        let merged = ResultsFile::merged(
            Some(previous),
            machine("2026-02-02"),
            Vec::new(),
            vec![count("litmus", "seqcst", 0), count("litmus", "relaxed", 9)],
        );
        assert_eq!(merged.benchmarks, [bench("spsc", "mine", 5.0)]);
        assert_eq!(
            merged.counts,
            [
                count("litmus", "relaxed", 9),
                count("litmus", "seqcst", 0),
                count("other", "a", 2)
            ]
        );
    }

    #[test]
    fn reads_a_file_with_counts_and_no_benchmarks() {
        let text = r#"{"machine":{"id":"m","cpu":"CPU","cores":2,"os":"Linux","rustc":"rustc",
            "date":"2026-01-01"},"counts":[{"group":"litmus","variant":"relaxed","observed":7,
            "runs":1000}]}"#;
        let file: ResultsFile = serde_json::from_str(text).unwrap();
        assert!(file.benchmarks.is_empty());
        assert_eq!(file.counts, [count("litmus", "relaxed", 7)]);
        // A file without counts is written as before, with no `counts` key.
        let without = ResultsFile::merged(None, machine("2026-01-01"), Vec::new(), Vec::new());
        assert!(!serde_json::to_string(&without).unwrap().contains("counts"));
    }

    #[test]
    fn a_file_from_before_rounds_reads_as_one_run() {
        let text = r#"{"machine":{"id":"m","cpu":"CPU","cores":2,"os":"Linux","rustc":"rustc",
            "date":"2026-01-01"},"benchmarks":[{"group":"spsc","function":"rtrb",
            "ns_per_item":5.0,"items_per_second":200000000}]}"#;
        let file: ResultsFile = serde_json::from_str(text).unwrap();
        let spread = file.benchmarks[0].spread();
        assert_eq!((spread.median, spread.rounds), (5.0, 1));
        // And a one-run benchmark is written without a `rounds` key, as before.
        assert!(!serde_json::to_string(&file).unwrap().contains("rounds"));
    }

    #[test]
    fn a_benchmark_of_rounds_keeps_them_and_reports_the_median() {
        let b = Benchmark::from_rounds("g".into(), "f".into(), &[4.0, 2.0, 9.0]).unwrap();
        assert_eq!((b.ns_per_item, b.items_per_second), (4.0, 250_000_000));
        assert_eq!(b.rounds, [4.0, 2.0, 9.0]);
        let base = Benchmark::from_rounds("g".into(), "base".into(), &[2.0, 2.0, 3.0]).unwrap();
        let ratio = b.ratio_to(&base);
        assert_eq!((ratio.median, ratio.min, ratio.max), (2.0, 1.0, 3.0));
        assert!(Benchmark::from_rounds("g".into(), "f".into(), &[]).is_none());
    }

    #[test]
    fn round_trips_through_json() {
        let dir = std::env::temp_dir().join(format!("workbook-results-{}", std::process::id()));
        let file = ResultsFile::merged(
            None,
            machine("2026-03-03"),
            vec![
                bench("g", "f", 1.5),
                Benchmark::from_rounds("g".into(), "r".into(), &[1.0, 2.0]).unwrap(),
            ],
            vec![count("c", "v", 3)],
        );
        file.save(&dir.join("m.json")).unwrap();
        std::fs::write(dir.join("notes.txt"), "ignored").unwrap();
        assert_eq!(ResultsFile::load_all(&dir).unwrap(), [file]);
        assert!(
            ResultsFile::load_all(&dir.join("missing"))
                .unwrap()
                .is_empty()
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
