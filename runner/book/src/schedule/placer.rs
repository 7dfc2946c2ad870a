//! Laying a day's rows out in its sessions (see [`super`]).

use super::{Day, LONGEST_STRETCH, SHORTEST_BREAK};
use crate::timetable::{Row, What};

/// Lays a day's units out in its sessions, in order: each unit in the first
/// session with room for it, a short break before it when it would take the
/// room past [`LONGEST_STRETCH`] minutes since the last break, and the room
/// for the wrap-up kept at the end of the last session.
pub(super) struct Placer<'a, 'd> {
    pub(super) day: &'d Day,
    pub(super) wrap_up: u32,
    pub(super) rows: Vec<Row<'a>>,
    /// Minutes since midnight.
    pub(super) now: u32,
    pub(super) session: usize,
    /// Minutes of the session used so far, short breaks included.
    pub(super) used: u32,
    /// Minutes since the last break.
    pub(super) since_break: u32,
    /// The sessions whose end runs past the longest stretch.
    pub(super) stretches: Vec<usize>,
}

impl<'a> Placer<'a, '_> {
    pub(super) fn last(&self) -> usize {
        self.day.sessions.len() - 1
    }

    /// The minutes of `session` for units: the last one keeps the wrap-up's.
    fn room(&self, session: usize) -> u32 {
        let reserved = if session == self.last() {
            self.wrap_up
        } else {
            0
        };
        self.day.sessions[session].saturating_sub(reserved)
    }

    /// The minutes `unit` needs in the current session: its own, and a short
    /// break's before it if it would run past the longest stretch.
    fn needs(&self, minutes: u32) -> u32 {
        if self.since_break + minutes > LONGEST_STRETCH && self.since_break > 0 {
            minutes + SHORTEST_BREAK
        } else {
            minutes
        }
    }

    /// Places `unit`, or says what did not fit anywhere.
    pub(super) fn place(&mut self, unit: Vec<Row<'a>>) -> Result<(), String> {
        let minutes: u32 = unit.iter().map(|row| row.minutes).sum();
        while self.used + self.needs(minutes) > self.room(self.session)
            && self.session < self.last()
        {
            self.close_session();
        }
        if self.used + self.needs(minutes) > self.room(self.session) {
            let names: Vec<String> = unit
                .iter()
                .map(|row| format!("{} {}", row.what.name(), row.minutes))
                .collect();
            return Err(names.join(", "));
        }
        if self.needs(minutes) > minutes {
            self.push(SHORTEST_BREAK, What::Break);
        }
        for mut row in unit {
            row.start = self.now;
            row.session = self.session;
            self.now += row.minutes;
            self.since_break += row.minutes;
            self.rows.push(row);
        }
        self.used += minutes;
        Ok(())
    }

    fn push(&mut self, minutes: u32, what: What<'a>) {
        if minutes == 0 {
            return;
        }
        let mut row = Row::new(minutes, what, false);
        row.start = self.now;
        row.session = self.session;
        self.since_break = match row.what {
            What::Break => 0,
            _ => self.since_break + minutes,
        };
        self.used += minutes;
        self.now += minutes;
        self.rows.push(row);
    }

    /// Ends the current session: its spare minutes, then the break after it
    /// (or the wrap-up, in the last session). Spare minutes that would run
    /// past the longest stretch start the break after the session early; in
    /// the last session, short breaks come out of them, if they can (the
    /// wrap-up ends the day, so it needs no break before it).
    fn close_session(&mut self) {
        let session = self.session;
        let mut spare = self.room(session) - self.used;
        let fits = LONGEST_STRETCH.saturating_sub(self.since_break);
        if let Some(&pause) = self.day.breaks.get(session) {
            self.push(spare.min(fits), What::Spare);
            self.push(pause + spare.saturating_sub(fits), What::Break);
            self.session += 1;
            self.used = 0;
            self.since_break = 0;
            return;
        }
        while self.since_break + spare > LONGEST_STRETCH {
            if spare < SHORTEST_BREAK {
                self.stretches.push(session);
                break;
            }
            let before = LONGEST_STRETCH
                .saturating_sub(self.since_break)
                .min(spare - SHORTEST_BREAK);
            self.push(before, What::Spare);
            self.push(SHORTEST_BREAK, What::Break);
            spare -= before + SHORTEST_BREAK;
        }
        self.push(spare, What::Spare);
        self.push(self.wrap_up, What::WrapUp);
    }

    /// Closes every session left; the rows, the day's end, and the sessions
    /// that run past the longest stretch.
    pub(super) fn finish(mut self) -> (Vec<Row<'a>>, u32, Vec<usize>) {
        loop {
            let session = self.session;
            self.close_session();
            if session == self.last() {
                return (self.rows, self.now, self.stretches);
            }
        }
    }
}
