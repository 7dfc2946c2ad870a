//! A long-lived thread, pinned to its own core, that does its share of each
//! timed round while the bench thread does the other.

use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use core_affinity::CoreId;

use crate::patience::Patience;
use crate::signals::{Signals, Watch, lock};
use crate::{pin, preemption};

/// The peer thread of a two-thread benchmark, holding state `S` across rounds.
///
/// Spawn one per benchmark, outside the timed region, and time each batch with
/// [`Peer::round`]. Between rounds the peer sleeps in a blocking receive, so it
/// leaves its core to criterion's analysis; within a round both threads
/// busy-wait.
pub struct Peer<S> {
    /// Round sizes, one message per round. Dropping it ends the thread.
    commands: mpsc::Sender<u64>,
    watch: Watch,
    /// Rounds started so far, counted the same way by the peer.
    rounds: u64,
    /// Involuntary context switches of this (the bench) thread during rounds.
    preempted: Option<u64>,
    /// The peer's state and its own count of involuntary context switches.
    thread: JoinHandle<(S, Option<u64>)>,
}

/// What [`Peer::stop`] hands back.
pub struct Stopped<S> {
    /// The state the peer's job worked on.
    pub state: S,
    /// How often the scheduler took the core away from the bench thread during
    /// rounds, or `None` where the system does not count it.
    pub bench_preempted: Option<u64>,
    /// The same for the peer thread.
    pub peer_preempted: Option<u64>,
}

impl<S: Send + 'static> Peer<S> {
    /// Spawns the peer thread, pinned to `core` if one is given, owning `state`.
    ///
    /// Each round, the thread calls `job(&mut state, n)`. A job that returns
    /// `Err(why)` fails the benchmark: [`Peer::round`], or a [`Watch`] the bench
    /// thread checks while it waits, panics with `why`.
    ///
    /// # Panics
    ///
    /// If the thread cannot be spawned.
    pub fn spawn<F>(core: Option<CoreId>, mut state: S, mut job: F) -> Self
    where
        F: FnMut(&mut S, u64) -> Result<(), String> + Send + 'static,
    {
        let (commands, inbox) = mpsc::channel::<u64>();
        let signals = Arc::new(Signals::default());
        let peer_signals = Arc::clone(&signals);
        let thread = thread::Builder::new()
            .name("bench-peer".to_owned())
            .spawn(move || {
                if let Some(core) = core {
                    pin::pin_current(core);
                }
                let mut round = 0;
                let mut preempted = Some(0);
                while let Ok(n) = inbox.recv() {
                    round += 1;
                    // Read outside the timed span: the clock starts only once
                    // `started` is stored, and stops once `finished` is.
                    let before = preemption::count();
                    // Relaxed: no data travels with this signal; it only tells the
                    // bench thread (its Relaxed load in `round`) that we are awake.
                    peer_signals.started.store(round, Ordering::Relaxed);
                    if let Err(why) = job(&mut state, n) {
                        *lock(&peer_signals.failure) = Some(why);
                    }
                    // Release: pairs with the bench thread's Acquire load in
                    // `round`, so all the job did is visible to it once it sees
                    // the round finished.
                    peer_signals.finished.store(round, Ordering::Release);
                    preemption::add(&mut preempted, before, preemption::count());
                }
                (state, preempted)
            })
            .expect("could not spawn the benchmark's peer thread");
        Self {
            commands,
            watch: Watch(signals),
            rounds: 0,
            preempted: Some(0),
            thread,
        }
    }

    /// A [`Watch`] on this peer, for the bench thread's share of a round.
    pub fn watch(&self) -> Watch {
        self.watch.clone()
    }

    /// Runs one round of size `n` and returns how long it took: the peer runs its
    /// job while this thread runs `here`.
    ///
    /// The clock starts once the peer is awake and waiting for work (so waking it
    /// is not timed) and stops when both `here` has returned and the peer has
    /// finished. Pass the result to criterion's `iter_custom`.
    ///
    /// # Panics
    ///
    /// If the peer's job failed, if the peer thread has died, or if the peer has
    /// not woken up or finished within 10 s.
    pub fn round(&mut self, n: u64, here: impl FnOnce()) -> Duration {
        self.rounds += 1;
        let preempted_before = preemption::count();
        self.commands
            .send(n)
            .expect("the benchmark's peer thread has died");

        let signals = &self.watch.0;
        let mut patience = Patience::new();
        // Relaxed: pairs with the peer's Relaxed store; we only wait for it to be
        // awake, and read nothing it wrote.
        while signals.started.load(Ordering::Relaxed) != self.rounds {
            patience.spin("the benchmark's peer thread did not wake up", &self.watch);
        }

        let start = Instant::now();
        here();
        let mut patience = Patience::new();
        // Acquire: pairs with the peer's Release store of `finished`.
        while signals.finished.load(Ordering::Acquire) != self.rounds {
            patience.spin(
                "the benchmark's peer thread did not finish its share of the round \
                 (a queue that loses values never delivers all of them)",
                &self.watch,
            );
        }
        let elapsed = start.elapsed();
        preemption::add(&mut self.preempted, preempted_before, preemption::count());
        self.watch.check();
        elapsed
    }

    /// Ends the peer thread and returns its state, with how often each thread
    /// was preempted during the rounds.
    ///
    /// # Panics
    ///
    /// With the peer thread's panic, if it panicked.
    pub fn stop(self) -> Stopped<S> {
        let Self {
            commands,
            preempted,
            thread,
            ..
        } = self;
        // The peer's receive fails once no sender is left, which ends its loop.
        drop(commands);
        let (state, peer_preempted) = thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Stopped {
            state,
            bench_preempted: preempted,
            peer_preempted,
        }
    }
}
