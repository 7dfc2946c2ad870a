//! The mdBook preprocessor (book.toml runs the `workbook-book` binary), so that the book
//! shows what info.toml and results/ say instead of a copy that drifts:
//!
//! - `{{#exercise <name>}}`: the exercise's card (where, how long, how to check).
//! - `{{#exercises}}`: a table of every exercise, linked to its page.
//! - `{{#results <group> <baseline-function>}}`: each machine's measurements of a
//!   benchmark group, relative to the baseline variant, with their spread over
//!   the rounds, and the machines side by side (see [`crate::results_table`]).
//! - `{{#counts <group>}}`: each machine's counted outcomes of a group (how often
//!   each variant showed the outcome, in how many runs).
//! - `{{#memory <group>}}`: the same records read as memory: the bytes each
//!   variant still held after so many operations.
//! - `{{#schedule <name>}}`: a workshop timetable (see [`crate::schedule`]).
//! - `{{#cargo-mutants}}`: each solution's last recorded cargo-mutants run
//!   (`results/cargo-mutants.toml`), as a table.
//!
//! Every page's front matter (its minutes) is taken off first and, in the
//! instructor's book, written into its speaker notes' summary; the learners'
//! book has no speaker notes (see [`crate::pages`] and [`crate::audience`]).
//!
//! A directive preceded by a backslash is left as it is, for mdBook's `links`
//! preprocessor to unescape (so book.toml runs this one `before = ["links"]`).
//! The book JSON is walked generically, not through the mdbook crates, so any
//! renderer's book passes through unchanged but for the text.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::audience::Audience;
use crate::format::relative_link;
use crate::results_table::{across_machines, machine_heading, machine_table};
use workbook_core::info_file::InfoFile;
use workbook_core::machine;
use workbook_core::mutants_record;
use workbook_core::results::ResultsFile;
use workbook_core::workspace::{self, Workbook};
use workbook_core::wrong_answers::{self, WrongAnswer};

/// Reads mdBook's `[context, book]` from standard input and writes the book
/// back with every directive expanded.
pub fn run() -> Result<()> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("cannot read mdBook's input")?;
    let Value::Array(mut pair) =
        serde_json::from_str(&input).context("mdBook's input is not JSON")?
    else {
        bail!("expected `[context, book]` from mdBook on standard input");
    };
    if pair.len() != 2 {
        bail!("expected `[context, book]` from mdBook on standard input");
    }
    let mut book = pair.pop().unwrap_or_default();
    let book_root = pair[0]["root"]
        .as_str()
        .map_or_else(std::env::current_dir, |r| Ok(PathBuf::from(r)))?;
    let workbook = Workbook::open_at(&workspace::find_root(&book_root)?)?;
    let results = ResultsFile::load_all(&workbook.root.join("results"))?;
    let audience = Audience::from_context(&pair[0])?;
    crate::pages::prepare_book(&mut book, &workbook.info, &workbook.root, audience)?;

    let mut mistakes = HashMap::new();
    for exercise in &workbook.info.exercises {
        let corpus = wrong_answers::load(&workbook.root, exercise)?;
        mistakes.insert(exercise.name.clone(), corpus);
    }
    expand_chapters(
        &mut book,
        &Expander {
            info: &workbook.info,
            results: &results,
            mistakes: &mistakes,
            mutants: &mutants_record::load(&workbook.root)?,
        },
    )?;

    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer(&mut stdout, &book)?;
    stdout.flush()?;
    Ok(())
}

/// Expands the directives in every object with a string "content" (a chapter),
/// at any depth.
fn expand_chapters(value: &mut Value, expander: &Expander) -> Result<()> {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(content)) = object.get("content") {
                let path = object.get("path").and_then(Value::as_str);
                let expanded = expander.expand(content, path).with_context(|| {
                    let name = object.get("name").and_then(Value::as_str).unwrap_or("?");
                    format!(
                        "in the book's chapter '{name}' ({})",
                        path.unwrap_or("draft")
                    )
                })?;
                if &expanded != content {
                    object.insert("content".to_owned(), Value::String(expanded));
                }
            }
            object
                .values_mut()
                .try_for_each(|child| expand_chapters(child, expander))
        }
        Value::Array(items) => items
            .iter_mut()
            .try_for_each(|item| expand_chapters(item, expander)),
        _ => Ok(()),
    }
}

