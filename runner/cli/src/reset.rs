//! `cargo workbook reset <name>`: back to the stub as shipped, after a backup;
//! `--undo` puts the latest backup back, `--from REV` restores from a git revision.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};

use crate::state::State;
use workbook_core::info_file::Exercise;
use workbook_core::process::Invocation;
use workbook_core::shipped;
use workbook_core::workspace::Workbook;

/// Where `reset` takes the files from.
pub enum Source {
    /// The stub as the workbook ships it (`exercises/shipped.toml`).
    Shipped,
    /// The files as they are in a git revision.
    Revision(String),
    /// The newest backup `reset` made.
    LastBackup,
}

pub fn run(workbook: &Workbook, name: &str, source: &Source) -> Result<()> {
    let exercise = workbook.info.find(name)?;
    let root = &workbook.root;
    ensure_git_checkout(root)?;

    // Everything is read before anything is touched, so a wrong revision or a
    // missing file leaves the learner's files as they were.
    let (originals, from) = match source {
        Source::Shipped => (
            shipped_files(root, exercise)?,
            "the stub as shipped".to_owned(),
        ),
        Source::Revision(rev) => (
            revision_files(root, exercise, rev)?,
            format!("git revision {rev}"),
        ),
        Source::LastBackup => {
            let backup = last_backup(workbook, name)?;
            let files = backup_files(&backup, &exercise.edit)?;
            (files, workbook.relative(&backup).display().to_string())
        }
    };

    let exercise_dir = exercise.exercise_dir(root);
    let backup_dir = backup(&exercise_dir, &exercise.edit, &backups_root(workbook, name))?;
    for (file, content) in originals {
        let path = exercise_dir.join(file);
        std::fs::write(&path, content)
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("Restored exercises/{}/{file} from {from}", exercise.dir);
    }
    // The status was the old files'; `check` records the new ones'.
    let mut state = State::load(workbook)?;
    state.clear_status(name);
    state.save()?;
    println!(
        "Your version is backed up in {}; `cargo workbook reset {name} --undo` puts it back.",
        workbook.relative(&backup_dir).display()
    );
    Ok(())
}

fn shipped_files<'a>(root: &Path, exercise: &'a Exercise) -> Result<Vec<(&'a String, Vec<u8>)>> {
    let shipped = shipped::load(root)?;
    exercise
        .edit
        .iter()
        .map(|file| {
            let id = shipped
                .get(&exercise.name)
                .and_then(|files| files.get(file))
                .with_context(|| {
                    format!(
                        "{} does not list {file} of {}; `reset {} --from HEAD` restores it from \
                         your last commit instead",
                        shipped::FILE,
                        exercise.name,
                        exercise.name
                    )
                })?;
            Ok((file, shipped::read_blob(root, id)?))
        })
        .collect()
}

fn revision_files<'a>(
    root: &Path,
    exercise: &'a Exercise,
    rev: &str,
) -> Result<Vec<(&'a String, Vec<u8>)>> {
    exercise
        .edit
        .iter()
        .map(|file| {
            let path = format!("exercises/{}/{file}", exercise.dir);
            Ok((file, git_show(root, rev, &path)?))
        })
        .collect()
}

fn backup_files<'a>(backup: &Path, files: &'a [String]) -> Result<Vec<(&'a String, Vec<u8>)>> {
    files
        .iter()
        .filter(|file| backup.join(file).exists())
        .map(|file| {
            let path = backup.join(file);
            let content =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok((file, content))
        })
        .collect()
}

/// The newest of the exercise's backups.
fn last_backup(workbook: &Workbook, name: &str) -> Result<PathBuf> {
    let dir = workbook.state_dir().join("backups").join(name);
    let newest = std::fs::read_dir(&dir)
        .ok()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_dir())
        .max_by_key(|path| backup_order(path));
    newest.with_context(|| {
        format!(
            "there is no backup of {name} to put back (none in {})",
            dir.display()
        )
    })
}

/// Backups are named by the second they were made, then `.1`, `.2` for more
/// in the same second.
fn backup_order(path: &Path) -> (u64, u64) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (seconds, extra) = name.split_once('.').unwrap_or((&name, "0"));
    (seconds.parse().unwrap_or(0), extra.parse().unwrap_or(0))
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
    fn the_newest_backup_is_the_latest_second_then_the_highest_extension() {
        let mut backups = ["1700000000", "1700000001.2", "1700000001", "1700000001.10"]
            .map(|name| PathBuf::from("/b").join(name));
        backups.sort_by_key(|path| backup_order(path));
        assert_eq!(backups.last().unwrap(), Path::new("/b/1700000001.10"));
    }

    #[test]
    fn refuses_outside_a_git_checkout() {
        let error = ensure_git_checkout(Path::new("/")).unwrap_err().to_string();
        assert!(error.contains("not a git checkout"), "{error}");
    }
}
