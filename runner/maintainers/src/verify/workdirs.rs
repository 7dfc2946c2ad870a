//! Where a verify run keeps its files: its run id (shared with its steps'
//! processes), the steps' logs, and the workspace copies that edited steps
//! (mutants, wrong answers) build in.

use std::path::PathBuf;

use anyhow::Result;
use workbook_core::workspace::Workbook;

use super::copy;

/// The kinds of step that edit a copy of the workspace, each its own copy so
/// that they can run at the same time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edits {
    Mutants,
    CargoMutants,
    WrongAnswers,
}

impl Edits {
    pub const ALL: [Edits; 3] = [Edits::Mutants, Edits::CargoMutants, Edits::WrongAnswers];
}

impl Edits {
    /// Its copy's folder name, and the version tag that keeps its builds apart.
    fn tag(self) -> &'static str {
        match self {
            Edits::Mutants => "mutant",
            Edits::CargoMutants => "cargo-mutant",
            Edits::WrongAnswers => "wrong",
        }
    }
}

/// Where the workspace copy for `edits` is, made by `run` before any step starts.
pub fn copy_dir(workbook: &Workbook, edits: Edits) -> PathBuf {
    workbook.target_dir().join("edited").join(copy_tag(edits))
}

/// The copy's version tag: the kind of edit and the verify run, so that two
/// verify runs at once (two maintainers' terminals) never build over each
/// other's edited crates.
pub fn copy_tag(edits: Edits) -> String {
    format!("{}.{}", edits.tag(), run_id())
}

/// The copy for `edits`: the one `run` made before starting the steps, or,
/// for a step run by hand (`verify --step N`), a new one.
pub fn ensure_copy(workbook: &Workbook, edits: Edits) -> Result<PathBuf> {
    let copy = copy_dir(workbook, edits);
    if !copy.join("Cargo.toml").exists() {
        println!(
            "copying the workspace to {}",
            workbook.relative(&copy).display()
        );
        copy::prepare_copy(&workbook.root, &copy, &copy_tag(edits))?;
    }
    Ok(copy)
}

/// Tells apart the concurrent runs of verify on one machine: the parent's
/// process id, handed on to its steps.
pub fn run_id() -> String {
    std::env::var(RUN_ID_VARIABLE).unwrap_or_else(|_| std::process::id().to_string())
}

/// Carries [`run_id`] from a verify run to its steps' processes.
pub const RUN_ID_VARIABLE: &str = "WORKBOOK_VERIFY_RUN";

/// `target/verify/<exercise>-<kind>.log`, emptied: where one step of an
/// exercise writes the output of the commands it runs.
pub fn fresh_log(workbook: &Workbook, exercise: &str, kind: &str) -> Result<PathBuf> {
    let dir = workbook.target_dir().join("verify");
    std::fs::create_dir_all(&dir)?;
    let log = dir.join(format!("{exercise}-{kind}.log"));
    let _ = std::fs::remove_file(&log);
    Ok(log)
}

/// Where the steps' logs and verdicts go.
pub fn log_dir(workbook: &Workbook) -> PathBuf {
    workbook
        .target_dir()
        .join("verify")
        .join(format!("steps-{}", run_id()))
}
