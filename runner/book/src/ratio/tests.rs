//! `{{#ratio}}` parsed, rendered and held to small results files: one machine
//! measured in rounds, a second that disagrees, and one from before rounds.

use super::*;
use crate::results_table::tests::file;
use workbook_core::results::Benchmark;

fn rounds(function: &str, figures: &[f64]) -> Benchmark {
    Benchmark::from_rounds("lock/contended".into(), function.into(), figures).unwrap()
}

/// `solution` clearly faster than `spin` (0.50x to 0.70x), and `std` on both
/// sides of it.
fn epyc() -> ResultsFile {
    let benchmarks = vec![
        rounds("solution", &[5.0, 6.0, 7.0]),
        rounds("spin", &[10.0, 10.0, 10.0]),
        rounds("std", &[9.0, 11.0, 10.0]),
    ];
    file("EPYC", benchmarks)
}

/// `solution` clearly slower than `spin` here.
fn xeon() -> ResultsFile {
    let benchmarks = vec![
        rounds("solution", &[12.0, 13.0, 14.0]),
        rounds("spin", &[10.0, 10.0, 10.0]),
    ];
    file("Xeon", benchmarks)
}

/// A file from before rounds: one run, no verdict.
fn one_run() -> ResultsFile {
    let benchmarks = vec![
        Benchmark::new("lock/contended".into(), "solution".into(), 4.0),
        Benchmark::new("lock/contended".into(), "spin".into(), 5.0),
    ];
    file("Old", benchmarks)
}

fn ratio(directive: &str) -> Ratio<'_> {
    let words: Vec<&str> = directive.split_whitespace().collect();
    Ratio::parse(&words).unwrap()
}

#[test]
fn parses_names_a_claim_and_the_machines_that_disagree() {
    assert_eq!(
        ratio("lock/contended solution spin"),
        Ratio {
            group: "lock/contended",
            variant: "solution",
            baseline: "spin",
            claim: None,
            except: Vec::new(),
        }
    );
    let claimed = ratio("g v b no-clear-difference except=one,two");
    assert_eq!(claimed.claim, Some(Verdict::NoClearDifference));
    assert_eq!(claimed.except, ["one", "two"]);
    for wrong in [
        "g v",
        "g v b quicker",
        "g v b except=one",
        "g v b faster one",
        "g v b faster except=",
        "g v b faster except=one extra",
    ] {
        let words: Vec<&str> = wrong.split_whitespace().collect();
        assert!(Ratio::parse(&words).is_err(), "{wrong}");
    }
}

#[test]
fn renders_every_machine_with_its_spread_and_verdict() {
    let files = [epyc(), one_run()];
    assert_eq!(
        ratio("lock/contended solution spin").render(&files),
        "0.60x (0.50–0.70, faster) on EPYC, 2 cores; 0.80x (one run) on Old, 2 cores"
    );
    assert_eq!(
        ratio("lock/contended std spin").render(&files),
        "1.00x (0.90–1.10, no clear difference) on EPYC, 2 cores"
    );
    assert_eq!(
        ratio("lock/uncontended solution spin").render(&files),
        "not measured yet"
    );
}

#[test]
fn a_machine_that_contradicts_the_claim_is_rendered_after_but() {
    let files = [epyc(), xeon()];
    let expected = "0.60x (0.50–0.70, faster) on EPYC, 2 cores, \
                    but 1.30x (1.20–1.40, slower) on Xeon, 2 cores";
    assert_eq!(
        ratio("lock/contended solution spin faster").render(&files),
        expected
    );
    // Acknowledged or not, the book shows the disagreement the same way.
    assert_eq!(
        ratio("lock/contended solution spin faster except=xeon-2c").render(&files),
        expected
    );
}

#[test]
fn a_claim_the_measurements_back_has_no_problems() {
    let files = [epyc(), one_run()];
    assert!(ratio("lock/contended solution spin faster")
        .problems(&files)
        .is_empty());
    assert!(ratio("lock/contended std spin no-clear-difference")
        .problems(&files)
        .is_empty());
    assert!(ratio("lock/contended solution spin").problems(&files).is_empty());
}

#[test]
fn a_claim_goes_stale_when_a_new_machine_contradicts_it() {
    let claim = ratio("lock/contended solution spin faster");
    assert!(claim.problems(&[epyc()]).is_empty());
    let problems = claim.problems(&[epyc(), xeon()]);
    assert_eq!(
        problems,
        ["it claims \"faster\", but Xeon, 2 cores (results/xeon-2c.json) \
          measured 1.30x (1.20–1.40, slower): say so in the sentence and add \
          `except=xeon-2c` to the directive"]
    );
    // Once the directive names it, the disagreement is acknowledged.
    let acknowledged = ratio("lock/contended solution spin faster except=xeon-2c");
    assert!(acknowledged.problems(&[epyc(), xeon()]).is_empty());
    // And the acknowledgement goes stale in turn when that machine is gone.
    let problems = acknowledged.problems(&[epyc()]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("`except=xeon-2c`, but no results file"));
}

#[test]
fn a_claim_nothing_measured_in_rounds_backs_is_a_problem() {
    for files in [vec![one_run()], vec![]] {
        let problems = ratio("lock/contended solution spin faster").problems(&files);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("it claims \"faster\", but no machine measured in rounds"),
            "{problems:?}"
        );
    }
    // Contradicted everywhere, it is neither backed nor acknowledged.
    let problems = ratio("lock/contended solution spin slower").problems(&[epyc()]);
    assert_eq!(problems.len(), 2, "{problems:?}");
}

#[test]
fn names_a_variant_no_machine_measuring_the_group_has() {
    let problems = ratio("lock/contended solutoin spin").problems(&[epyc(), xeon()]);
    assert_eq!(
        problems,
        ["no results file measured `solutoin` in `lock/contended` \
          (its variants: solution, spin, std)"]
    );
    // A group that no file has is the caller's to judge.
    assert!(ratio("lock/other solution spin").problems(&[epyc()]).is_empty());
}
