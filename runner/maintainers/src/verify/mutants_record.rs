//! `results/cargo-mutants.toml`: for each solution, what its last passing
//! `verify --cargo-mutants` run found, and a hash of the files that run read.
//!
//! A full run of cargo-mutants over every solution takes hours on two cores,
//! far too long for CI. So the default plan runs it only for the solutions
//! whose files changed since their recorded run (or that have no record): a
//! change to a solution or to its tests is judged again, in CI too, and an
//! untouched solution keeps the figures of its last run. The hash covers the
//! exercise's and the solution's folders and the files their tests take in
//! with `#[path]`, not what every exercise shares (test-support, the runner,
//! the toolchains): a change there would send every solution back through
//! cargo-mutants. A run that passes writes its row here; commit the file
//! with the change, and CI has nothing left to run.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use workbook_core::info_file::Exercise;
use workbook_core::workspace::Workbook;

use super::unchanged::own_inputs;

/// The record, relative to the workspace's root.
pub const FILE: &str = "results/cargo-mutants.toml";

const HEADER: &str = "# What `cargo workbook verify --cargo-mutants` found for each solution, in its last
# passing run (see runner/maintainers/src/verify/mutants_record.rs). Written by verify;
# `inputs` is a hash of the files the run read: when they change, verify runs the
# solution's mutants again.
";

/// One solution's last passing run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// SHA-256 of the exercise's and the solution's files (see [`inputs`]).
    pub inputs: String,
    /// The cargo-mutants version that listed the mutants.
    pub cargo_mutants: String,
    /// When the run ended (UTC, RFC 3339).
    pub ran: String,
    /// The run's row of the table in `book/contributing.md`.
    pub row: String,
}

/// The entries by exercise name.
pub type Record = BTreeMap<String, Entry>;

pub fn load(workbook: &Workbook) -> Result<Record> {
    let path = workbook.root.join(FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).with_context(|| format!("cannot read {FILE}")),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Record::new()),
        Err(error) => Err(error).with_context(|| format!("cannot read {FILE}")),
    }
}

pub fn store(workbook: &Workbook, record: &Record) -> Result<()> {
    let text = format!("{HEADER}\n{}", toml::to_string(record)?);
    std::fs::write(workbook.root.join(FILE), text).with_context(|| format!("cannot write {FILE}"))
}

/// SHA-256 over the path (relative to the root, with `/`) and the contents of
/// each file [`own_inputs`] lists: the same on every system and toolchain.
pub fn inputs(root: &Path, exercise: &Exercise) -> Result<String> {
    let mut hasher = Sha256::new();
    for file in own_inputs(root, exercise)? {
        let relative = file.strip_prefix(root).unwrap_or(&file);
        let name: Vec<String> = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        let contents =
            std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        hasher.update(name.join("/").as_bytes());
        hasher.update([0]);
        hasher.update((contents.len() as u64).to_le_bytes());
        hasher.update(&contents);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// The exercises whose solution has no record, or whose files changed since it.
pub fn out_of_date<'a>(workbook: &Workbook, exercises: &[&'a Exercise]) -> Result<Vec<&'a Exercise>> {
    let record = load(workbook)?;
    let mut stale = Vec::new();
    for &exercise in exercises {
        let current = inputs(&workbook.root, exercise)?;
        if record
            .get(&exercise.name)
            .is_none_or(|entry| entry.inputs != current)
        {
            stale.push(exercise);
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_back_as_written() {
        let mut record = Record::new();
        record.insert(
            "racy-ring".to_owned(),
            Entry {
                inputs: "ab12".to_owned(),
                cargo_mutants: "27.1.0".to_owned(),
                ran: "2026-12-04T16:00:00Z".to_owned(),
                row: "| racy-ring | 17 | 16 / 0 / 0 | 0 | 0 | 1 | 0 | 2 (10.1s) | 44s |".to_owned(),
            },
        );
        let text = format!("{HEADER}\n{}", toml::to_string(&record).unwrap());
        let read: Record = toml::from_str(&text).unwrap();
        assert_eq!(read, record);
    }
}
