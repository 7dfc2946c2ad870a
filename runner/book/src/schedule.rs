//! Workshop schedules: `{{#schedule NAME}}` renders the timetable NAME of
//! book/instructor/schedules.toml.
//!
//! That file only chooses and arranges: which days, sessions and breaks, and
//! which chapters, pages and exercises go into each session. Every duration
//! comes from elsewhere: a page's from its front matter ([`crate::front_matter`]),
//! an exercise's working time from exercises/info.toml. The pages come in
//! SUMMARY.md's order and each brings the exercises it hosts, so a new exercise
//! joins every schedule that covers its page. A day it makes too long shows a
//! warning above the timetable and in `mdbook build`'s output, and fails
//! `verify`'s metadata step.
//!
//! The rules a room can keep are built in: day one opens with a setup slot
//! (`cargo workbook preflight` on every laptop, then the how-to-use page), each
//! later day with a recap, and every day ends with a wrap-up; a debrief row
//! follows each exercise; a break of [`SHORTEST_BREAK`] minutes comes into a
//! session wherever it would otherwise run past [`LONGEST_STRETCH`] minutes
//! since the last break (a page and its exercises are never split); and every session
//! that teaches has a cut line before its optional rows ([`crate::cut_lines`]).
//! The minutes of the setup, recaps, wrap-ups and debriefs are the schedule's
//! own, in schedules.toml, like its sessions and breaks.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;

use workbook_core::info_file::{Exercise, InfoFile};

use crate::front_matter;
use crate::summary::{Page, summary_pages};
use crate::timetable::{DayPlan, Row, Timetable, What};
use placer::Placer;

/// Where the schedules live, relative to the workbook's root.
pub const SCHEDULES_FILE: &str = "book/instructor/schedules.toml";

/// The longest stretch without a break: a room needs one at least every 60 to
/// 75 minutes. A session that runs longer gets short breaks put into it.
pub const LONGEST_STRETCH: u32 = 75;

/// The shortest break that counts as one, and the length of a short break.
pub const SHORTEST_BREAK: u32 = 10;

/// The page the setup slot presents once every laptop has run `preflight`.
const SETUP_PAGE: &str = "how-to-use.md";

/// Whether `page` may hold a schedule directive (escaped or not).
pub fn has_directive(page: &str) -> bool {
    page.contains("{{#schedule")
}

/// One schedule of schedules.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Schedule {
    title: String,
    /// Must cover every exercise and every page of every chapter that has minutes.
    #[serde(default)]
    complete: bool,
    /// Minutes at the start of day one for `cargo workbook preflight` on every
    /// laptop; the how-to-use page follows with its own minutes.
    setup: u32,
    /// Minutes at the start of each later day for a recap of the day before.
    #[serde(default)]
    recap: Option<u32>,
    /// Minutes at the end of each day.
    wrap_up: u32,
    /// Minutes of debrief after each exercise; after a side-by-side group,
    /// this much for each table's report.
    debrief: u32,
    day: Vec<Day>,
}

/// A day: its sessions and breaks, and what it covers, which fills the
/// sessions in order, a page and its exercises never split.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Day {
    /// "09:00".
    start: String,
    /// Each session's length in minutes.
    sessions: Vec<u32>,
    /// The breaks between the sessions: one fewer than the sessions.
    #[serde(default)]
    breaks: Vec<u32>,
    /// Chapter folders ("05-locks") and pages ("06-atomics/orderings.md"). A
    /// chapter brings those of its pages that no earlier day or entry covered.
    cover: Vec<String>,
    /// Pages and exercise names to leave out of what `cover` brings.
    #[serde(default)]
    skip: Vec<String>,
    /// Pages and exercise names that a room which is behind skips: marked
    /// optional, after their session's cut line. An optional page's exercises
    /// are optional too, and an optional exercise's debrief.
    #[serde(default)]
    optional: Vec<String>,
    /// Groups of exercises done at the same time, one per table: the group takes
    /// as long as its longest exercise.
    #[serde(default)]
    side_by_side: Vec<Vec<String>>,
}

/// Everything a schedule is built from.
pub struct Context {
    pages: Vec<Page>,
    schedules: BTreeMap<String, Schedule>,
}

impl Context {
    /// Reads SUMMARY.md, the front matter of every page it links, and schedules.toml.
    pub fn load(root: &Path) -> Result<Self> {
        let book = root.join("book");
        let summary = std::fs::read_to_string(book.join("SUMMARY.md"))
            .context("cannot read book/SUMMARY.md")?;
        let mut pages = Vec::new();
        for (title, path) in summary_pages(&summary) {
            let text = std::fs::read_to_string(book.join(&path))
                .with_context(|| format!("cannot read book/{path}"))?;
            let (front, _) =
                front_matter::split(&text).with_context(|| format!("in book/{path}"))?;
            pages.push(Page {
                path,
                title,
                minutes: front.map(|f| f.minutes),
            });
        }
        let file = root.join(SCHEDULES_FILE);
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {SCHEDULES_FILE}"))?;
        Self::parse(pages, &text)
    }

