//! Does info.toml agree with the files, and does every book page carry its
//! front matter and speaker notes? Each problem is one line naming the exercise
//! or page and what to fix.

use std::collections::HashSet;
use std::path::Path;

use workbook_book::front_matter::{self, SPEAKER_NOTES};
use workbook_book::schedule;
use workbook_book::summary::summary_pages;
use workbook_core::info_file::{Exercise, Tier};
use workbook_core::shipped;
use workbook_core::workspace::Workbook;

/// The most fast-finisher tasks an exercise's card lists: more would be a
/// second exercise.
const MOST_EXTENSIONS: usize = 3;

pub fn problems(workbook: &Workbook, exercises: &[&Exercise]) -> Vec<String> {
    let summary =
        std::fs::read_to_string(workbook.root.join("book/SUMMARY.md")).unwrap_or_default();
    let mut problems = Vec::new();
    if summary.is_empty() {
        problems.push("book/SUMMARY.md is missing or empty".to_owned());
    }
    let linked = summary_links(&summary);
    let shipped = shipped::load(&workbook.root).unwrap_or_else(|error| {
        problems.push(format!("{error:#}"));
        shipped::Shipped::new()
    });
    for exercise in exercises {
        let found = [
            package_problems(workbook, exercise),
            page_problems(workbook, exercise, &linked),
            test_shim_problems(workbook, exercise),
            stub_problems(workbook, exercise),
            deadline_problems(workbook, exercise),
            metadata_problems(exercise),
            shipped::problems(&workbook.root, &shipped, exercise),
        ];
        problems.extend(
            found
                .into_iter()
                .flatten()
                .map(|problem| format!("{}: {problem}", exercise.name)),
        );
    }
    problems.extend(front_matter_problems(workbook, &summary));
    match schedule::Context::load(&workbook.root) {
        Ok(schedules) => problems.extend(schedules.problems(&workbook.info)),
        Err(error) => problems.push(format!("the schedules cannot be read: {error:#}")),
    }
    problems
}

/// Every page SUMMARY.md links starts with front matter (`minutes: N`), and a
/// page with minutes has one collapsed speaker-notes block, whose summary the
/// preprocessor completes. A page with `minutes: 0` is reading, not teaching,
/// and needs no notes, unless it hosts an exercise, which someone introduces.
fn front_matter_problems(workbook: &Workbook, summary: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (_, path) in summary_pages(summary) {
        let Ok(text) = std::fs::read_to_string(workbook.root.join("book").join(&path)) else {
            problems.push(format!("book/{path} does not exist"));
            continue;
        };
        let minutes = match front_matter::split(&text) {
            Ok((Some(front), _)) => front.minutes,
            Ok((None, _)) => {
                problems.push(format!(
                    "book/{path} has no front matter: start it with `---`, `minutes: N`, `---`"
                ));
                continue;
            }
            Err(error) => {
                problems.push(format!("book/{path}: {error}"));
                continue;
            }
        };
        let hosted: Vec<&str> = workbook
            .info
            .exercises
            .iter()
            .filter(|e| e.page == path)
            .map(|e| e.name.as_str())
            .collect();
        if minutes == 0 && !hosted.is_empty() {
            problems.push(format!(
                "book/{path} hosts {} but has `minutes: 0`: give it the time to introduce \
                 and debrief",
                hosted.join(", ")
            ));
        }
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        let notes: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].starts_with("<summary>Speaker notes"))
            .collect();
        for &line in &notes {
            if lines[line] != SPEAKER_NOTES {
                problems.push(format!(
                    "book/{path}:{}: write `{SPEAKER_NOTES}` (the minutes go in the front matter, \
                     and the preprocessor adds them)",
                    line + 1
                ));
            }
            if line == 0 || lines[line - 1] != "<details>" {
                problems.push(format!(
                    "book/{path}:{}: the speaker notes' summary must follow a `<details>` line",
                    line + 1
                ));
            }
        }
        match notes.len() {
            0 if minutes > 0 => problems.push(format!(
                "book/{path} has `minutes: {minutes}` but no speaker notes: end it with \
                 `<details>`, `{SPEAKER_NOTES}`, the notes and `</details>`"
            )),
            0 | 1 => {}
            n => problems.push(format!(
                "book/{path} has {n} speaker-notes blocks; keep one"
            )),
        }
    }
    problems
}

