//! The claims step: no sentence in the book states a measured comparison that
//! the results files do not back. It reads the pages' Markdown and
//! `results/*.json` directly, so it needs no build of the book, and fails on:
//!
//! - a comparison typed into the prose ("2.7x slower", "twice as fast", see
//!   [`super::comparisons`]), which should be a `{{#ratio}}`, unless its
//!   sentence is marked as not a measurement, and a marker in a sentence that
//!   compares nothing;
//! - a `{{#ratio}}` that does not parse, or names a variant that no results
//!   file measuring its group has, or a group that no results file has and no
//!   benchmark defines (a group the benchmarks define but no machine has run
//!   yet renders "not measured yet", which is allowed);
//! - a `{{#ratio}}` whose claim no machine measured in rounds backs, or that a
//!   machine contradicts while the directive does not name it in `except=`
//!   (see [`workbook_book::ratio`]).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;

use super::comparisons::{MARKER, scan};
use super::plan::Verdict;
use workbook_book::book::ratio_directives;
use workbook_core::results::ResultsFile;
use workbook_core::workspace::Workbook;

/// Where the contributor page says how to write a comparison.
const HOW: &str = "see book/contributing.md, \"Numbers\"";

pub fn check(workbook: &Workbook) -> Result<Verdict> {
    Ok(Verdict::from_problems(&problems(workbook)?))
}

fn problems(workbook: &Workbook) -> Result<Vec<String>> {
    let results = ResultsFile::load_all(&workbook.root.join("results"))?;
    let defined = |group: &str| defined_by_a_benchmark(workbook, group);
    let mut problems = Vec::new();
    for path in pages(&workbook.root.join("book")) {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let shown = workbook.relative(&path).display().to_string();
        problems.extend(page_problems(&shown, &text, &results, &defined));
    }
    Ok(problems)
}

/// Every Markdown file under `book`, sorted.
fn pages(book: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = WalkDir::new(book)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    pages
}

/// Whether the benchmarks of the exercise that `group` names (see
/// [`workbook_core::info_file::InfoFile::benchmarked_by`]) spell the group out
/// as a string, as `c.benchmark_group("spin-lock/contended")` does.
fn defined_by_a_benchmark(workbook: &Workbook, group: &str) -> bool {
    let Some(exercise) = workbook.info.benchmarked_by(group) else {
        return false;
    };
    let quoted = format!("\"{group}\"");
    WalkDir::new(exercise.solution_dir(&workbook.root).join("benches"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "rs"))
        .any(|entry| {
            std::fs::read_to_string(entry.path()).is_ok_and(|source| source.contains(&quoted))
        })
}

