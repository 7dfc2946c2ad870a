//! The chapters' quizzes (`book/*/quiz.toml`, rendered by mdbook-quiz): each is
//! included by a page of its chapter, every question explains its answer, and
//! every ordering question names the litmus test in `quiz-checks` that backs its
//! answer; then those tests run under loom and Miri.
//!
//! A question is an ordering question when its `id` starts with `ordering-`.
//! It names its tests in a comment inside its `[[questions]]` table:
//!
//! ```toml
//! [[questions]]
//! id = "ordering-mp-relaxed"
//! # checked by: quiz-checks loom::mp_relaxed_can_read_stale, litmus::mp_relaxed_can_read_stale
//! ```
//!
//! where `loom` and `litmus` are test targets of `quiz-checks` (`tests/<target>.rs`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::plan::Verdict;
use workbook_core::info_file::Tier;
use workbook_core::tiers::Site;
use workbook_core::workspace::Workbook;

/// The crate whose tests back the ordering answers.
const PACKAGE: &str = "quiz-checks";
const ORDERING_ID: &str = "ordering-";
const CHECKED_BY: &str = "# checked by:";

/// The step: the quizzes' problems, then the loom and Miri tests of `quiz-checks`.
pub fn check(workbook: &Workbook) -> Result<Verdict> {
    let problems = problems(workbook)?;
    if !problems.is_empty() {
        return Ok(Verdict::from_problems(&problems));
    }
    let site = Site::of(workbook);
    for tier in [Tier::Loom, Tier::Miri] {
        if let Some(reason) = tier.missing_tool() {
            return Ok(Verdict::Skipped(reason));
        }
        let run = tier.invocation(&site, PACKAGE, &[]);
        println!("$ {run}");
        if !run.run()? {
            return Ok(Verdict::Failed(format!(
                "a quiz answer is no longer backed by its test: `{run}` fails"
            )));
        }
    }
    Ok(Verdict::Passed)
}

/// Every problem with the quizzes, one line each.
pub fn problems(workbook: &Workbook) -> Result<Vec<String>> {
    let book = workbook.root.join("book");
    let tests = workbook.root.join(PACKAGE).join("tests");
    let mut problems = Vec::new();
    for chapter in chapter_folders(&book)? {
        let path = chapter.join("quiz.toml");
        let shown = workbook.relative(&path).display().to_string();
        if !path.is_file() {
            problems.push(format!(
                "{shown} is missing: every chapter ends with a quiz"
            ));
            continue;
        }
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {shown}"))?;
        let found = quiz_problems(&text, &|target, name| test_exists(&tests, target, name));
        problems.extend(
            found
                .into_iter()
                .map(|problem| format!("{shown}: {problem}")),
        );
        if !included_by_a_page(&chapter)? {
            problems.push(format!(
                "{shown}: no page of its chapter includes it with {{{{#quiz quiz.toml}}}}"
            ));
        }
    }
    Ok(problems)
}

/// The chapter folders (`book/NN-name/`), each of which must have a quiz.
fn chapter_folders(book: &Path) -> Result<Vec<PathBuf>> {
    let mut chapters = Vec::new();
    for entry in std::fs::read_dir(book).with_context(|| format!("reading {}", book.display()))? {
        let dir = entry?.path();
        let numbered = dir
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.split('-').next().is_some_and(is_number));
        if dir.is_dir() && numbered {
            chapters.push(dir);
        }
    }
    chapters.sort();
    Ok(chapters)
}

