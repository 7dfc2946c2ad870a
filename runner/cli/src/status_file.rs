//! The status file: what `cargo workbook status --share` writes for the
//! instructor and `cargo workbook room` reads, one small TOML file a learner.
//!
//! Format 1, every key but `current` and `current_status` always present:
//!
//! ```toml
//! kind = "workbook-status"     # what the file is: any other kind is another tool's
//! format = 1                   # a `room` older than the file's format says so and skips it
//! name = "Ana Lopez"
//! verified = 7                 # exercises verified, of
//! exercises = 23               # the exercises in the workbook
//! current = "racy-ring"        # the first not verified, as `list` shows; absent once all are
//! current_status = "failing"   # "not started", "failing" or "passing"
//! current_hints = 2            # hints shown for the current exercise
//! hints = 5                    # hints shown in all
//! shared = 2026-12-04T15:40:00Z  # when it was written, in UTC
//! ```
//!
//! A reader of format 1 ignores keys it does not know, so a later format that
//! only adds keys can keep the number 1; a format that changes the meaning of a
//! key takes the next number.

use std::path::Path;
use std::time::SystemTime;

use anyhow::{Context, Result, bail, ensure};
use serde::{Deserialize, Serialize};
use toml::value::Datetime;

/// The `kind` of every status file.
pub const KIND: &str = "workbook-status";
/// The format this workbook writes, and the newest it reads.
pub const FORMAT: u32 = 1;
/// The extension `room` reads: every other file in the folder is left alone.
pub const EXTENSION: &str = "toml";

/// Where the learner is, as the status file says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedStatus {
    kind: String,
    format: u32,
    pub name: String,
    pub verified: usize,
    pub exercises: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_status: Option<CurrentStatus>,
    #[serde(default)]
    pub current_hints: usize,
    pub hints: usize,
    pub shared: Datetime,
}

/// How far the learner got with the current exercise (never verified, or it
/// would not be the current one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CurrentStatus {
    #[serde(rename = "not started")]
    NotStarted,
    #[serde(rename = "failing")]
    Failing,
    #[serde(rename = "passing")]
    Passing,
}

impl CurrentStatus {
    pub fn label(self) -> &'static str {
        match self {
            CurrentStatus::NotStarted => "not started",
            CurrentStatus::Failing => "failing",
            CurrentStatus::Passing => "passing",
        }
    }
}

/// The exercise a learner is on: its name, how far they got, the hints shown.
pub struct Current {
    pub name: String,
    pub status: CurrentStatus,
    pub hints: usize,
}

impl SharedStatus {
    /// The status of `name`, shared at `when`.
    pub fn new(
        name: &str,
        verified: usize,
        exercises: usize,
        current: Option<Current>,
        hints: usize,
        when: SystemTime,
    ) -> Self {
        let (current, current_status, current_hints) = match current {
            Some(current) => (Some(current.name), Some(current.status), current.hints),
            None => (None, None, 0),
        };
        SharedStatus {
            kind: KIND.to_owned(),
            format: FORMAT,
            name: name.to_owned(),
            verified,
            exercises,
            current,
            current_status,
            current_hints,
            hints,
            shared: utc_datetime(when),
        }
    }

    pub fn to_text(&self) -> Result<String> {
        Ok(format!(
            // Not the name in this comment: a line break in it would end the comment.
            "# A learner's progress in the Rust Concurrency Workbook, shared with \
             `cargo workbook status --share` for the instructor's `cargo workbook room`.\n\n{}",
            toml::to_string(self)?
        ))
    }

    /// Reads a status file's text; the error says what is wrong in a few words.
    pub fn parse(text: &str) -> Result<Self> {
        let table: toml::Table = match text.parse() {
            Ok(table) => table,
            Err(error) => bail!("not TOML: {}", error.message()),
        };
        match table.get("kind").and_then(toml::Value::as_str) {
            Some(KIND) => {}
            Some(other) => bail!("a \"{other}\" file of another tool, not a workbook status file"),
            None => bail!("not a workbook status file (it has no `kind = \"{KIND}\"`)"),
        }
        let format = table
            .get("format")
            .and_then(toml::Value::as_integer)
            .context("has no format number (`format = 1`)")?;
        ensure!(
            format <= i64::from(FORMAT),
            "written in format {format} by a newer workbook; this one reads format {FORMAT} \
             and older: update it (`git pull`) to read this file"
        );
        ensure!(
            format >= 1,
            "format {format} does not exist (the first is 1)"
        );
        let status: SharedStatus = match table.try_into() {
            Ok(status) => status,
            Err(error) => bail!("{}", error.message()),
        };
        ensure!(!status.name.trim().is_empty(), "`name` is empty");
        ensure!(
            status.verified <= status.exercises,
            "`verified` ({}) is more than `exercises` ({})",
            status.verified,
            status.exercises
        );
        ensure!(
            status.current.is_some() == (status.verified < status.exercises),
            "names a current exercise only when some are not verified"
        );
        status.shared_at()?;
        Ok(status)
    }