/// The problems of one page, `page` being its name in the messages.
fn page_problems(
    page: &str,
    text: &str,
    results: &[ResultsFile],
    defined: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let prose = scan(text);
    let mut problems: Vec<String> = prose
        .typed
        .into_iter()
        .map(|typed| {
            format!(
                "{page}:{}: \"{}\" types a measured comparison into the prose: render it \
                 from the results files with {{{{#ratio GROUP VARIANT BASELINE}}}}, or mark \
                 a sentence that is not a measurement with `{MARKER} <why> -->` ({HOW})",
                typed.line, typed.phrase
            )
        })
        .collect();
    problems.extend(prose.idle_markers.into_iter().map(|line| {
        format!("{page}:{line}: `{MARKER}` marks a sentence that compares nothing: take it out")
    }));
    for (offset, ratio) in ratio_directives(text) {
        let at = format!("{page}:{}", text[..offset].matches('\n').count() + 1);
        let ratio = match ratio {
            Ok(ratio) => ratio,
            Err(error) => {
                problems.push(format!("{at}: {error:#}"));
                continue;
            }
        };
        let measured = results
            .iter()
            .any(|file| file.group(ratio.group).next().is_some());
        if !measured && !defined(ratio.group) {
            problems.push(format!(
                "{at}: no results file has the group `{}`, and no benchmark of the exercise \
                 its name starts with defines it (a typo, or a renamed benchmark?)",
                ratio.group
            ));
        }
        problems.extend(
            ratio
                .problems(results)
                .into_iter()
                .map(|problem| format!("{at}: {problem}")),
        );
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use workbook_core::results::{Benchmark, Machine};

    fn file(id: &str, figures: &[(&str, &[f64])]) -> ResultsFile {
        ResultsFile {
            machine: Machine {
                id: id.into(),
                cpu: id.into(),
                cores: 2,
                os: "Linux".into(),
                rustc: "rustc 1.95.0".into(),
                date: "2026-12-04".into(),
            },
            benchmarks: figures
                .iter()
                .map(|(function, rounds)| {
                    Benchmark::from_rounds("lock/contended".into(), (*function).into(), rounds)
                        .unwrap()
                })
                .collect(),
            counts: Vec::new(),
        }
    }

    /// `solution` faster than `spin` on the first machine that measured them.
    fn old() -> ResultsFile {
        file(
            "old-2c",
            &[("solution", &[5.0, 6.0, 7.0]), ("spin", &[10.0, 10.0, 10.0])],
        )
    }

    /// A machine added later, on which `solution` is slower.
    fn new() -> ResultsFile {
        file(
            "new-2c",
            &[("solution", &[12.0, 13.0]), ("spin", &[10.0, 10.0])],
        )
    }

    /// The benchmarks define `lock/contended` and `lock/uncontended`.
    fn problems_of(text: &str, results: &[ResultsFile]) -> Vec<String> {
        let defined = |group: &str| group.starts_with("lock/");
        page_problems("page.md", text, results, &defined)
    }

    #[test]
    fn a_comparison_typed_into_the_prose_fails_with_its_line() {
        let problems = problems_of("# Locks\n\nOurs is\n2.7x slower.\n", &[old()]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with(
                "page.md:4: \"2.7x\" types a measured comparison into the prose: render it \
                 from the results files with {{#ratio GROUP VARIANT BASELINE}}"
            ),
            "{problems:?}"
        );
        assert!(problems_of("Ours is `2.7x` in code.\n", &[old()]).is_empty());
    }

    #[test]
    fn a_ratio_must_name_a_benchmark() {
        let page = "A {{#ratio lock/contended solution spin}}.\n\
                    B {{#ratio lock/uncontended solution spin}}.\n\
                    C {{#ratio lok/contended solution spin}}.\n\
                    D {{#ratio lock/contended solutoin spin}}.\n\
                    E {{#ratio lock/contended}}.\n";
        let problems = problems_of(page, &[old()]);
        // A is measured, and B, which no machine ran yet, says "not measured yet".
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].starts_with("page.md:3: no results file has the group `lok/contended`"));
        assert!(problems[1].starts_with("page.md:4: no results file measured `solutoin`"));
        assert!(problems[2].starts_with("page.md:5: `{{#ratio <group>"));
    }

    #[test]
    fn a_claim_true_for_the_old_file_goes_stale_when_a_new_file_contradicts_it() {
        let page = "Ours is faster than spin: {{#ratio lock/contended solution spin faster}}.\n";
        assert_eq!(problems_of(page, &[old()]), Vec::<String>::new());
        let stale = problems_of(page, &[old(), new()]);
        assert_eq!(stale.len(), 1, "{stale:?}");
        assert!(
            stale[0].starts_with(
                "page.md:1: it claims \"faster\", but new-2c, 2 cores (results/new-2c.json) \
                 measured 1.25x (1.20–1.30, slower)"
            ),
            "{stale:?}"
        );
        let rewritten = "Ours is faster than spin on one machine and slower on the other: \
                         {{#ratio lock/contended solution spin faster except=new-2c}}.\n";
        assert_eq!(
            problems_of(rewritten, &[old(), new()]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn the_books_comparisons_are_backed_by_the_results_files() {
        let workbook = Workbook::open().unwrap();
        check(&workbook).unwrap().assert_passed();
    }
}
