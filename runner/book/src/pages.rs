//! Every page of the book on its way through the preprocessor: its front
//! matter ([`crate::front_matter`]) taken off and written into its speaker
//! notes' summary, and its `{{#schedule NAME}}` expanded ([`crate::schedule`]).

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;
use workbook_core::info_file::InfoFile;

use crate::front_matter::{FrontMatter, SPEAKER_NOTES, speaker_notes_summary, split};
use crate::schedule;

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
    fn prepares_every_chapter_of_the_book() {
        let info = InfoFile::parse(workbook_core::info_file::SAMPLE).unwrap();
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
        let info = InfoFile::parse(workbook_core::info_file::SAMPLE).unwrap();
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
