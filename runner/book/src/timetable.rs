//! A schedule's timetable once built ([`crate::schedule`] builds it): its
//! days and rows, what it leaves out, and its Markdown.

use std::fmt::Write as _;

use workbook_core::info_file::Exercise;

use crate::format::relative_link;
use crate::summary::Page;

/// What fills a row of a timetable.
#[derive(Debug)]
pub(crate) enum What<'a> {
    Page(&'a Page),
    Exercise(&'a Exercise),
    SideBySide(Vec<&'a Exercise>),
    Spare,
    Break,
}

#[derive(Debug)]
pub(crate) struct Row<'a> {
    /// Minutes since midnight.
    pub(crate) start: u32,
    pub(crate) minutes: u32,
    pub(crate) what: What<'a>,
}

impl What<'_> {
    /// How a problem message names the item.
    pub(crate) fn name(&self) -> String {
        match self {
            What::Page(page) => page.path.clone(),
            What::Exercise(exercise) => format!("exercise {}", exercise.name),
            What::SideBySide(group) => {
                let names: Vec<&str> = group.iter().map(|e| e.name.as_str()).collect();
                names.join(" + ")
            }
            What::Spare => "spare time".to_owned(),
            What::Break => "a break".to_owned(),
        }
    }
}

#[derive(Debug)]
pub(crate) struct DayPlan<'a> {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) rows: Vec<Row<'a>>,
}

pub(crate) struct Timetable<'a> {
    pub(crate) title: &'a str,
    pub(crate) days: Vec<DayPlan<'a>>,
    /// The chapters' pages (with minutes) and exercises that no session covers.
    pub(crate) left_out: Vec<Row<'a>>,
    /// Why the schedule does not add up; shown above it, and reported by `verify`.
    pub(crate) problems: Vec<String>,
}

impl Timetable<'_> {
    /// Markdown: one table a day, the totals, and what the schedule leaves out.
    pub(crate) fn render(&self, from: &str) -> String {
        let mut text = String::new();
        if !self.problems.is_empty() {
            text += "> **This schedule does not add up**, and `cargo workbook verify` fails \
                     until it does:\n>\n";
            for problem in &self.problems {
                let _ = writeln!(text, "> - {problem}");
            }
            text.push('\n');
        }
        let (mut teaching, mut work, mut spare) = (0, 0, 0);
        for (index, day) in self.days.iter().enumerate() {
            if self.days.len() > 1 {
                let _ = writeln!(
                    text,
                    "### Day {}: {} to {}\n",
                    index + 1,
                    hhmm(day.start),
                    hhmm(day.end)
                );
            }
            text += "| Time | Minutes | Chapter | What |\n|---|--:|--:|---|\n";
            for row in &day.rows {
                match row.what {
                    What::Page(_) => teaching += row.minutes,
                    What::Exercise(_) | What::SideBySide(_) => work += row.minutes,
                    What::Spare => spare += row.minutes,
                    What::Break => {}
                }
                let _ = writeln!(
                    text,
                    "| {} | {} | {} | {} |",
                    hhmm(row.start),
                    row.minutes,
                    chapter_number(&row.what),
                    describe(&row.what, from)
                );
            }
            if self.days.len() == 1 {
                let _ = writeln!(text, "| {} | | | End of the day |", hhmm(day.end));
            }
            text.push('\n');
        }
        let _ = writeln!(
            text,
            "{}: {teaching} minutes of teaching, {work} of exercises and {spare} spare, \
             over {} {}.",
            self.title,
            self.days.len(),
            if self.days.len() == 1 { "day" } else { "days" }
        );
        if !self.left_out.is_empty() {
            text += "\nLeft out, for learners to do on their own, with their minutes:\n\n";
            let mut chapter = None;
            for row in &self.left_out {
                let number = chapter_number(&row.what);
                let item = match &row.what {
                    What::Exercise(e) => format!(
                        "[`{}`]({}) ({} of work)",
                        e.name,
                        relative_link(Some(from), &e.page),
                        row.minutes
                    ),
                    what => format!("{} ({})", describe(what, from), row.minutes),
                };
                if chapter.as_ref() == Some(&number) {
                    let _ = write!(text, ", {item}");
                } else {
                    if chapter.is_some() {
                        text.push('\n');
                    }
                    let _ = write!(text, "- Chapter {number}: {item}");
                    chapter = Some(number);
                }
            }
            text.push('\n');
        }
        text
    }
}

/// The chapter's number from the page's folder ("04-send-sync/x.md" is 4), or nothing.
fn chapter_number(what: &What) -> String {
    let path = match what {
        What::Page(page) => page.path.as_str(),
        What::Exercise(exercise) => exercise.page.as_str(),
        What::SideBySide(group) => group.first().map_or("", |e| e.page.as_str()),
        What::Spare | What::Break => "",
    };
    let folder = path.split_once('/').map_or("", |(folder, _)| folder);
    folder
        .split_once('-')
        .and_then(|(number, _)| number.parse::<u32>().ok())
        .map_or_else(String::new, |n| n.to_string())
}

fn describe(what: &What, from: &str) -> String {
    let exercise = |e: &Exercise| format!("[`{}`]({})", e.name, relative_link(Some(from), &e.page));
    match what {
        What::Page(page) => format!(
            "[{}]({})",
            page.title.replace('|', "\\|"),
            relative_link(Some(from), &page.path)
        ),
        What::Exercise(e) => format!("Learners work on {}", exercise(e)),
        What::SideBySide(group) => {
            let each: Vec<String> = group
                .iter()
                .map(|e| format!("{} ({})", exercise(e), e.minutes))
                .collect();
            format!("Each table works on one of {}", each.join(", "))
        }
        What::Spare => "*Spare: questions, catching up*".to_owned(),
        What::Break => "**Break**".to_owned(),
    }
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}
