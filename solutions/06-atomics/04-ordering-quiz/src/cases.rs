//! The five scenarios. Each one runs a few threads and panics if it sees an
//! outcome its orderings must rule out. The data that travels between threads
//! is kept in `Relaxed` atomics rather than in plain memory, so a missing
//! ordering shows up as a stale value (which loom tries) rather than as
//! undefined behaviour.

use test_support::sync::Arc;
use test_support::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize};
use test_support::thread;

use crate::{Case, Choice, Operation, Ordering, fence};

// ANCHOR: message_passing
/// A writer stores the data and then sets `ready`; a reader that sees `ready`
/// must see the data.
#[derive(Clone, Copy, Debug)]
pub struct MessagePassing {
    /// The writer's store of `ready`.
    pub store: Ordering,
    /// The reader's load of `ready`.
    pub load: Ordering,
}

impl Case for MessagePassing {
    fn orderings(&mut self) -> Vec<Choice<'_>> {
        vec![
            choice("store", Operation::Store, &mut self.store),
            choice("load", Operation::Load, &mut self.load),
        ]
    }

    fn run(self) {
        let data = Arc::new(AtomicU32::new(0));
        let ready = Arc::new(AtomicBool::new(false));
        let writer = {
            let (data, ready) = (Arc::clone(&data), Arc::clone(&ready));
            thread::spawn(move || {
                data.store(42, Ordering::Relaxed);
                ready.store(true, self.store);
            })
        };
        if ready.load(self.load) {
            assert_eq!(
                data.load(Ordering::Relaxed),
                42,
                "saw `ready` but not the data"
            );
        }
        writer.join().unwrap();
    }
}
// ANCHOR_END: message_passing

/// Two threads count events; the main thread reads the total after joining
/// them.
#[derive(Clone, Copy, Debug)]
pub struct EventCounter {
    /// Each thread's `fetch_add` of 1.
    pub increment: Ordering,
    /// The main thread's load of the total, after both joins.
    pub read: Ordering,
}

impl Case for EventCounter {
    fn orderings(&mut self) -> Vec<Choice<'_>> {
        vec![
            choice("increment", Operation::ReadModifyWrite, &mut self.increment),
            choice("read", Operation::Load, &mut self.read),
        ]
    }

    fn run(self) {
        let events = Arc::new(AtomicUsize::new(0));
        let counters: Vec<_> = (0..2)
            .map(|_| {
                let events = Arc::clone(&events);
                thread::spawn(move || {
                    events.fetch_add(1, self.increment);
                })
            })
            .collect();
        for counter in counters {
            counter.join().unwrap();
        }
        assert_eq!(events.load(self.read), 2, "an event was lost");
    }
}

/// A lock made of one flag: `swap(true, ..)` takes it if it returns `false`,
/// `store(false, ..)` lets it go. Each of two threads tries once to take it
/// (a spin lock tries in a loop; one try is enough to show the orderings) and,
/// if it got it, adds 1 to a total in two separate steps, a load and a store,
/// which only the lock keeps together. At the end the total must equal the
/// number of threads that got the lock.
#[derive(Clone, Copy, Debug)]
pub struct SpinLock {
    /// The `swap(true, ..)` that takes the lock.
    pub lock: Ordering,
    /// The `store(false, ..)` that lets it go.
    pub unlock: Ordering,
}

impl Case for SpinLock {
    fn orderings(&mut self) -> Vec<Choice<'_>> {
        vec![
            choice("lock", Operation::ReadModifyWrite, &mut self.lock),
            choice("unlock", Operation::Store, &mut self.unlock),
        ]
    }

    fn run(self) {
        let locked = Arc::new(AtomicBool::new(false));
        let total = Arc::new(AtomicU32::new(0));
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (locked, total) = (Arc::clone(&locked), Arc::clone(&total));
                thread::spawn(move || {
                    if locked.swap(true, self.lock) {
                        return false; // Taken: give up.
                    }
                    let seen = total.load(Ordering::Relaxed);
                    total.store(seen + 1, Ordering::Relaxed);
                    locked.store(false, self.unlock);
                    true
                })
            })
            .collect();
        let holders: u32 = workers
            .into_iter()
            .map(|w| u32::from(w.join().unwrap()))
            .sum();
        assert_eq!(
            total.load(Ordering::Relaxed),
            holders,
            "an increment was lost"
        );
    }
}

