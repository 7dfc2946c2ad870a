//! `exercises/shipped.toml`: the git blob id of every file a learner edits, as
//! the workbook ships it.
//!
//! `reset` restores a stub from its blob id, which names the file's content in
//! any clone of the workbook, whatever the learner has committed on top (their
//! own commits change the branch and its history, never an existing blob).
//! verify's metadata step checks the ids against the files, so a changed stub
//! cannot ship with a stale id.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::info_file::Exercise;
use crate::process::Invocation;

/// Relative to the workbook's root.
pub const FILE: &str = "exercises/shipped.toml";

/// Exercise name -> file (relative to the exercise's folder) -> blob id.
pub type Shipped = BTreeMap<String, BTreeMap<String, String>>;

pub fn load(root: &Path) -> Result<Shipped> {
    let path = root.join(FILE);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("cannot parse {}", path.display()))
}

/// The blob id git gives the file at `path` (as `git add` would store it).
pub fn blob_id(root: &Path, path: &Path) -> Result<String> {
    let output = Invocation::new("git", root)
        .args(["hash-object", "--"])
        .arg(path.display().to_string())
        .output()?;
    if !output.status.success() {
        bail!(
            "git hash-object {}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The content of the blob `id`.
pub fn read_blob(root: &Path, id: &str) -> Result<Vec<u8>> {
    let output = Invocation::new("git", root)
        .args(["cat-file", "blob", id])
        .output()?;
    if !output.status.success() {
        bail!(
            "git has no blob {id} here ({}): is this a clone of the workbook?",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// The line of `exercises/shipped.toml` that a maintainer should write for
/// the exercise's files as they are now, or what stops it being computed.
pub fn problems(root: &Path, shipped: &Shipped, exercise: &Exercise) -> Vec<String> {
    let dir = exercise.exercise_dir(root);
    let listed = shipped.get(&exercise.name);
    let mut problems = Vec::new();
    for file in &exercise.edit {
        let id = match blob_id(root, &dir.join(file)) {
            Ok(id) => id,
            Err(error) => {
                problems.push(format!("{error:#}"));
                continue;
            }
        };
        if listed.and_then(|files| files.get(file)) != Some(&id) {
            problems.push(format!(
                "{FILE} must give {file}'s blob id as shipped, so that `reset` can restore it: \
                 under [{}], write \"{file}\" = \"{id}\"",
                exercise.name
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let output = Invocation::new("git", dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args.iter().copied())
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}: {output:?}");
    }

    /// The bug this module fixes: `reset` read the stub from `HEAD`, which is
    /// the learner's own solution once they commit it.
    #[test]
    fn a_blob_id_finds_the_shipped_file_after_the_learner_commits_over_it() {
        let dir = std::env::temp_dir().join(format!("workbook-shipped-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        git(&dir, &["init", "-q"]);
        let file = dir.join("lib.rs");
        std::fs::write(&file, "todo!()\n").unwrap();
        git(&dir, &["add", "lib.rs"]);
        git(&dir, &["commit", "-qm", "the workbook"]);
        let shipped = blob_id(&dir, &file).unwrap();

        std::fs::write(&file, "my solution\n").unwrap();
        git(&dir, &["commit", "-qam", "my solutions so far"]);
        assert_eq!(read_blob(&dir, &shipped).unwrap(), b"todo!()\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
