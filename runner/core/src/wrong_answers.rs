//! `solutions/<dir>/wrong-answers.toml`: the mistakes learners really make in
//! an exercise, each a small edit of its solution and the tier that must catch
//! it. `verify` proves every one caught; the book's exercise card lists them,
//! so a learner knows what "verified" rules out.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::info_file::{Exercise, Tier};

/// The file's name, beside the solution's Cargo.toml.
pub const FILE_NAME: &str = "wrong-answers.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrongAnswersFile {
    #[serde(default)]
    wrong: Vec<WrongAnswer>,
}

/// One realistic mistake.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongAnswer {
    /// Kebab-case, unique within the exercise.
    pub name: String,
    /// One line for the learner: what the mistake is.
    pub mistake: String,
    /// The tier that fails on it, on every run.
    pub caught_by: Tier,
    /// Runs only the tests whose names contain this (as `cargo test <filter>`
    /// does): the ones that catch the mistake, when the tier's whole suite is
    /// slow (Miri's, above all).
    #[serde(default)]
    pub filter: Option<String>,
    #[serde(rename = "edit")]
    pub edits: Vec<Edit>,
}

/// Replace the one occurrence of `find` in `file` by `replace`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// Relative to the solution crate's folder.
    pub file: String,
    pub find: String,
    pub replace: String,
}

impl Edit {
    /// `text` with the edit made; an error unless `find` occurs exactly once,
    /// so that a solution that has moved on cannot silently stop being edited.
    pub fn apply(&self, text: &str) -> Result<String> {
        match text.matches(&self.find).count() {
            1 => Ok(text.replacen(&self.find, &self.replace, 1)),
            0 => bail!("{}: the text to replace is not there", self.file),
            n => bail!(
                "{}: the text to replace occurs {n} times; make it unique",
                self.file
            ),
        }
    }
}

/// The exercise's wrong answers; none if its solution has no file.
pub fn load(root: &Path, exercise: &Exercise) -> Result<Vec<WrongAnswer>> {
    let path = exercise.solution_dir(root).join(FILE_NAME);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    parse(&text, exercise).with_context(|| format!("in {}", path.display()))
}

fn parse(text: &str, exercise: &Exercise) -> Result<Vec<WrongAnswer>> {
    let file: WrongAnswersFile = toml::from_str(text)?;
    let mut names = HashSet::new();
    for wrong in &file.wrong {
        let name = &wrong.name;
        if !names.insert(name.as_str()) {
            bail!("two wrong answers are named '{name}'");
        }
        if !exercise.tiers.contains(&wrong.caught_by) {
            bail!(
                "wrong answer '{name}': caught_by names tier \"{}\", which the exercise does not have",
                wrong.caught_by
            );
        }
        if wrong.edits.is_empty() {
            bail!("wrong answer '{name}' has no [[wrong.edit]]");
        }
        if wrong.mistake.contains('\n') {
            bail!("wrong answer '{name}': the mistake must be one line");
        }
    }
    Ok(file.wrong)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::info_file::{InfoFile, SAMPLE};

    const FILE: &str = r#"
        [[wrong]]
        name = "relaxed-publish"
        mistake = "Publishes the slot with a Relaxed store."
        caught_by = "loom"
        [[wrong.edit]]
        file = "src/lib.rs"
        find = "Ordering::Release"
        replace = "Ordering::Relaxed"
    "#;

    #[test]
    fn parses_and_checks_the_tier() {
        let info = InfoFile::parse(SAMPLE).unwrap();
        let ring = info.find("racy-ring").unwrap();
        let wrong = parse(FILE, ring).unwrap();
        assert_eq!(wrong[0].caught_by, Tier::Loom);
        assert_eq!(wrong[0].edits[0].file, "src/lib.rs");
        let bounds = info.find("thread-bounds").unwrap();
        let error = parse(FILE, bounds).unwrap_err().to_string();
        assert!(error.contains("does not have"), "{error}");
    }

    #[test]
    fn an_edit_must_match_exactly_once() {
        let edit = Edit {
            file: "src/lib.rs".into(),
            find: "a".into(),
            replace: "b".into(),
        };
        assert_eq!(edit.apply("xay").unwrap(), "xby");
        assert!(
            edit.apply("xy")
                .unwrap_err()
                .to_string()
                .contains("not there")
        );
        assert!(
            edit.apply("aa")
                .unwrap_err()
                .to_string()
                .contains("2 times")
        );
    }
}
