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
    /// After an exercise, or a side-by-side group (each table reports back).
    Debrief(Vec<&'a Exercise>),
    /// Day one's start: `cargo workbook preflight` on every laptop.
    Setup,
    /// A later day's start.
    Recap,
    /// A day's end.
    WrapUp,
    /// Where a room that is behind skips the session's optional rows below.
    CutLine,
    Spare,
    Break,
}

#[derive(Debug)]
pub(crate) struct Row<'a> {
    /// Minutes since midnight.
    pub(crate) start: u32,
    pub(crate) minutes: u32,
    pub(crate) what: What<'a>,
    /// Skipped by a room that is behind (see [`What::CutLine`]).
    pub(crate) optional: bool,
    /// The day's session the row falls in, from 0; a break belongs to the
    /// session before it.
    pub(crate) session: usize,
}

impl<'a> Row<'a> {
    /// A row not placed yet: its start and session are set when it is.
    pub(crate) fn new(minutes: u32, what: What<'a>, optional: bool) -> Self {
        Self {
            start: 0,
            minutes,
            what,
            optional,
            session: 0,
        }
    }
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
            What::Debrief(group) => {
                let names: Vec<&str> = group.iter().map(|e| e.name.as_str()).collect();
                format!("debrief {}", names.join(" + "))
            }
            What::Setup => "the setup".to_owned(),
            What::Recap => "the recap".to_owned(),
            What::WrapUp => "the wrap-up".to_owned(),
            What::CutLine => "the cut line".to_owned(),
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
        let (mut teaching, mut work, mut debriefs, mut framing, mut spare) = (0, 0, 0, 0, 0);
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
            for (index, row) in day.rows.iter().enumerate() {
                match row.what {
                    What::Page(_) => teaching += row.minutes,
                    What::Exercise(_) | What::SideBySide(_) => work += row.minutes,
                    What::Debrief(_) => debriefs += row.minutes,
                    What::Setup | What::Recap | What::WrapUp => framing += row.minutes,
                    What::Spare => spare += row.minutes,
                    What::Break | What::CutLine => {}
                }
                let what = match row.what {
                    What::CutLine => cut_line(&day.rows[index + 1..], row.session),
                    _ if row.optional => format!("{} *(optional)*", describe(&row.what, from)),
                    _ => describe(&row.what, from),
                };
                let minutes = match row.what {
                    What::CutLine => String::new(),
                    _ => row.minutes.to_string(),
                };
                let _ = writeln!(
                    text,
                    "| {} | {minutes} | {} | {what} |",
                    hhmm(row.start),
                    chapter_number(&row.what),
                );
            }
            if self.days.len() == 1 {
                let _ = writeln!(text, "| {} | | | End of the day |", hhmm(day.end));
            }
            text.push('\n');
        }
        let _ = writeln!(
            text,
            "{}: {teaching} minutes of teaching, {work} of exercises, {debriefs} of debriefs, \
             {framing} of setup, recaps and wrap-ups, and {spare} spare, over {} {}.",
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
        What::SideBySide(group) | What::Debrief(group) => {
            group.first().map_or("", |e| e.page.as_str())
        }
        What::Setup | What::Recap | What::WrapUp | What::CutLine | What::Spare | What::Break => "",
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
        What::Debrief(group) => match group.as_slice() {
            [one] => format!(
                "Debrief {}: a solution on the projector, the mistakes seen",
                exercise(one)
            ),
            _ => "Debrief: each table reports back on its exercise".to_owned(),
        },
        What::Setup => "**Setup**: every laptop runs `cargo workbook preflight` and opens the \
                        book (`cargo workbook serve`); fix what preflight reports"
            .to_owned(),
        What::Recap => {
            "**Recap** of the day before: questions, and the ideas today builds on".to_owned()
        }
        What::WrapUp => "**Wrap-up**: questions, what the day covered, what comes next".to_owned(),
        What::CutLine => String::new(),
        What::Spare => "*Spare: questions, catching up*".to_owned(),
        What::Break => "**Break**".to_owned(),
    }
}

/// The cut line's text: the optional rows that follow it in its session, or
/// else those of the next session that has some, which a room that is behind
/// skips, and the minutes that wins back.
fn cut_line(after: &[Row], session: usize) -> String {
    let in_session = |s: usize| -> Vec<&Row> {
        after
            .iter()
            .skip_while(|row| row.session < s)
            .take_while(|row| row.session == s)
            .filter(|row| row.optional)
            .collect()
    };
    let mut skipped = in_session(session);
    let mut which = "of this session".to_owned();
    if skipped.is_empty() {
        if let Some(next) = after.iter().find(|row| row.optional) {
            skipped = in_session(next.session);
            which = format!(
                "of the session after the break at {}",
                hhmm(session_start(after, next.session))
            );
        }
    }
    let minutes: u32 = skipped.iter().map(|row| row.minutes).sum();
    let names: Vec<String> = skipped
        .iter()
        .filter(|row| !matches!(row.what, What::Debrief(_)))
        .map(|row| match &row.what {
            What::Page(page) => page.title.replace('|', "\\|"),
            What::Exercise(exercise) => format!("`{}`", exercise.name),
            what => what.name(),
        })
        .collect();
    format!(
        "✂ **Cut line**: if you are behind by here, skip the optional rows {which} \
         ({}; {minutes} minutes) and set them as homework",
        names.join(", ")
    )
}

/// When `session` starts, from the rows after a cut line.
fn session_start(after: &[Row], session: usize) -> u32 {
    after
        .iter()
        .find(|row| row.session == session)
        .map_or(0, |row| row.start)
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}