    fn parse(pages: Vec<Page>, schedules: &str) -> Result<Self> {
        let schedules =
            toml::from_str(schedules).with_context(|| format!("in {SCHEDULES_FILE}"))?;
        Ok(Self { pages, schedules })
    }

    /// `content` with every unescaped `{{#schedule NAME}}` replaced by its
    /// timetable, linked from the page at `path` (relative to book/).
    pub fn expand(&self, content: &str, path: &str, info: &InfoFile) -> Result<String> {
        let mut expanded = String::with_capacity(content.len());
        let mut rest = content;
        while let Some(start) = rest.find("{{#schedule") {
            let (before, directive) = rest.split_at(start);
            expanded.push_str(before);
            let Some(length) = directive.find("}}").map(|end| end + 2) else {
                rest = directive;
                break;
            };
            let words: Vec<&str> = directive[3..length - 2].split_whitespace().collect();
            match words.as_slice() {
                _ if before.ends_with('\\') => expanded.push_str(&directive[..length]),
                ["schedule", name] => {
                    let timetable = self.build(name, info).map_err(|problems| {
                        anyhow::anyhow!("schedule '{name}':\n  {}", problems.join("\n  "))
                    })?;
                    // A schedule that does not add up still renders, so that the
                    // book can be read while it is fixed; `verify` fails on it.
                    for problem in &timetable.problems {
                        eprintln!("warning: book/{path}: schedule '{name}': {problem}");
                    }
                    expanded.push_str(&timetable.render(path));
                }
                _ => bail!("`{{{{#schedule <name>}}}}` takes one schedule name"),
            }
            rest = &directive[length..];
        }
        expanded.push_str(rest);
        Ok(expanded)
    }

    /// Every problem of every schedule, one line each, for `verify`.
    pub fn problems(&self, info: &InfoFile) -> Vec<String> {
        self.schedules
            .keys()
            .map(|name| {
                let problems = match self.build(name, info) {
                    Ok(timetable) => timetable.problems,
                    Err(problems) => problems,
                };
                (name, problems)
            })
            .flat_map(|(name, problems)| {
                problems
                    .into_iter()
                    .map(move |problem| format!("{SCHEDULES_FILE}, schedule '{name}': {problem}"))
            })
            .collect()
    }

    /// The timetable of schedule `name`, with its problems (a day that overruns,
    /// an entry that names nothing); an error if there is no such schedule.
    fn build<'a>(&'a self, name: &str, info: &'a InfoFile) -> Result<Timetable<'a>, Vec<String>> {
        let Some(schedule) = self.schedules.get(name) else {
            let known: Vec<&str> = self.schedules.keys().map(String::as_str).collect();
            return Err(vec![format!(
                "no schedule named '{name}' (there are: {})",
                known.join(", ")
            )]);
        };
        let mut builder = Builder {
            context: self,
            info,
            schedule,
            covered: HashSet::new(),
            problems: Vec::new(),
        };
        if schedule.debrief == 0 {
            builder
                .problems
                .push("has `debrief = 0`: every exercise needs a debrief row".to_owned());
        }
        if schedule.day.len() > 1 && schedule.recap.is_none_or(|minutes| minutes == 0) {
            builder.problems.push(
                "has more than one day but no `recap`: every later day starts with one".to_owned(),
            );
        }
        let days = schedule
            .day
            .iter()
            .enumerate()
            .map(|(index, day)| builder.day(index + 1, day))
            .collect();
        let left_out = builder.left_out();
        if schedule.complete && !left_out.is_empty() {
            let names: Vec<String> = left_out.iter().map(|row| row.what.name()).collect();
            builder.problems.push(format!(
                "is marked complete but leaves out {}",
                names.join(", ")
            ));
        }
        Ok(Timetable {
            title: &schedule.title,
            days,
            left_out,
            problems: builder.problems,
        })
    }
}

struct Builder<'a> {
    context: &'a Context,
    info: &'a InfoFile,
    schedule: &'a Schedule,
    /// Pages (by path) and exercises (by name) covered so far.
    covered: HashSet<&'a str>,
    problems: Vec<String>,
}

