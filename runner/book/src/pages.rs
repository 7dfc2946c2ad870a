//! Every page of the book on its way through the preprocessor: its front
//! matter ([`crate::front_matter`]) taken off, its speaker notes taken out of
//! the learners' book or, in the instructor's, their summary given the minutes
//! ([`crate::audience`]), and its `{{#schedule NAME}}` expanded ([`crate::schedule`]).

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;
use workbook_core::info_file::InfoFile;

use crate::audience::{Audience, without_speaker_notes};
use crate::front_matter::{FrontMatter, SPEAKER_NOTES, speaker_notes_summary, split};
use crate::schedule;

/// Each page's content with its front matter taken off, its speaker notes
/// taken out for learners or their summary filled in for the instructor, and
/// `{{#schedule NAME}}` expanded (see [`schedule`]).
/// Pages without front matter pass through with a warning, which `verify`'s
/// book step counts as a failure; front matter that does not parse fails the build.
pub fn prepare_book(
    book: &mut Value,
    info: &InfoFile,
    root: &Path,
    audience: Audience,
) -> Result<()> {
    let mut schedules = None;
    let mut prepare = |content: &str, path: &str| -> Result<Option<String>> {
        let (front, body) = split(content)?;
        let mut page = body.to_owned();
        match (front, audience) {
            (_, Audience::Learners) => page = without_speaker_notes(&page),
            (Some(FrontMatter { minutes }), Audience::Instructor) => {
                let work: Vec<u32> = info
                    .exercises
                    .iter()
                    .filter(|e| e.page == path)
                    .map(|e| e.minutes)
                    .collect();
                page = page.replacen(SPEAKER_NOTES, &speaker_notes_summary(minutes, &work), 1);
            }
            (None, Audience::Instructor) => {}
        }
        if front.is_none() {
            eprintln!(
                "warning: book/{path} has no front matter \
                 (start it with `---`, `minutes: N`, `---`; see contributing.md)"
            );
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

    const BOOK: &str = r#"{"items":[{"Chapter":{"name":"Ring","content":"---\nminutes: 15\n---\n\n# Ring\n\n<details>\n<summary>Speaker notes</summary>\n\nx\n</details>\n",
        "path":"04-send-sync/racy-ring.md","sub_items":[{"Chapter":{"name":"Sub",
        "content":"---\nminutes: 5\n---\n# Sub\n<summary>Speaker notes</summary>","path":"04-send-sync/sub.md","sub_items":[]}}]}},
        {"Chapter":{"name":"Draft","content":"","path":null}}]}"#;

    fn prepared(audience: Audience) -> Value {
        let info = InfoFile::parse(workbook_core::info_file::SAMPLE).unwrap();
        let mut book: Value = serde_json::from_str(BOOK).unwrap();
        prepare_book(&mut book, &info, Path::new("/nowhere"), audience).unwrap();
        book
    }

    #[test]
    fn prepares_every_chapter_of_the_instructors_book() {
        let book = prepared(Audience::Instructor);
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
    fn the_learners_book_has_no_speaker_notes() {
        let book = prepared(Audience::Learners);
        let ring = book["items"][0]["Chapter"]["content"].as_str().unwrap();
        assert_eq!(ring, "# Ring\n\n");
    }

    /// The semaphore page of the real book, as each audience's build gets it.
    #[test]
    fn a_real_pages_notes_are_in_the_instructors_book_only() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let info = InfoFile::load(&root).unwrap();
        let path = "05-locks/semaphore.md";
        let source = std::fs::read_to_string(root.join("book").join(path)).unwrap();
        let (front, body) = split(&source).unwrap();
        let work = info.find("semaphore").unwrap().minutes;
        let summary = speaker_notes_summary(front.unwrap().minutes, &[work]);
        let notes_start = body.find("<details>\n<summary>Speaker notes").unwrap();
        let notes = &body[notes_start..];
        let page = |audience| {
            let mut book = serde_json::json!({"items": [{"Chapter":
                {"name": "Semaphore", "content": source, "path": path}}]});
            prepare_book(&mut book, &info, &root, audience).unwrap();
            book["items"][0]["Chapter"]["content"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let learners = page(Audience::Learners);
        assert!(!learners.contains("Speaker notes"), "{learners}");
        assert_eq!(learners.trim_end(), body[..notes_start].trim_end());
        assert!(learners.contains("{{#exercise semaphore}}"));
        let instructor = page(Audience::Instructor);
        assert_eq!(&instructor[..notes_start], &body[..notes_start]);
        assert_eq!(
            instructor[notes_start..],
            notes.replacen(SPEAKER_NOTES, &summary, 1)
        );
    }

    #[test]
    fn names_the_page_whose_front_matter_is_wrong() {
        let info = InfoFile::parse(workbook_core::info_file::SAMPLE).unwrap();
        let mut book: Value = serde_json::from_str(
            r#"{"Chapter":{"content":"---\nmins: 1\n---\n","path":"a/b.md"}}"#,
        )
        .unwrap();
        let error =
            prepare_book(&mut book, &info, Path::new("/nowhere"), Audience::Learners).unwrap_err();
        assert!(
            format!("{error:#}").starts_with("in book/a/b.md: unknown"),
            "{error:#}"
        );
    }
}
