//! The rules a room can keep, checked on the workbook's own schedules: every
//! day opens with the setup or a recap and ends with a wrap-up, every exercise
//! has its debrief, breaks come at least every 75 minutes, and every session
//! has a cut line.

use std::path::Path;

use workbook_core::info_file::InfoFile;

use super::{Context, LONGEST_STRETCH, SHORTEST_BREAK};
use crate::timetable::{Row, Timetable, What};

/// The workbook's own schedules, built from the real pages, info.toml and schedules.toml.
fn real_timetables(check: impl Fn(&str, &Timetable)) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let info = InfoFile::load(&root).unwrap();
    let context = Context::load(&root).unwrap();
    assert_eq!(context.problems(&info), Vec::<String>::new());
    for name in context.schedules.keys() {
        let timetable = context.build(name, &info).unwrap();
        check(name, &timetable);
    }
}

#[test]
fn the_real_schedules_open_and_close_each_day() {
    real_timetables(|name, timetable| {
        for (index, day) in timetable.days.iter().enumerate() {
            let first = &day.rows[0].what;
            if index == 0 {
                assert!(
                    matches!(first, What::Setup),
                    "{name}: day 1 opens with {first:?}"
                );
                assert!(
                    matches!(&day.rows[1].what, What::Page(page) if page.path == "how-to-use.md"),
                    "{name}: the setup goes on with the how-to-use page"
                );
            } else {
                assert!(
                    matches!(first, What::Recap),
                    "{name}: day {} opens with {first:?}",
                    index + 1
                );
            }
            let last = &day.rows[day.rows.len() - 1].what;
            assert!(
                matches!(last, What::WrapUp),
                "{name}: day {} ends with {last:?}",
                index + 1
            );
        }
    });
}

#[test]
fn the_real_schedules_debrief_every_exercise() {
    real_timetables(|name, timetable| {
        for day in &timetable.days {
            for (index, row) in day.rows.iter().enumerate() {
                let worked: Vec<&str> = match &row.what {
                    What::Exercise(exercise) => vec![&exercise.name],
                    What::SideBySide(group) => group.iter().map(|e| e.name.as_str()).collect(),
                    _ => continue,
                };
                let next = day.rows.get(index + 1).map(|row| &row.what);
                let Some(What::Debrief(debriefed)) = next else {
                    panic!("{name}: {worked:?} is followed by {next:?}, not its debrief");
                };
                let debriefed: Vec<&str> = debriefed.iter().map(|e| e.name.as_str()).collect();
                assert_eq!(debriefed, worked, "{name}");
                assert!(day.rows[index + 1].minutes > 0, "{name}: {worked:?}");
            }
        }
    });
}

#[test]
fn the_real_schedules_break_at_least_every_75_minutes() {
    real_timetables(|name, timetable| {
        for (index, day) in timetable.days.iter().enumerate() {
            let mut since_break = 0;
            for row in &day.rows {
                match row.what {
                    What::Break => {
                        assert!(row.minutes >= SHORTEST_BREAK, "{name}, day {}", index + 1);
                        since_break = 0;
                    }
                    // The wrap-up ends the day: no break needed before it.
                    What::WrapUp => {}
                    _ => since_break += row.minutes,
                }
                assert!(
                    since_break <= LONGEST_STRETCH,
                    "{name}, day {}: {since_break} minutes without a break at {}",
                    index + 1,
                    row.start
                );
            }
        }
    });
}

#[test]
fn the_real_schedules_have_a_cut_line_in_every_session() {
    real_timetables(|name, timetable| {
        for (index, day) in timetable.days.iter().enumerate() {
            let sessions = day
                .rows
                .iter()
                .map(|row| row.session + 1)
                .max()
                .unwrap_or(0);
            for session in 0..sessions {
                let rows: Vec<&Row> = day.rows.iter().filter(|r| r.session == session).collect();
                let teaches = rows
                    .iter()
                    .any(|r| !matches!(r.what, What::Spare | What::Break | What::WrapUp));
                let cut = rows.iter().position(|r| matches!(r.what, What::CutLine));
                match cut {
                    Some(cut) => {
                        let at = day
                            .rows
                            .iter()
                            .position(|r| std::ptr::eq(r, rows[cut]))
                            .unwrap();
                        assert!(
                            day.rows[at + 1..].iter().any(|r| r.optional),
                            "{name}, day {}: a cut line with nothing optional after it",
                            index + 1
                        );
                    }
                    None => assert!(
                        !teaches,
                        "{name}, day {}, session {}: no cut line",
                        index + 1,
                        session + 1
                    ),
                }
            }
        }
    });
}