impl<'a> Builder<'a> {
    fn day(&mut self, number: usize, day: &'a Day) -> DayPlan<'a> {
        let label = format!("day {number}");
        let start = clock(&day.start).unwrap_or_else(|problem| {
            self.problems.push(format!("{label}: {problem}"));
            0
        });
        if day.sessions.is_empty() || day.breaks.len() + 1 != day.sessions.len() {
            self.problems.push(format!(
                "{label} has {} sessions and {} breaks; it needs at least one session, \
                 and one break fewer than sessions",
                day.sessions.len(),
                day.breaks.len()
            ));
            return DayPlan {
                start,
                end: start,
                rows: Vec::new(),
            };
        }
        self.check_breaks(&label, day);
        let mut units = Vec::new();
        if number == 1 {
            units.push(self.setup(&label));
        } else if let Some(minutes) = self.schedule.recap.filter(|&m| m > 0) {
            units.push(vec![Row::new(minutes, What::Recap, false)]);
        }
        units.extend(self.select(&label, day));
        let mut placer = Placer {
            day,
            wrap_up: self.schedule.wrap_up,
            rows: Vec::new(),
            now: start,
            session: 0,
            used: 0,
            since_break: 0,
            stretches: Vec::new(),
        };
        if placer.wrap_up > day.sessions[placer.last()] {
            self.problems.push(format!(
                "{label}: the wrap-up ({} minutes) is longer than the last session",
                placer.wrap_up
            ));
        }
        let mut left_over = Vec::new();
        for unit in units {
            let minutes: u32 = unit.iter().map(|row| row.minutes).sum();
            if minutes > LONGEST_STRETCH {
                self.problems.push(format!(
                    "{label}: {} take {minutes} minutes together, more than \
                     {LONGEST_STRETCH} without a break",
                    unit[0].what.name()
                ));
            }
            if let Err(names) = placer.place(unit) {
                left_over.push(names);
            }
        }
        let (mut rows, now, stretches) = placer.finish();
        if !left_over.is_empty() {
            self.problems.push(format!(
                "{label} overruns: no session has room left for {}; skip something, \
                 move it to another day or lengthen a session",
                left_over.join("; ")
            ));
        }
        for session in stretches {
            self.problems.push(format!(
                "{label}, session {}: it ends more than {LONGEST_STRETCH} minutes after \
                 its last break, with less than {SHORTEST_BREAK} spare minutes to take one; \
                 lengthen it or move something out",
                session + 1
            ));
        }
        for problem in crate::cut_lines::insert(&mut rows) {
            self.problems.push(format!("{label}, {problem}"));
        }
        DayPlan {
            start,
            end: now,
            rows,
        }
    }

    /// No break between sessions shorter than [`SHORTEST_BREAK`].
    fn check_breaks(&mut self, label: &str, day: &Day) {
        for (index, &pause) in day.breaks.iter().enumerate() {
            if pause < SHORTEST_BREAK {
                self.problems.push(format!(
                    "{label}, break {}: {pause} minutes is too short; make it at least \
                     {SHORTEST_BREAK}",
                    index + 1
                ));
            }
        }
    }

    /// Day one's first rows: `preflight` on every laptop, then the how-to-use page.
    fn setup(&mut self, label: &str) -> Vec<Row<'a>> {
        let mut unit = vec![Row::new(self.schedule.setup, What::Setup, false)];
        match self.context.pages.iter().find(|p| p.path == SETUP_PAGE) {
            Some(page) => {
                self.cover(label, &page.path);
                unit.push(Row::new(page.minutes.unwrap_or(0), What::Page(page), false));
            }
            None => self.problems.push(format!(
                "{label}: the setup page {SETUP_PAGE} is not in SUMMARY.md"
            )),
        }
        unit
    }