/// Every test of the exercise and its solution runs under a deadline, so that
/// no wrong answer can freeze `cargo test`: a plain `#[test]` in either tests
/// folder is a problem.
fn deadline_problems(workbook: &Workbook, exercise: &Exercise) -> Vec<String> {
    let mut files: Vec<_> = [
        exercise.exercise_dir(&workbook.root),
        exercise.solution_dir(&workbook.root),
    ]
    .iter()
    .filter_map(|dir| std::fs::read_dir(dir.join("tests")).ok())
    .flatten()
    .filter_map(Result::ok)
    .map(|entry| entry.path())
    .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
    .collect();
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for line in plain_test_lines(&text) {
            problems.push(format!(
                "{}:{line}: write `#[test_support::test]` instead of `#[test]`, so that the test \
                 fails with \"deadlock?\" instead of hanging",
                workbook.relative(&file).display()
            ));
        }
    }
    problems
}

/// The lines (from 1) that hold a plain `#[test]` attribute.
fn plain_test_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.trim().starts_with("#[test]"))
        .map(|(index, _)| index + 1)
        .collect()
}

/// Both folders exist and their packages follow the naming convention.
fn package_problems(workbook: &Workbook, exercise: &Exercise) -> Vec<String> {
    let expected = [
        (
            exercise.exercise_dir(&workbook.root),
            exercise.package().to_owned(),
        ),
        (
            exercise.solution_dir(&workbook.root),
            exercise.solution_package(),
        ),
    ];
    let mut problems = Vec::new();
    for (dir, package) in expected {
        let shown = workbook.relative(&dir).display();
        match package_name(&dir) {
            None if !dir.is_dir() => problems.push(format!("{shown}/ does not exist")),
            None => problems.push(format!("{shown}/Cargo.toml has no [package] name")),
            Some(name) if name != package => problems.push(format!(
                "{shown}/Cargo.toml names the package '{name}', not '{package}'"
            )),
            Some(_) => {}
        }
    }
    problems
}

/// The exercise's page and its chapter's page exist and are in SUMMARY.md.
fn page_problems(workbook: &Workbook, exercise: &Exercise, linked: &HashSet<&str>) -> Vec<String> {
    let chapter_page = workbook
        .info
        .chapter_of(exercise)
        .map(|chapter| chapter.page.as_str());
    let mut problems = Vec::new();
    for page in std::iter::once(exercise.page.as_str()).chain(chapter_page) {
        if !workbook.root.join("book").join(page).is_file() {
            problems.push(format!("book/{page} does not exist"));
        }
        if !linked.contains(page) {
            problems.push(format!("book/SUMMARY.md does not link to {page}"));
        }
    }
    problems
}

/// The solution runs every one of the exercise's test files, through a
/// same-named shim that includes it.
fn test_shim_problems(workbook: &Workbook, exercise: &Exercise) -> Vec<String> {
    let tests = exercise.exercise_dir(&workbook.root).join("tests");
    let shims = exercise.solution_dir(&workbook.root).join("tests");
    let mut problems = Vec::new();
    for test in rust_files(&tests) {
        let included = format!("exercises/{}/tests/{test}", exercise.dir);
        // An exercise's test file may itself run another exercise's tests
        // (the stacks of chapter 7 share one file); the solution may then
        // include that file directly.
        let shared = std::fs::read_to_string(tests.join(&test))
            .ok()
            .and_then(|text| {
                let path = path_attribute(&text)?;
                normalize(&format!("exercises/{}/tests/{path}", exercise.dir))
            });
        let shim = format!("solutions/{}/tests/{test}", exercise.dir);
        match std::fs::read_to_string(shims.join(&test)) {
            Err(_) => problems.push(format!("{shim} is missing (it should include {included})")),
            Ok(text)
                if !text.contains(&included)
                    && !shared
                        .as_ref()
                        .is_some_and(|shared| text.contains(shared.as_str())) =>
            {
                problems.push(format!("{shim} does not include {included}"))
            }
            Ok(_) => {}
        }
    }
    if exercise.tiers.contains(&Tier::Loom) && !tests.join("loom.rs").is_file() {
        problems.push(format!(
            "has the loom tier but no exercises/{}/tests/loom.rs",
            exercise.dir
        ));
    }
    problems
}

