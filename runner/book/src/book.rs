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
//! - `{{#ratio <group> <variant> <baseline> [<claim>]}}`: a measured comparison
//!   in a sentence, each machine's ratio with its spread (see [`crate::ratio`]).
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
use crate::ratio::Ratio;
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
    Ratio(Ratio<'a>),
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
        ["ratio", rest @ ..] => Directive::Ratio(Ratio::parse(rest)?),
        _ => return Ok(None),
    }))
}

/// Where a `{{#...}}` directive stands in a page, this preprocessor's or another's.
pub struct DirectiveSpan<'a> {
    /// The byte offsets of its `{{#` and of the end of its `}}`.
    pub start: usize,
    pub end: usize,
    /// The text between `{{#` and `}}`.
    pub inner: &'a str,
    /// Preceded by a backslash: shown as it is, not expanded.
    pub escaped: bool,
}

/// Every directive in `content`, in order; an opening `{{#` without its `}}`
/// ends the search.
pub fn directive_spans(content: &str) -> Vec<DirectiveSpan<'_>> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(start) = content[from..].find("{{#").map(|at| from + at) {
        let Some(end) = content[start..].find("}}").map(|at| start + at + 2) else {
            break;
        };
        spans.push(DirectiveSpan {
            start,
            end,
            inner: &content[start + 3..end - 2],
            escaped: content[..start].ends_with('\\'),
        });
        from = end;
    }
    spans
}

/// Each `{{#ratio}}` directive that `content` expands, with its byte offset.
pub fn ratio_directives(content: &str) -> Vec<(usize, Result<Ratio<'_>>)> {
    directive_spans(content)
        .into_iter()
        .filter(|span| !span.escaped)
        .filter_map(|span| match parse_directive(span.inner) {
            Ok(Some(Directive::Ratio(ratio))) => Some((span.start, Ok(ratio))),
            Err(error) if span.inner.split_whitespace().next() == Some("ratio") => {
                Some((span.start, Err(error)))
            }
            _ => None,
        })
        .collect()
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
        let mut copied = 0;
        for span in directive_spans(content) {
            expanded.push_str(&content[copied..span.start]);
            let parsed = if span.escaped {
                None
            } else {
                parse_directive(span.inner)?
            };
            match parsed {
                Some(parsed) => expanded.push_str(&self.render(&parsed, chapter)?),
                None => expanded.push_str(&content[span.start..span.end]),
            }
            copied = span.end;
        }
        expanded.push_str(&content[copied..]);
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
            Directive::Ratio(ratio) => ratio.render(self.results),
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
                "\nNot recorded yet (a maintainer runs `cargo workbook verify --cargo-mutants --only <name>`): {}.\n",
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
        // The exercise the group's name names; failing that, the exercise
        // this page is about.
        let measures = self.info.benchmarked_by(group).or_else(|| {
            let exercises = &self.info.exercises;
            exercises.iter().find(|e| Some(e.page.as_str()) == chapter)
        });
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
mod tests;
