//! The answers: for each scenario in [`crate::cases`], the weakest orderings
//! that keep it correct. Read the scenario, then replace each `todo!()`.
//!
//! `cargo test` checks that each ordering suits its operation;
//! `cargo workbook check ordering-quiz` checks with loom that the answer is
//! correct and that no ordering in it can be weakened by one step.

#![allow(unused_imports)] // `Ordering` is used once you write the answers.

use crate::Ordering;
use crate::cases::{EventCounter, FencePublication, MessagePassing, RefCount, SpinLock};

// ANCHOR: message_passing
pub fn message_passing() -> MessagePassing {
    // TODO: `MessagePassing { store: Ordering::..., load: Ordering::... }`,
    // with a comment on each naming what it pairs with.
    todo!("answers::message_passing: the orderings of the store and the load of `ready`")
}
// ANCHOR_END: message_passing

pub fn event_counter() -> EventCounter {
    // TODO
    todo!("answers::event_counter: the orderings of the increments and of the read")
}

pub fn spin_lock() -> SpinLock {
    // TODO
    todo!("answers::spin_lock: the orderings of the swap that locks and the store that unlocks")
}

pub fn fence_publication() -> FencePublication {
    // TODO
    todo!("answers::fence_publication: the orderings of the two fences")
}

pub fn ref_count() -> RefCount {
    // TODO
    todo!("answers::ref_count: the orderings of the decrement and of the last handle's fence")
}