    /// When it was shared, as a time that compares.
    pub fn shared_at(&self) -> Result<SystemTime> {
        humantime::parse_rfc3339(&self.shared.to_string()).with_context(|| {
            format!(
                "`shared` ({}) is not a UTC time like 2026-12-04T15:40:00Z",
                self.shared
            )
        })
    }
}

/// `when` to the second, in UTC, as TOML writes times.
fn utc_datetime(when: SystemTime) -> Datetime {
    humantime::format_rfc3339_seconds(when)
        .to_string()
        .parse()
        .expect("humantime writes RFC 3339, which TOML reads")
}

/// The file name for `name`'s status: the name in lower case (two learners
/// whose names differ only in case would share a file on Windows and macOS),
/// with anything but letters and digits made a `-`, so that it is valid on
/// every system; a name Windows reserves (`con`, `nul`, `com1`, ...) gets a `_`.
pub fn file_name(name: &str) -> Result<String> {
    let mut stem = String::new();
    for character in name.trim().chars().flat_map(char::to_lowercase) {
        if character.is_alphanumeric() {
            stem.push(character);
        } else if !stem.is_empty() && !stem.ends_with('-') {
            stem.push('-');
        }
    }
    let mut stem: String = stem.trim_end_matches('-').chars().take(60).collect();
    ensure!(
        !stem.is_empty(),
        "the name {name:?} has no letter or digit to name a file after"
    );
    let reserved = ["con", "prn", "aux", "nul"].contains(&stem.as_str())
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.ends_with(|c: char| c.is_ascii_digit()));
    if reserved {
        stem.push('_');
    }
    Ok(format!("{stem}.{EXTENSION}"))
}

/// Reads and parses the status file at `path`.
pub fn read(path: &Path) -> Result<SharedStatus> {
    let bytes = std::fs::read(path).context("cannot be read")?;
    let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("not text (UTF-8)"))?;
    SharedStatus::parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn ana() -> SharedStatus {
        let current = Current {
            name: "racy-ring".to_owned(),
            status: CurrentStatus::Failing,
            hints: 2,
        };
        let when = UNIX_EPOCH + Duration::from_secs(1_796_398_800);
        SharedStatus::new("Ana Lopez", 7, 23, Some(current), 5, when)
    }

    #[test]
    fn writes_the_documented_format_and_reads_it_back() {
        let text = ana().to_text().unwrap();
        let body: Vec<&str> = text.lines().skip(2).collect();
        assert_eq!(
            body,
            [
                "kind = \"workbook-status\"",
                "format = 1",
                "name = \"Ana Lopez\"",
                "verified = 7",
                "exercises = 23",
                "current = \"racy-ring\"",
                "current_status = \"failing\"",
                "current_hints = 2",
                "hints = 5",
                "shared = 2026-12-04T15:40:00Z",
            ]
        );
        let back = SharedStatus::parse(&text).unwrap();
        assert_eq!(back, ana());
        let mut odd = ana();
        odd.name = "Ana\nformat = 9 \"&".to_owned();
        let back = SharedStatus::parse(&odd.to_text().unwrap()).unwrap();
        assert_eq!(back.name, odd.name);
    }

    #[test]
    fn says_what_is_wrong_with_a_bad_file() {
        let good = ana().to_text().unwrap();
        let error = |text: &str| SharedStatus::parse(text).unwrap_err().to_string();
        assert!(
            error("name = ").starts_with("not TOML: "),
            "{}",
            error("name = ")
        );
        assert_eq!(
            error("[package]\nname = \"x\"\n"),
            "not a workbook status file (it has no `kind = \"workbook-status\"`)"
        );
        assert_eq!(
            error("kind = \"quiz-answers\"\n"),
            "a \"quiz-answers\" file of another tool, not a workbook status file"
        );
        assert!(
            error(&good.replace("format = 1", "format = 2"))
                .starts_with("written in format 2 by a newer workbook"),
        );
        assert!(
            error(&good.replace("verified = 7\n", "")).contains("missing field `verified`"),
            "{}",
            error(&good.replace("verified = 7\n", ""))
        );
        assert_eq!(
            error(&good.replace("verified = 7", "verified = 24")),
            "`verified` (24) is more than `exercises` (23)"
        );
        assert!(error(&good.replace("15:40:00Z", "15:40:00+02:00")).contains("is not a UTC time"),);
    }

    #[test]
    fn names_files_safely_for_every_system() {
        let name = |text: &str| file_name(text).unwrap();
        assert_eq!(name("Ana López"), "ana-lópez.toml");
        assert_eq!(
            name("  O'Brien, Pat / 2nd row "),
            "o-brien-pat-2nd-row.toml"
        );
        assert_eq!(name("李雷"), "李雷.toml");
        assert_eq!(name("Con"), "con_.toml");
        assert_eq!(name("com1"), "com1_.toml");
        assert_eq!(name("community"), "community.toml");
        assert_eq!(name(&"a".repeat(100)).len(), 60 + ".toml".len());
        assert!(file_name("../..").is_err());
    }
}
