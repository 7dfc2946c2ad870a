//! Quick checks of the answers, without loom: each ordering must be one that
//! its operation accepts (std panics on a `Release` load or an `Acquire`
//! store). Whether the answers are correct, and the weakest, is for the loom
//! tier: `cargo workbook check ordering-quiz`.

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

fn check<C: Case>(case: &str, mut answer: C) {
    for choice in answer.orderings() {
        let ordering = *choice.ordering;
        let allowed = match choice.operation {
            Operation::Load => !matches!(ordering, Ordering::Release | Ordering::AcqRel),
            Operation::Store => !matches!(ordering, Ordering::Acquire | Ordering::AcqRel),
            Operation::ReadModifyWrite | Operation::Fence => true,
        };
        assert!(
            allowed,
            "answers::{case}: `{}` is a {:?}, which cannot take {ordering:?}",
            choice.name, choice.operation
        );
    }
}
