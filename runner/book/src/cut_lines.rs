//! Cut lines: every session of a schedule that teaches something marks where a
//! room that is behind skips ahead. The line stands before the session's first
//! optional row ([`crate::timetable::Row::optional`]) and names the optional
//! rows after it in the session. A session with nothing optional gets its line
//! at its end, naming the optional rows of the next session that has some, so
//! a room that is behind knows by then what it will skip; a session with no
//! optional row after it that day is a problem of the schedule (mark a page or
//! an exercise `optional` in schedules.toml).

use crate::timetable::{Row, What};

/// Puts a cut line into each session of a day's `rows` that teaches, and
/// returns a problem for each that has nothing optional to cut.
pub(crate) fn insert(rows: &mut Vec<Row>) -> Vec<String> {
    let sessions = rows.iter().map(|row| row.session + 1).max().unwrap_or(0);
    let mut problems = Vec::new();
    // Backwards, so that an insertion leaves the earlier sessions' indices alone.
    for session in (0..sessions).rev() {
        let in_session = |row: &&Row| row.session == session;
        let teaches = rows
            .iter()
            .filter(in_session)
            .any(|row| !matches!(row.what, What::Spare | What::Break | What::WrapUp));
        let first_optional = rows
            .iter()
            .position(|row| row.session == session && row.optional);
        let later_optional = rows.iter().any(|row| row.session > session && row.optional);
        let index = match first_optional {
            Some(index) => index,
            None if teaches && later_optional => {
                // After the session's last row that teaches.
                rows.iter()
                    .rposition(|row| {
                        row.session == session
                            && !matches!(row.what, What::Spare | What::Break | What::WrapUp)
                    })
                    .map_or(0, |last| last + 1)
            }
            None if teaches => {
                let start = rows.iter().find(in_session).map_or(0, |row| row.start);
                problems.push(format!(
                    "session {} (from {:02}:{:02}) has no optional row, nor has any later \
                     session of the day, so no cut line: mark a page or an exercise \
                     `optional`",
                    session + 1,
                    start / 60,
                    start % 60
                ));
                continue;
            }
            None => continue,
        };
        let mut line = Row::new(0, What::CutLine, false);
        line.start = rows.get(index).map_or_else(
            || rows[index - 1].start + rows[index - 1].minutes,
            |row| row.start,
        );
        line.session = session;
        rows.insert(index, line);
    }
    problems.reverse();
    problems
}
