//! The dining philosophers' specification. Every meal checks that its two
//! forks are in no other hand (rule 1); a scripted scenario makes every
//! philosopher hold one fork at the same moment, the interleaving that
//! deadlocks a table where everyone starts on the same side (rule 2); and
//! random meals on many threads look for anything else, with a deadline. The
//! solution runs these same tests.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use dining_philosophers::Table;
use test_support::deadline::{Threads, comes_true_within, progress};
use test_support::random::{Seed, jitter};
use test_support::stress;

// --- The checker ------------------------------------------------------------------

/// Which forks are in a hand, as the philosophers report it while eating.
struct Forks(Vec<AtomicBool>);

impl Forks {
    fn new(table: &Table) -> Self {
        Forks((0..table.philosophers()).map(|_| AtomicBool::new(false)).collect())
    }

    /// Eats with both forks of `seat`, failing if either is already in use.
    fn eat(&self, table: &Table, seat: usize, chew: impl FnOnce()) {
        let (left, right) = table.forks_of(seat);
        for fork in [left, right] {
            assert!(
                !self.0[fork].swap(true, Ordering::SeqCst),
                "rule 1 broken: philosopher {seat} eats with fork {fork}, which a \
                 neighbour is eating with"
            );
        }
        chew();
        for fork in [left, right] {
            self.0[fork].store(false, Ordering::SeqCst);
        }
    }
}

/// Makes philosophers wait, holding their first fork, until all of them hold
/// one or a second has passed.
struct Rendezvous {
    expected: usize,
    arrived: Mutex<usize>,
    changed: Condvar,
}

impl Rendezvous {
    fn new(expected: usize) -> Self {
        Self {
            expected,
            arrived: Mutex::new(0),
            changed: Condvar::new(),
        }
    }

    fn arrive(&self) {
        let mut arrived = self.arrived.lock().unwrap_or_else(PoisonError::into_inner);
        *arrived += 1;
        self.changed.notify_all();
        let (arrived, _) = self
            .changed
            .wait_timeout_while(arrived, Duration::from_secs(1), |arrived| {
                *arrived < self.expected
            })
            .unwrap_or_else(PoisonError::into_inner);
        drop(arrived);
    }