#[derive(Debug, PartialEq)]
enum Directive<'a> {
    Exercise(&'a str),
    Exercises,
    Results { group: &'a str, baseline: &'a str },
    Counts(&'a str),
    Memory(&'a str),
    CargoMutants,
}

/// Parses the text between `{{#` and `}}`; `None` for other preprocessors' directives.
fn parse_directive(inner: &str) -> Result<Option<Directive<'_>>> {
    let words: Vec<&str> = inner.split_whitespace().collect();
    Ok(Some(match words.as_slice() {
        ["exercise", name] => Directive::Exercise(name),
        ["exercise", ..] => bail!("`{{{{#exercise <name>}}}}` takes one exercise name"),
        ["exercises"] => Directive::Exercises,
        ["exercises", ..] => bail!("`{{{{#exercises}}}}` takes no arguments"),
        ["results", group, baseline] => Directive::Results { group, baseline },
        ["results", ..] => bail!("`{{{{#results <group> <baseline-function>}}}}` takes two words"),
        ["counts", group] => Directive::Counts(group),
        ["counts", ..] => bail!("`{{{{#counts <group>}}}}` takes one group"),
        ["memory", group] => Directive::Memory(group),
        ["memory", ..] => bail!("`{{{{#memory <group>}}}}` takes one group"),
        ["cargo-mutants"] => Directive::CargoMutants,
        ["cargo-mutants", ..] => bail!("`{{{{#cargo-mutants}}}}` takes no arguments"),
        _ => return Ok(None),
    }))
}

struct Expander<'a> {
    info: &'a InfoFile,
    results: &'a [ResultsFile],
    /// Each exercise's wrong-answer corpus, listed on its card.
    mistakes: &'a HashMap<String, Vec<WrongAnswer>>,
    /// Each solution's last recorded cargo-mutants run.
    mutants: &'a mutants_record::Record,
}

