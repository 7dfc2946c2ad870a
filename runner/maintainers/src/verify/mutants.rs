//! Weakened-ordering mutants: does each ordering in a solution matter?
//!
//! Every `Ordering::Acquire`, `Ordering::Release` and `Ordering::AcqRel` in a
//! solution's code becomes, one at a time, `Ordering::Relaxed`, and every
//! `Ordering::SeqCst` becomes the next weaker ordering its operation allows:
//! `Acquire` for a load (and a compare-exchange's failure ordering), `Release`
//! for a store, `AcqRel` for a read-modify-write or a fence. If neither loom
//! nor Miri then fails, either the ordering is stronger than it needs to be or
//! the tests miss the bug it prevents; both are worth a maintainer's look.
//!
//! Mutants are applied to a copy of the workspace (see [`super::copy`]).

use std::path::{Path, PathBuf};

use anyhow::Result;
use walkdir::WalkDir;

use super::catch::Catcher;
use super::copy::Restore;
use super::limits;
use super::plan::Verdict;
use super::workdirs::fresh_log;
use workbook_core::info_file::{Exercise, Tier};
use workbook_core::process::Ended;
use workbook_core::tiers::Site;
use workbook_core::workspace::Workbook;

const WEAKENED: [&str; 4] = ["Acquire", "Release", "AcqRel", "SeqCst"];

/// One ordering to weaken.
#[derive(Debug, PartialEq)]
pub struct Mutant {
    /// Relative to the crate's folder, e.g. `src/lib.rs`.
    pub file: PathBuf,
    /// Counted from 1.
    pub line: usize,
    /// Counted from 1, in characters.
    pub column: usize,
    /// Where `Ordering::<from>` starts in the file.
    offset: usize,
    pub from: &'static str,
    /// The weaker ordering, or `None` for a `SeqCst` whose operation could not
    /// be told from the code before it.
    pub to: Option<&'static str>,
}

impl Mutant {
    pub fn apply(&self, text: &str, to: &str) -> String {
        let end = self.offset + "Ordering::".len() + self.from.len();
        format!("{}Ordering::{to}{}", &text[..self.offset], &text[end..])
    }
}

/// One step weaker than `SeqCst` for the operation that `statement` (the code
/// of the statement up to the ordering) is calling.
fn weaker_than_seqcst(statement: &str) -> Option<&'static str> {
    let statement = statement.to_lowercase();
    // Two orderings: success (a read-modify-write) then failure (a load).
    for two_orderings in ["compare_exchange", "fetch_update"] {
        if let Some(at) = statement.rfind(two_orderings) {
            return Some(if statement[at..].contains("ordering::") {
                "Acquire"
            } else {
                "AcqRel"
            });
        }
    }
    // The operation named last before the ordering is the one it belongs to;
    // `store` and `load` also match constants such as `const STORE: Ordering`.
    [
        ("fetch_", "AcqRel"),
        ("swap", "AcqRel"),
        ("fence", "AcqRel"),
        ("load", "Acquire"),
        ("store", "Release"),
    ]
    .into_iter()
    .filter_map(|(name, to)| statement.rfind(name).map(|at| (at, to)))
    .max_by_key(|&(at, _)| at)
    .map(|(_, to)| to)
}

/// The mutants in one file's text, in order. Comment lines are skipped, and so
/// is the comment at the end of a code line, since weakening an ordering that
/// is only mentioned changes nothing.
pub fn find(file: &Path, text: &str) -> Vec<Mutant> {
    let mut mutants = Vec::new();
    let mut line_start = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        // A "//" inside a string literal would hide code after it; orderings
        // do not appear after string literals on the same line in practice.
        let code = line.split("//").next().unwrap_or_default();
        for from in WEAKENED {
            let needle = format!("Ordering::{from}");
            for (at, _) in code.match_indices(&needle) {
                let before = code[..at].chars().next_back();
                let after = code[at + needle.len()..].chars().next();
                let is_ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                if !is_ident(before) && !is_ident(after) {
                    let offset = line_start + at;
                    let to = if from == "SeqCst" {
                        let statement_start =
                            text[..offset].rfind([';', '{', '}']).map_or(0, |at| at + 1);
                        weaker_than_seqcst(&text[statement_start..offset])
                    } else {
                        Some("Relaxed")
                    };
                    mutants.push(Mutant {
                        file: file.to_owned(),
                        line: index + 1,
                        column: code[..at].chars().count() + 1,
                        offset,
                        from,
                        to,
                    });
                }
            }
        }
        line_start += line.len();
    }
    mutants.sort_by_key(|mutant| mutant.offset);
    mutants
}

