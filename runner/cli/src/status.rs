//! `cargo workbook status [--share --to <folder>]`: where the learner is, in
//! one line, and on request the same in a status file (see [`status_file`])
//! that the instructor's `cargo workbook room` gathers. Nothing is written
//! anywhere unless the learner asks, and then only into the folder they name.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, bail, ensure};

use crate::state::{State, Status};
use crate::status_file::{self, Current, CurrentStatus, SharedStatus};
use workbook_core::info_file::InfoFile;
use workbook_core::process::Invocation;
use workbook_core::workspace::Workbook;

/// The variable that names the learner when `--name` does not.
pub const NAME_VARIABLE: &str = "WORKBOOK_NAME";

/// Where to share the status, and under which name.
pub struct Share {
    pub to: PathBuf,
    pub name: Option<String>,
}

pub fn run(workbook: &Workbook, share: Option<&Share>) -> Result<()> {
    let state = State::load(workbook)?;
    let Some(share) = share else {
        println!("{}", describe(&summarize(&workbook.info, &state, "")));
        return Ok(());
    };
    let name = learner_name(share.name.as_deref(), workbook)?;
    let status = summarize(&workbook.info, &state, &name);
    let path = write(&status, &share.to)?;
    println!(
        "{}; shared as {name} in {}",
        describe(&status),
        path.display()
    );
    Ok(())
}

/// The learner's status as `list` sees it: verified exercises, the first one
/// not verified and the hints shown.
fn summarize(info: &InfoFile, state: &State, name: &str) -> SharedStatus {
    let exercises = &info.exercises;
    let verified = exercises
        .iter()
        .filter(|exercise| state.status(&exercise.name) == Some(Status::Verified))
        .count();
    let current = exercises
        .iter()
        .find(|exercise| state.status(&exercise.name) != Some(Status::Verified))
        .map(|exercise| Current {
            name: exercise.name.clone(),
            status: match state.status(&exercise.name) {
                None => CurrentStatus::NotStarted,
                Some(Status::Failing) => CurrentStatus::Failing,
                Some(Status::Passing | Status::Verified) => CurrentStatus::Passing,
            },
            hints: state.progress(&exercise.name).hints_shown,
        });
    let hints = exercises
        .iter()
        .map(|exercise| state.progress(&exercise.name).hints_shown)
        .sum();
    SharedStatus::new(
        name,
        verified,
        exercises.len(),
        current,
        hints,
        SystemTime::now(),
    )
}

/// "7 of 23 exercises verified; on racy-ring (failing, 2 hints shown); 5 hints in all".
fn describe(status: &SharedStatus) -> String {
    let on = match (&status.current, status.current_status) {
        (Some(current), Some(how)) => format!(
            "on {current} ({}, {} shown)",
            how.label(),
            plural(status.current_hints, "hint")
        ),
        _ => "every exercise done".to_owned(),
    };
    format!(
        "{} of {} exercises verified; {on}; {} in all",
        status.verified,
        status.exercises,
        plural(status.hints, "hint")
    )
}

pub(crate) fn plural(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// `--name`, else `WORKBOOK_NAME`, else git's `user.name`.
fn learner_name(option: Option<&str>, workbook: &Workbook) -> Result<String> {
    let from_variable = std::env::var(NAME_VARIABLE).ok();
    let from_git = || {
        let output = Invocation::new("git", &workbook.root)
            .args(["config", "user.name"])
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let name = option
        .map(str::to_owned)
        .or(from_variable)
        .filter(|name| !name.trim().is_empty())
        .or_else(from_git)
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty());
    name.with_context(|| {
        format!(
            "who are you? Give your name with `--name \"Ana Lopez\"` (or set {NAME_VARIABLE}, \
             or git's user.name)"
        )
    })
}

/// Writes `status` into `folder`, in the file named after the learner, and
/// returns its path. A file there of another learner whose name gives the
/// same file name, or of another tool, is left alone.
fn write(status: &SharedStatus, folder: &Path) -> Result<PathBuf> {
    ensure!(
        folder.is_dir(),
        "{} is not a folder (is the stick plugged in, the share mounted?)",
        folder.display()
    );
    let path = folder.join(status_file::file_name(&status.name)?);
    if path.exists() {
        match status_file::read(&path) {
            Ok(before) if before.name == status.name => {}
            Ok(before) => bail!(
                "{} holds the status of {}, not yours: share under another `--name`",
                path.display(),
                before.name
            ),
            Err(error) => bail!(
                "{} is there already and is not a status file ({error:#}); it is left alone: \
                 share under another `--name`",
                path.display()
            ),
        }
    }
    // Written beside and renamed, so that `room` never reads half a file.
    let staging = path.with_extension(format!("{}.new", status_file::EXTENSION));
    std::fs::write(&staging, status.to_text()?)
        .with_context(|| format!("cannot write {}", staging.display()))?;
    std::fs::rename(&staging, &path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use workbook_core::info_file::SAMPLE;

    #[test]
    fn the_current_exercise_is_the_first_not_verified() {
        let info = InfoFile::parse(SAMPLE).unwrap();
        let mut state = State::default();
        let fresh = summarize(&info, &state, "Ana");
        assert_eq!(
            describe(&fresh),
            "0 of 2 exercises verified; on racy-ring (not started, 0 hints shown); 0 hints in all"
        );
        state.set_status("racy-ring", Status::Verified);
        state.set_hints_shown("racy-ring", 2);
        state.set_status("thread-bounds", Status::Failing);
        state.set_hints_shown("thread-bounds", 1);
        let status = summarize(&info, &state, "Ana");
        assert_eq!((status.verified, status.exercises), (1, 2));
        assert_eq!(status.current.as_deref(), Some("thread-bounds"));
        assert_eq!(
            describe(&status),
            "1 of 2 exercises verified; on thread-bounds (failing, 1 hint shown); 3 hints in all"
        );
        state.set_status("thread-bounds", Status::Verified);
        assert_eq!(
            describe(&summarize(&info, &state, "Ana")),
            "2 of 2 exercises verified; every exercise done; 3 hints in all"
        );
    }

    #[test]
    fn shares_into_the_folder_and_never_over_someone_else() {
        let dir = std::env::temp_dir().join(format!("workbook-share-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let info = InfoFile::parse(SAMPLE).unwrap();
        let state = State::default();
        let path = write(&summarize(&info, &state, "Ana Lopez"), &dir).unwrap();
        assert_eq!(path, dir.join("ana-lopez.toml"));
        // Sharing again replaces one's own file.
        write(&summarize(&info, &state, "Ana Lopez"), &dir).unwrap();
        assert_eq!(status_file::read(&path).unwrap().name, "Ana Lopez");
        let error = write(&summarize(&info, &state, "ana lopez"), &dir).unwrap_err();
        assert!(
            error.to_string().contains("holds the status of Ana Lopez"),
            "{error}"
        );
        std::fs::write(dir.join("notes.toml"), "title = \"mine\"\n").unwrap();
        let error = write(&summarize(&info, &state, "Notes"), &dir).unwrap_err();
        assert!(error.to_string().contains("is left alone"), "{error}");
        assert!(write(&summarize(&info, &state, "Bo"), &dir.join("missing")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
