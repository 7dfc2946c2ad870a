//! # The rope bridge
//!
//! A rope stretched over a canyon carries travellers from the left edge to the
//! right and from the right to the left. The rules (Allen Downey's *baboon
//! crossing* puzzle, from *The Little Book of Semaphores*):
//!
//! 1. at most [`CAPACITY`] travellers are on the rope at once;
//! 2. travellers on the rope all go the same way: nobody gets on while
//!    someone going the other way is still on it;
//! 3. nobody waits for ever: a steady stream from one edge must not keep a
//!    traveller waiting at the other edge off the rope.
//!
//! As shipped, [`Rope`] keeps rule 1 only. It is a monitor: one `Mutex` around
//! the whole state and one `Condvar` that every waiting traveller sleeps on, so
//! the rules are one predicate, `State::may_board`, checked under the lock.
//! Your job: rules 2 and 3. Keep the public API (`CAPACITY`, `Side`,
//! `Rope::new`, `Rope::cross`, `Rope::waiting`) as it is; add to the state
//! whatever the rules need to know.
//!
//! Check your work with `cargo test` in this folder, or
//! `cargo workbook check rope-bridge`.

use std::sync::PoisonError;

use test_support::sync::{Condvar, Mutex, MutexGuard};

/// How many travellers the rope holds at once.
pub const CAPACITY: usize = 5;

/// The edge a traveller starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    /// The opposite edge.
    pub fn other(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }

    fn index(self) -> usize {
        match self {
            Side::Left => 0,
            Side::Right => 1,
        }
    }
}

/// The rope, shared by every traveller.
#[derive(Debug, Default)]
pub struct Rope {
    state: Mutex<State>,
    /// Notified when the state changes in a way that may let a waiter on.
    changed: Condvar,
}

// ANCHOR: state
/// Who is where. Changed only under the rope's lock.
// TODO: rules 2 and 3 need to know more than this. Which way are the
// travellers on the rope going? Whose turn is it next?
#[derive(Debug, Default)]
struct State {
    /// Travellers on the rope.
    on_rope: usize,
    /// Travellers waiting at each edge, indexed by [`Side::index`].
    waiting: [usize; 2],
}

impl State {
    /// May a traveller from `from` get on now?
    fn may_board(&self, from: Side) -> bool {
        // TODO: rule 2 (one direction at a time) and rule 3 (no edge waits
        // for ever). `from` is unused until then.
        let _ = from;
        self.on_rope < CAPACITY
    }
}
// ANCHOR_END: state

impl Rope {
    /// An empty rope.
    pub fn new() -> Self {
        Self::default()
    }

    // ANCHOR: cross
    /// Waits at edge `from` until the rules let this traveller on, runs
    /// `on_rope` while it is on the rope, then gets off.
    pub fn cross<R>(&self, from: Side, on_rope: impl FnOnce() -> R) -> R {
        let mut state = self.lock();
        state.waiting[from.index()] += 1;
        while !state.may_board(from) {
            state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        state.waiting[from.index()] -= 1;
        state.on_rope += 1;
        drop(state);

        let result = on_rope();

        let mut state = self.lock();
        state.on_rope -= 1;
        // TODO: one place came free, so one waiter is woken. Once travellers
        // wait for different reasons, is the one woken always one who can go?
        self.changed.notify_one();
        drop(state);
        result
    }
    // ANCHOR_END: cross

    /// How many travellers wait at edge `from` right now (for tests and
    /// displays: the answer may be out of date as soon as it is returned).
    pub fn waiting(&self, from: Side) -> usize {
        self.lock().waiting[from.index()]
    }

    /// Locks the state. Every change to it is finished before the lock is
    /// released, and `on_rope` runs outside the lock, so a panic cannot leave
    /// it half-changed and a poisoned lock is safe to use.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
