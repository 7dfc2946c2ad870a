//! The book builds without warnings, for learners and for the instructor, its
//! code examples pass, and its links resolve.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use anyhow::{Context, Result};

use super::book_deps;
use super::plan::Verdict;
use workbook_core::process::Invocation;
use workbook_core::tools;
use workbook_core::workspace::Workbook;

/// The link checker's settings, passed as a config override so that the
/// ordinary `mdbook build` and `serve` neither need it installed nor move the
/// HTML into a per-backend subfolder (what a second `[output]` table does).
const LINKCHECK_CONFIG: &str = r#"{"linkcheck2": {"follow-web-links": false, "traverse-parent-directories": false, "warning-policy": "error"}}"#;

/// The tools step: installs whichever of the book's pinned tools are missing.
/// The book's steps run in one lane that verify starts first, so that building
/// them (minutes, on a new machine) overlaps the other lanes' steps.
pub fn install_tools(workbook: &Workbook) -> Result<Verdict> {
    for tool in tools::ALL {
        tool.ensure_installed(workbook)?;
    }
    Ok(Verdict::Passed)
}

/// `mdbook build` of the learners' book and of the instructor's, failing on any
/// warning either prints as well as on errors, and unless the learners' pages
/// have no speaker notes and the instructor's have them. The render, test and
/// link steps check the learners' book; the instructor's differs only by the
/// notes, so one build of it, warnings checked, is enough.
pub fn build(workbook: &Workbook) -> Result<Verdict> {
    let builds = [
        (
            "the learners' book",
            tools::mdbook(workbook),
            workbook.target_dir().join("book"),
            false,
        ),
        (
            "the instructor's book",
            tools::mdbook_for_instructor(workbook),
            tools::instructor_book_dir(workbook),
            true,
        ),
    ];
    for (which, mdbook, html, with_notes) in builds {
        let verdict = build_one(which, mdbook)?;
        if !matches!(verdict, Verdict::Passed) {
            return Ok(verdict);
        }
        let pages = pages_with_notes(&html)?;
        match (with_notes, pages.is_empty()) {
            (false, false) => {
                return Ok(Verdict::Failed(format!(
                    "{which} shows speaker notes on {} page(s), e.g. {}",
                    pages.len(),
                    pages[0]
                )));
            }
            (true, true) => {
                return Ok(Verdict::Failed(format!(
                    "{which} ({}) shows no speaker notes",
                    html.display()
                )));
            }
            _ => {}
        }
    }
    Ok(Verdict::Passed)
}

/// A speaker-notes block as it reaches the HTML (a page that shows one as an
/// example has it escaped in a code block).
const NOTES_IN_HTML: &str = "<summary>Speaker notes";

/// The HTML pages under `html` that show speaker notes.
fn pages_with_notes(html: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    let mut folders = vec![html.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("cannot read {}", folder.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "html")
                && std::fs::read_to_string(&path)?.contains(NOTES_IN_HTML)
            {
                found.push(
                    path.strip_prefix(html)
                        .unwrap_or(&path)
                        .display()
                        .to_string(),
                );
            }
        }
    }
    found.sort();
    Ok(found)
}

/// One `mdbook build`, failing on any warning it prints as well as on errors.
fn build_one(which: &str, build: Invocation) -> Result<Verdict> {
    let build = build.arg("build");
    println!("{which}:\n$ {build}");
    let mut child = build
        .command()
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run mdbook")?;
    let stderr = child
        .stderr
        .take()
        .context("mdbook's error output is not captured")?;
    let mut warnings = Vec::new();
    for line in BufReader::new(stderr).lines() {
        let line = line?;
        eprintln!("{line}");
        if line.contains("WARN") || line.contains("warning") {
            warnings.push(line);
        }
    }
    let succeeded = child.wait()?.success();
    Ok(match (succeeded, warnings.is_empty()) {
        (false, _) => Verdict::Failed(format!("mdbook build of {which} failed (see its log)")),
        (true, false) => Verdict::Failed(format!(
            "mdbook build of {which} printed {} warning line(s):\n      {}",
            warnings.len(),
            warnings.join("\n      ")
        )),
        (true, true) => Verdict::Passed,
    })
}

/// `mdbook test`: every Rust example in the book compiles and runs, with the
/// external crates of `book-deps/` on its library path.
pub fn test(workbook: &Workbook) -> Result<Verdict> {
    let deps = book_deps::build(workbook)?;
    let test = tools::mdbook(workbook)
        .arg("test")
        .args(["-L", &deps.display().to_string()]);
    println!("$ {test}");
    Ok(if test.run()? {
        Verdict::Passed
    } else {
        Verdict::Failed("mdbook test failed (see its log)".to_owned())
    })
}

/// mdbook-linkcheck2 as the only backend of a separate build, into its own folder.
pub fn links(workbook: &Workbook) -> Result<Verdict> {
    let check = tools::mdbook(workbook)
        .env("MDBOOK_OUTPUT", LINKCHECK_CONFIG)
        .env(
            "MDBOOK_BUILD__BUILD_DIR",
            workbook
                .target_dir()
                .join("linkcheck")
                .display()
                .to_string(),
        )
        .arg("build");
    println!("$ {check}");
    Ok(if check.run()? {
        Verdict::Passed
    } else {
        Verdict::Failed("the link check found broken links (see its log)".to_owned())
    })
}
