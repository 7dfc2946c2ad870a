//! # The ordering quiz
//!
//! Five small scenarios, each with its memory orderings left as parameters. For
//! each one, [`answers`] names the orderings to use; the tests check, with
//! loom, that the answer is correct and that it is the *weakest* correct one:
//! weakening any single ordering in it by one step must let loom find a run
//! that goes wrong.
//!
//! The scenarios live in [`cases`]; every ordering a scenario takes from its
//! answer is listed by [`Case::orderings`], with the kind of operation that
//! uses it, so that the tests know which orderings are allowed and what "one
//! step weaker" means for it.

use std::fmt::Debug;

pub use std::sync::atomic::Ordering;

pub mod answers;
// The cases are the exercise's, unchanged: only the answers differ.
#[path = "../../../../exercises/06-atomics/04-ordering-quiz/src/cases.rs"]
pub mod cases;

/// The kind of operation an ordering is given to. It decides which orderings
/// are allowed (std panics on a `Release` load or an `Acquire` store) and which
/// are one step weaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    /// `load`: `Relaxed`, `Acquire` or `SeqCst`.
    Load,
    /// `store`: `Relaxed`, `Release` or `SeqCst`.
    Store,
    /// `swap`, `fetch_add`, `compare_exchange` and friends: any ordering.
    ReadModifyWrite,
    /// `fence`. Here `Relaxed` means "no fence at all", which is what a relaxed
    /// fence would be (std and loom refuse to run one).
    Fence,
}

/// One ordering in an answer: what it is called, the operation that uses it,
/// and the ordering itself, which the tests may change to a weaker one.
#[derive(Debug)]
pub struct Choice<'a> {
    pub name: &'static str,
    pub operation: Operation,
    pub ordering: &'a mut Ordering,
}

/// A scenario with its orderings as parameters.
pub trait Case: Copy + Debug + Send + Sync + 'static {
    /// Every ordering in the answer, in the order the fields are declared.
    fn orderings(&mut self) -> Vec<Choice<'_>>;

    /// One run of the scenario with these orderings. It spawns its threads
    /// with `test_support::thread` and panics if it sees an outcome the
    /// scenario must never have; under loom, inside `loom::model`, every
    /// interleaving (and every value a load may return) is tried.
    fn run(self);
}

/// Runs a fence of `ordering`, or nothing for `Relaxed` (see
/// [`Operation::Fence`]).
fn fence(ordering: Ordering) {
    if ordering != Ordering::Relaxed {
        test_support::sync::atomic::fence(ordering);
    }
}
