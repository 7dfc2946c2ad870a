//! Rocket prep's specification. A mission log that every role reports to
//! checks the rules as they happen; scripted scenarios force the moments where
//! each rule can break, every run; random supplies and delays on many threads
//! look for anything else, with a deadline for a launch that never comes. The
//! solution runs these same tests.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rocket_prep::{LaunchPad, ROCKETS, Supply};
use test_support::deadline::{Threads, comes_true_within};
use test_support::gate::Gate;
use test_support::random::{Rng, Seed, SmallRng, jitter};
use test_support::stress;

// --- The mission log: every role reports here, and it checks the rules -------------

#[derive(Default)]
struct Log {
    published: [AtomicUsize; 3],
    taken: [AtomicUsize; 3],
    reported_ready: AtomicUsize,
    countdown_started: AtomicBool,
    countdown_over: AtomicBool,
    lifted_off: AtomicUsize,
}

fn slot(item: Supply) -> usize {
    match item {
        Supply::Fuel => 0,
        Supply::Oxidizer => 1,
        Supply::Crew => 2,
    }
}

impl Log {
    /// The supplier: logs the unit, then puts it on the pad.
    fn supply(&self, pad: &LaunchPad, item: Supply) {
        self.published[slot(item)].fetch_add(1, Ordering::SeqCst);
        pad.publish(item);
    }

    /// A rocket: takes its supplies in order, reports ready, lifts off.
    fn rocket(&self, pad: &LaunchPad, rng: Option<&mut SmallRng>) {
        let mut rng = rng;
        for item in Supply::ALL {
            pad.take(item);
            let taken = self.taken[slot(item)].fetch_add(1, Ordering::SeqCst) + 1;
            let published = self.published[slot(item)].load(Ordering::SeqCst);
            assert!(
                taken <= published,
                "rule 1 broken: rockets have taken {taken} {item:?}, but only \
                 {published} were published"
            );
            if let Some(rng) = rng.as_deref_mut() {
                jitter(rng, Duration::from_micros(200));
            }
        }
        self.reported_ready.fetch_add(1, Ordering::SeqCst);
        pad.ready();
        assert!(
            self.countdown_over.load(Ordering::SeqCst),
            "rule 4 broken: a rocket lifted off before the countdown was over"
        );
        self.lifted_off.fetch_add(1, Ordering::SeqCst);
    }

    /// Launch control's countdown: checks rule 3, then runs `count` before
    /// calling the countdown over.
    fn countdown(&self, count: impl FnOnce()) {
        let ready = self.reported_ready.load(Ordering::SeqCst);
        assert_eq!(
            ready, ROCKETS,
            "rule 3 broken: the countdown started with {ready} of {ROCKETS} rockets ready"
        );
        self.countdown_started.store(true, Ordering::SeqCst);
        count();
        self.countdown_over.store(true, Ordering::SeqCst);
    }
}

// --- Scripting ----------------------------------------------------------------------

/// Polls `done` until it comes true; panics with `what` after 5 s.
fn wait_until(what: &str, done: impl FnMut() -> bool) {
    assert!(
        comes_true_within(Duration::from_secs(5), done),
        "deadlock? waited 5 s for {what}"
    );
}

/// How long a thread that is known to be at a call that must wait gets to
/// (wrongly) come out of it. A call that does not wait returns within
/// microseconds; the rest is margin for a loaded machine. Each scripted test
/// starts this window only once it has seen the thread reach the call, so
/// the time a busy machine takes to start a thread does not count.
const A_WHILE: Duration = Duration::from_millis(250);

fn spawn_rockets(threads: &mut Threads, pad: &Arc<LaunchPad>, log: &Arc<Log>) {
    for rocket in 0..ROCKETS {
        let (pad, log) = (Arc::clone(pad), Arc::clone(log));
        threads.spawn(&format!("rocket {rocket}"), move || log.rocket(&pad, None));
    }
}