impl Expander<'_> {
    /// `content` with this preprocessor's directives replaced; `chapter` is the
    /// page's path relative to book/, which relative links start from.
    fn expand(&self, content: &str, chapter: Option<&str>) -> Result<String> {
        let mut expanded = String::with_capacity(content.len());
        let mut rest = content;
        while let Some(start) = rest.find("{{#") {
            let (before, directive) = rest.split_at(start);
            expanded.push_str(before);
            let Some(length) = directive.find("}}").map(|end| end + 2) else {
                rest = directive;
                break;
            };
            let escaped = before.ends_with('\\');
            match parse_directive(&directive[3..length - 2]) {
                _ if escaped => expanded.push_str(&directive[..length]),
                Ok(Some(parsed)) => expanded.push_str(&self.render(&parsed, chapter)?),
                Ok(None) => expanded.push_str(&directive[..length]),
                Err(error) => return Err(error),
            }
            rest = &directive[length..];
        }
        expanded.push_str(rest);
        Ok(expanded)
    }

    fn render(&self, directive: &Directive, chapter: Option<&str>) -> Result<String> {
        Ok(match directive {
            Directive::Exercise(name) => {
                let exercise = self.info.find(name)?;
                let corpus = self.mistakes.get(*name).map_or(&[][..], Vec::as_slice);
                crate::card::exercise_card(exercise, corpus)
            }
            Directive::Exercises => self.exercises_table(chapter),
            Directive::Results { group, baseline } => self.results_tables(group, baseline, chapter),
            Directive::Counts(group) => {
                self.counts_tables(group, chapter, "| Variant | observed | runs |")
            }
            Directive::Memory(group) => self.counts_tables(
                group,
                chapter,
                "| Variant | bytes held | after operations |",
            ),
            Directive::CargoMutants => self.cargo_mutants_table(),
        })
    }

    /// The recorded rows in the book's order, then the solutions not recorded yet.
    fn cargo_mutants_table(&self) -> String {
        let mut table = format!("{}\n", mutants_record::HEADING);
        let mut missing = Vec::new();
        for exercise in &self.info.exercises {
            match self.mutants.get(&exercise.name) {
                Some(entry) => table += &format!("{}\n", entry.row),
                None => missing.push(exercise.name.as_str()),
            }
        }
        if !missing.is_empty() {
            table += &format!(
                "\nNot recorded yet (the next `verify` judges them): {}.\n",
                missing.join(", ")
            );
        }
        table
    }

    fn exercises_table(&self, chapter: Option<&str>) -> String {
        let mut table = String::from("| # | Exercise | Chapter | Minutes |\n|--:|---|---|--:|\n");
        for (index, exercise) in self.info.exercises.iter().enumerate() {
            let chapter_title = self
                .info
                .chapter_of(exercise)
                .map_or("", |c| c.title.as_str());
            table += &format!(
                "| {} | [{}]({}) | {} | {} |\n",
                index + 1,
                exercise.name,
                relative_link(chapter, &exercise.page),
                chapter_title.replace('|', "\\|"),
                exercise.minutes
            );
        }
        let minutes: u32 = self.info.exercises.iter().map(|e| e.minutes).sum();
        table
            + &format!(
                "\n{} exercises, about {minutes} minutes in all.\n",
                self.info.exercises.len()
            )
    }

    fn results_tables(&self, group: &str, baseline: &str, chapter: Option<&str>) -> String {
        let measured: Vec<&ResultsFile> = self
            .results
            .iter()
            .filter(|file| file.group(group).next().is_some())
            .collect();
        if measured.is_empty() {
            return self.not_measured(group, chapter);
        }
        let tables: Vec<String> = measured
            .iter()
            .map(|file| machine_table(file, group, baseline))
            .collect();
        tables.join("\n")
            + &across_machines(&measured, group, baseline)
            + &arm64_note(&measured, chapter)
    }

    /// Each machine's records of `group` (see `bench_support::record_count`),
    /// under `header`, the names of the variant, observed and runs columns.
    fn counts_tables(&self, group: &str, chapter: Option<&str>, header: &str) -> String {
        let counted: Vec<&ResultsFile> = self
            .results
            .iter()
            .filter(|file| file.counted(group).next().is_some())
            .collect();
        if counted.is_empty() {
            return self.not_measured(group, chapter);
        }
        let tables: Vec<String> = counted
            .iter()
            .map(|file| {
                let mut text = machine_heading(&file.machine) + header + "\n|---|--:|--:|\n";
                for count in file.counted(group) {
                    text += &format!(
                        "| {} | {} | {} |\n",
                        count.variant,
                        thousands(count.observed),
                        thousands(count.runs)
                    );
                }
                text
            })
            .collect();
        tables.join("\n") + &arm64_note(&counted, chapter)
    }

    /// What to run to measure `group`, which no results file has yet.
    fn not_measured(&self, group: &str, chapter: Option<&str>) -> String {
        // Groups are named "<exercise>/<what>" by convention; failing that,
        // the exercise this page is about.
        let named = group.split('/').next().filter(|&name| name != group);
        let exercises = &self.info.exercises;
        let measures = exercises
            .iter()
            .find(|e| Some(e.name.as_str()) == named)
            .or_else(|| exercises.iter().find(|e| Some(e.page.as_str()) == chapter));
        let command = match measures {
            Some(exercise) => format!("cargo workbook bench {}", exercise.name),
            None => "cargo workbook bench".to_owned(),
        };
        format!("Not measured yet: run `{command}`.\n")
    }
}

/// Under tables measured only on other machines, the ARM64 column's placeholder.
/// ARM64 figures come only from ARM64 hardware, never from emulation.
fn arm64_note(measured: &[&ResultsFile], chapter: Option<&str>) -> String {
    if measured.iter().any(|file| machine::is_arm64(&file.machine)) {
        return String::new();
    }
    format!(
        "\n#### ARM64 (Raspberry Pi)\n\nNot measured yet: see \
         [Benchmarking on a Raspberry Pi]({}).\n",
        relative_link(chapter, ARM64_PAGE)
    )
}

/// The page that says how to measure on ARM64 hardware.
const ARM64_PAGE: &str = "raspberry-pi.md";

