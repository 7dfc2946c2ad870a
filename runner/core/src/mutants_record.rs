//! `results/cargo-mutants.toml`: for each solution, what its last passing
//! `cargo workbook verify --cargo-mutants` run found, with a hash of the files
//! that run read. The maintainers' verify writes it and decides from it which
//! solutions to judge again; the book's contributor page shows it as a table.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

/// The record, relative to the workspace's root.
pub const FILE: &str = "results/cargo-mutants.toml";

/// The table's heading; each entry's `row` is one of its rows.
pub const HEADING: &str = "| solution | mutants | caught (test / loom / miri) | missed | equivalent \
     | unviable | timed out | hangs failed by deadline (slowest) | wall time |\n\
     |---|---|---|---|---|---|---|---|---|";

const HEADER: &str =
    "# What `cargo workbook verify --cargo-mutants` found for each solution, in its last
# passing run. Written by verify (runner/maintainers/src/verify/mutants_record.rs);
# `inputs` is a hash of the files the run read: when they change, verify runs the
# solution's mutants again.
";

/// One solution's last passing run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// SHA-256 of the exercise's and the solution's files.
    pub inputs: String,
    /// The cargo-mutants version that listed the mutants.
    pub cargo_mutants: String,
    /// When the run ended (UTC, RFC 3339).
    pub ran: String,
    /// The run's row of the table under [`HEADING`].
    pub row: String,
}

/// The entries by exercise name.
pub type Record = BTreeMap<String, Entry>;

/// The record in the workspace at `root`; empty if there is none yet.
pub fn load(root: &Path) -> Result<Record> {
    match std::fs::read_to_string(root.join(FILE)) {
        Ok(text) => toml::from_str(&text).with_context(|| format!("cannot read {FILE}")),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Record::new()),
        Err(error) => Err(error).with_context(|| format!("cannot read {FILE}")),
    }
}

pub fn store(root: &Path, record: &Record) -> Result<()> {
    let text = format!("{HEADER}\n{}", toml::to_string(record)?);
    std::fs::write(root.join(FILE), text).with_context(|| format!("cannot write {FILE}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_back_as_written() {
        let folder = std::env::temp_dir().join(format!("mutants-record-{}", std::process::id()));
        std::fs::create_dir_all(folder.join("results")).unwrap();
        assert!(load(&folder).unwrap().is_empty());
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
        store(&folder, &record).unwrap();
        assert_eq!(load(&folder).unwrap(), record);
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
