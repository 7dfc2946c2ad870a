//! A made-up class in a folder, as a workshop's USB stick would hold it:
//! twenty learners at every stage, a second copy of one learner's file, and
//! three files `room` must skip. The runner's tests gather it, and verify's
//! class-page check (in the maintainers' crate) opens its page in Chromium.

use std::path::Path;
use std::time::{Duration, SystemTime};

use anyhow::Result;

use crate::status_file::{self, Current, CurrentStatus, SharedStatus};

/// The learners, one of them with characters a page must escape.
pub const NAMES: [&str; 20] = [
    "Ana Lopez",
    "Bo Chen",
    "Chidi Okafor",
    "Dana <Dee> & Co",
    "Emil Šimek",
    "Fatima Zahra",
    "Gustav Berg",
    "Hana Kobayashi",
    "Ivan Petrov",
    "Jonas Weber",
    "Kiri Ngata",
    "Lena Müller",
    "Mateo Rossi",
    "Noor Haddad",
    "Olivia Brown",
    "Priya Nair",
    "Quentin Moreau",
    "Rosa Díaz",
    "Sven Larsen",
    "李雷",
];

/// How many exercises each has verified: most of the room around the fourth
/// and fifth, a few behind, two ahead (all done on a short workbook).
const VERIFIED: [usize; 20] = [3, 5, 4, 2, 4, 3, 5, 4, 0, 3, 6, 4, 3, 9, 4, 5, 3, 1, 4, 99];

/// The files `room` must report and skip, with a word of what it must say.
pub const BAD_FILES: [(&str, &str); 4] = [
    ("ana-lopez (1).toml", "a second status of Ana Lopez"),
    ("broken.toml", "not TOML"),
    ("future.toml", "newer workbook"),
    ("rustfmt.toml", "not a workbook status file"),
];

/// Writes the class into `folder`, on `exercises` (at least one, in order).
pub fn write_class(folder: &Path, exercises: &[&str]) -> Result<()> {
    std::fs::create_dir_all(folder)?;
    let total = exercises.len();
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_398_800);
    let status_of = |index: usize, name: &str| {
        let verified = VERIFIED[index].min(total);
        let stage = [
            CurrentStatus::NotStarted,
            CurrentStatus::Failing,
            CurrentStatus::Failing,
            CurrentStatus::Passing,
        ][index % 4];
        let current = exercises.get(verified).map(|&exercise| Current {
            name: exercise.to_owned(),
            status: stage,
            hints: index % 4,
        });
        let when = start + Duration::from_secs(60 * index as u64);
        SharedStatus::new(name, verified, total, current, verified + index % 4, when)
    };
    for (index, name) in NAMES.iter().enumerate() {
        let text = status_of(index, name).to_text()?;
        std::fs::write(folder.join(status_file::file_name(name)?), text)?;
    }
    // A copy a file manager made of an earlier share: older, so skipped.
    let earlier = SharedStatus::new(
        NAMES[0],
        0,
        total,
        exercises.first().map(|&exercise| Current {
            name: exercise.to_owned(),
            status: CurrentStatus::NotStarted,
            hints: 0,
        }),
        0,
        start - Duration::from_secs(3600),
    );
    std::fs::write(folder.join(BAD_FILES[0].0), earlier.to_text()?)?;
    std::fs::write(
        folder.join(BAD_FILES[1].0),
        "kind = \"workbook-status\"\nformat = 1\nname = \"Half Writ",
    )?;
    let newer = status_of(0, "Future Learner")
        .to_text()?
        .replace("format = 1", "format = 2");
    std::fs::write(folder.join(BAD_FILES[2].0), newer)?;
    std::fs::write(folder.join(BAD_FILES[3].0), "max_width = 100\n")?;
    // Neither is read: a macOS companion file and a file of another kind.
    std::fs::write(folder.join("._ana-lopez.toml"), [0u8, 5, 22, 7])?;
    std::fs::write(folder.join("notes.txt"), "bring snacks\n")?;
    Ok(())
}
