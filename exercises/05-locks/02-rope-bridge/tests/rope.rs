//! The rope bridge's specification. A checker that every traveller reports to
//! while on the rope enforces rules 1 and 2; scripted scenarios hold travellers
//! on the rope to force the interleavings that break each rule, every run; and
//! random crossings on many threads look for anything else, with a deadline
//! for a rope that stops moving. The solution runs these same tests.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use rope_bridge::{CAPACITY, Rope, Side};
use test_support::deadline::Threads;
use test_support::gate::Gate;
use test_support::random::{Rng, Seed, jitter};
use test_support::stress;

// --- The checker ------------------------------------------------------------------

/// Counts who is on the rope, as the travellers report it, and fails the
/// traveller that breaks rule 1 or 2.
#[derive(Default)]
struct Checker {
    on_rope: Mutex<[usize; 2]>,
}

impl Checker {
    fn counts(&self) -> std::sync::MutexGuard<'_, [usize; 2]> {
        self.on_rope.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Called by a traveller from `from` once it is on the rope.
    fn enter(&self, from: Side) {
        let mut counts = self.counts();
        let (mine, theirs) = (index(from), index(from.other()));
        assert!(
            counts[theirs] == 0,
            "rule 2 broken: a traveller from the {from:?} got on with {} from the {:?} \
             still on the rope",
            counts[theirs],
            from.other()
        );
        counts[mine] += 1;
        assert!(
            counts[mine] <= CAPACITY,
            "rule 1 broken: {} travellers on a rope that holds {CAPACITY}",
            counts[mine]
        );
    }

    /// Called by a traveller from `from` just before it gets off.
    fn leave(&self, from: Side) {
        self.counts()[index(from)] -= 1;
    }

    fn on_rope(&self, from: Side) -> usize {
        self.counts()[index(from)]
    }
}

fn index(side: Side) -> usize {
    match side {
        Side::Left => 0,
        Side::Right => 1,
    }
}

// --- Scripting ----------------------------------------------------------------------

/// Polls `done` until it holds; panics with `what` after 5 s.
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "deadlock? waited 5 s for {what}"
        );
        thread::sleep(Duration::from_millis(1));
    }
}

struct Scene {
    rope: Arc<Rope>,
    checker: Arc<Checker>,
    gate: Arc<Gate>,
    threads: Threads,
    /// Who got on, in order.
    boarded: Arc<Mutex<Vec<String>>>,
}

impl Scene {
    fn new() -> Self {
        Self {
            rope: Arc::new(Rope::new()),
            checker: Arc::default(),
            gate: Arc::default(),
            threads: Threads::new(),
            boarded: Arc::default(),
        }
    }

    /// Starts traveller `name` from `from`; if `held`, it stays on the rope
    /// until the gate opens.
    fn start(&mut self, name: &str, from: Side, held: bool) {
        let (rope, checker, gate) = (
            Arc::clone(&self.rope),
            Arc::clone(&self.checker),
            Arc::clone(&self.gate),
        );
        let boarded = Arc::clone(&self.boarded);
        let who = name.to_owned();
        self.threads.spawn(name, move || {
            rope.cross(from, || {
                boarded.lock().unwrap().push(who);
                checker.enter(from);
                if held {
                    gate.wait();
                }
                checker.leave(from);
            });
        });
    }

    /// Waits until `name` has either got on or is waiting at its edge, and
    /// says which.
    fn got_on(&self, name: &str, from: Side, waiting_before: usize) -> bool {
        let mut on = false;
        wait_until(&format!("{name} to get on or wait"), || {
            on = self.boarded.lock().unwrap().iter().any(|who| who == name);
            on || self.rope.waiting(from) > waiting_before
        });
        on
    }

    fn finish(self) -> Vec<String> {
        self.gate.open();
        self.threads.join();
        Arc::try_unwrap(self.boarded).unwrap().into_inner().unwrap()
    }
}

// --- One traveller ------------------------------------------------------------------

#[test_support::test]
fn a_lone_traveller_crosses_and_brings_back_what_it_carried() {
    let rope = Rope::new();
    assert_eq!(rope.cross(Side::Left, || 42), 42);
    assert_eq!(rope.cross(Side::Right, || "back"), "back");
    assert_eq!(rope.waiting(Side::Left), 0);
    assert_eq!(rope.waiting(Side::Right), 0);
}

// --- Scripted scenarios: each forces the interleaving that breaks one rule ------------

#[test_support::test]
fn rule_1_a_full_rope_takes_nobody_else() {
    let mut scene = Scene::new();
    for n in 0..CAPACITY {
        scene.start(&format!("left {n}"), Side::Left, true);
    }
    wait_until(&format!("{CAPACITY} travellers on an empty rope"), || {
        scene.checker.on_rope(Side::Left) == CAPACITY
    });
    scene.start("one too many", Side::Left, true);
    let on = scene.got_on("one too many", Side::Left, 0);
    assert!(
        !on,
        "rule 1 broken: a traveller got on a rope that already held {CAPACITY}"
    );
    scene.finish();
}

