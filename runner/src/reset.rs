//! `cargo workbook reset <name> [--from REV]`: back to the original files, after a backup.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};

use crate::process::Invocation;
use crate::workspace::Workbook;

pub fn run(workbook: &Workbook, name: &str, rev: &str) -> Result<()> {
    let exercise = workbook.info.find(name)?;
    let root = &workbook.root;
    ensure_git_checkout(root)?;

    // Everything is read from git before anything is touched, so a wrong
    // revision or a missing path leaves the learner's files as they were.
    let originals = exercise
        .edit
        .iter()
        .map(|file| {
            Ok((
                file,
                git_show(root, rev, &format!("exercises/{}/{file}", exercise.dir))?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;

    let exercise_dir = exercise.exercise_dir(root);
    let backup_dir = backup(&exercise_dir, &exercise.edit, &backups_root(workbook, name))?;
    println!(
        "Backed up your version to {}",
        workbook.relative(&backup_dir).display()
    );

    for (file, content) in originals {
        let path = exercise_dir.join(file);
        std::fs::write(&path, content)
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("Restored exercises/{}/{file} from {rev}", exercise.dir);
    }
    Ok(())
}

fn ensure_git_checkout(root: &Path) -> Result<()> {
    let inside = Invocation::new("git", root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()?;
    if !inside.status.success() {
        bail!(
            "`reset` restores files from git, but {} is not a git checkout",
            root.display()
        );
    }
    Ok(())
}

/// The file at `path` (relative to `root`) as it is in revision `rev`.
fn git_show(root: &Path, rev: &str, path: &str) -> Result<Vec<u8>> {
    // `rev:./path` is resolved against the working folder, wherever the repository's top is.
    let output = Invocation::new("git", root)
        .args(["show", &format!("{rev}:./{path}")])
        .output()?;
    if !output.status.success() {
        let reason = String::from_utf8_lossy(&output.stderr);
        bail!(
            "cannot read {path} from git revision '{rev}': {}",
            reason.trim()
        );
    }
    Ok(output.stdout)
}

/// A fresh folder per reset, named by the time, so no earlier backup is overwritten.
fn backups_root(workbook: &Workbook, name: &str) -> PathBuf {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let base = workbook
        .state_dir()
        .join("backups")
        .join(name)
        .join(seconds.to_string());
    (0..)
        .map(|n| {
            if n == 0 {
                base.clone()
            } else {
                base.with_extension(n.to_string())
            }
        })
        .find(|candidate| !candidate.exists())
        .unwrap_or(base)
}

/// Copies each of `files` (relative to `from`) that exists into `to`, keeping its relative path.
fn backup(from: &Path, files: &[String], to: &Path) -> Result<PathBuf> {
    for file in files {
        let source = from.join(file);
        if !source.exists() {
            continue;
        }
        let destination = to.join(file);
        if let Some(parent) = destination.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::copy(&source, &destination)
            .with_context(|| format!("cannot back up {}", source.display()))?;
    }
    Ok(to.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_up_existing_files_with_their_relative_paths() {
        let scratch = std::env::temp_dir().join(format!("workbook-reset-{}", std::process::id()));
        let exercise = scratch.join("exercise");
        std::fs::create_dir_all(exercise.join("src")).unwrap();
        std::fs::write(exercise.join("src/lib.rs"), "my work").unwrap();
        let files = ["src/lib.rs".to_owned(), "src/missing.rs".to_owned()];

        let saved = backup(&exercise, &files, &scratch.join("backup")).unwrap();
        assert_eq!(
            std::fs::read_to_string(saved.join("src/lib.rs")).unwrap(),
            "my work"
        );
        assert!(!saved.join("src/missing.rs").exists());
        std::fs::remove_dir_all(scratch).unwrap();
    }

    #[test]
    fn refuses_outside_a_git_checkout() {
        let error = ensure_git_checkout(Path::new("/")).unwrap_err().to_string();
        assert!(error.contains("not a git checkout"), "{error}");
    }
}
