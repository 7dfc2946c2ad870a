//! Does info.toml agree with the files? Each problem is one line naming the
//! exercise and what to fix.

use std::collections::HashSet;
use std::path::Path;

use crate::info_file::{Exercise, Tier};
use crate::workspace::Workbook;

pub fn problems(workbook: &Workbook, exercises: &[&Exercise]) -> Vec<String> {
    let summary =
        std::fs::read_to_string(workbook.root.join("book/SUMMARY.md")).unwrap_or_default();
    let mut problems = Vec::new();
    if summary.is_empty() {
        problems.push("book/SUMMARY.md is missing or empty".to_owned());
    }
    let linked = summary_links(&summary);
    for exercise in exercises {
        let found = [
            package_problems(workbook, exercise),
            page_problems(workbook, exercise, &linked),
            test_shim_problems(workbook, exercise),
            stub_problems(workbook, exercise),
            metadata_problems(exercise),
        ];
        problems.extend(
            found
                .into_iter()
                .flatten()
                .map(|problem| format!("{}: {problem}", exercise.name)),
        );
    }
    problems
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
        let shim = format!("solutions/{}/tests/{test}", exercise.dir);
        match std::fs::read_to_string(shims.join(&test)) {
            Err(_) => problems.push(format!("{shim} is missing (it should include {included})")),
            Ok(text) if !text.contains(&included) => {
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
    "#;

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
                "solutions/04-send-sync/01-racy-ring/Cargo.toml",
                "[package]\nname = \"racy-ring-solution\"\n".to_owned(),
            ),
            (
                "solutions/04-send-sync/01-racy-ring/tests/loom.rs",
                "#[path = \"../../../../exercises/04-send-sync/01-racy-ring/tests/loom.rs\"]\nmod spec;\n"
                    .to_owned(),
            ),
            ("book/04-send-sync/index.md", "# Send and Sync\n".to_owned()),
            ("book/04-send-sync/racy-ring.md", "# Racy ring\n".to_owned()),
            (
                "book/SUMMARY.md",
                "- [Send and Sync](04-send-sync/index.md)\n  - [Ring](./04-send-sync/racy-ring.md)\n".to_owned(),
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
            "- [Send and Sync](04-send-sync/index.md)\n",
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
    fn finds_summary_links() {
        let summary = "# Summary\n\n[Intro](index.md)\n- [Send and Sync](./04-send-sync/index.md)\n  \
                       - [Racy ring]( 04-send-sync/racy-ring.md )\n- [Draft]()\n";
        let links = summary_links(summary);
        assert!(links.contains("index.md"));
        assert!(links.contains("04-send-sync/index.md"));
        assert!(links.contains("04-send-sync/racy-ring.md"));
    }
}
