//! Page front matter: every book page starts with
//!
//! ```text
//! ---
//! minutes: 10
//! ---
//! ```
//!
//! `minutes` is the page's teaching time in a workshop: presenting it, and
//! introducing and debriefing the exercises it hosts. The learners' working time
//! on an exercise is the exercise's own `minutes` in exercises/info.toml. A page
//! with `minutes: 0` is for reading, not presenting (further reading, a list).
//!
//! The preprocessor strips the block for every renderer and writes the minutes
//! into the page's `<summary>Speaker notes</summary>`; the schedules
//! ([`crate::schedule`]) add them up; `verify` checks every page has them.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::info_file::InfoFile;
use crate::schedule;

/// What a page's front matter says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrontMatter {
    pub minutes: u32,
}

/// The summary line of a page's speaker notes, as written in the source.
pub const SPEAKER_NOTES: &str = "<summary>Speaker notes</summary>";

/// Splits `page` into its front matter, if it starts with one, and the text after
/// it (without the blank lines that follow the block).
pub fn split(page: &str) -> Result<(Option<FrontMatter>, &str)> {
    let Some(block) = page
        .strip_prefix("---\n")
        .or_else(|| page.strip_prefix("---\r\n"))
    else {
        return Ok((None, page));
    };
    let mut offset = 0;
    let mut closed = None;
    for line in block.split_inclusive('\n') {
        if line.trim_end() == "---" {
            closed = Some((&block[..offset], &block[offset + line.len()..]));
            break;
        }
        offset += line.len();
    }
    let Some((inside, after)) = closed else {
        bail!("the front matter has no closing `---` line");
    };
    let mut minutes = None;
    for line in inside.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((key, value)) = line.split_once(':') else {
            bail!("front matter line `{line}` is not `key: value`");
        };
        match key.trim() {
            "minutes" if minutes.is_some() => bail!("the front matter gives `minutes` twice"),
            "minutes" => {
                let value = value.trim();
                minutes = Some(value.parse::<u32>().with_context(|| {
                    format!("front matter `minutes: {value}` is not a whole number of minutes")
                })?);
            }
            other => bail!("unknown front matter key `{other}` (the only one is `minutes`)"),
        }
    }
    let minutes = minutes.context("the front matter has no `minutes: N` line")?;
    let body = after.trim_start_matches(['\n', '\r']);
    Ok((Some(FrontMatter { minutes }), body))
}

/// The summary line the reader sees: the page's minutes, and the working time of
/// the exercises it hosts. A page with neither keeps the plain line.
pub fn speaker_notes_summary(minutes: u32, exercise_minutes: &[u32]) -> String {
    let work: u32 = exercise_minutes.iter().sum();
    let time = match exercise_minutes.len() {
        0 if minutes == 0 => return SPEAKER_NOTES.to_owned(),
        0 => format!("{minutes} minutes"),
        1 => format!("{minutes} minutes, plus {work} of work on the exercise"),
        n => format!("{minutes} minutes, plus {work} of work on the {n} exercises"),
    };
    format!("<summary>Speaker notes ({time})</summary>")
}

/// Each page's content with its front matter taken off and its speaker notes'
/// summary filled in, and `{{#schedule NAME}}` expanded (see [`schedule`]).
/// Pages without front matter pass through with a warning, which `verify`'s
/// book step counts as a failure; front matter that does not parse fails the build.
pub fn prepare_book(book: &mut Value, info: &InfoFile, root: &Path) -> Result<()> {
    let mut schedules = None;
    let mut prepare = |content: &str, path: &str| -> Result<Option<String>> {
        let (front, body) = split(content)?;
        let mut page = body.to_owned();
        match front {
            Some(FrontMatter { minutes }) => {
                let work: Vec<u32> = info
                    .exercises
                    .iter()
                    .filter(|e| e.page == path)
                    .map(|e| e.minutes)
                    .collect();
                page = page.replacen(SPEAKER_NOTES, &speaker_notes_summary(minutes, &work), 1);
            }
            None => eprintln!(
                "warning: book/{path} has no front matter \
                 (start it with `---`, `minutes: N`, `---`; see contributing.md)"
            ),
        }
        if schedule::has_directive(&page) {
            let context = match &schedules {
                Some(context) => context,
                None => schedules.insert(schedule::Context::load(root)?),
            };
            page = context.expand(&page, path, info)?;
        }
        Ok((page != content).then_some(page))
    };
    walk(book, &mut prepare)
}