/// Message passing again, but the store and the load of `ready` are `Relaxed`
/// and fences do the ordering: the writer's fence comes before its store, the
/// reader's after its load.
#[derive(Clone, Copy, Debug)]
pub struct FencePublication {
    /// The writer's fence, between the data store and the store of `ready`.
    /// `Relaxed` means no fence.
    pub release_fence: Ordering,
    /// The reader's fence, after it saw `ready` and before it loads the data.
    /// `Relaxed` means no fence.
    pub acquire_fence: Ordering,
}

impl Case for FencePublication {
    fn orderings(&mut self) -> Vec<Choice<'_>> {
        vec![
            choice("release_fence", Operation::Fence, &mut self.release_fence),
            choice("acquire_fence", Operation::Fence, &mut self.acquire_fence),
        ]
    }

    fn run(self) {
        let data = Arc::new(AtomicU32::new(0));
        let ready = Arc::new(AtomicBool::new(false));
        let writer = {
            let (data, ready) = (Arc::clone(&data), Arc::clone(&ready));
            thread::spawn(move || {
                data.store(42, Ordering::Relaxed);
                fence(self.release_fence);
                ready.store(true, Ordering::Relaxed);
            })
        };
        if ready.load(Ordering::Relaxed) {
            fence(self.acquire_fence);
            assert_eq!(
                data.load(Ordering::Relaxed),
                42,
                "saw `ready` but not the data"
            );
        }
        writer.join().unwrap();
    }
}

/// A shared value with a count of handles, as in `Arc`. Each of two handles
/// uses the value and then drops itself, decrementing the count; the handle
/// that takes the count to zero tears the value down, and must see every use
/// the other handle made. (Handle `i` records its use in `used[i]`; the
/// teardown checks both.)
#[derive(Clone, Copy, Debug)]
pub struct RefCount {
    /// Each handle's `fetch_sub(1, ..)` of the count.
    pub decrement: Ordering,
    /// The fence the last handle runs before the teardown. `Relaxed` means no
    /// fence.
    pub fence: Ordering,
}

impl Case for RefCount {
    fn orderings(&mut self) -> Vec<Choice<'_>> {
        vec![
            choice("decrement", Operation::ReadModifyWrite, &mut self.decrement),
            choice("fence", Operation::Fence, &mut self.fence),
        ]
    }

    fn run(self) {
        let handles = Arc::new(AtomicUsize::new(2));
        let used = Arc::new([AtomicBool::new(false), AtomicBool::new(false)]);
        let drop_handle = move |id: usize, handles: &AtomicUsize, used: &[AtomicBool; 2]| {
            used[id].store(true, Ordering::Relaxed);
            if handles.fetch_sub(1, self.decrement) == 1 {
                fence(self.fence);
                let seen = used.iter().all(|use_| use_.load(Ordering::Relaxed));
                assert!(
                    seen,
                    "the last handle tore the value down before seeing every use"
                );
            }
        };
        let other = {
            let (handles, used) = (Arc::clone(&handles), Arc::clone(&used));
            thread::spawn(move || drop_handle(1, &handles, &used))
        };
        drop_handle(0, &handles, &used);
        other.join().unwrap();
    }
}

fn choice<'a>(name: &'static str, operation: Operation, ordering: &'a mut Ordering) -> Choice<'a> {
    Choice {
        name,
        operation,
        ordering,
    }
}
