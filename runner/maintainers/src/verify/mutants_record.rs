//! Which solutions' cargo-mutants record ([`workbook_core::mutants_record`],
//! `results/cargo-mutants.toml`) is out of date.
//!
//! A full run of cargo-mutants over every solution takes hours on two cores,
//! far too long for CI. So the default plan runs it only for the solutions
//! whose files changed since their recorded run: a change to a solution or to
//! its tests is judged again, in CI too, and an untouched solution keeps the
//! figures of its last run. A solution with no record yet is left to a
//! maintainer's `verify --cargo-mutants --only <name>` (a first run with its
//! survivors to explain can take half an hour); verify names such solutions,
//! and the contributor page's table lists them as not recorded. The hash covers the
//! exercise's and the solution's folders and the files their tests take in
//! with `#[path]`, not what every exercise shares (test-support, the runner,
//! the toolchains): a change there would send every solution back through
//! cargo-mutants. A run that passes writes its row into the record; commit
//! the record with the change, and CI has nothing left to run.

use std::path::Path;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use workbook_core::info_file::Exercise;
use workbook_core::mutants_record::load;
use workbook_core::workspace::Workbook;

use super::unchanged::own_inputs;

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

/// Where the record leaves each solution of a plan.
pub struct Standing<'a> {
    /// Recorded, but their files changed since: the default plan judges them again.
    pub changed: Vec<&'a Exercise>,
    /// Never recorded: left to a maintainer's `--cargo-mutants` run.
    pub unrecorded: Vec<&'a Exercise>,
}

pub fn standing<'a>(workbook: &Workbook, exercises: &[&'a Exercise]) -> Result<Standing<'a>> {
    let record = load(&workbook.root)?;
    let mut standing = Standing {
        changed: Vec::new(),
        unrecorded: Vec::new(),
    };
    for &exercise in exercises {
        match record.get(&exercise.name) {
            None => standing.unrecorded.push(exercise),
            Some(entry) if entry.inputs != inputs(&workbook.root, exercise)? => {
                standing.changed.push(exercise);
            }
            Some(_) => {}
        }
    }
    Ok(standing)
}