/// Calls `prepare` on every chapter (an object with a string "content" and a
/// "path") at any depth, and stores what it returns as the new content.
fn walk(
    value: &mut Value,
    prepare: &mut impl FnMut(&str, &str) -> Result<Option<String>>,
) -> Result<()> {
    match value {
        Value::Object(object) => {
            if let (Some(Value::String(content)), Some(Value::String(path))) =
                (object.get("content"), object.get("path"))
            {
                let new = prepare(content, path).with_context(|| format!("in book/{path}"))?;
                if let Some(new) = new {
                    object.insert("content".to_owned(), Value::String(new));
                }
            }
            object
                .values_mut()
                .try_for_each(|child| walk(child, prepare))
        }
        Value::Array(items) => items.iter_mut().try_for_each(|item| walk(item, prepare)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_front_matter_from_the_page() {
        let (front, body) = split("---\nminutes: 10\n---\n\n# Title\n").unwrap();
        assert_eq!(front, Some(FrontMatter { minutes: 10 }));
        assert_eq!(body, "# Title\n");
        let (front, body) = split("---\r\nminutes: 0\r\n---\r\n# T").unwrap();
        assert_eq!(front, Some(FrontMatter { minutes: 0 }));
        assert_eq!(body, "# T");
        assert_eq!(
            split("# No front matter\n").unwrap(),
            (None, "# No front matter\n")
        );
        // A rule further down is not front matter.
        assert_eq!(split("# T\n---\n").unwrap().0, None);
    }

    #[test]
    fn rejects_front_matter_it_cannot_read() {
        let error = |text: &str| split(text).unwrap_err().to_string();
        assert!(error("---\nminutes: 10\n# Title").contains("no closing"));
        assert!(error("---\nminutes: ten\n---\n").contains("not a whole number"));
        assert!(error("---\nminutes: -5\n---\n").contains("not a whole number"));
        assert!(error("---\nminute: 5\n---\n").contains("unknown front matter key `minute`"));
        assert!(error("---\n---\n").contains("no `minutes"));
        assert!(error("---\nminutes: 1\nminutes: 2\n---\n").contains("twice"));
        assert!(error("---\nminutes\n---\n").contains("not `key: value`"));
    }

    #[test]
    fn writes_the_minutes_into_the_summary() {
        assert_eq!(
            speaker_notes_summary(10, &[]),
            "<summary>Speaker notes (10 minutes)</summary>"
        );
        assert_eq!(
            speaker_notes_summary(15, &[30]),
            "<summary>Speaker notes (15 minutes, plus 30 of work on the exercise)</summary>"
        );
        assert_eq!(
            speaker_notes_summary(10, &[35, 25, 20]),
            "<summary>Speaker notes (10 minutes, plus 80 of work on the 3 exercises)</summary>"
        );
        assert_eq!(speaker_notes_summary(0, &[]), SPEAKER_NOTES);
    }

    #[test]
    fn prepares_every_chapter_of_the_book() {
        let info = InfoFile::parse(crate::info_file::SAMPLE).unwrap();
        let mut book: Value = serde_json::from_str(
            r#"{"items":[{"Chapter":{"name":"Ring","content":"---\nminutes: 15\n---\n\n# Ring\n\n<details>\n<summary>Speaker notes</summary>\n\nx\n</details>\n",
            "path":"04-send-sync/racy-ring.md","sub_items":[{"Chapter":{"name":"Sub",
            "content":"---\nminutes: 5\n---\n# Sub\n<summary>Speaker notes</summary>","path":"04-send-sync/sub.md","sub_items":[]}}]}},
            {"Chapter":{"name":"Draft","content":"","path":null}}]}"#,
        )
        .unwrap();
        prepare_book(&mut book, &info, Path::new("/nowhere")).unwrap();
        let ring = book["items"][0]["Chapter"]["content"].as_str().unwrap();
        assert_eq!(
            ring,
            "# Ring\n\n<details>\n<summary>Speaker notes (15 minutes, plus 45 of work on the \
             exercise)</summary>\n\nx\n</details>\n"
        );
        let sub = &book["items"][0]["Chapter"]["sub_items"][0]["Chapter"]["content"];
        assert_eq!(sub, "# Sub\n<summary>Speaker notes (5 minutes)</summary>");
    }

    #[test]
    fn names_the_page_whose_front_matter_is_wrong() {
        let info = InfoFile::parse(crate::info_file::SAMPLE).unwrap();
        let mut book: Value = serde_json::from_str(
            r#"{"Chapter":{"content":"---\nmins: 1\n---\n","path":"a/b.md"}}"#,
        )
        .unwrap();
        let error = prepare_book(&mut book, &info, Path::new("/nowhere")).unwrap_err();
        assert!(
            format!("{error:#}").starts_with("in book/a/b.md: unknown"),
            "{error:#}"
        );
    }
}