/// "src/lib.rs:88 Acquire -> Relaxed", with the column when the line has several.
pub fn label(mutant: &Mutant, all: &[Mutant]) -> String {
    let shared_line = all
        .iter()
        .filter(|m| m.file == mutant.file && m.line == mutant.line)
        .count()
        > 1;
    let column = if shared_line {
        format!(":{}", mutant.column)
    } else {
        String::new()
    };
    format!(
        "{}:{}{column} {} -> {}",
        mutant.file.display(),
        mutant.line,
        mutant.from,
        mutant.to.unwrap_or("?")
    )
}

/// Every mutant in the `src/**/*.rs` files of the crate in `dir`.
fn find_in_crate(dir: &Path) -> Result<Vec<Mutant>> {
    let mut mutants = Vec::new();
    for entry in WalkDir::new(dir.join("src")).sort_by_file_name() {
        let entry = entry?;
        if entry.path().extension().is_some_and(|ext| ext == "rs") {
            let text = std::fs::read_to_string(entry.path())?;
            mutants.extend(find(entry.path().strip_prefix(dir)?, &text));
        }
    }
    Ok(mutants)
}

enum Fate {
    Caught(Tier),
    /// The tier ran past its limit: a hang, which a learner would meet as a frozen terminal.
    Hung(Tier),
    Survived,
    /// Survived the tiers that could run; a missing tool's tier might catch it.
    Unknown(Tier),
}

/// Runs the mutants of `exercise`'s solution inside the workspace copy at `copy`.
pub fn check(workbook: &Workbook, exercise: &Exercise, copy: &Path) -> Result<Verdict> {
    let solution = exercise.solution_dir(&workbook.root);
    let mutants = find_in_crate(&solution)?;
    if mutants.is_empty() {
        println!("no Acquire, Release, AcqRel or SeqCst orderings to weaken");
        return Ok(Verdict::Passed);
    }
    let tiers: Vec<Tier> = exercise
        .tiers
        .iter()
        .copied()
        .filter(|t| matches!(t, Tier::Loom | Tier::Miri))
        .collect();
    let log = fresh_log(workbook, &exercise.name, "mutants")?;
    println!(
        "{} mutants, checked by {} once the copy builds; their output goes to {}",
        mutants.len(),
        tiers
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" then "),
        workbook.relative(&log).display()
    );

    let site = Site {
        workspace: copy.to_owned(),
        target: workbook.target_dir(),
    };
    let package = exercise.solution_package();
    // A tier that fails without any mutant would "catch" every mutant and
    // prove nothing. Verify's earlier steps ran these tiers on the same code in
    // the workbook itself, so here it is enough that the copy builds them (a
    // path that does not resolve from the copy, say); running them again would
    // double the step's time for the slow Miri tiers.
    for &tier in &tiers {
        if tier.missing_tool().is_some() {
            continue;
        }
        let build = tier
            .invocation(&site, &package, &exercise.miri_flags)
            .arg("--no-run");
        if !build.run_logged(&log)? {
            return Ok(Verdict::Failed(format!(
                "the unmutated solution's tier {tier} does not build in the copy, so no mutant \
                 can be judged (log: {})",
                workbook.relative(&log).display()
            )));
        }
    }
    let copied_crate = copy.join("solutions").join(&exercise.dir);
    let mut catcher = Catcher::new(&site, package, &exercise.miri_flags, &copied_crate)?;
    let mut survivors = Vec::new();
    let mut unknown = Vec::new();
    for mutant in &mutants {
        let label = label(mutant, &mutants);
        let Some(to) = mutant.to else {
            println!("{label}: cannot tell which operation this SeqCst belongs to");
            survivors.push(format!(
                "{label} (write the ordering inside the call it belongs to, so it can be weakened)"
            ));
            continue;
        };
        let path = copied_crate.join(&mutant.file);
        let original = std::fs::read_to_string(&path)?;
        let _restore = Restore {
            path: &path,
            original: &original,
        };
        std::fs::write(&path, mutant.apply(&original, to))?;

        match fate(&mut catcher, &tiers, &log)? {
            Fate::Caught(tier) => println!("{label}: caught by {tier}"),
            Fate::Hung(tier) => {
                println!("{label}: HUNG in {tier}");
                survivors.push(format!("{label} (hung in {tier} instead of failing)"));
            }
            Fate::Survived => {
                println!("{label}: NOT CAUGHT");
                survivors.push(label);
            }
            Fate::Unknown(tier) => {
                println!("{label}: not caught so far; {tier} cannot run here");
                unknown.push(label);
            }
        }
    }

    Ok(if !survivors.is_empty() {
        Verdict::Failed(format!(
            "not caught: {}. Either this ordering is stronger than it needs to be or the tests \
             miss the bug (log: {})",
            survivors.join(", "),
            workbook.relative(&log).display()
        ))
    } else if !unknown.is_empty() {
        let missing = tiers
            .iter()
            .find_map(|t| t.missing_tool())
            .unwrap_or_default();
        Verdict::Skipped(format!(
            "{} mutants need a tool to decide: {missing}",
            unknown.len()
        ))
    } else {
        Verdict::Passed
    })
}