fn supply_everything(pad: &LaunchPad, log: &Log) {
    for _ in 0..ROCKETS {
        for item in Supply::ALL {
            log.supply(pad, item);
        }
    }
}

// --- One thread ---------------------------------------------------------------------

#[test_support::test]
fn a_published_unit_sits_on_the_pad_until_taken() {
    let pad = LaunchPad::new();
    pad.publish(Supply::Oxidizer);
    pad.publish(Supply::Oxidizer);
    assert_eq!(pad.on_pad(Supply::Oxidizer), 2);
    assert_eq!(pad.on_pad(Supply::Fuel), 0);
    pad.take(Supply::Oxidizer);
    assert_eq!(
        pad.on_pad(Supply::Oxidizer),
        1,
        "two units of oxidizer were published and one taken, but the pad does not hold \
         one: take must remove exactly one unit"
    );
}

// --- Scripted scenarios: each forces the moment where one rule can break -------------

#[test_support::test]
fn rule_1_take_waits_for_a_unit_to_be_published() {
    let pad = Arc::new(LaunchPad::new());
    let taking = Arc::new(AtomicBool::new(false));
    let published = Arc::new(AtomicBool::new(false));
    let taken = Arc::new(AtomicBool::new(false));
    let mut threads = Threads::new();
    let (p, at_take, flag, done) = (
        Arc::clone(&pad),
        Arc::clone(&taking),
        Arc::clone(&published),
        Arc::clone(&taken),
    );
    threads.spawn("rocket", move || {
        at_take.store(true, Ordering::SeqCst);
        p.take(Supply::Crew);
        done.store(true, Ordering::SeqCst);
        assert!(
            flag.load(Ordering::SeqCst),
            "rule 1 broken: take(Crew) returned with no crew on the pad; it must wait"
        );
    });
    wait_until("the rocket to call take", || taking.load(Ordering::SeqCst));
    let returned = comes_true_within(A_WHILE, || taken.load(Ordering::SeqCst));
    published.store(true, Ordering::SeqCst);
    pad.publish(Supply::Crew);
    assert!(
        !returned,
        "rule 1 broken: take(Crew) returned with no crew on the pad; it must wait"
    );
    threads.join();
    assert_eq!(
        pad.on_pad(Supply::Crew),
        0,
        "the crew is still on the pad after the rocket's take(Crew) returned: take must \
         remove the unit it waited for"
    );
}

/// Starts one rocket and gives it its three units; returns once it has
/// reported ready.
fn one_rocket_ready(threads: &mut Threads, pad: &Arc<LaunchPad>, log: &Arc<Log>, name: &str) {
    let before = log.reported_ready.load(Ordering::SeqCst);
    let (p, l) = (Arc::clone(pad), Arc::clone(log));
    threads.spawn(name, move || l.rocket(&p, None));
    for item in Supply::ALL {
        log.supply(pad, item);
    }
    wait_until(&format!("{name} to report ready"), || {
        log.reported_ready.load(Ordering::SeqCst) > before
    });
}

#[test_support::test]
fn rule_3_the_countdown_waits_for_every_rocket() {
    let pad = Arc::new(LaunchPad::new());
    let log = Arc::new(Log::default());
    let launching = Arc::new(AtomicBool::new(false));
    let mut threads = Threads::new();
    let (p, l, at_launch) = (Arc::clone(&pad), Arc::clone(&log), Arc::clone(&launching));
    threads.spawn("launch control", move || {
        at_launch.store(true, Ordering::SeqCst);
        p.launch(|| l.countdown(|| {}));
    });
    wait_until("launch control to call launch", || {
        launching.load(Ordering::SeqCst)
    });
    // No rocket yet: the countdown must not start.
    let started = comes_true_within(A_WHILE, || log.countdown_started.load(Ordering::SeqCst));
    assert!(
        !started,
        "rule 3 broken: the countdown started before any rocket was ready"
    );
    // One rocket ready, and then a second: still not enough. (If it starts
    // now, the mission log fails launch control: the countdown started with
    // fewer than all rockets ready.)
    for rocket in 0..ROCKETS - 1 {
        one_rocket_ready(&mut threads, &pad, &log, &format!("rocket {rocket}"));
        let started = comes_true_within(A_WHILE, || log.countdown_started.load(Ordering::SeqCst));
        assert!(
            !started,
            "rule 3 broken: the countdown started with {} of {ROCKETS} rockets ready",
            rocket + 1
        );
    }
    one_rocket_ready(&mut threads, &pad, &log, "last rocket");
    threads.join();
    assert_eq!(log.lifted_off.load(Ordering::SeqCst), ROCKETS);
}

