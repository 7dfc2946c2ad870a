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

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use serde::Deserialize;

use workbook_core::info_file::{Exercise, InfoFile};

use crate::front_matter;
use crate::summary::{Page, summary_pages};
use crate::timetable::{DayPlan, Row, Timetable, What};

/// Where the schedules live, relative to the workbook's root.
pub const SCHEDULES_FILE: &str = "book/instructor/schedules.toml";

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
            covered: HashSet::new(),
            problems: Vec::new(),
        };
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
        let units = self.select(&label, day);
        let mut rows = Vec::new();
        let mut now = start;
        let mut session = 0;
        let mut used = 0;
        let mut left_over = Vec::new();
        for unit in units {
            let minutes: u32 = unit.iter().map(|(minutes, _)| minutes).sum();
            // A page and its exercises go to the first session with room for them.
            while used + minutes > day.sessions[session] && session + 1 < day.sessions.len() {
                now = close_session(
                    &mut rows,
                    now,
                    day.sessions[session] - used,
                    day.breaks[session],
                );
                session += 1;
                used = 0;
            }
            if used + minutes > day.sessions[session] {
                let names: Vec<String> = unit
                    .iter()
                    .map(|(m, what)| format!("{} {m}", what.name()))
                    .collect();
                left_over.push(names.join(", "));
                continue;
            }
            for (minutes, what) in unit {
                rows.push(Row {
                    start: now,
                    minutes,
                    what,
                });
                now += minutes;
            }
            used += minutes;
        }
        now = close_session(&mut rows, now, day.sessions[session] - used, 0);
        for (&length, &pause) in day.sessions[session + 1..]
            .iter()
            .zip(&day.breaks[session..])
        {
            now = close_session(&mut rows, now, 0, pause);
            now = close_session(&mut rows, now, length, 0);
        }
        if !left_over.is_empty() {
            self.problems.push(format!(
                "{label} overruns: no session has room left for {}; skip something, \
                 move it to another day or lengthen a session",
                left_over.join("; ")
            ));
        }
        DayPlan {
            start,
            end: now,
            rows,
        }
    }

    /// What a day covers, in order: for each page, the page (if it has minutes)
    /// and the exercises it hosts.
    fn select(&mut self, label: &str, day: &'a Day) -> Vec<Vec<(u32, What<'a>)>> {
        let pages = &self.context.pages;
        let mut used_skips = HashSet::new();
        let mut grouped: HashMap<&str, usize> = HashMap::new();
        for (index, group) in day.side_by_side.iter().enumerate() {
            for name in group {
                grouped.insert(name.as_str(), index);
            }
        }
        let mut groups: Vec<Vec<&'a Exercise>> = vec![Vec::new(); day.side_by_side.len()];
        let mut units: Vec<Vec<(u32, What<'a>)>> = Vec::new();
        // Where each group's row stands: (unit, row, group).
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
                    used_skips.insert(page.path.as_str());
                    continue;
                }
                self.cover(label, &page.path);
                let mut unit = Vec::new();
                let minutes = page.minutes.unwrap_or(0);
                if minutes > 0 {
                    unit.push((minutes, What::Page(page)));
                }
                for exercise in self.info.exercises.iter().filter(|e| e.page == page.path) {
                    if day.skip.contains(&exercise.name) {
                        used_skips.insert(exercise.name.as_str());
                        continue;
                    }
                    self.cover(label, &exercise.name);
                    match grouped.get(exercise.name.as_str()) {
                        Some(&index) => {
                            if groups[index].is_empty() {
                                // The group's row stands where its first exercise
                                // comes, filled in once the whole group is known.
                                group_rows.push((units.len(), unit.len(), index));
                                unit.push((0, What::SideBySide(Vec::new())));
                            }
                            groups[index].push(exercise);
                        }
                        None => unit.push((exercise.minutes, What::Exercise(exercise))),
                    }
                }
                if !unit.is_empty() {
                    units.push(unit);
                }
            }
        }
        for skip in &day.skip {
            if !used_skips.contains(skip.as_str()) {
                self.problems.push(format!(
                    "{label}: skip '{skip}' matches no page or exercise that the day covers"
                ));
            }
        }
        for (group, found) in day.side_by_side.iter().zip(&groups) {
            for name in group {
                if !found.iter().any(|e| e.name == *name) {
                    self.problems.push(format!(
                        "{label}: side_by_side names '{name}', which the day does not cover"
                    ));
                }
            }
        }
        for (unit, row, index) in group_rows {
            let group = std::mem::take(&mut groups[index]);
            let minutes = group.iter().map(|e| e.minutes).max().unwrap_or(0);
            units[unit][row] = (minutes, What::SideBySide(group));
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
                rows.push(Row {
                    start: 0,
                    minutes,
                    what: What::Page(page),
                });
            }
            for exercise in self.info.exercises.iter().filter(|e| e.page == page.path) {
                if !self.covered.contains(exercise.name.as_str()) {
                    rows.push(Row {
                        start: 0,
                        minutes: exercise.minutes,
                        what: What::Exercise(exercise),
                    });
                }
            }
        }
        rows
    }
}

