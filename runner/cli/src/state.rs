//! The learner's progress, kept in `.workbook/state.toml` (gitignored).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use workbook_core::workspace::Workbook;

/// The last `check` result for an exercise. No record at all means "not started".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The tests (tier 1) fail.
    Failing,
    /// The tests pass; a later tier failed or has not run.
    Passing,
    /// Every tier passes.
    Verified,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default)]
    pub hints_shown: usize,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    exercises: BTreeMap<String, Progress>,
    #[serde(skip)]
    path: PathBuf,
}

impl State {
    pub fn load(workbook: &Workbook) -> Result<Self> {
        Self::load_from(&workbook.state_dir().join("state.toml"))
    }

    fn load_from(path: &Path) -> Result<Self> {
        let mut state = match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).with_context(|| {
                format!(
                    "cannot parse {}; delete it to start your progress afresh",
                    path.display()
                )
            })?,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => State::default(),
            Err(error) => return Err(error).context(format!("cannot read {}", path.display())),
        };
        state.path = path.to_owned();
        Ok(state)
    }

    /// Writes the whole file anew; a rename makes the update all-or-nothing.
    pub fn save(&self) -> Result<()> {
        let dir = self.path.parent().context("state file has no folder")?;
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let text = format!(
            "# Your progress through the workbook, written by `cargo workbook`.\n\n{}",
            toml::to_string(self)?
        );
        let staging = self.path.with_extension("toml.new");
        std::fs::write(&staging, text)
            .with_context(|| format!("cannot write {}", staging.display()))?;
        std::fs::rename(&staging, &self.path)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    pub fn progress(&self, name: &str) -> Progress {
        self.exercises.get(name).cloned().unwrap_or_default()
    }

    pub fn status(&self, name: &str) -> Option<Status> {
        self.exercises
            .get(name)
            .and_then(|progress| progress.status)
    }

    pub fn set_status(&mut self, name: &str, status: Status) {
        self.exercises.entry(name.to_owned()).or_default().status = Some(status);
    }

    /// Forgets the last check's result (after `reset`), keeping the hints shown.
    pub fn clear_status(&mut self, name: &str) {
        if let Some(progress) = self.exercises.get_mut(name) {
            progress.status = None;
        }
    }

    pub fn set_hints_shown(&mut self, name: &str, shown: usize) {
        self.exercises
            .entry(name.to_owned())
            .or_default()
            .hints_shown = shown;
    }
}

/// How `list` shows a status.
pub struct StatusLabel(pub Option<Status>);

impl fmt::Display for StatusLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self.0 {
            None => "not started",
            Some(Status::Failing) => "failing",
            Some(Status::Passing) => "passing",
            Some(Status::Verified) => "verified",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_file() {
        let dir = std::env::temp_dir().join(format!("workbook-state-{}", std::process::id()));
        let path = dir.join("state.toml");
        let mut state = State::load_from(&path).unwrap();
        assert_eq!(state.status("racy-ring"), None);
        state.set_status("racy-ring", Status::Passing);
        state.set_hints_shown("racy-ring", 2);
        state.set_hints_shown("thread-bounds", 1);
        state.save().unwrap();

        let again = State::load_from(&path).unwrap();
        assert_eq!(again.status("racy-ring"), Some(Status::Passing));
        assert_eq!(again.progress("racy-ring").hints_shown, 2);
        assert_eq!(again.status("thread-bounds"), None);
        assert_eq!(again.progress("thread-bounds").hints_shown, 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// `reset` clears the status: before, `list` still said "verified" after it.
    #[test]
    fn a_cleared_status_reads_not_started_and_keeps_the_hints() {
        let mut state = State::default();
        state.set_status("racy-ring", Status::Verified);
        state.set_hints_shown("racy-ring", 2);
        state.clear_status("racy-ring");
        assert_eq!(state.status("racy-ring"), None);
        assert_eq!(state.progress("racy-ring").hints_shown, 2);
    }

    #[test]
    fn labels_a_missing_record_not_started() {
        assert_eq!(StatusLabel(None).to_string(), "not started");
        assert_eq!(
            format!("{:<9}|", StatusLabel(Some(Status::Verified))),
            "verified |"
        );
    }
}
