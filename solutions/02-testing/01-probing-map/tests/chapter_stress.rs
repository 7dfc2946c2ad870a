//! The chapter's stress-test example (book/02-testing): the workbook's test
//! helpers on a map shared by four threads behind a `Mutex`.
//!
//! - `deadline::Threads` names each thread and fails with "deadlock?" instead
//!   of hanging if one never finishes;
//! - `random::Seed` draws one seed per run, prints it, and replays it when the
//!   test is run again with `WORKBOOK_SEED=<seed>`;
//! - `stress::repeat` runs the rounds and names the one that failed, and
//!   `stress::scaled` shrinks the work under Miri.

use std::collections::HashMap;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use probing_map_solution::ProbingMap;
use test_support::deadline::Threads;
use test_support::random::{Rng, Seed, jitter};
use test_support::stress;

const THREADS: u64 = 4;

// ANCHOR: stress
/// One round: each thread owns the keys equal to its number modulo `THREADS`,
/// makes random inserts and removes on them in the shared map, checks every
/// answer against its own `HashMap`, and hands that model back at the end.
fn threads_share_a_map(seed: Seed, round: usize) {
    let map = Arc::new(Mutex::new(ProbingMap::new()));
    let (models_tx, models_rx) = mpsc::channel();
    let mut threads = Threads::new();
    for owner in 0..THREADS {
        let map = Arc::clone(&map);
        let models_tx = models_tx.clone();
        // One generator per thread and round, all derived from the run's seed.
        let mut rng = seed.rng(round as u64 * THREADS + owner);
        threads.spawn(&format!("owner of keys {owner} mod {THREADS}"), move || {
            let mut model = HashMap::new();
            for _ in 0..stress::scaled(2_000) {
                let key = rng.random_range(0..64) * THREADS + owner;
                if rng.random_bool(0.5) {
                    let value = rng.random::<u64>();
                    let got = map.lock().unwrap().insert(key, value);
                    assert_eq!(got, model.insert(key, value), "insert({key}, {value})");
                } else {
                    let got = map.lock().unwrap().remove(key);
                    assert_eq!(got, model.remove(&key), "remove({key})");
                }
                // Now and then, pause so that the threads interleave differently.
                if rng.random_ratio(1, 100) {
                    jitter(&mut rng, Duration::from_micros(50));
                }
            }
            models_tx.send(model).unwrap();
        });
    }
    threads.join();
    drop(models_tx);

    let map = map.lock().unwrap();
    let mut total = 0;
    for model in models_rx {
        total += model.len();
        for (&key, &value) in &model {
            assert_eq!(map.get(key), Some(value), "key {key} after all threads finished");
        }
    }
    assert_eq!(map.len(), total, "the map holds keys no thread kept");
}

#[test_support::test]
fn stress_threads_share_a_map_behind_a_mutex() {
    let seed = Seed::from_env_or_random("stress_threads_share_a_map_behind_a_mutex");
    stress::repeat(20, |round| threads_share_a_map(seed, round));
}
// ANCHOR_END: stress