    /// What a day covers, in order: for each page, the page (if it has minutes)
    /// and the exercises it hosts, each followed by its debrief.
    fn select(&mut self, label: &str, day: &'a Day) -> Vec<Vec<Row<'a>>> {
        let pages = &self.context.pages;
        let debrief = self.schedule.debrief;
        let mut used = HashSet::new();
        let mut grouped: HashMap<&str, usize> = HashMap::new();
        for (index, group) in day.side_by_side.iter().enumerate() {
            for name in group {
                grouped.insert(name.as_str(), index);
            }
        }
        // Each group's exercises, with whether each is optional.
        let mut groups: Vec<Vec<(&'a Exercise, bool)>> = vec![Vec::new(); day.side_by_side.len()];
        let mut units: Vec<Vec<Row<'a>>> = Vec::new();
        // Where each group's row stands: (unit, row, group); its debrief follows it.
        let mut group_rows = Vec::new();
        for entry in &day.cover {
            let chapter = format!("{entry}/");
            let chosen: Vec<&'a Page> = pages
                .iter()
                .filter(|p| p.path == *entry || p.path.starts_with(&chapter))
                .collect();
            if chosen.is_empty() {
                self.problems.push(format!(
                    "{label}: cover entry '{entry}' is neither a chapter folder nor a page in SUMMARY.md"
                ));
            }
            for page in chosen {
                // A chapter brings the pages that no earlier entry covered.
                if page.path != *entry && self.covered.contains(page.path.as_str()) {
                    continue;
                }
                if day.skip.contains(&page.path) {
                    used.insert(page.path.as_str());
                    continue;
                }
                self.cover(label, &page.path);
                let page_optional = day.optional.contains(&page.path);
                if page_optional {
                    used.insert(page.path.as_str());
                }
                let mut unit = Vec::new();
                let minutes = page.minutes.unwrap_or(0);
                if minutes > 0 {
                    unit.push(Row::new(minutes, What::Page(page), page_optional));
                }
                for exercise in self.info.exercises.iter().filter(|e| e.page == page.path) {
                    if day.skip.contains(&exercise.name) {
                        used.insert(exercise.name.as_str());
                        continue;
                    }
                    self.cover(label, &exercise.name);
                    let optional = page_optional || day.optional.contains(&exercise.name);
                    if day.optional.contains(&exercise.name) {
                        used.insert(exercise.name.as_str());
                    }
                    match grouped.get(exercise.name.as_str()) {
                        Some(&index) => {
                            if groups[index].is_empty() {
                                // The group's rows stand where its first exercise
                                // comes, filled in once the whole group is known.
                                group_rows.push((units.len(), unit.len(), index));
                                unit.push(Row::new(0, What::SideBySide(Vec::new()), false));
                                unit.push(Row::new(0, What::Debrief(Vec::new()), false));
                            }
                            groups[index].push((exercise, optional));
                        }
                        None => {
                            unit.push(Row::new(
                                exercise.minutes,
                                What::Exercise(exercise),
                                optional,
                            ));
                            unit.push(Row::new(debrief, What::Debrief(vec![exercise]), optional));
                        }
                    }
                }
                if !unit.is_empty() {
                    units.push(unit);
                }
            }
        }
        for (field, names) in [("skip", &day.skip), ("optional", &day.optional)] {
            for name in names {
                if !used.contains(name.as_str()) {
                    self.problems.push(format!(
                        "{label}: {field} '{name}' matches no page or exercise that the day covers"
                    ));
                }
            }
        }
        for (group, found) in day.side_by_side.iter().zip(&groups) {
            for name in group {
                if !found.iter().any(|(e, _)| e.name == *name) {
                    self.problems.push(format!(
                        "{label}: side_by_side names '{name}', which the day does not cover"
                    ));
                }
            }
        }
        for (unit, row, index) in group_rows {
            let group = std::mem::take(&mut groups[index]);
            let minutes = group.iter().map(|(e, _)| e.minutes).max().unwrap_or(0);
            // Each table reports back: one debrief's minutes per exercise.
            let reports = debrief * u32::try_from(group.len()).unwrap_or(u32::MAX);
            let optional = group.iter().all(|&(_, optional)| optional);
            let exercises: Vec<&'a Exercise> = group.into_iter().map(|(e, _)| e).collect();
            units[unit][row] = Row::new(minutes, What::SideBySide(exercises.clone()), optional);
            units[unit][row + 1] = Row::new(reports, What::Debrief(exercises), optional);
        }
        units
    }

    fn cover(&mut self, label: &str, key: &'a str) {
        if !self.covered.insert(key) {
            self.problems.push(format!(
                "{label}: '{key}' is already covered earlier in the schedule"
            ));
        }
    }

    /// The pages with minutes and the exercises of every chapter that no session covered.
    fn left_out(&self) -> Vec<Row<'a>> {
        let mut rows = Vec::new();
        for page in &self.context.pages {
            let in_a_chapter = self
                .info
                .chapters
                .iter()
                .any(|c| page.path.starts_with(&format!("{}/", c.dir)));
            if !in_a_chapter {
                continue;
            }
            let minutes = page.minutes.unwrap_or(0);
            if minutes > 0 && !self.covered.contains(page.path.as_str()) {
                rows.push(Row::new(minutes, What::Page(page), false));
            }
            for exercise in self.info.exercises.iter().filter(|e| e.page == page.path) {
                if !self.covered.contains(exercise.name.as_str()) {
                    rows.push(Row::new(exercise.minutes, What::Exercise(exercise), false));
                }
            }
        }
        rows
    }
}

/// "09:30" as minutes since midnight.
fn clock(text: &str) -> Result<u32, String> {
    let parsed = text
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
        .filter(|&(h, m)| h < 24 && m < 60 && text.len() == 5);
    parsed
        .map(|(h, m)| h * 60 + m)
        .ok_or_else(|| format!("'{text}' is not a time like \"09:30\""))
}

mod placer;
#[cfg(test)]
mod real_schedules;
#[cfg(test)]
mod tests;
