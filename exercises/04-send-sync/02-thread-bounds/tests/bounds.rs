//! The thread-bounds specification: compile checks for `Send` and `Sync`, and
//! what the two types do at run time. The solution runs these same tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use test_support::compile::{self, Case, Expect::*};
use test_support::crate_under_test;
use test_support::deadline::Threads;
use thread_bounds::{Meter, OnceSlot};

#[test_support::test]
fn send_and_sync_are_exactly_right() {
    compile::check(
        crate_under_test!("thread_bounds"),
        &[
            Case {
                name: "meter_is_send",
                why: "A Meter owns its buffer alone, so moving it to another thread is safe.",
                code: "fn f() { assert_send::<thread_bounds::Meter>(); }",
                expect: Compiles,
            },
            Case {
                name: "meter_moves_to_a_thread",
                why: "Moving a Meter into a spawned thread is the point of it being Send.",
                code: "fn f() {
                let meter = thread_bounds::Meter::new(4);
                std::thread::spawn(move || meter.record(1)).join().unwrap();
            }",
                expect: Compiles,
            },
            Case {
                name: "meter_is_not_sync",
                why: "Two threads calling `record(&self)` at once would race on the counters and the Cell.",
                code: "fn f() { assert_sync::<thread_bounds::Meter>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "meter_cannot_be_shared_by_scoped_threads",
                why: "Sharing `&Meter` between threads needs Meter: Sync, which it must not be.",
                code: "fn f() {
                let meter = thread_bounds::Meter::new(2);
                std::thread::scope(|s| {
                    s.spawn(|| meter.record(0));
                    s.spawn(|| meter.record(1));
                });
            }",
                expect: Error("E0277"),
            },
            Case {
                name: "slot_of_string_is_send_and_sync",
                why: "A String may be sent between threads and read from several, so the slot may be shared.",
                code: "fn f() {
                assert_send::<thread_bounds::OnceSlot<String>>();
                assert_sync::<thread_bounds::OnceSlot<String>>();
            }",
                expect: Compiles,
            },
            Case {
                name: "slot_of_rc_is_not_sync",
                why: "Two threads cloning the same Rc through `get` would update its count without atomics.",
                code: "fn f() { assert_sync::<thread_bounds::OnceSlot<std::rc::Rc<u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "slot_of_rc_is_not_send",
                why: "Moving a slot moves its value: an Rc sent to another thread while its clones stay \
                  behind would have its count updated by two threads without atomics. The compiler \
                  works out OnceSlot's `Send` from its fields; an `unsafe impl Send` for every T \
                  replaces that with a false promise.",
                code: "fn f() { assert_send::<thread_bounds::OnceSlot<std::rc::Rc<u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "slot_of_cell_is_not_sync",
                why: "A Cell is Send but not Sync: `get` would let two threads `set` the same Cell at once.",
                code: "fn f() { assert_sync::<thread_bounds::OnceSlot<std::cell::Cell<u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "slot_of_mutex_guard_is_not_sync",
                why: "A MutexGuard is Sync but not Send: another thread could `set` it into a shared slot, \
                  and the slot's owner would then unlock the mutex from the wrong thread.",
                code: "fn f() { assert_sync::<thread_bounds::OnceSlot<std::sync::MutexGuard<'static, u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "slot_of_rc_still_works_on_one_thread",
                why: "The bounds belong on the Sync impl, not on the type: one thread may use any T.",
                code: "fn f() {
                let slot = thread_bounds::OnceSlot::new();
                assert!(slot.set(std::rc::Rc::new(5)).is_ok());
                assert_eq!(slot.get().map(|rc| **rc), Some(5));
            }",
                expect: Compiles,
            },
        ],
    );
}

#[test_support::test]
fn a_meter_counts_per_bucket() {
    let meter = Meter::new(3);
    meter.record(0);
    meter.record(2);
    meter.record(2);
    assert_eq!([meter.count(0), meter.count(1), meter.count(2)], [1, 0, 2]);
    assert_eq!(meter.total(), 3);
}

#[test_support::test]
fn a_slot_is_filled_once() {
    let slot = OnceSlot::new();
    assert_eq!(slot.get(), None);
    assert_eq!(slot.set("first".to_owned()), Ok(()));
    assert_eq!(slot.set("second".to_owned()), Err("second".to_owned()));
    assert_eq!(slot.get().map(String::as_str), Some("first"));
}

/// Counts how many times its values are dropped.
struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        // Relaxed: the count is read after the threads are joined.
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test_support::test]
fn a_slot_drops_its_value_once_and_an_empty_slot_drops_nothing() {
    let drops = Arc::new(AtomicUsize::new(0));
    let slot = OnceSlot::new();
    assert!(slot.set(DropCounter(Arc::clone(&drops))).is_ok());
    let refused = slot.set(DropCounter(Arc::clone(&drops)));
    drop(refused);
    drop(slot);
    drop(OnceSlot::<DropCounter>::new());
    // Relaxed: everything ran on this thread.
    assert_eq!(
        drops.load(Ordering::Relaxed),
        2,
        "the count of drops (left) is not 2: the refused value and the stored value must \
         each be dropped once, and an empty slot drops nothing"
    );
}

#[test_support::test]
fn racing_setters_leave_exactly_one_value_that_readers_see_whole() {
    test_support::stress::repeat(50, |_| {
        let slot = Arc::new(OnceSlot::new());
        let mut threads = Threads::new();
        for writer in 0..2 {
            let slot = Arc::clone(&slot);
            threads.spawn(&format!("writer {writer}"), move || {
                let _ = slot.set(vec![writer; 64]);
            });
        }
        let reader_slot = Arc::clone(&slot);
        threads.spawn("reader", move || {
            let value = loop {
                if let Some(value) = reader_slot.get() {
                    break value;
                }
                std::thread::yield_now();
            };
            assert!(
                value.iter().all(|&x| x == value[0]),
                "the reader saw a half-written value"
            );
        });
        threads.join();
        assert_eq!(slot.get().map(Vec::len), Some(64));
    });
}
