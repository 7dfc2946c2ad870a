//! The book builds without warnings, its code examples pass, and its links resolve.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use anyhow::{Context, Result};

use super::book_deps;
use super::plan::Verdict;
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

/// `mdbook build`, failing on any warning it prints as well as on errors.
pub fn build(workbook: &Workbook) -> Result<Verdict> {
    let build = tools::mdbook(workbook).arg("build");
    println!("$ {build}");
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
        (false, _) => Verdict::Failed("mdbook build failed (see its log)".to_owned()),
        (true, false) => Verdict::Failed(format!(
            "mdbook build printed {} warning line(s):\n      {}",
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
