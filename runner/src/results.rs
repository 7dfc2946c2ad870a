//! `results/<machine-id>.json`: one machine's benchmark measurements, written by
//! `cargo workbook bench` and read by the book's `{{#results}}` tables.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultsFile {
    pub machine: Machine,
    pub benchmarks: Vec<Benchmark>,
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
    pub ns_per_item: f64,
    pub items_per_second: u64,
    /// The conditions the harness saw (how often the queue was empty or full),
    /// where the benchmark logged them (see `bench_support::REGIME_LOG`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regime: Option<String>,
}

impl Benchmark {
    pub fn new(group: String, function: String, ns_per_item: f64) -> Self {
        // Rounded so that re-measuring shows meaningful digits in a diff, not noise.
        let ns_per_item = (ns_per_item * 1000.0).round() / 1000.0;
        let items_per_second = (1e9 / ns_per_item).round() as u64;
        Self {
            group,
            function,
            ns_per_item,
            items_per_second,
            regime: None,
        }
    }
}

impl ResultsFile {
    /// This machine's file with `measured` in it: a group measured again is
    /// replaced whole, since its variants are only comparable within one run.
    pub fn merged(
        previous: Option<ResultsFile>,
        machine: Machine,
        measured: Vec<Benchmark>,
    ) -> Self {
        let remeasured: HashSet<&str> = measured.iter().map(|b| b.group.as_str()).collect();
        let mut benchmarks: Vec<Benchmark> = previous
            .map(|file| file.benchmarks)
            .unwrap_or_default()
            .into_iter()
            .filter(|b| !remeasured.contains(b.group.as_str()))
            .collect();
        benchmarks.extend(measured);
        benchmarks.sort_by(|a, b| (&a.group, &a.function).cmp(&(&b.group, &b.function)));
        Self {
            machine,
            benchmarks,
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
        };
        let merged = ResultsFile::merged(
            Some(previous),
            machine("2026-02-02"),
            vec![bench("spsc", "rtrb", 3.0), bench("spsc", "mine", 4.0)],
        );
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
    fn round_trips_through_json() {
        let dir = std::env::temp_dir().join(format!("workbook-results-{}", std::process::id()));
        let file = ResultsFile::merged(None, machine("2026-03-03"), vec![bench("g", "f", 1.5)]);
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
