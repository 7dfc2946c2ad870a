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
//! This answer is a monitor: one `Mutex` around the whole state and one
//! `Condvar` that every waiting traveller sleeps on. The rules become one
//! predicate, [`State::may_board`], checked under the lock. For rule 3 a
//! traveller who is kept off by the direction of the traffic claims the next
//! *turn* for its edge; while an edge holds the turn, newcomers from the other
//! edge wait, the rope empties, and the waiting edge goes next.

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
    /// Notified whenever the state changes in a way that may let a waiter on.
    changed: Condvar,
}

// ANCHOR: state
/// Who is where. Changed only under the rope's lock.
#[derive(Debug, Default)]
struct State {
    /// Travellers on the rope.
    on_rope: usize,
    /// The edge the travellers on the rope started from; meaningless when the
    /// rope is empty.
    going_from: Option<Side>,
    /// Travellers waiting at each edge, indexed by [`Side::index`].
    waiting: [usize; 2],
    /// The edge whose travellers go next: set by a traveller kept off by
    /// traffic the other way, cleared when one from that edge gets on.
    turn: Option<Side>,
}

impl State {
    /// Rules 1 to 3: may a traveller from `from` get on now?
    fn may_board(&self, from: Side) -> bool {
        let room = self.on_rope < CAPACITY;
        let same_way = self.on_rope == 0 || self.going_from == Some(from);
        let not_their_turn = self.turn != Some(from.other());
        room && same_way && not_their_turn
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
            let blocked_by_traffic = state.on_rope > 0 && state.going_from != Some(from);
            if blocked_by_traffic && state.turn.is_none() {
                // From now on nobody new gets on from the other edge.
                state.turn = Some(from);
            }
            state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        state.waiting[from.index()] -= 1;
        state.on_rope += 1;
        state.going_from = Some(from);
        if state.turn == Some(from) {
            state.turn = None;
        }
        drop(state);

        let result = on_rope();

        let mut state = self.lock();
        state.on_rope -= 1;
        // Every waiter looks again: a place came free, and if the rope is now
        // empty, the other edge may go.
        self.changed.notify_all();
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
