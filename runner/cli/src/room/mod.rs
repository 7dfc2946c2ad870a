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
use std::time::SystemTime;

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
    /// When the learner shared it.
    pub shared: SystemTime,
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
    /// When it was gathered: the table says how long before each learner shared.
    pub gathered: SystemTime,
}

pub fn run(folder: &Path, html: Option<&Path>) -> Result<()> {
    let class = gather(folder)?;
    print!("{}", report(&class, folder));
    let page_path = html.map_or_else(|| folder.join(PAGE_NAME), PathBuf::from);
    std::fs::write(&page_path, page(&class, &folder.display().to_string())).with_context(|| {
        format!(
            "cannot write {} (`--html <file>` writes the page elsewhere)",
            page_path.display()
        )
    })?;
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

    let gathered = SystemTime::now();
    let mut skipped = Vec::new();
    // By name: a learner's newest status, and the file it came from.
    let mut newest: BTreeMap<String, Learner> = BTreeMap::new();
    for (file, path) in files {
        let read = status_file::read(&path).and_then(|status| Ok((status.shared_at()?, status)));
        let (shared, status) = match read {
            Ok(read) => read,
            Err(error) => {
                skipped.push(Skipped {
                    file,
                    reason: format!("{error:#}"),
                });
                continue;
            }
        };
        let learner = Learner {
            file,
            status,
            shared,
        };
        match newest.remove(&learner.status.name) {
            None => {
                newest.insert(learner.status.name.clone(), learner);
            }
            Some(kept) => {
                let (newer, older) = if learner.shared > kept.shared {
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
    Ok(Class {
        learners,
        skipped,
        gathered,
    })
}

impl Class {
    /// How many learners are on each exercise (or done), most first.
    fn where_the_room_is(&self) -> Vec<(String, usize)> {
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
const DONE: &str = "(done)";

/// The cells of a learner's row, as the table and the page show them.
fn row(learner: &Learner, gathered: SystemTime) -> [String; 6] {
    let status = &learner.status;
    [
        status.name.clone(),
        format!("{}/{}", status.verified, status.exercises),
        status.current.clone().unwrap_or_else(|| DONE.to_owned()),
        status
            .current_status
            .map_or("", |how| how.label())
            .to_owned(),
        format!("{} ({})", status.current_hints, status.hints),
        age(learner.shared, gathered),
    ]
}

/// "12 min ago": how long before `now` a status was shared. Ages, not times
/// of day, as the laptops' time zones may differ.
fn age(shared: SystemTime, now: SystemTime) -> String {
    // A laptop whose clock is ahead shares "in the future": as good as now.
    let minutes = now.duration_since(shared).unwrap_or_default().as_secs() / 60;
    match minutes {
        0 => "just now".to_owned(),
        1..60 => format!("{minutes} min ago"),
        60..2880 => format!("{} h ago", minutes / 60),
        _ => format!("{} days ago", minutes / 1440),
    }
}

/// The columns of [`row`].
const COLUMNS: [&str; 6] = [
    "name",
    "verified",
    "on exercise",
    "its status",
    "hints on it (all)",
    "shared",
];

/// The terminal's view: a summary line, the table, and the files skipped.
fn report(class: &Class, folder: &Path) -> String {
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
        "{} in {}, furthest behind first. Where the room is: {}.\n\n",
        crate::status::plural(class.learners.len(), "learner"),
        folder.display(),
        positions.join(", ")
    );
    let rows: Vec<[String; 6]> = class
        .learners
        .iter()
        .map(|learner| row(learner, class.gathered))
        .collect();
    text += &table(COLUMNS, &rows);
    text += &skipped_lines(class);
    text
}

fn skipped_lines(class: &Class) -> String {
    if class.skipped.is_empty() {
        return String::new();
    }
    let mut text = format!(
        "\nSkipped {}:\n",
        crate::status::plural(class.skipped.len(), "file")
    );
    for skipped in &class.skipped {
        text += &format!("  {}: {}\n", skipped.file, skipped.reason);
    }
    text
}

#[cfg(test)]
mod tests;
