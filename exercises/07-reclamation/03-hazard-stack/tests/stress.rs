//! Threads at once: readers race a reclaimer over objects in the domain, and
//! pushing and popping threads share a stack. A run can show a bug, never prove
//! there is none; under Miri (`cargo workbook check hazard-stack`), which
//! reports every read of freed memory and replays fixed schedules with its
//! weak-memory emulation, these tests are how a missing fence shows up.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use hazard_stack::Stack;
use hazard_stack::domain::Domain;
use test_support::deadline::{Threads, progress};
use test_support::stress;
use test_support::sync::atomic::AtomicPtr;

/// What the domain's objects hold: a number that a reader checks, so that a
/// read of a freed object is a real read.
struct Payload(u64);

/// One reader protects and reads whatever `source` points to, while the
/// reclaimer swaps in new objects, retires the old ones, and scans after each.
#[test_support::test]
fn a_reader_never_reads_an_object_a_scan_freed() {
    let swaps = stress::scaled(20_000);
    stress::repeat(10, |_| {
        let domain = Arc::new(Domain::new());
        let source = Arc::new(AtomicPtr::new(Box::into_raw(Box::new(Payload(0)))));
        let mut threads = Threads::new();
        {
            let (domain, source) = (Arc::clone(&domain), Arc::clone(&source));
            threads.spawn("reader", move || {
                let mut hazard = domain.hazard();
                for _ in 0..swaps {
                    let object = hazard.protect(&source);
                    // SAFETY: what `protect` returns stays allocated until the
                    // hazard protects something else; that is what is tested.
                    let number = unsafe { (*object).0 };
                    assert!(
                        number <= swaps as u64,
                        "read {number} from a protected object, but no object ever held more \
                         than {swaps}: the object was freed while the hazard protected it"
                    );
                    hazard.clear();
                    progress();
                }
            });
        }
        {
            let (domain, source) = (Arc::clone(&domain), Arc::clone(&source));
            threads.spawn("reclaimer", move || {
                for number in 1..=swaps as u64 {
                    let fresh = Box::into_raw(Box::new(Payload(number)));
                    // AcqRel: publishes `fresh` to the reader's Acquire load in
                    // `protect`, and our unlinking of `old` before we retire it.
                    let old = source.swap(fresh, Ordering::AcqRel);
                    // SAFETY: `old` came from `Box::into_raw`, is unreachable
                    // from `source` now, and only this thread retires it.
                    unsafe { domain.retire(old) };
                    domain.scan();
                    progress();
                }
            });
        }
        threads.join();
        let last = source.swap(std::ptr::null_mut(), Ordering::AcqRel);
        // SAFETY: both threads have finished; `last` is unlinked and retired once.
        unsafe { domain.retire(last) };
    });
}

const PUSHERS: u64 = 2;
const POPPERS: usize = 2;

/// One round: the pushers push `per_pusher` values each while the poppers pop
/// until all have been taken. Returns every value popped, sorted.
fn run_round(per_pusher: u64) -> Vec<u64> {
    let stack = Arc::new(Stack::new());
    let total = (PUSHERS * per_pusher) as usize;
    let taken = Arc::new(AtomicUsize::new(0));
    let popped = Arc::new(Mutex::new(Vec::with_capacity(total)));
    let mut threads = Threads::new();
    for pusher in 0..PUSHERS {
        let stack = Arc::clone(&stack);
        threads.spawn(&format!("pusher-{pusher}"), move || {
            for value in 0..per_pusher {
                stack.push(pusher * per_pusher + value);
                progress();
            }
        });
    }
    for popper in 0..POPPERS {
        let (stack, taken, popped) = (Arc::clone(&stack), Arc::clone(&taken), Arc::clone(&popped));
        threads.spawn(&format!("popper-{popper}"), move || {
            let mut mine = Vec::new();
            // Relaxed: `taken` only counts; the values travel through the stack.
            while taken.load(Ordering::Relaxed) < total {
                let Some(value) = stack.pop() else {
                    std::thread::yield_now();
                    continue;
                };
                // Relaxed: see above.
                taken.fetch_add(1, Ordering::Relaxed);
                mine.push(value);
                progress();
            }
            popped.lock().unwrap_or_else(PoisonError::into_inner).extend(mine);
        });
    }
    threads.join();
    assert_eq!(stack.pop(), None, "every value was popped, so the stack must be empty");
    let mut popped = Arc::try_unwrap(popped)
        .expect("a clone of the Arc outlived its thread")
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    popped.sort_unstable();
    popped
}

#[test_support::test]
fn every_value_comes_out_exactly_once() {
    let per_pusher = stress::scaled(50_000) as u64;
    let expected: Vec<u64> = (0..PUSHERS * per_pusher).collect();
    stress::repeat(10, |_| {
        let popped = run_round(per_pusher);
        assert!(
            popped == expected,
            "{PUSHERS} pushers pushed {} values and {POPPERS} poppers popped {} (sorted, the \
             first difference is at index {}): values were lost or duplicated",
            expected.len(),
            popped.len(),
            popped.iter().zip(&expected).take_while(|(a, b)| a == b).count()
        );
    });
}