    fn most(&self) -> usize {
        *self.arrived.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

// --- One thread ---------------------------------------------------------------------

#[test_support::test]
fn each_philosopher_has_the_forks_on_either_side() {
    let table = Table::new(5);
    assert_eq!(table.philosophers(), 5);
    assert_eq!(table.forks_of(0), (0, 1));
    assert_eq!(
        table.forks_of(4),
        (4, 0),
        "forks_of(4) at a table of 5 must be (4, 0): the last philosopher's right fork is fork 0"
    );
}

#[test_support::test]
fn a_lone_diner_eats() {
    let table = Table::new(3);
    assert_eq!(table.dine(1, || {}, || "soup"), "soup");
    assert_eq!(
        table.dine(1, || {}, || "again"),
        "again",
        "a second meal did not return what was eaten: dine must return what `eat` returns, \
         every time"
    );
}

// --- The `between` callback, which the scripted tests rely on -----------------------

#[test_support::test]
fn dine_calls_between_once_before_eating() {
    let table = Table::new(2);
    let events = RefCell::new(Vec::new());
    table.dine(
        0,
        || events.borrow_mut().push("between"),
        || events.borrow_mut().push("eat"),
    );
    assert_eq!(
        *events.borrow(),
        ["between", "eat"],
        "dine must call `between` exactly once, after taking the first fork and before \
         taking the second: the deadlock scenarios below use it to hold a philosopher with \
         one fork in hand, and prove nothing without it"
    );
}

/// How long philosopher 1, once running, gets to eat (wrongly) while
/// philosopher 0 is in `between`. A philosopher that can eat does so within
/// microseconds; this is the margin for a loaded machine.
const A_WHILE: Duration = Duration::from_millis(500);

/// At a table of two, both philosophers need both forks. While philosopher 0 is
/// in `between`, it holds a fork, so philosopher 1 cannot eat; if it can,
/// `between` is called before the first fork is taken.
#[test_support::test]
fn between_is_called_with_a_fork_in_hand() {
    let table = Arc::new(Table::new(2));
    let in_between = Arc::new(AtomicBool::new(false));
    let neighbour_running = Arc::new(AtomicBool::new(false));
    let neighbour_ate = Arc::new(AtomicBool::new(false));
    let mut threads = Threads::new();
    {
        let (table, in_between, running, ate) = (
            Arc::clone(&table),
            Arc::clone(&in_between),
            Arc::clone(&neighbour_running),
            Arc::clone(&neighbour_ate),
        );
        threads.spawn("philosopher 0", move || {
            let between = || {
                in_between.store(true, Ordering::SeqCst);
                assert!(
                    comes_true_within(Duration::from_secs(5), || running.load(Ordering::SeqCst)),
                    "philosopher 1 did not start within 5 s"
                );
                let neighbour_ate = comes_true_within(A_WHILE, || ate.load(Ordering::SeqCst));
                assert!(
                    !neighbour_ate,
                    "philosopher 1 ate while philosopher 0 was in `between`, so philosopher 0 \
                     held no fork there: call `between` after taking the first fork, not before"
                );
            };
            table.dine(0, between, || {});
        });
    }
    assert!(
        comes_true_within(Duration::from_secs(5), || in_between.load(Ordering::SeqCst)),
        "philosopher 0, alone at the table, never called `between`"
    );
    threads.spawn("philosopher 1", move || {
        neighbour_running.store(true, Ordering::SeqCst);
        table.dine(1, || {}, || neighbour_ate.store(true, Ordering::SeqCst));
    });
    threads.join();
}

// --- Scripted: everyone holds one fork at the same moment ---------------------------

/// Every philosopher comes to eat once, and each waits (up to a second) with
/// its first fork in hand until all of them have one.
fn everyone_grabs_one_fork(philosophers: usize) {
    let table = Arc::new(Table::new(philosophers));
    let forks = Arc::new(Forks::new(&table));
    let rendezvous = Arc::new(Rendezvous::new(philosophers));
    let mut threads = Threads::with_limit(Duration::from_secs(5));
    for seat in 0..philosophers {
        let (table, forks, rendezvous) =
            (Arc::clone(&table), Arc::clone(&forks), Arc::clone(&rendezvous));
        threads.spawn(&format!("philosopher {seat}"), move || {
            table.dine(seat, || rendezvous.arrive(), || forks.eat(&table, seat, || {}));
        });
    }
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| threads.join())) {
        let most = rendezvous.most();
        let why = payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        panic!(
            "{why}\n{most} of {philosophers} philosophers held a fork at the same moment. \
             If all of them hold one, each waits for a fork its neighbour holds: rule 2 broken."
        );
    }
}

#[test_support::test]
fn rule_2_five_philosophers_each_holding_one_fork_do_not_deadlock() {
    everyone_grabs_one_fork(5);
}

#[test_support::test]
fn rule_2_two_philosophers_each_holding_one_fork_do_not_deadlock() {
    everyone_grabs_one_fork(2);
}

// --- Many threads, random meals ---------------------------------------------------

#[test_support::test]
fn random_meals_keep_the_forks_apart_and_the_table_moving() {
    const PHILOSOPHERS: usize = 5;
    let seed = Seed::from_env_or_random("random_meals_keep_the_forks_apart_and_the_table_moving");
    let table = Arc::new(Table::new(PHILOSOPHERS));
    let forks = Arc::new(Forks::new(&table));
    let mut threads = Threads::new();
    for seat in 0..PHILOSOPHERS {
        let (table, forks) = (Arc::clone(&table), Arc::clone(&forks));
        threads.spawn(&format!("philosopher {seat}"), move || {
            let mut rng = seed.rng(seat as u64);
            for _ in 0..stress::scaled(150) {
                let mut pause = rng.clone();
                table.dine(
                    seat,
                    || jitter(&mut pause, Duration::from_micros(100)),
                    || forks.eat(&table, seat, || jitter(&mut rng, Duration::from_micros(200))),
                );
                progress();
                // Thinking.
                jitter(&mut rng, Duration::from_micros(200));
            }
        });
    }
    threads.join();
}