fn fate(catcher: &mut Catcher, tiers: &[Tier], log: &Path) -> Result<Fate> {
    for &tier in tiers {
        if tier.missing_tool().is_some() {
            return Ok(Fate::Unknown(tier));
        }
        match catcher.run(tier, None, log, limits::run_limit(tier))? {
            Ended::Passed => {}
            Ended::Failed => return Ok(Fate::Caught(tier)),
            Ended::TimedOut => return Ok(Fate::Hung(tier)),
        }
    }
    Ok(Fate::Survived)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "\
use std::sync::atomic::{AtomicUsize, Ordering};
/// Publishes with Ordering::Release.
fn push(tail: &AtomicUsize) {
    // Ordering::Acquire pairs with the consumer.
    tail.store(1, Ordering::Release); // not Ordering::SeqCst, not Ordering::Acquire
    let _ = tail.compare_exchange(0, 1, Ordering::AcqRel, Ordering::Acquire);
    let _ = tail.load(Ordering::Relaxed);
    let _ = MyOrdering::Acquire;
    let _ = Ordering::AcquireLike;
}
";

    #[test]
    fn finds_orderings_in_code_but_not_in_comments() {
        let mutants = find(Path::new("src/lib.rs"), SOURCE);
        let found: Vec<_> = mutants.iter().map(|m| (m.line, m.from)).collect();
        assert_eq!(found, [(5, "Release"), (6, "AcqRel"), (6, "Acquire")]);
        assert_eq!(
            label(&mutants[0], &mutants),
            "src/lib.rs:5 Release -> Relaxed"
        );
        assert_eq!(
            label(&mutants[1], &mutants),
            "src/lib.rs:6:41 AcqRel -> Relaxed"
        );
    }

    #[test]
    fn weakens_seqcst_one_step_for_its_operation() {
        let source = "\
pub const STORE: Ordering = Ordering::SeqCst;
fn f(a: &AtomicUsize) {
    a.store(1, Ordering::SeqCst);
    let _ = a.load(Ordering::SeqCst);
    a.fetch_add(1, Ordering::SeqCst);
    let _ = a.swap(2, Ordering::SeqCst);
    fence(Ordering::SeqCst);
    let _ = a.compare_exchange_weak(
        1,
        2,
        Ordering::SeqCst,
        Ordering::SeqCst,
    );
    let _ = a.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |v| Some(v + 1));
    let _ = mystery(Ordering::SeqCst);
}
";
        let mutants = find(Path::new("src/lib.rs"), source);
        let weakened: Vec<_> = mutants.iter().map(|m| (m.line, m.to)).collect();
        assert_eq!(
            weakened,
            [
                (1, Some("Release")),
                (3, Some("Release")),
                (4, Some("Acquire")),
                (5, Some("AcqRel")),
                (6, Some("AcqRel")),
                (7, Some("AcqRel")),
                (11, Some("AcqRel")),
                (12, Some("Acquire")),
                (14, Some("AcqRel")),
                (14, Some("Acquire")),
                (15, None),
            ]
        );
        assert_eq!(
            label(&mutants[2], &mutants),
            "src/lib.rs:4 SeqCst -> Acquire"
        );
        assert!(
            mutants[2]
                .apply(source, "Acquire")
                .contains("a.load(Ordering::Acquire)")
        );
    }

    #[test]
    fn applies_exactly_one_weakening() {
        let mutants = find(Path::new("src/lib.rs"), SOURCE);
        let mutated = mutants[2].apply(SOURCE, mutants[2].to.unwrap());
        assert!(mutated.contains("compare_exchange(0, 1, Ordering::AcqRel, Ordering::Relaxed);"));
        assert!(mutated.contains("tail.store(1, Ordering::Release);"));
        assert_eq!(
            mutated.len(),
            SOURCE.len() + "Relaxed".len() - "Acquire".len()
        );
    }
}