/// Ends a session with its spare minutes and the break after it; the time after both.
fn close_session(rows: &mut Vec<Row>, now: u32, spare: u32, pause: u32) -> u32 {
    if spare > 0 {
        rows.push(Row {
            start: now,
            minutes: spare,
            what: What::Spare,
        });
    }
    if pause > 0 {
        rows.push(Row {
            start: now + spare,
            minutes: pause,
            what: What::Break,
        });
    }
    now + spare + pause
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

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: &str = r#"
        [[chapter]]
        dir = "01-machine"
        title = "The machine"
        page = "01-machine/index.md"
        [[chapter]]
        dir = "05-locks"
        title = "Locks"
        page = "05-locks/index.md"

        [[exercise]]
        name = "false-sharing"
        dir = "01-machine/01-false-sharing"
        page = "01-machine/false-sharing.md"
        minutes = 15
        tiers = ["test"]
        edit = ["src/lib.rs"]
        hints = ["h"]

        [[exercise]]
        name = "rope-bridge"
        dir = "05-locks/02-rope-bridge"
        page = "05-locks/puzzles.md"
        minutes = 35
        tiers = ["test"]
        edit = ["src/lib.rs"]
        hints = ["h"]

        [[exercise]]
        name = "philosophers"
        dir = "05-locks/04-philosophers"
        page = "05-locks/puzzles.md"
        minutes = 20
        tiers = ["test"]
        edit = ["src/lib.rs"]
        hints = ["h"]
    "#;

    fn pages() -> Vec<Page> {
        [
            ("Introduction", "introduction.md", Some(5)),
            ("The machine", "01-machine/index.md", Some(5)),
            ("Caches", "01-machine/caches.md", Some(20)),
            (
                "Exercise: false sharing",
                "01-machine/false-sharing.md",
                Some(10),
            ),
            ("Further reading", "01-machine/further-reading.md", Some(0)),
            ("Locks", "05-locks/index.md", Some(5)),
            ("Puzzles", "05-locks/puzzles.md", Some(10)),
            ("Draft", "05-locks/draft.md", None),
        ]
        .into_iter()
        .map(|(title, path, minutes)| Page {
            path: path.into(),
            title: title.into(),
            minutes,
        })
        .collect()
    }

    fn timetable(schedules: &str, name: &str) -> Result<String, Vec<String>> {
        let info = InfoFile::parse(INFO).unwrap();
        let context = Context::parse(pages(), schedules).unwrap();
        let timetable = context.build(name, &info)?;
        if timetable.problems.is_empty() {
            Ok(timetable.render("instructor/schedules.md"))
        } else {
            Err(timetable.problems)
        }
    }

    const TWO_DAYS: &str = r#"
        [short]
        title = "Short course"
        complete = true
        [[short.day]]
        start = "09:00"
        sessions = [55, 10]
        breaks = [15]
        cover = ["introduction.md", "01-machine", "05-locks/index.md"]
        [[short.day]]
        start = "13:30"
        sessions = [50]
        cover = ["05-locks/puzzles.md"]
        side_by_side = [["rope-bridge", "philosophers"]]
    "#;

    #[test]
    fn fills_each_days_sessions_in_order() {
        let text = timetable(TWO_DAYS, "short").unwrap();
        let day_1 = "### Day 1: 09:00 to 10:20\n\n\
            | Time | Minutes | Chapter | What |\n|---|--:|--:|---|\n\
            | 09:00 | 5 |  | [Introduction](../introduction.md) |\n\
            | 09:05 | 5 | 1 | [The machine](../01-machine/index.md) |\n\
            | 09:10 | 20 | 1 | [Caches](../01-machine/caches.md) |\n\
            | 09:30 | 10 | 1 | [Exercise: false sharing](../01-machine/false-sharing.md) |\n\
            | 09:40 | 15 | 1 | Learners work on [`false-sharing`](../01-machine/false-sharing.md) |\n\
            | 09:55 | 15 |  | **Break** |\n\
            | 10:10 | 5 | 5 | [Locks](../05-locks/index.md) |\n\
            | 10:15 | 5 |  | *Spare: questions, catching up* |\n\n";
        assert!(text.starts_with(day_1), "{text}");
        assert!(
            text.contains(
                "### Day 2: 13:30 to 14:20\n\n| Time | Minutes | Chapter | What |\n|---|--:|--:|---|\n\
                 | 13:30 | 10 | 5 | [Puzzles](../05-locks/puzzles.md) |\n\
                 | 13:40 | 35 | 5 | Each table works on one of \
                 [`rope-bridge`](../05-locks/puzzles.md) (35), \
                 [`philosophers`](../05-locks/puzzles.md) (20) |\n\
                 | 14:15 | 5 |  | *Spare: questions, catching up* |\n\n"
            ),
            "{text}"
        );
        assert!(
            text.ends_with(
                "Short course: 55 minutes of teaching, 50 of exercises and 10 spare, over 2 days.\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn each_group_stands_where_its_first_exercise_comes() {
        let groups = r#"
            [g]
            title = "Groups"
            [[g.day]]
            start = "09:00"
            sessions = [120]
            cover = ["01-machine/false-sharing.md", "05-locks/puzzles.md"]
            side_by_side = [["rope-bridge", "philosophers"], ["false-sharing"]]
        "#;
        let text = timetable(groups, "g").unwrap();
        assert!(
            text.contains(
                "| 09:10 | 15 | 1 | Each table works on one of \
                 [`false-sharing`](../01-machine/false-sharing.md) (15) |\n\
                 | 09:25 | 10 | 5 | [Puzzles](../05-locks/puzzles.md) |\n\
                 | 09:35 | 35 | 5 | Each table works on one of \
                 [`rope-bridge`](../05-locks/puzzles.md) (35), \
                 [`philosophers`](../05-locks/puzzles.md) (20) |\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_one_day_schedule_lists_what_it_leaves_out() {
        let one_day = r#"
            [day]
            title = "A day"
            [[day.day]]
            start = "09:00"
            sessions = [40]
            cover = ["01-machine"]
            skip = ["01-machine/caches.md"]
        "#;
        let text = timetable(one_day, "day").unwrap();
        assert!(!text.contains("### Day"), "{text}");
        assert!(
            text.contains(
                "| 09:30 | 10 |  | *Spare: questions, catching up* |\n\
                 | 09:40 | | | End of the day |\n"
            ),
            "{text}"
        );
        assert!(
            text.ends_with(
                "Left out, for learners to do on their own, with their minutes:\n\n\
                 - Chapter 1: [Caches](../01-machine/caches.md) (20)\n\
                 - Chapter 5: [Locks](../05-locks/index.md) (5), \
                 [Puzzles](../05-locks/puzzles.md) (10), \
                 [`rope-bridge`](../05-locks/puzzles.md) (35 of work), \
                 [`philosophers`](../05-locks/puzzles.md) (20 of work)\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn an_overrun_fails_with_what_to_change() {
        let tight = TWO_DAYS.replace("sessions = [55, 10]", "sessions = [55, 4]");
        let problems = timetable(&tight, "short").unwrap_err();
        assert_eq!(
            problems,
            [
                "day 1 overruns: no session has room left for 05-locks/index.md 5; skip \
              something, move it to another day or lengthen a session"
            ]
        );
        // A page and its exercises stay together, in the first session with room.
        let split = TWO_DAYS.replace("sessions = [55, 10]", "sessions = [50, 10]");
        let problems = timetable(&split, "short").unwrap_err();
        assert_eq!(
            problems,
            [
                "day 1 overruns: no session has room left for 01-machine/false-sharing.md 10, \
              exercise false-sharing 15; skip something, move it to another day or lengthen \
              a session"
            ]
        );
    }

    #[test]
    fn reports_mistakes_in_the_selection() {
        let wrong = TWO_DAYS
            .replace(
                "\"05-locks/index.md\"]",
                "\"05-locks/index.md\", \"02-nothing\", \"introduction.md\"]\n\
                 skip = [\"no-such\", \"false-sharing\"]",
            )
            .replace("\"philosophers\"]", "\"philosophers\", \"false-sharing\"]")
            .replace("start = \"13:30\"", "start = \"1:30\"");
        let problems = timetable(&wrong, "short").unwrap_err();
        let expected = [
            "day 1: cover entry '02-nothing' is neither a chapter folder nor a page",
            "day 1: 'introduction.md' is already covered earlier",
            "day 1: skip 'no-such' matches no page or exercise",
            "day 2: '1:30' is not a time like \"09:30\"",
            "day 2: side_by_side names 'false-sharing', which the day does not cover",
            "is marked complete but leaves out exercise false-sharing",
        ];
        for text in expected {
            assert!(
                problems.iter().any(|p| p.contains(text)),
                "no '{text}' in {problems:#?}"
            );
        }
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        // A chapter brings only what is left of it; a page named twice is a mistake.
        let rest = TWO_DAYS.replace("[\"05-locks/puzzles.md\"]", "[\"05-locks\"]");
        assert!(timetable(&rest, "short").is_ok());
        let no_breaks = TWO_DAYS.replace("breaks = [15]", "breaks = []");
        let problems = timetable(&no_breaks, "short").unwrap_err();
        assert!(
            problems[0].starts_with("day 1 has 2 sessions and 0 breaks"),
            "{problems:#?}"
        );
        let unknown = timetable(TWO_DAYS, "long").unwrap_err();
        assert_eq!(unknown, ["no schedule named 'long' (there are: short)"]);
    }

    #[test]
    fn expands_the_directive_and_leaves_escaped_ones() {
        let info = InfoFile::parse(INFO).unwrap();
        let context = Context::parse(pages(), TWO_DAYS).unwrap();
        let page = "Before.\n\n{{#schedule short}}\n\\{{#schedule short}}";
        let text = context
            .expand(page, "instructor/schedules.md", &info)
            .unwrap();
        assert!(text.starts_with("Before.\n\n### Day 1"), "{text}");
        assert!(
            text.ends_with("over 2 days.\n\n\\{{#schedule short}}"),
            "{text}"
        );
        let tight = TWO_DAYS.replace("sessions = [55, 10]", "sessions = [55, 4]");
        let context_tight = Context::parse(pages(), &tight).unwrap();
        let text = context_tight
            .expand("{{#schedule short}}", "x.md", &info)
            .unwrap();
        assert!(
            text.starts_with(
                "> **This schedule does not add up**, and `cargo workbook verify` fails until \
                 it does:\n>\n> - day 1 overruns: no session has room left for 05-locks/index.md 5;"
            ),
            "{text}"
        );
        assert!(text.contains("### Day 2"), "{text}");
        let error = context.expand("{{#schedule}}", "x.md", &info).unwrap_err();
        assert!(error.to_string().contains("takes one schedule name"));
        let error = context
            .expand("{{#schedule long}}", "x.md", &info)
            .unwrap_err();
        assert!(
            format!("{error:#}").contains("no schedule named 'long'"),
            "{error:#}"
        );
    }

    #[test]
    fn the_real_schedules_build() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .parent()
            .unwrap();
        let info = InfoFile::load(root).unwrap();
        let context = Context::load(root).unwrap();
        assert_eq!(context.problems(&info), Vec::<String>::new());
    }
}
