//! Who the book is built for. The learners' book, the default, has no speaker
//! notes: they give answers away mid-exercise. The instructor's book keeps them.
//!
//! The instructor's build sets `instructor = true` in the preprocessor's table,
//! either in book.toml (`[preprocessor.workbook]`) or, as `cargo workbook serve
//! --instructor` does, through mdBook's configuration override
//! `MDBOOK_PREPROCESSOR__WORKBOOK__INSTRUCTOR=true`, which mdBook reads into
//! the same table and hands to the preprocessor in its context.

use anyhow::{Result, bail};
use serde_json::Value;
use workbook_core::tools::INSTRUCTOR_ENV;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The default: no speaker notes.
    Learners,
    /// Speaker notes kept, their summary line carrying the minutes.
    Instructor,
}

impl Audience {
    /// Reads `config.preprocessor.workbook.instructor` from mdBook's context.
    /// Anything but a missing key, `true` or `false` is an error, so that a
    /// mistyped setting cannot quietly give learners the notes, or the
    /// instructor none.
    pub fn from_context(context: &Value) -> Result<Self> {
        match &context["config"]["preprocessor"]["workbook"]["instructor"] {
            Value::Null | Value::Bool(false) => Ok(Self::Learners),
            Value::Bool(true) => Ok(Self::Instructor),
            other => bail!(
                "`preprocessor.workbook.instructor` (or {INSTRUCTOR_ENV}) is {other}; \
                 write true or false"
            ),
        }
    }
}

/// `page` without its speaker-notes blocks: from the `<details>` line before a
/// `<summary>Speaker notes` line to the `</details>` that closes it, with a
/// blank line that would be left doubled. Text inside fenced code blocks (a
/// page that shows how notes are written) is left alone.
pub fn without_speaker_notes(page: &str) -> String {
    let lines: Vec<&str> = page.split_inclusive('\n').collect();
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    let mut fence: Option<&str> = None;
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim();
        if let Some(open) = fence {
            if line.starts_with(open) {
                fence = None;
            }
        } else if line.starts_with("```") || line.starts_with("~~~") {
            fence = Some(&line[..3]);
        } else if line == "<details>"
            && lines
                .get(index + 1)
                .is_some_and(|next| next.trim().starts_with("<summary>Speaker notes"))
        {
            index = block_end(&lines, index);
            let blank = |line: Option<&&str>| line.is_none_or(|l| l.trim().is_empty());
            if blank(kept.last()) && blank(lines.get(index)) {
                index += 1;
            }
            continue;
        }
        kept.push(lines[index]);
        index += 1;
    }
    kept.concat()
}

/// The index of the line after the `</details>` that closes the block opened at
/// `start` (nested `<details>` counted), or the end of the page.
fn block_end(lines: &[&str], start: usize) -> usize {
    let mut depth = 0usize;
    for (index, line) in lines.iter().enumerate().skip(start) {
        depth += line.matches("<details").count();
        depth = depth.saturating_sub(line.matches("</details>").count());
        if depth == 0 {
            return index + 1;
        }
    }
    lines.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_audience_from_mdbooks_context() {
        let context = |instructor: &str| -> Value {
            serde_json::from_str(&format!(
                r#"{{"root":"/b","config":{{"preprocessor":{{"workbook":{{"command":"x"{instructor}}}}}}}}}"#
            ))
            .unwrap()
        };
        assert_eq!(
            Audience::from_context(&context("")).unwrap(),
            Audience::Learners
        );
        let instructor = context(r#","instructor":true"#);
        assert_eq!(
            Audience::from_context(&instructor).unwrap(),
            Audience::Instructor
        );
        let learners = context(r#","instructor":false"#);
        assert_eq!(
            Audience::from_context(&learners).unwrap(),
            Audience::Learners
        );
        let typo = context(r#","instructor":"yes""#);
        let error = Audience::from_context(&typo).unwrap_err().to_string();
        assert!(error.contains("write true or false"), "{error}");
        assert_eq!(
            Audience::from_context(&serde_json::json!({})).unwrap(),
            Audience::Learners
        );
    }

    #[test]
    fn takes_the_notes_out_and_leaves_the_rest() {
        let page = "# Page\n\nText.\n\n<details>\n<summary>Speaker notes</summary>\n\n\
                    Notes with an <details><summary>inner</summary>x</details> block.\n\n\
                    </details>\n\n## Quiz\n";
        assert_eq!(without_speaker_notes(page), "# Page\n\nText.\n\n## Quiz\n");
        let at_the_end = "# Page\n\n<details>\n<summary>Speaker notes (5 minutes)</summary>\n\
                          x\n</details>\n";
        assert_eq!(without_speaker_notes(at_the_end), "# Page\n\n");
        let answers = "<details>\n<summary>Answer</summary>\n\nYes.\n</details>\n";
        assert_eq!(without_speaker_notes(answers), answers);
        let shown = "```text\n<details>\n<summary>Speaker notes</summary>\n</details>\n```\n";
        assert_eq!(without_speaker_notes(shown), shown);
    }
}
