//! `cargo workbook room <folder>`: the instructor's view of the class, from
//! the status files learners shared into one folder (a USB stick passed
//! round, a shared drive) with `cargo workbook status --share`. No network:
//! the folder is all it reads.
//!
//! It prints a table, the learners furthest behind first (they are the ones
//! to go and see), and writes the same as a page that needs no network and no
//! JavaScript ([`page`]). A file it cannot use (not TOML, another tool's, of a
//! newer format, a second copy of a learner's status) is reported with what is
//! wrong and skipped; it never stops the rest.

mod page;
pub mod sample;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::list::table;
use crate::status_file::{self, SharedStatus};

pub use self::page::render as page;

/// The page's name when `--html` names none: beside the status files.
pub const PAGE_NAME: &str = "class.html";

/// One learner, as their file says.
pub struct Learner {
    /// The file it came from, for messages.
    pub file: String,
    pub status: SharedStatus,
}

/// A file `room` could not use, and why.
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// The class: every usable status, in the table's order, and the files skipped.
pub struct Class {
    pub learners: Vec<Learner>,
    pub skipped: Vec<Skipped>,
}

pub fn run(folder: &Path, html: Option<&Path>) -> Result<()> {
    let class = gather(folder)?;
    print!("{}", report(&class, folder));
    let page_path = html.map_or_else(|| folder.join(PAGE_NAME), PathBuf::from);
    std::fs::write(&page_path, page(&class, &folder.display().to_string()))
        .with_context(|| format!("cannot write {}", page_path.display()))?;
    println!("The same as a page: {}", page_path.display());
    Ok(())
}

/// Reads every status file (`*.toml`) directly in `folder`, in file-name
/// order. Hidden files are passed over: macOS leaves `._name.toml` companions
/// of every file it writes to a USB stick.
pub fn gather(folder: &Path) -> Result<Class> {
    let entries =
        std::fs::read_dir(folder).with_context(|| format!("cannot read {}", folder.display()))?;
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("cannot read {}", folder.display()))?
            .path();
        let is_status_file = path
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case(status_file::EXTENSION));
        let file = path
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
        if is_status_file && !file.starts_with('.') && path.is_file() {
            files.push((file, path));
        }
    }
    files.sort();

    let mut skipped = Vec::new();
    // By name: a learner's newest status, and the file it came from.
    let mut newest: BTreeMap<String, Learner> = BTreeMap::new();
    for (file, path) in files {
        let status = match status_file::read(&path) {
            Ok(status) => status,
            Err(error) => {
                skipped.push(Skipped {
                    file,
                    reason: format!("{error:#}"),
                });
                continue;
            }
        };
        let learner = Learner { file, status };
        match newest.remove(&learner.status.name) {
            None => {
                newest.insert(learner.status.name.clone(), learner);
            }
            Some(kept) => {
                // Read as times: `parse` made sure they are.
                let later = learner.status.shared_at().ok() > kept.status.shared_at().ok();
                let (newer, older) = if later {
                    (learner, kept)
                } else {
                    (kept, learner)
                };
                skipped.push(Skipped {
                    reason: format!(
                        "a second status of {}, shared at {} (the one in {}, shared at {}, is used)",
                        older.status.name, older.status.shared, newer.file, newer.status.shared
                    ),
                    file: older.file,
                });
                newest.insert(newer.status.name.clone(), newer);
            }
        }
    }
    let mut learners: Vec<Learner> = newest.into_values().collect();
    learners.sort_by(|a, b| {
        let (a, b) = (&a.status, &b.status);
        a.verified
            .cmp(&b.verified)
            .then(b.current_hints.cmp(&a.current_hints))
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    skipped.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(Class { learners, skipped })
}

impl Class {
    /// How many learners are on each exercise (or done), most first.
    pub fn where_the_room_is(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for learner in &self.learners {
            let on = learner.status.current.as_deref().unwrap_or(DONE);
            *counts.entry(on.to_owned()).or_default() += 1;
        }
        let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }
}

/// Where a learner who verified every exercise is.
pub const DONE: &str = "(done)";

/// The cells of a learner's row, as the table and the page show them.
pub fn row(status: &SharedStatus) -> [String; 6] {
    [
        status.name.clone(),
        format!("{}/{}", status.verified, status.exercises),
        status.current.clone().unwrap_or_else(|| DONE.to_owned()),
        status
            .current_status
            .map_or("", |how| how.label())
            .to_owned(),
        format!("{} ({})", status.current_hints, status.hints),
        status.shared_time_of_day(),
    ]
}

/// The columns of [`row`].
pub const COLUMNS: [&str; 6] = [
    "name",
    "verified",
    "on exercise",
    "its status",
    "hints on it (all)",
    "shared (UTC)",
];

/// The terminal's view: a summary line, the table, and the files skipped.
pub fn report(class: &Class, folder: &Path) -> String {
    if class.learners.is_empty() {
        let mut text = format!(
            "No status in {}: each learner shares theirs with \
             `cargo workbook status --share --to {}`.\n",
            folder.display(),
            folder.display()
        );
        text += &skipped_lines(class);
        return text;
    }
    let positions: Vec<String> = class
        .where_the_room_is()
        .iter()
        .map(|(exercise, count)| format!("{exercise} {count}"))
        .collect();
    let mut text = format!(
        "{} learners in {}, furthest behind first. Where the room is: {}.\n\n",
        class.learners.len(),
        folder.display(),
        positions.join(", ")
    );
    let rows: Vec<[String; 6]> = class
        .learners
        .iter()
        .map(|learner| row(&learner.status))
        .collect();
    text += &table(COLUMNS, &rows);
    text += &skipped_lines(class);
    text
}

fn skipped_lines(class: &Class) -> String {
    if class.skipped.is_empty() {
        return String::new();
    }
    let mut text = format!("\nSkipped {} files:\n", class.skipped.len());
    for skipped in &class.skipped {
        text += &format!("  {}: {}\n", skipped.file, skipped.reason);
    }
    text
}

#[cfg(test)]
mod tests;