#[test_support::test]
fn rule_2_nobody_gets_on_against_the_traffic() {
    let mut scene = Scene::new();
    scene.start("left", Side::Left, true);
    wait_until("a traveller on an empty rope", || {
        scene.checker.on_rope(Side::Left) == 1
    });
    scene.start("right", Side::Right, false);
    let on = scene.got_on("right", Side::Right, 0);
    assert!(
        !on,
        "rule 2 broken: a traveller from the right got on while one from the left was on \
         the rope"
    );
    assert_eq!(
        (
            scene.rope.waiting(Side::Left),
            scene.rope.waiting(Side::Right)
        ),
        (0, 1),
        "(waiting(Left), waiting(Right)) should count only the traveller waiting at the right"
    );
    let order = scene.finish();
    assert_eq!(order, ["left", "right"]);
}

#[test_support::test]
fn rule_3_a_waiting_traveller_is_not_overtaken_from_the_other_edge() {
    let mut scene = Scene::new();
    scene.start("left 1", Side::Left, true);
    wait_until("a traveller on an empty rope", || {
        scene.checker.on_rope(Side::Left) == 1
    });
    scene.start("right", Side::Right, false);
    assert!(
        !scene.got_on("right", Side::Right, 0),
        "rule 2 broken: a traveller from the right got on while one from the left was on \
         the rope"
    );
    // The right traveller waits. Another from the left arrives: if it may get
    // on, so may the next and the next, and the right one waits for ever.
    scene.start("left 2", Side::Left, false);
    let on = scene.got_on("left 2", Side::Left, 0);
    assert!(
        !on,
        "rule 3 broken: a traveller from the left got on while one from the right was \
         waiting; a steady stream from the left would keep the right off the rope for ever"
    );
    let order = scene.finish();
    assert_eq!(
        order,
        ["left 1", "right", "left 2"],
        "the travellers got on in the wrong order (left): the right traveller waited \
         longest, so it must get on before \"left 2\""
    );
}

// --- Many threads, random crossings -----------------------------------------------

#[test_support::test]
fn random_crossings_keep_the_rules_and_all_get_across() {
    const TRAVELLERS: u64 = 8;
    let seed = Seed::from_env_or_random("random_crossings_keep_the_rules_and_all_get_across");
    let rope = Arc::new(Rope::new());
    let checker = Arc::new(Checker::default());
    let mut threads = Threads::new();
    for id in 0..TRAVELLERS {
        let (rope, checker) = (Arc::clone(&rope), Arc::clone(&checker));
        threads.spawn(&format!("traveller {id}"), move || {
            let mut rng = seed.rng(id);
            for _ in 0..stress::scaled(60) {
                let from = if rng.random() { Side::Left } else { Side::Right };
                rope.cross(from, || {
                    checker.enter(from);
                    jitter(&mut rng, Duration::from_micros(300));
                    checker.leave(from);
                });
                jitter(&mut rng, Duration::from_micros(300));
            }
        });
    }
    threads.join();
    assert_eq!(rope.waiting(Side::Left) + rope.waiting(Side::Right), 0);
}

/// A stream from the left keeps the rope busy (and often full) while one
/// traveller comes from the right. Besides getting across, the right traveller
/// must not be overtaken: a left traveller that saw it waiting before setting
/// off gets on after it. The overtaking needs an unlucky order of wake-ups
/// (say, a left traveller that waits only for room claiming the turn first), so
/// the scene runs several rounds.
#[test_support::test]
fn a_steady_stream_from_one_edge_lets_the_other_across() {
    stress::repeat(20, |_| stream_against_one_traveller());
}

fn stream_against_one_traveller() {
    const STREAM: usize = CAPACITY + 2;
    let rope = Arc::new(Rope::new());
    let checker = Arc::new(Checker::default());
    let stop = Arc::new(AtomicBool::new(false));
    let right_on = Arc::new(AtomicBool::new(false));
    let mut threads = Threads::new();
    for id in 0..STREAM {
        let (rope, checker, stop, right_on) = (
            Arc::clone(&rope),
            Arc::clone(&checker),
            Arc::clone(&stop),
            Arc::clone(&right_on),
        );
        threads.spawn(&format!("left {id}"), move || {
            while !stop.load(Ordering::SeqCst) {
                // SeqCst, here and below: the test's own flags, kept simple.
                let saw_right_waiting =
                    rope.waiting(Side::Right) > 0 && !right_on.load(Ordering::SeqCst);
                rope.cross(Side::Left, || {
                    checker.enter(Side::Left);
                    assert!(
                        !saw_right_waiting || right_on.load(Ordering::SeqCst),
                        "rule 3 broken: \"left {id}\" set off while the right traveller was \
                         already waiting, yet got on before it; a stream from the left that \
                         keeps doing this keeps the right traveller off the rope. Which \
                         travellers may claim the turn, and when?"
                    );
                    thread::sleep(Duration::from_millis(1));
                    checker.leave(Side::Left);
                });
            }
        });
    }
    wait_until("the stream from the left to start", || {
        checker.on_rope(Side::Left) > 0
    });
    let (rope_r, checker_r, stop_r) = (Arc::clone(&rope), Arc::clone(&checker), Arc::clone(&stop));
    threads.spawn("right (against the stream)", move || {
        rope_r.cross(Side::Right, || {
            right_on.store(true, Ordering::SeqCst);
            checker_r.enter(Side::Right);
            checker_r.leave(Side::Right);
        });
        // Across: the stream may stop. A right traveller kept waiting for
        // ever leaves the stream running and every thread still running at
        // the deadline.
        stop_r.store(true, Ordering::SeqCst);
    });
    threads.join();
}
