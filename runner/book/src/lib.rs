//! The Rust Concurrency Workbook's mdBook preprocessor, as a library: what
//! the `workbook-book` binary (run by mdBook through book.toml) does, and the
//! page and schedule readers that the maintainers' checks reuse.
//!
//! - [`book`]: the preprocessor itself: `{{#exercise}}`, `{{#exercises}}`,
//!   `{{#results}}`, `{{#counts}}`, `{{#memory}}`, `{{#ratio}}` and `{{#schedule}}`.
//! - [`card`]: an exercise's card.
//! - [`pages`]: each page's front matter, speaker notes and schedules, before
//!   the directives.
//! - [`audience`]: the learners' book (no speaker notes) or the instructor's.
//! - [`front_matter`]: a page's `minutes`.
//! - [`schedule`] and [`timetable`]: workshop timetables from
//!   book/instructor/schedules.toml; `cut_lines` marks where each session's
//!   optional rows start.
//! - [`summary`]: the pages SUMMARY.md links.
//! - [`results_table`]: the `{{#results}}` tables, with their spread over the
//!   rounds, and the machines compared; [`chart`]: the bar charts under them;
//!   [`ratio`]: `{{#ratio}}`, one comparison in a sentence, and what a claim
//!   about it needs from the results files.
//! - [`format`]: figures and links, shared by the above.

pub mod audience;
pub mod book;
pub mod card;
pub mod chart;
mod cut_lines;
pub mod format;
pub mod front_matter;
pub mod pages;
pub mod ratio;
pub mod results_table;
pub mod schedule;
pub mod summary;
pub mod timetable;
