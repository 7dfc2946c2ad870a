//! The Rust Concurrency Workbook's mdBook preprocessor, as a library: what
//! the `workbook-book` binary (run by mdBook through book.toml) does, and the
//! page and schedule readers that the maintainers' checks reuse.
//!
//! - [`book`]: the preprocessor itself: `{{#exercise}}`, `{{#exercises}}`,
//!   `{{#results}}`, `{{#counts}}`, `{{#memory}}` and `{{#schedule}}`.
//! - [`card`]: an exercise's card.
//! - [`pages`]: each page's front matter and schedules, before the directives.
//! - [`front_matter`]: a page's `minutes`.
//! - [`schedule`] and [`timetable`]: workshop timetables from
//!   book/instructor/schedules.toml.
//! - [`summary`]: the pages SUMMARY.md links.
//! - [`chart`]: the bar charts under results tables.
//! - [`format`]: figures and links, shared by the above.

pub mod book;
pub mod card;
pub mod chart;
pub mod format;
pub mod front_matter;
pub mod pages;
pub mod schedule;
pub mod summary;
pub mod timetable;