/// The path of the first `#[path = "..."]` attribute in `text`.
fn path_attribute(text: &str) -> Option<&str> {
    let start = text.find("#[path = \"")? + "#[path = \"".len();
    let length = text[start..].find('"')?;
    Some(&text[start..start + length])
}

/// `path` with its `.` and `..` components resolved; `None` if it climbs out.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The files learners edit exist, and a `// TODO` says where to start.
fn stub_problems(workbook: &Workbook, exercise: &Exercise) -> Vec<String> {
    let stub = exercise.exercise_dir(&workbook.root);
    let mut problems = Vec::new();
    let mut has_todo = false;
    for file in &exercise.edit {
        match std::fs::read_to_string(stub.join(file)) {
            Ok(text) => has_todo |= text.contains("// TODO"),
            Err(_) => problems.push(format!(
                "edit file exercises/{}/{file} does not exist",
                exercise.dir
            )),
        }
    }
    if !has_todo {
        problems.push(
            "no `// TODO` in the files learners edit, so nothing says where to start".to_owned(),
        );
    }
    problems
}

fn metadata_problems(exercise: &Exercise) -> Vec<String> {
    let mut problems = Vec::new();
    if exercise.hints.is_empty() || exercise.hints.iter().any(|hint| hint.trim().is_empty()) {
        problems.push("needs hints, none of them empty".to_owned());
    }
    if exercise.minutes == 0 {
        problems.push("minutes must be more than 0".to_owned());
    }
    if exercise.minimum.trim().is_empty() {
        problems.push(
            "needs a `minimum`: one sentence on what a learner who runs out of time must have \
             reached to follow the next page"
                .to_owned(),
        );
    }
    let extensions = exercise.extensions.len();
    if !(1..=MOST_EXTENSIONS).contains(&extensions)
        || exercise
            .extensions
            .iter()
            .any(|task| task.trim().is_empty())
    {
        problems.push(format!(
            "needs 1 to {MOST_EXTENSIONS} `extensions` for learners who finish early, none of \
             them empty (it has {extensions})"
        ));
    }
    problems
}

fn package_name(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    let manifest: toml::Table = toml::from_str(&text).ok()?;
    Some(manifest.get("package")?.get("name")?.as_str()?.to_owned())
}

/// The names of the `*.rs` files directly in `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".rs"))
        .collect();
    names.sort();
    names
}