fn is_number(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

fn included_by_a_page(chapter: &Path) -> Result<bool> {
    for entry in std::fs::read_dir(chapter)? {
        let page = entry?.path();
        if page.extension().is_some_and(|ext| ext == "md")
            && std::fs::read_to_string(&page)?.contains("{{#quiz quiz.toml}}")
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The problems of one quiz file; `exists(target, test)` says whether
/// `quiz-checks` has that test.
fn quiz_problems(text: &str, exists: &dyn Fn(&str, &str) -> bool) -> Vec<String> {
    let quiz: toml::Table = match text.parse() {
        Ok(quiz) => quiz,
        Err(error) => return vec![format!("not valid TOML: {error}")],
    };
    let questions = quiz
        .get("questions")
        .and_then(toml::Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let blocks = question_blocks(text);
    if blocks.len() != questions.len() {
        return vec![format!(
            "{} `[[questions]]` headers but {} questions: write each question as its own \
             `[[questions]]` table",
            blocks.len(),
            questions.len()
        )];
    }
    let mut problems = Vec::new();
    for (number, (question, block)) in questions.iter().zip(blocks).enumerate() {
        let id = question.get("id").and_then(toml::Value::as_str);
        let which = format!("question {} ({})", number + 1, id.unwrap_or("no id"));
        let Some(id) = id else {
            // mdbook-quiz would write a random id into the file on every build.
            problems.push(format!("{which}: give it an `id`"));
            continue;
        };
        if question
            .get("context")
            .and_then(toml::Value::as_str)
            .is_none_or(|context| context.trim().is_empty())
        {
            problems.push(format!(
                "{which}: no `context` explaining the answer and the wrong choices"
            ));
        }
        let checked_by: Vec<&str> = block
            .lines()
            .filter_map(|line| line.trim().strip_prefix(CHECKED_BY))
            .collect();
        match (id.starts_with(ORDERING_ID), checked_by.as_slice()) {
            (false, []) => {}
            (false, _) => problems.push(format!(
                "{which}: names a test but its id does not start with `{ORDERING_ID}`"
            )),
            (true, []) => problems.push(format!(
                "{which}: an ordering question needs a `{CHECKED_BY} {PACKAGE} <target>::<test>` \
                 comment naming the test that backs its answer"
            )),
            (true, lines) => {
                for line in lines {
                    problems.extend(
                        named_tests_problems(line, exists)
                            .into_iter()
                            .map(|problem| format!("{which}: {problem}")),
                    );
                }
            }
        }
    }
    problems
}

/// The text of each `[[questions]]` table, header to the next header.
fn question_blocks(text: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == "[[questions]]" {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| &text[start..starts.get(i + 1).copied().unwrap_or(text.len())])
        .collect()
}

/// " quiz-checks loom::a, litmus::b" -> problems with the named tests.
fn named_tests_problems(line: &str, exists: &dyn Fn(&str, &str) -> bool) -> Vec<String> {
    let Some(list) = line.trim().strip_prefix(PACKAGE) else {
        return vec![format!("`{CHECKED_BY}` must name tests of `{PACKAGE}`")];
    };
    let mut problems = Vec::new();
    for test in list.split(',').map(str::trim) {
        match test.split_once("::") {
            Some((target, name)) if exists(target, name) => {}
            Some(_) => problems.push(format!(
                "`{test}` is not a #[test] in {PACKAGE}/tests/<target>.rs"
            )),
            None => problems.push(format!("`{test}` is not of the form <target>::<test>")),
        }
    }
    problems
}

/// Whether `tests/<target>.rs` has a `#[test]` function `name`.
fn test_exists(tests: &Path, target: &str, name: &str) -> bool {
    let file = tests.join(format!("{target}.rs"));
    std::fs::read_to_string(file).is_ok_and(|source| has_test(&source, name))
}

fn has_test(source: &str, name: &str) -> bool {
    let wanted = format!("fn {name}()");
    let mut marked = false;
    for line in source.lines().map(str::trim) {
        if line == "#[test]" {
            marked = true;
        } else if line.starts_with("fn ") {
            if marked && line.starts_with(&wanted) {
                return true;
            }
            marked = false;
        } else if !line.starts_with("#[") {
            marked = false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "#[test]\n#[cfg_attr(not(miri), ignore)]\nfn backed() {}\n\n\
                          fn helper() {}\n";

    fn exists(target: &str, name: &str) -> bool {
        target == "loom" && has_test(SOURCE, name)
    }

    #[test]
    fn finds_tests_by_their_attribute() {
        assert!(has_test(SOURCE, "backed"));
        assert!(!has_test(SOURCE, "helper"));
        assert!(!has_test(SOURCE, "back"));
    }

    #[test]
    fn ordering_questions_must_name_existing_tests() {
        let quiz = r#"
[[questions]]
id = "plain"
type = "ShortAnswer"
prompt.prompt = "?"
answer.answer = "a"
context = "Because."

[[questions]]
id = "ordering-good"
# checked by: quiz-checks loom::backed
type = "ShortAnswer"
prompt.prompt = "?"
answer.answer = "a"
context = "Because."

[[questions]]
id = "ordering-missing"
# checked by: quiz-checks loom::backed, loom::gone
type = "ShortAnswer"
prompt.prompt = "?"
answer.answer = "a"
context = "Because."

[[questions]]
id = "ordering-unmarked"
type = "ShortAnswer"
prompt.prompt = "?"
answer.answer = "a"
"#;
        assert_eq!(
            quiz_problems(quiz, &exists),
            [
                "question 3 (ordering-missing): `loom::gone` is not a #[test] in \
                 quiz-checks/tests/<target>.rs",
                "question 4 (ordering-unmarked): no `context` explaining the answer and the \
                 wrong choices",
                "question 4 (ordering-unmarked): an ordering question needs a \
                 `# checked by: quiz-checks <target>::<test>` comment naming the test that \
                 backs its answer",
            ]
        );
    }

    #[test]
    fn every_question_needs_an_id() {
        let quiz = "[[questions]]\ntype = \"ShortAnswer\"\ncontext = \"c\"\n";
        assert_eq!(
            quiz_problems(quiz, &exists),
            ["question 1 (no id): give it an `id`"]
        );
    }

    #[test]
    fn the_books_quizzes_have_no_problems() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .parent()
            .unwrap();
        let workbook = Workbook::open_at(root).unwrap();
        assert_eq!(problems(&workbook).unwrap(), Vec::<String>::new());
    }
}
