//! Loom checks of the quiz: for each scenario, the answer must pass loom's
//! model (every interleaving up to the preemption bound, and the values each
//! load may return), and each of its orderings, weakened by one step, must fail
//! it. A pass means loom found no run that goes wrong: strong evidence, not a
//! proof, since loom does not explore load-buffering executions and remembers
//! only the last few stores to each atomic (its README and its source), though
//! none of these scenarios depends on either. A failure of a weakened answer is
//! a run that the language allows (when no `SeqCst` access is involved, see
//! below), so it shows that the ordering weakened is not stronger than needed.
//!
//! Loom treats `SeqCst` loads, stores and read-modify-writes like `AcqRel` (it
//! models `fence(SeqCst)`), so it cannot show that a scenario needs a `SeqCst`
//! access; none of these needs `SeqCst` of any kind.
//!
//! Run with `cargo workbook check ordering-quiz`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use ordering_quiz::{Case, Operation, Ordering, answers};

#[test_support::test]
fn message_passing() {
    check("message_passing", answers::message_passing());
}

#[test_support::test]
fn event_counter() {
    check("event_counter", answers::event_counter());
}

#[test_support::test]
fn spin_lock() {
    check("spin_lock", answers::spin_lock());
}

#[test_support::test]
fn fence_publication() {
    check("fence_publication", answers::fence_publication());
}

#[test_support::test]
fn ref_count() {
    check("ref_count", answers::ref_count());
}

/// Checks that `answer` is correct and that no ordering in it can be weakened.
fn check<C: Case>(case: &str, answer: C) {
    if let Err(failure) = explore(answer) {
        panic!(
            "answers::{case}: loom found a run that goes wrong with {answer:?}:\n  {failure}\n\
             Some ordering in it is too weak: which value must the thread that reads it see?"
        );
    }
    let mut copy = answer;
    let choices: Vec<_> = copy
        .orderings()
        .iter()
        .map(|choice| (choice.name, choice.operation, *choice.ordering))
        .collect();
    for (index, (name, operation, ordering)) in choices.into_iter().enumerate() {
        for weaker in one_step_weaker(operation, ordering) {
            let mut weakened = answer;
            *weakened.orderings()[index].ordering = weaker;
            if explore(weakened).is_ok() {
                let note = if operation == Operation::Fence {
                    " (for a fence, Relaxed means no fence at all)"
                } else {
                    ""
                };
                panic!(
                    "answers::{case}: `{name}: {ordering:?}` is stronger than it needs to be: \
                     with `{name}: {weaker:?}`{note} loom finds no run that goes wrong."
                );
            }
        }
    }
}

/// The orderings one step weaker than `ordering` for this operation.
fn one_step_weaker(operation: Operation, ordering: Ordering) -> Vec<Ordering> {
    match (operation, ordering) {
        (Operation::Load, Ordering::SeqCst) => vec![Ordering::Acquire],
        (Operation::Store, Ordering::SeqCst) => vec![Ordering::Release],
        (Operation::ReadModifyWrite | Operation::Fence, Ordering::SeqCst) => vec![Ordering::AcqRel],
        (_, Ordering::AcqRel) => vec![Ordering::Acquire, Ordering::Release],
        (_, Ordering::Acquire | Ordering::Release) => vec![Ordering::Relaxed],
        _ => vec![],
    }
}

thread_local! {
    /// Set while a model that may fail runs, to keep its panic message quiet.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `answer` under loom; `Err` with loom's message if some run went wrong.
fn explore<C: Case>(answer: C) -> Result<(), String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                default(info);
            }
        }));
    });
    QUIET.with(|quiet| quiet.set(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        test_support::model(move || answer.run());
    }));
    QUIET.with(|quiet| quiet.set(false));
    outcome.map_err(|payload| message(&*payload))
}

fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "(a panic without a message)".to_owned()
    }
}