/// `1234567` as `1,234,567`.
fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use workbook_core::results::{Benchmark, Count, Machine};

    const INFO: &str = r#"
        [[chapter]]
        dir = "04-send-sync"
        title = "Send and Sync"
        page = "04-send-sync/index.md"
        [[chapter]]
        dir = "05-atomics"
        title = "Atomics | orderings"
        page = "05-atomics/index.md"

        [[exercise]]
        name = "racy-ring"
        dir = "04-send-sync/01-racy-ring"
        page = "04-send-sync/racy-ring.md"
        minutes = 45
        tiers = ["test", "loom", "miri"]
        edit = ["src/lib.rs"]
        hints = ["a", "b", "c"]

        [[exercise]]
        name = "spin-lock"
        dir = "05-atomics/01-spin-lock"
        page = "05-atomics/spin-lock.md"
        minutes = 30
        tiers = ["test"]
        edit = ["src/lib.rs", "src/guard.rs"]
        hints = ["only"]
    "#;

    fn results() -> Vec<ResultsFile> {
        let machine = Machine {
            id: "x86-64-epyc-2c".into(),
            cpu: "AMD EPYC 7B13".into(),
            cores: 2,
            os: "Debian GNU/Linux 12 x86_64".into(),
            rustc: "rustc 1.95.0".into(),
            date: "2026-05-20".into(),
        };
        let benchmarks = vec![
            Benchmark::new("spsc".into(), "mine".into(), 10.0),
            Benchmark::new("spsc".into(), "rtrb".into(), 5.0),
            Benchmark::new("other".into(), "x".into(), 1.0),
        ];
        let counts = vec![
            Count {
                group: "racy-ring/litmus".into(),
                variant: "relaxed".into(),
                observed: 1234,
                runs: 1_000_000,
            },
            Count {
                group: "racy-ring/litmus".into(),
                variant: "seqcst".into(),
                observed: 0,
                runs: 1_000_000,
            },
            Count {
                group: "other".into(),
                variant: "x".into(),
                observed: 5,
                runs: 10,
            },
        ];
        vec![ResultsFile {
            machine,
            benchmarks,
            counts,
        }]
    }

    fn expand(content: &str, chapter: Option<&str>) -> Result<String> {
        expand_from(&results(), content, chapter)
    }

    /// `content` on page `chapter`, expanded with `files` as the results.
    fn expand_from(files: &[ResultsFile], content: &str, chapter: Option<&str>) -> Result<String> {
        let info = InfoFile::parse(INFO).unwrap();
        Expander {
            info: &info,
            results: files,
            mistakes: &HashMap::new(),
            mutants: &mutants_record::Record::new(),
        }
        .expand(content, chapter)
    }

    #[test]
    fn parses_only_its_own_directives() {
        assert_eq!(
            parse_directive("exercise racy-ring").unwrap(),
            Some(Directive::Exercise("racy-ring"))
        );
        assert_eq!(
            parse_directive(" exercises ").unwrap(),
            Some(Directive::Exercises)
        );
        assert_eq!(
            parse_directive("results spsc rtrb").unwrap(),
            Some(Directive::Results {
                group: "spsc",
                baseline: "rtrb"
            })
        );
        assert_eq!(
            parse_directive("counts racy-ring/litmus").unwrap(),
            Some(Directive::Counts("racy-ring/litmus"))
        );
        assert!(parse_directive("counts").is_err());
        assert!(parse_directive("counts a b").is_err());
        assert_eq!(
            parse_directive("memory epoch-stack/memory").unwrap(),
            Some(Directive::Memory("epoch-stack/memory"))
        );
        assert_eq!(parse_directive("include ../x.rs:anchor").unwrap(), None);
        assert!(parse_directive("results spsc").is_err());
        assert!(parse_directive("exercise").is_err());
    }

    #[test]
    fn expands_an_exercise_card() {
        let page = expand(
            "Before.\n\n{{#exercise racy-ring}}\n\nAfter.",
            Some("04-send-sync/racy-ring.md"),
        )
        .unwrap();
        assert!(
            page.starts_with("Before.\n\n> **Exercise `racy-ring`**, about 45 minutes\n"),
            "{page}"
        );
        assert!(
            page.ends_with("for after you have tried.\n\n\nAfter."),
            "{page}"
        );
        assert!(page.contains("`exercises/04-send-sync/01-racy-ring/` and edit `src/lib.rs`."));
        assert!(page.contains(
            "its tests (`cargo test`), a loom model check of the thread interleavings \
             and Miri, which catches undefined behaviour and data races, in that order."
        ));
        assert!(page.contains("`cargo workbook check racy-ring`"));
        assert!(page.contains("one more of its 3 hints"));
        assert!(page.contains("`solutions/04-send-sync/01-racy-ring/`"));
    }

    #[test]
    fn an_unknown_exercise_fails_the_build_with_a_suggestion() {
        let error = expand("{{#exercise racy-rng}}", None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("did you mean 'racy-ring'?"), "{error}");
    }

    #[test]
    fn leaves_escaped_and_foreign_directives_alone() {
        let text =
            "\\{{#exercise racy-ring}} \\{{#results GROUP}} {{#include x.rs}} {{#exercise unclosed";
        assert_eq!(expand(text, None).unwrap(), text);
    }

    #[test]
    fn lists_exercises_with_links_relative_to_the_chapter() {
        let table = expand("{{#exercises}}", Some("05-atomics/index.md")).unwrap();
        assert!(
            table
                .contains("| 1 | [racy-ring](../04-send-sync/racy-ring.md) | Send and Sync | 45 |"),
            "{table}"
        );
        assert!(
            table.contains("| 2 | [spin-lock](spin-lock.md) | Atomics \\| orderings | 30 |"),
            "{table}"
        );
        assert!(table.contains("2 exercises, about 75 minutes in all."));
        let from_root = expand("{{#exercises}}", Some("index.md")).unwrap();
        assert!(
            from_root.contains("[racy-ring](04-send-sync/racy-ring.md)"),
            "{from_root}"
        );
    }

    #[test]
    fn tabulates_results_relative_to_the_baseline() {
        let text = expand("{{#results spsc rtrb}}", None).unwrap();
        assert!(text.starts_with("#### AMD EPYC 7B13, 2 cores\n\nDebian GNU/Linux 12 x86_64, rustc 1.95.0, measured 2026-05-20."), "{text}");
        assert!(text.contains("| mine | 10.0 | 100 | 2.00x |"), "{text}");
        assert!(text.contains("| rtrb | 5.00 | 200 | 1.00x |"), "{text}");
        assert!(!text.contains("| x |"));
        let missing_baseline = expand("{{#results spsc nope}}", None).unwrap();
        assert!(
            missing_baseline.contains("| mine | 10.0 | 100 | - |"),
            "{missing_baseline}"
        );
        assert!(missing_baseline.contains("no `nope` measurement"));
    }

    #[test]
    fn tabulates_counts_under_the_machine() {
        let text = expand("{{#counts racy-ring/litmus}}", None).unwrap();
        assert_eq!(
            text,
            "#### AMD EPYC 7B13, 2 cores\n\n\
             Debian GNU/Linux 12 x86_64, rustc 1.95.0, measured 2026-05-20.\n\n\
             | Variant | observed | runs |\n|---|--:|--:|\n\
             | relaxed | 1,234 | 1,000,000 |\n\
             | seqcst | 0 | 1,000,000 |\n\
             \n#### ARM64 (Raspberry Pi)\n\n\
             Not measured yet: see [Benchmarking on a Raspberry Pi](raspberry-pi.md).\n"
        );
        // Benchmarks and counts are separate: a group of one is not the other's.
        let text = expand("{{#counts spsc}}", Some("index.md")).unwrap();
        assert_eq!(text, "Not measured yet: run `cargo workbook bench`.\n");
        let text = expand("{{#counts spin-lock/litmus}}", None).unwrap();
        assert_eq!(
            text,
            "Not measured yet: run `cargo workbook bench spin-lock`.\n"
        );
    }

    #[test]
    fn the_arm64_placeholder_goes_once_an_arm64_machine_measured() {
        let text = expand("{{#results spsc rtrb}}", Some("04-send-sync/results.md")).unwrap();
        assert!(
            text.ends_with(
                "#### ARM64 (Raspberry Pi)\n\nNot measured yet: see \
                 [Benchmarking on a Raspberry Pi](../raspberry-pi.md).\n"
            ),
            "{text}"
        );
        let mut files = results();
        files[0].machine.os = "Debian GNU/Linux 12 aarch64".into();
        let text = expand_from(&files, "{{#results spsc rtrb}}", None).unwrap();
        assert!(!text.contains("Not measured yet"), "{text}");
    }

    #[test]
    fn two_machines_get_a_table_each_then_a_comparison() {
        let mut files = results();
        let mut second = files[0].clone();
        second.machine.id = "x86-64-other-8c".into();
        second.machine.cpu = "Other CPU".into();
        second.machine.cores = 8;
        files.push(second);
        let text = expand_from(&files, "{{#results spsc rtrb}}", None).unwrap();
        let at = |heading: &str| text.find(heading).unwrap_or_else(|| panic!("{text}"));
        assert!(at("#### AMD EPYC 7B13, 2 cores") < at("#### Other CPU, 8 cores"));
        assert!(at("#### Other CPU, 8 cores") < at("#### Across machines"));
        assert!(at("#### Across machines") < at("#### ARM64 (Raspberry Pi)"));
        assert!(
            text.contains("| Variant | AMD EPYC 7B13, 2 cores | Other CPU, 8 cores |"),
            "{text}"
        );
        assert!(text.contains("| mine | 2.00x | 2.00x |"), "{text}");
        assert!(text.contains("Fewer than two of these machines were measured in rounds"));
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(123_456), "123,456");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn says_how_to_measure_an_unmeasured_group() {
        let text = expand("{{#results mpmc mine}}", Some("04-send-sync/racy-ring.md")).unwrap();
        assert_eq!(
            text,
            "Not measured yet: run `cargo workbook bench racy-ring`.\n"
        );
        let text = expand("{{#results mpmc mine}}", Some("index.md")).unwrap();
        assert_eq!(text, "Not measured yet: run `cargo workbook bench`.\n");
        let text = expand("{{#results spin-lock/contended mine}}", Some("results.md")).unwrap();
        assert_eq!(
            text,
            "Not measured yet: run `cargo workbook bench spin-lock`.\n"
        );
    }

    #[test]
    fn the_cargo_mutants_table_shows_recorded_rows_and_names_the_rest() {
        let info = InfoFile::parse(INFO).unwrap();
        let recorded = info.exercises[0].name.clone();
        let row = format!("| {recorded} | 17 | 16 / 0 / 0 | 0 | 0 | 1 | 0 | 2 (10.1s) | 44s |");
        let mut mutants = mutants_record::Record::new();
        mutants.insert(
            recorded.clone(),
            mutants_record::Entry {
                inputs: "ab12".to_owned(),
                cargo_mutants: "27.1.0".to_owned(),
                ran: "2026-12-04T16:00:00Z".to_owned(),
                row: row.clone(),
            },
        );
        let expander = Expander {
            info: &info,
            results: &[],
            mistakes: &HashMap::new(),
            mutants: &mutants,
        };
        let text = expander.expand("{{#cargo-mutants}}", None).unwrap();
        assert!(text.starts_with(mutants_record::HEADING), "{text}");
        assert!(text.contains(&format!("\n{row}\n")), "{text}");
        let rest: Vec<&str> = info.exercises[1..]
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        assert!(
            text.contains(&format!(
                "Not recorded yet (the next `verify` judges them): {}.",
                rest.join(", ")
            )),
            "{text}"
        );
    }

    #[test]
    fn walks_the_book_json_and_keeps_everything_else() {
        let info = InfoFile::parse(INFO).unwrap();
        let expander = Expander {
            info: &info,
            results: &[],
            mistakes: &HashMap::new(),
            mutants: &mutants_record::Record::new(),
        };
        let input = r#"{"items":[{"Chapter":{"name":"Ring","content":"{{#exercise racy-ring}}","number":[1],
            "sub_items":[{"Chapter":{"name":"Sub","content":"plain","path":"04-send-sync/sub.md","zeta":1,"alpha":2}}],
            "path":"04-send-sync/racy-ring.md","source_path":"04-send-sync/racy-ring.md","parent_names":[]}},
            "Separator",{"PartTitle":"Part"}],"__non_exhaustive":null}"#;
        let mut book: Value = serde_json::from_str(input).unwrap();
        expand_chapters(&mut book, &expander).unwrap();
        let content = book["items"][0]["Chapter"]["content"].as_str().unwrap();
        assert!(content.starts_with("> **Exercise `racy-ring`**"));

        // Everything but the expanded content comes back byte for byte, key order included.
        let mut original: Value = serde_json::from_str(input).unwrap();
        original["items"][0]["Chapter"]["content"] = Value::String(content.to_owned());
        assert_eq!(
            serde_json::to_string(&book).unwrap(),
            serde_json::to_string(&original).unwrap()
        );
        let sub = serde_json::to_string(&book["items"][0]["Chapter"]["sub_items"]).unwrap();
        assert!(sub.contains(r#""zeta":1,"alpha":2"#), "{sub}");
    }
}
