use std::time::Duration;

use super::*;
use crate::room::sample::{BAD_FILES, NAMES, write_class};

const EXERCISES: [&str; 6] = [
    "false-sharing",
    "racy-ring",
    "thread-bounds",
    "bank-lock",
    "spin-lock",
    "epoch-queue",
];

/// The sample class, gathered from a fresh folder named after `test`.
fn sample_class(test: &str) -> (PathBuf, Class) {
    let dir = std::env::temp_dir().join(format!("workbook-room-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_class(&dir, &EXERCISES).unwrap();
    let mut class = gather(&dir).unwrap();
    // The sample class shared from 15:40 on, a learner a minute.
    class.gathered = humantime::parse_rfc3339("2026-12-04T16:05:00Z").unwrap();
    (dir, class)
}

#[test]
fn a_class_of_twenty_skips_the_bad_files_and_says_why() {
    let (dir, class) = sample_class("gather");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(class.learners.len(), NAMES.len());
    let skipped: Vec<&str> = class.skipped.iter().map(|s| s.file.as_str()).collect();
    let expected: Vec<&str> = BAD_FILES.iter().map(|(file, _)| *file).collect();
    assert_eq!(skipped, expected);
    for (skipped, (_, why)) in class.skipped.iter().zip(BAD_FILES) {
        assert!(
            skipped.reason.contains(why),
            "{}: {}",
            skipped.file,
            skipped.reason
        );
    }
    // The newer of Ana's two files is the one used.
    let ana = class
        .learners
        .iter()
        .find(|learner| learner.status.name == "Ana Lopez")
        .unwrap();
    assert_eq!(ana.file, "ana-lopez.toml");
    // Furthest behind first; among equals, the most hints on the exercise first.
    let order: Vec<(usize, std::cmp::Reverse<usize>)> = class
        .learners
        .iter()
        .map(|learner| {
            let status = &learner.status;
            (status.verified, std::cmp::Reverse(status.current_hints))
        })
        .collect();
    assert!(order.is_sorted(), "{order:?}");
}

#[test]
fn the_table_shows_every_learner_where_they_are_and_the_skipped_files() {
    let (dir, class) = sample_class("table");
    let text = report(&class, &dir);
    std::fs::remove_dir_all(&dir).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("20 learners in ") && lines[0].contains("Where the room is: "),
        "{text}"
    );
    assert!(lines[2].starts_with("name "), "{text}");
    assert!(lines[2].contains("on exercise"), "{text}");
    let rows = &lines[3..3 + NAMES.len()];
    for name in NAMES {
        assert_eq!(
            rows.iter().filter(|row| row.starts_with(name)).count(),
            1,
            "{name} in\n{text}"
        );
    }
    // Gustav (index 6) has verified 5 of 6 and fails epoch-queue, after 2 hints.
    let gustav = rows.iter().find(|row| row.starts_with("Gustav")).unwrap();
    let cells: Vec<&str> = gustav.split("  ").filter(|cell| !cell.is_empty()).collect();
    assert_eq!(
        cells.iter().map(|cell| cell.trim()).collect::<Vec<_>>(),
        [
            "Gustav Berg",
            "5/6",
            "epoch-queue",
            "failing",
            "2 (7)",
            "19 min ago"
        ]
    );
    assert_eq!(lines[3 + NAMES.len() + 1], "Skipped 4 files:");
    for (file, _) in BAD_FILES {
        assert!(text.contains(&format!("\n  {file}: ")), "{file} in\n{text}");
    }
}

#[test]
fn the_page_is_self_contained_and_shows_every_learner_escaped() {
    let (dir, class) = sample_class("page");
    let html = page(&class, &dir.display().to_string());
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for outside in ["<script", "http://", "https://", "<link", "<img", "src="] {
        assert!(!html.contains(outside), "the page has {outside}");
    }
    assert_eq!(html.matches("<tr class=").count(), NAMES.len());
    assert!(html.contains("<td>Dana &lt;Dee&gt; &amp; Co</td>"));
    assert!(html.contains("<td>李雷</td>"));
    assert!(html.contains("<progress value=\"5\" max=\"6\"></progress> 5/6"));
    assert!(html.contains("<h2>Skipped files (4)</h2>"));
    assert!(html.contains("<code>broken.toml</code>: not TOML"));
}

#[test]
fn ages_read_in_minutes_hours_then_days() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
    let before = |seconds| now - Duration::from_secs(seconds);
    assert_eq!(age(now + Duration::from_secs(90), now), "just now");
    assert_eq!(age(before(59), now), "just now");
    assert_eq!(age(before(12 * 60 + 30), now), "12 min ago");
    assert_eq!(age(before(3 * 3600), now), "3 h ago");
    assert_eq!(age(before(3 * 86_400), now), "3 days ago");
}

#[test]
fn an_empty_folder_says_how_to_fill_it() {
    let dir = std::env::temp_dir().join(format!("workbook-room-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let class = gather(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(class.learners.is_empty() && class.skipped.is_empty());
    let text = report(&class, Path::new("E:"));
    assert_eq!(
        text,
        "No status in E:: each learner shares theirs with \
         `cargo workbook status --share --to E:`.\n"
    );
    assert!(gather(&dir).is_err(), "a missing folder is an error");
}
