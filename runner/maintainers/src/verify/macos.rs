//! The macOS step: every crate of the workspace, stubs and solutions with all
//! their targets, type-checks for `aarch64-apple-darwin` (Apple silicon).
//!
//! A check, not a build: linking for macOS needs Apple's SDK, which a Linux
//! machine does not have. It catches what differs by operating system at the
//! type level (a `cfg(target_os)` branch that does not compile, a dependency
//! without macOS support, a Unix-only call where a learner's Mac would need
//! another); it runs nothing, so it says nothing about how the code behaves on
//! a Mac. Nobody has run the workbook on macOS yet (the book says so).

use anyhow::Result;
use workbook_core::process::Invocation;
use workbook_core::workspace::Workbook;

use super::plan::Verdict;

pub const TARGET: &str = "aarch64-apple-darwin";

pub fn check(workbook: &Workbook) -> Result<Verdict> {
    let installed = Invocation::new("rustup", &workbook.root)
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|output| {
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .any(|l| l == TARGET)
        });
    if !installed {
        return Ok(Verdict::Skipped(format!(
            "the {TARGET} target is not installed: `rustup target add {TARGET}` (.ci/run does)"
        )));
    }
    let check = Invocation::new("cargo", &workbook.root).args([
        "check",
        "--workspace",
        "--all-targets",
        "--target",
        TARGET,
    ]);
    println!("$ {check}");
    Ok(if check.run()? {
        Verdict::Passed
    } else {
        Verdict::Failed(format!(
            "the workspace does not type-check for {TARGET}: `{check}`"
        ))
    })
}
