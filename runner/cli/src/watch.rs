//! `cargo workbook watch [name]`: check on every save. With a name, watch that
//! exercise until Ctrl-C; without one, move on once the current one is verified.

use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode, Watcher};

use crate::check;
use crate::state::{State, Status};
use workbook_core::workspace::Workbook;

/// Editors save in bursts (temp file, rename, metadata); one check per burst:
/// the check starts once no edit has arrived for this long.
const DEBOUNCE: Duration = Duration::from_millis(300);

pub fn run(workbook: &Workbook, name: Option<&str>) -> Result<ExitCode> {
    let exercises = &workbook.info.exercises;
    let verified = |state: &State| -> Vec<bool> {
        exercises
            .iter()
            .map(|e| state.status(&e.name) == Some(Status::Verified))
            .collect()
    };
    let mut current = match name {
        Some(name) => {
            let wanted = &workbook.info.find(name)?.name;
            exercises
                .iter()
                .position(|e| &e.name == wanted)
                .unwrap_or_default()
        }
        None => match next_unverified(&verified(&State::load(workbook)?), None) {
            Some(index) => index,
            None => return all_done(),
        },
    };

    let (events_tx, events) = mpsc::channel();
    let mut watcher =
        notify::recommended_watcher(events_tx).context("cannot watch for file changes")?;
    let exercises_dir = workbook.root.join("exercises");
    watcher
        .watch(&exercises_dir, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", exercises_dir.display()))?;

    // The exercise watch starts on is checked at once; one it moves on to is
    // checked only once the learner saves a file of it, so an exercise nobody
    // has touched never turns "failing".
    loop {
        let exercise = &exercises[current];
        let status = check::check_and_record(workbook, exercise)?;
        let verified = verified(&State::load(workbook)?);
        let watched = match after_check(name.is_some(), status, &verified, current) {
            After::Stay => exercise,
            After::MoveTo(next) => {
                current = next;
                let next = &exercises[current];
                println!(
                    "\nNext: {} (about {} minutes), {}",
                    next.name,
                    next.minutes,
                    next.page_url()
                );
                next
            }
            After::AllDone => return all_done(),
        };
        println!(
            "\nWatching exercises/{}/ : save a file to check it; Ctrl-C quits.",
            watched.dir
        );
        wait_for_change(&events, &watched.exercise_dir(&workbook.root))?;
    }
}

/// What watch does after a check of the exercise at `current`.
#[derive(Debug, PartialEq)]
enum After {
    /// Keep watching it.
    Stay,
    /// Watch the exercise at this index instead.
    MoveTo(usize),
    /// Every exercise is verified.
    AllDone,
}

/// `watch <name>` stays on its exercise until Ctrl-C; plain `watch` moves on
/// once the current exercise is verified.
fn after_check(named: bool, status: Status, verified: &[bool], current: usize) -> After {
    if named || status != Status::Verified {
        return After::Stay;
    }
    match next_unverified(verified, Some(current)) {
        Some(next) => After::MoveTo(next),
        None => After::AllDone,
    }
}

fn all_done() -> Result<ExitCode> {
    println!("Every exercise is verified. Well done!");
    Ok(ExitCode::SUCCESS)
}

/// The first exercise not verified, searching onwards from the one after `after`
/// and wrapping round to the start.
fn next_unverified(verified: &[bool], after: Option<usize>) -> Option<usize> {
    let start = after.map_or(0, |index| index + 1);
    (start..verified.len())
        .chain(0..start)
        .find(|&index| !verified[index])
}

/// Blocks until a file under `dir` is written, then until the burst of events
/// that one save makes has passed.
fn wait_for_change(events: &Receiver<notify::Result<Event>>, dir: &Path) -> Result<()> {
    loop {
        let event = events.recv().context("the file watcher stopped")?;
        if is_learner_edit(&event.context("watching files failed")?, dir) {
            break;
        }
    }
    while events.recv_timeout(DEBOUNCE).is_ok() {}
    Ok(())
}

/// A write to a file the learner works on. Reads are not edits: cargo opening
/// the sources to compile them would otherwise start the next check, forever.
/// Nor are writes to build output or an editor's swap and backup files.
fn is_learner_edit(event: &Event, dir: &Path) -> bool {
    let writes = matches!(
        event.kind,
        EventKind::Create(_)
            | EventKind::Modify(_)
            | EventKind::Remove(_)
            | EventKind::Access(AccessKind::Close(AccessMode::Write))
    );
    writes && event.paths.iter().any(|path| is_learner_file(path, dir))
}

fn is_learner_file(path: &Path, dir: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(dir) else {
        return false;
    };
    let in_build_output = relative
        .components()
        .any(|part| part.as_os_str() == "target");
    let name = relative
        .file_name()
        .map(|name| name.to_string_lossy())
        .unwrap_or_default();
    let editor_scratch = name.starts_with('.') || name.ends_with('~');
    !in_build_output && !editor_scratch
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_on_to_the_next_unverified_exercise_wrapping_round() {
        assert_eq!(next_unverified(&[true, false, false], None), Some(1));
        assert_eq!(next_unverified(&[false, true, false], Some(1)), Some(2));
        assert_eq!(next_unverified(&[false, true, true], Some(1)), Some(0));
        assert_eq!(next_unverified(&[true, true], Some(0)), None);
        assert_eq!(next_unverified(&[], None), None);
    }

    /// Before, `watch racy-ring` moved to the next exercise once racy-ring
    /// was verified, and stopped watching the one it was asked to.
    #[test]
    fn a_named_exercise_is_watched_even_once_verified() {
        let verified = [true, false];
        assert_eq!(
            after_check(true, Status::Verified, &verified, 0),
            After::Stay
        );
        assert_eq!(
            after_check(false, Status::Verified, &verified, 0),
            After::MoveTo(1)
        );
        assert_eq!(
            after_check(false, Status::Failing, &verified, 0),
            After::Stay
        );
        assert_eq!(
            after_check(false, Status::Verified, &[true, true], 1),
            After::AllDone
        );
    }

    #[test]
    fn only_writes_to_the_learners_files_count() {
        let dir = Path::new("/w/exercises/04/01-racy-ring");
        let event = |kind, path: &str| Event::new(kind).add_path(dir.join(path));
        let saved = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        let opened = EventKind::Access(AccessKind::Open(AccessMode::Any));
        let modified = EventKind::Modify(notify::event::ModifyKind::Any);
        assert!(is_learner_edit(&event(saved, "src/lib.rs"), dir));
        assert!(is_learner_edit(&event(modified, "Cargo.toml"), dir));
        assert!(!is_learner_edit(&event(read, "src/lib.rs"), dir));
        assert!(!is_learner_edit(&event(opened, "src/lib.rs"), dir));
        assert!(!is_learner_edit(&event(modified, "target/debug/x"), dir));
        assert!(!is_learner_edit(&event(modified, "src/.lib.rs.swp"), dir));
        assert!(!is_learner_edit(&event(modified, "src/lib.rs~"), dir));
        let elsewhere = Event::new(modified).add_path("/w/exercises/04/02-other/src/lib.rs".into());
        assert!(!is_learner_edit(&elsewhere, dir));
    }
}