#[test_support::test]
fn rule_4_no_rocket_lifts_off_during_the_countdown() {
    let pad = Arc::new(LaunchPad::new());
    let log = Arc::new(Log::default());
    let gate = Arc::new(Gate::default());
    supply_everything(&pad, &log);
    let mut threads = Threads::new();
    spawn_rockets(&mut threads, &pad, &log);
    let (p, l, g) = (Arc::clone(&pad), Arc::clone(&log), Arc::clone(&gate));
    threads.spawn("launch control", move || {
        p.launch(|| l.countdown(|| g.wait()));
    });
    let started = comes_true_within(Duration::from_secs(5), || {
        log.countdown_started.load(Ordering::SeqCst)
    });
    // The countdown is held at the gate: nobody may lift off now.
    let lifted = comes_true_within(A_WHILE, || log.lifted_off.load(Ordering::SeqCst) > 0);
    gate.open();
    assert!(
        started,
        "deadlock? the countdown did not start within 5 s of every unit being published"
    );
    assert!(
        !lifted,
        "rule 4 broken: a rocket lifted off while the countdown was running"
    );
    threads.join();
    assert_eq!(log.lifted_off.load(Ordering::SeqCst), ROCKETS);
}

// --- Many threads, random supplies and delays ---------------------------------------

#[test_support::test]
fn random_supplies_and_delays_end_in_one_launch() {
    let seed = Seed::from_env_or_random("random_supplies_and_delays_end_in_one_launch");
    stress::repeat(40, |round| {
        let stream = round as u64 * 16;
        let pad = Arc::new(LaunchPad::new());
        let log = Arc::new(Log::default());
        let mut threads = Threads::new();
        for rocket in 0..ROCKETS as u64 {
            let (pad, log) = (Arc::clone(&pad), Arc::clone(&log));
            let mut rng = seed.rng(stream + rocket);
            threads.spawn(&format!("rocket {rocket}"), move || {
                log.rocket(&pad, Some(&mut rng));
            });
        }
        let (p, l) = (Arc::clone(&pad), Arc::clone(&log));
        let mut rng = seed.rng(stream + 8);
        threads.spawn("launch control", move || {
            p.launch(|| l.countdown(|| jitter(&mut rng, Duration::from_micros(500))));
        });
        // The supplier: every unit the rockets need, plus a few spare, shuffled.
        let mut rng = seed.rng(stream + 9);
        let mut units: Vec<Supply> = (0..ROCKETS).flat_map(|_| Supply::ALL).collect();
        let spare = rng.random_range(0..3);
        units.extend((0..spare).map(|_| Supply::ALL[rng.random_range(0..3)]));
        for i in (1..units.len()).rev() {
            units.swap(i, rng.random_range(0..=i));
        }
        for item in units {
            log.supply(&pad, item);
            jitter(&mut rng, Duration::from_micros(200));
        }
        threads.join();
        assert_eq!(log.lifted_off.load(Ordering::SeqCst), ROCKETS);
        let left: usize = Supply::ALL.iter().map(|&item| pad.on_pad(item)).sum();
        assert_eq!(
            left, spare,
            "after the launch the pad holds {left} units, but {spare} spare units were \
             published beyond what the rockets took: each take must remove exactly one unit, \
             and every unit not taken must stay on the pad"
        );
    });
}
