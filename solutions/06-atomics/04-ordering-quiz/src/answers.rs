//! The answers: for each scenario in [`crate::cases`], the weakest orderings
//! that keep it correct.

use crate::Ordering;
use crate::cases::{EventCounter, FencePublication, MessagePassing, RefCount, SpinLock};

// ANCHOR: message_passing
pub fn message_passing() -> MessagePassing {
    MessagePassing {
        // Release: publishes the data store before it to the reader's Acquire
        // load of `ready`.
        store: Ordering::Release,
        // Acquire: pairs with the writer's Release store of `ready`, so the
        // data load after it sees the data.
        load: Ordering::Acquire,
    }
}
// ANCHOR_END: message_passing

pub fn event_counter() -> EventCounter {
    EventCounter {
        // Relaxed: nothing is published through the counter; each increment
        // is atomic whatever its ordering.
        increment: Ordering::Relaxed,
        // Relaxed: `join` already makes every increment happen before the read.
        read: Ordering::Relaxed,
    }
}

pub fn spin_lock() -> SpinLock {
    SpinLock {
        // Acquire: pairs with the previous holder's Release store in `unlock`,
        // so its writes to the protected data are seen.
        lock: Ordering::Acquire,
        // Release: publishes this holder's writes to the next holder's Acquire
        // swap.
        unlock: Ordering::Release,
    }
}

pub fn fence_publication() -> FencePublication {
    FencePublication {
        // Release fence: makes the Relaxed store of `ready` after it publish
        // the data, to the reader's Acquire fence.
        release_fence: Ordering::Release,
        // Acquire fence: pairs with the writer's Release fence through the
        // Relaxed load of `ready` before it.
        acquire_fence: Ordering::Acquire,
    }
}

pub fn ref_count() -> RefCount {
    RefCount {
        // Release: each handle's uses happen before its decrement, published
        // to the last handle's Acquire fence.
        decrement: Ordering::Release,
        // Acquire fence: only the last handle runs it; pairs with every other
        // handle's Release decrement.
        fence: Ordering::Acquire,
    }
}