/// Every link target in SUMMARY.md, without a leading "./".
fn summary_links(summary: &str) -> HashSet<&str> {
    summary
        .split("](")
        .skip(1)
        .filter_map(|after| after.split_once(')').map(|(target, _)| target.trim()))
        .map(|target| target.strip_prefix("./").unwrap_or(target))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const INFO: &str = r#"
        [[chapter]]
        dir = "04-send-sync"
        title = "Send and Sync"
        page = "04-send-sync/index.md"
        [[exercise]]
        name = "racy-ring"
        dir = "04-send-sync/01-racy-ring"
        page = "04-send-sync/racy-ring.md"
        minutes = 45
        tiers = ["test", "loom"]
        edit = ["src/lib.rs"]
        hints = ["a hint"]
        minimum = "The minimum."
        extensions = ["An extension."]
    "#;

    const SCHEDULES: &str = r#"
        [all]
        title = "All of it"
        complete = true
        setup = 5
        wrap_up = 5
        debrief = 5
        [[all.day]]
        start = "09:00"
        sessions = [100]
        cover = ["04-send-sync"]
        optional = ["04-send-sync/index.md"]
    "#;

    /// A page with front matter and speaker notes.
    fn page(minutes: u32, body: &str) -> String {
        format!(
            "---\nminutes: {minutes}\n---\n\n{body}\n<details>\n{SPEAKER_NOTES}\n\nNotes.\n</details>\n"
        )
    }

    /// A workbook with one exercise whose files agree with INFO.
    fn fixture(name: &str) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("workbook-metadata-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let files = [
            ("Cargo.toml", "[workspace]\n".to_owned()),
            ("exercises/info.toml", INFO.to_owned()),
            ("exercises/04-send-sync/01-racy-ring/Cargo.toml", "[package]\nname = \"racy-ring\"\n".to_owned()),
            ("exercises/04-send-sync/01-racy-ring/src/lib.rs", "// TODO: make it safe\n".to_owned()),
            ("exercises/04-send-sync/01-racy-ring/tests/loom.rs", "#![cfg(loom)]\n".to_owned()),
            (
                "exercises/shipped.toml",
                // `git hash-object` of the stub's src/lib.rs above.
                "[racy-ring]\n\"src/lib.rs\" = \"14d2184a1e8470b5ddad2a9b2c142a1a67cd3073\"\n"
                    .to_owned(),
            ),
            (
                "solutions/04-send-sync/01-racy-ring/Cargo.toml",
                "[package]\nname = \"racy-ring-solution\"\n".to_owned(),
            ),
            (
                "solutions/04-send-sync/01-racy-ring/tests/loom.rs",
                "#[path = \"../../../../exercises/04-send-sync/01-racy-ring/tests/loom.rs\"]\nmod spec;\n"
                    .to_owned(),
            ),
            ("book/04-send-sync/index.md", page(5, "# Send and Sync\n")),
            ("book/04-send-sync/racy-ring.md", page(10, "# Racy ring\n")),
            ("book/how-to-use.md", page(10, "# How to use\n")),
            ("book/instructor/schedules.toml", SCHEDULES.to_owned()),
            (
                "book/SUMMARY.md",
                "[How to use](how-to-use.md)\n- [Send and Sync](04-send-sync/index.md)\n  \
                 - [Ring](./04-send-sync/racy-ring.md)\n"
                    .to_owned(),
            ),
        ];
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        root
    }

    fn problems_in(root: &Path) -> Vec<String> {
        let workbook = Workbook::open_at(root).unwrap();
        let exercises: Vec<&Exercise> = workbook.info.exercises.iter().collect();
        problems(&workbook, &exercises)
    }

    #[test]
    fn a_consistent_workbook_has_no_problems() {
        let root = fixture("good");
        assert_eq!(problems_in(&root), Vec::<String>::new());
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn reports_each_disagreement() {
        let root = fixture("bad");
        let stub = root.join("exercises/04-send-sync/01-racy-ring");
        std::fs::write(stub.join("Cargo.toml"), "[package]\nname = \"ring\"\n").unwrap();
        std::fs::write(stub.join("src/lib.rs"), "// nothing to do\n").unwrap();
        std::fs::write(stub.join("tests/ring.rs"), "").unwrap();
        std::fs::write(
            root.join("book/SUMMARY.md"),
            "[How to use](how-to-use.md)\n- [Send and Sync](04-send-sync/index.md)\n",
        )
        .unwrap();
        std::fs::remove_file(root.join("solutions/04-send-sync/01-racy-ring/tests/loom.rs"))
            .unwrap();
        std::fs::write(
            root.join("solutions/04-send-sync/01-racy-ring/tests/loom.rs"),
            "mod spec;",
        )
        .unwrap();

        let problems = problems_in(&root);
        let expected = [
            "names the package 'ring', not 'racy-ring'",
            "book/SUMMARY.md does not link to 04-send-sync/racy-ring.md",
            "tests/loom.rs does not include exercises/04-send-sync/01-racy-ring/tests/loom.rs",
            "tests/ring.rs is missing",
            "no `// TODO`",
            "shipped.toml must give src/lib.rs's blob id as shipped",
        ];
        for text in expected {
            assert!(
                problems.iter().any(|p| p.contains(text)),
                "no '{text}' in {problems:#?}"
            );
        }
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        assert!(problems.iter().all(|p| p.starts_with("racy-ring: ")));
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn every_page_has_front_matter_and_speaker_notes_where_it_teaches() {
        let root = fixture("pages");
        let book = root.join("book");
        let summary = "- [Send and Sync](04-send-sync/index.md)\n  - [Ring](04-send-sync/racy-ring.md)\n  \
                       - [Reading](04-send-sync/reading.md)\n  - [Talk](04-send-sync/talk.md)\n  \
                       - [Twice](04-send-sync/twice.md)\n  - [Bad](04-send-sync/bad.md)\n";
        std::fs::write(book.join("SUMMARY.md"), summary).unwrap();
        let pages = [
            ("index.md", "# Send and Sync\n".to_owned()),
            (
                "racy-ring.md",
                "---\nminutes: 0\n---\n# Ring\n<details>\n<summary>Speaker notes (10 minutes)</summary>\n</details>\n"
                    .to_owned(),
            ),
            ("reading.md", "---\nminutes: 0\n---\n# Reading, no notes\n".to_owned()),
            ("talk.md", "---\nminutes: 5\n---\n# Talk\n".to_owned()),
            ("twice.md", page(5, &format!("# Twice\n{SPEAKER_NOTES}\n"))),
            ("bad.md", "---\nminutes: five\n---\n".to_owned()),
        ];
        for (name, text) in pages {
            std::fs::write(book.join("04-send-sync").join(name), text).unwrap();
        }
        let problems = problems_in(&root);
        let expected = [
            "book/04-send-sync/index.md has no front matter",
            "book/04-send-sync/racy-ring.md hosts racy-ring but has `minutes: 0`",
            "book/04-send-sync/racy-ring.md:6: write `<summary>Speaker notes</summary>`",
            "book/04-send-sync/talk.md has `minutes: 5` but no speaker notes",
            "book/04-send-sync/twice.md:6: the speaker notes' summary must follow a `<details>` line",
            "book/04-send-sync/twice.md has 2 speaker-notes blocks",
            "book/04-send-sync/bad.md: front matter `minutes: five` is not a whole number",
            // Nor can the schedules read that page.
            "the schedules cannot be read",
        ];
        for text in expected {
            assert!(
                problems.iter().any(|p| p.contains(text)),
                "no '{text}' in {problems:#?}"
            );
        }
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn reports_a_schedule_that_overruns() {
        let root = fixture("schedule");
        let schedules = SCHEDULES.replace("[100]", "[80]");
        std::fs::write(root.join("book/instructor/schedules.toml"), schedules).unwrap();
        let problems = problems_in(&root);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with(
                "book/instructor/schedules.toml, schedule 'all': day 1 overruns: no session \
                 has room left for 04-send-sync/racy-ring.md 10, exercise racy-ring 45"
            ),
            "{problems:#?}"
        );
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn every_exercise_needs_a_minimum_and_one_to_three_extensions() {
        let root = fixture("fast-finishers");
        let info = |minimum: &str, extensions: &str| {
            let text = INFO
                .replace(r#""The minimum.""#, minimum)
                .replace(r#"["An extension."]"#, extensions);
            std::fs::write(root.join("exercises/info.toml"), text).unwrap();
            problems_in(&root)
        };
        assert_eq!(
            info(r#"" ""#, r#"["a", "b", "c", "d"]"#),
            [
                "racy-ring: needs a `minimum`: one sentence on what a learner who runs out of \
                 time must have reached to follow the next page",
                "racy-ring: needs 1 to 3 `extensions` for learners who finish early, none of \
                 them empty (it has 4)",
            ]
        );
        let problems = info(r#""Reach it.""#, "[]");
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].ends_with("(it has 0)"), "{problems:#?}");
        let problems = info(r#""Reach it.""#, r#"["a", ""]"#);
        assert!(problems[0].ends_with("(it has 2)"), "{problems:#?}");
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn resolves_a_shared_test_file() {
        let text =
            "extern crate a as b;\n#[path = \"../../02-leaky-stack/tests/stack.rs\"]\nmod spec;\n";
        let path = path_attribute(text).unwrap();
        assert_eq!(
            normalize(&format!(
                "exercises/07-reclamation/04-epoch-stack/tests/{path}"
            ))
            .as_deref(),
            Some("exercises/07-reclamation/02-leaky-stack/tests/stack.rs")
        );
        assert_eq!(normalize("../x"), None);
    }

    #[test]
    fn finds_summary_links() {
        let summary = "# Summary\n\n[Intro](index.md)\n- [Send and Sync](./04-send-sync/index.md)\n  \
                       - [Racy ring]( 04-send-sync/racy-ring.md )\n- [Draft]()\n";
        let links = summary_links(summary);
        assert!(links.contains("index.md"));
        assert!(links.contains("04-send-sync/index.md"));
        assert!(links.contains("04-send-sync/racy-ring.md"));
    }

    #[test]
    fn finds_tests_that_escape_the_deadline() {
        let text =
            "#[test_support::test]\nfn a() {}\n\n    #[test]\nfn b() {}\n// #[test] in a comment\n";
        assert_eq!(plain_test_lines(text), [4]);
    }
}
