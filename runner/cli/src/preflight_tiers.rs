//! The pre-flight check's end-to-end run of the two tools a learner meets only
//! in `check`'s later tiers: one loom model and one Miri test, each of which
//! must show a stale read of a message passed with Relaxed orderings. A broken
//! loom build or Miri installation shows here, the day before, instead of in
//! the middle of an exercise. The test lives in quiz-checks (the litmus tests
//! behind the chapter 6 quiz), so it needs nothing a learner has edited.

use workbook_core::info_file::Tier;
use workbook_core::process::Invocation;
use workbook_core::tiers::Site;
use workbook_core::workspace::Workbook;

use crate::preflight::Finding;

/// The package and test the two tools run (`prepare` builds them ahead).
pub const PACKAGE: &str = "quiz-checks";
const TEST: &str = "mp_relaxed_can_read_stale";

/// Runs the loom model, then (if `miri_usable`) the Miri test, reporting each
/// as it ends.
pub fn loom_and_miri(workbook: &Workbook, miri_usable: bool, report: &mut impl FnMut(Finding)) {
    let site = Site::of(workbook);
    report(run("loom", Tier::Loom.invocation(&site, PACKAGE, &[])));
    if miri_usable {
        let targets = ["--test".to_owned(), "litmus".to_owned()];
        report(run(
            "Miri",
            Tier::Miri.invocation_of(&site, PACKAGE, &[], &targets),
        ));
    }
}

fn run(tool: &str, invocation: Invocation) -> Finding {
    let invocation = invocation.args(["--", TEST]);
    println!("  ...      {tool} runs one test end to end (a first build can take a few minutes)");
    match invocation.output() {
        Ok(output) if output.status.success() => {
            Finding::Ok(format!("{tool} runs: it found the stale read in {TEST}"))
        }
        Ok(output) => Finding::Missing {
            problem: format!(
                "{tool} did not run {PACKAGE}'s {TEST} to the end; its last lines:\n{}",
                last_lines(&String::from_utf8_lossy(&output.stderr), 6)
            ),
            fix: format!("run `{invocation}` in the workbook's folder and read its errors"),
        },
        Err(error) => Finding::Missing {
            problem: format!("{tool} could not start: {error}"),
            fix: format!("run `{invocation}` in the workbook's folder and read its errors"),
        },
    }
}

/// The last `count` non-empty lines of `text`, indented under the finding.
fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    lines[lines.len().saturating_sub(count)..]
        .iter()
        .map(|line| format!("           | {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_non_empty_lines() {
        let text = "a\n\nb\nc\n\n";
        assert_eq!(last_lines(text, 2), "           | b\n           | c");
        assert_eq!(last_lines("", 3), "");
    }
}
