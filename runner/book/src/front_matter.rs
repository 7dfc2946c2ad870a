//! Page front matter: every book page starts with
//!
//! ```text
//! ---
//! minutes: 10
//! ---
//! ```
//!
//! `minutes` is the page's teaching time in a workshop: presenting it, and
//! introducing the exercises it hosts (their debriefs are rows of their own,
//! whose length each schedule sets). The learners' working time
//! on an exercise is the exercise's own `minutes` in exercises/info.toml. A page
//! with `minutes: 0` is for reading, not presenting (further reading, a list).
//!
//! The preprocessor ([`crate::pages`]) strips the block for every renderer and
//! writes the minutes into the page's `<summary>Speaker notes</summary>`; the
//! schedules ([`crate::schedule`]) add them up; `verify` checks every page has
//! them.

use anyhow::{Context, Result, bail};

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
}
