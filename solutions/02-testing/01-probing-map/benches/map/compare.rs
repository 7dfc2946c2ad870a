//! The probing map against std's `HashMap`, one thread, two operations.
//!
//! Each group times one operation on 10 000 pseudo-random keys, with three
//! maps measured side by side in the same run:
//!
//! - `probing-map`: the `ProbingMap` of the crate that includes this file;
//! - `std-hashmap`: std's `HashMap` as most code uses it, with its randomly
//!   seeded SipHash;
//! - `std-hashmap-same-hash`: std's `HashMap` with the probing map's own hash
//!   (`probing_map::mix`), so that the two tables differ in their design, not
//!   in their hash function.
//!
//! One criterion iteration handles every key once, and the throughput is set
//! to the number of keys, so the figures are per operation. Regime: a table of
//! 10 000 keys (a few hundred KiB, far more than an L1 data cache holds), every
//! lookup finds its key, nothing is removed.
//!
//! The same file runs in the exercise (`cargo bench --bench map` in its folder)
//! on the learner's map, and in the solution, where
//! `cargo workbook bench probing-map` records the results for the book.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, measurement::WallTime};
use probing_map::{ProbingMap, mix};

// ANCHOR: setup
/// How many keys each iteration inserts or looks up.
const KEY_COUNT: usize = 10_000;

/// The same keys on every run, so a change in the figures comes from the code,
/// not from a luckier set of keys: `mix` of 0, 1, 2, ..., which are distinct
/// (`mix` is a bijection) and scattered over the whole range of `u64`.
fn keys() -> Vec<u64> {
    (0..KEY_COUNT as u64).map(mix).collect()
}

/// Short runs: three maps in two groups finish in well under a minute, and
/// each sample still holds thousands of operations.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .throughput(Throughput::Elements(KEY_COUNT as u64));
}
// ANCHOR_END: setup

/// The probing map's hash, as a `Hasher` for std's `HashMap`.
#[derive(Default)]
struct SameHash(u64);

impl Hasher for SameHash {
    fn write_u64(&mut self, key: u64) {
        self.0 = mix(key);
    }

    /// Only `u64` keys are hashed here, through `write_u64`; this fallback
    /// keeps the `Hasher` correct for anything else.
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = mix(self.0 ^ u64::from(byte));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type SameHashMap = HashMap<u64, u64, BuildHasherDefault<SameHash>>;

// ANCHOR: get
fn get(c: &mut Criterion) {
    let keys = keys();
    let mut group = c.benchmark_group("probing-map/get");
    configure(&mut group);

    let mut probing = ProbingMap::new();
    let mut std_map = HashMap::new();
    let mut same_hash = SameHashMap::default();
    for &key in &keys {
        probing.insert(key, key);
        std_map.insert(key, key);
        same_hash.insert(key, key);
    }

    group.bench_function("probing-map", |b| {
        b.iter(|| {
            for &key in &keys {
                black_box(probing.get(black_box(key)));
            }
        })
    });
    group.bench_function("std-hashmap", |b| {
        b.iter(|| {
            for key in &keys {
                black_box(std_map.get(black_box(key)));
            }
        })
    });
    group.bench_function("std-hashmap-same-hash", |b| {
        b.iter(|| {
            for key in &keys {
                black_box(same_hash.get(black_box(key)));
            }
        })
    });
    group.finish();
}
// ANCHOR_END: get

/// Builds a map of every key from empty, growing as it goes.
fn insert(c: &mut Criterion) {
    let keys = keys();
    let mut group = c.benchmark_group("probing-map/insert");
    configure(&mut group);

    group.bench_function("probing-map", |b| {
        b.iter(|| {
            let mut map = ProbingMap::new();
            for &key in &keys {
                map.insert(black_box(key), key);
            }
            map
        })
    });
    group.bench_function("std-hashmap", |b| {
        b.iter(|| {
            let mut map = HashMap::new();
            for &key in &keys {
                map.insert(black_box(key), key);
            }
            map
        })
    });
    group.bench_function("std-hashmap-same-hash", |b| {
        b.iter(|| {
            let mut map = SameHashMap::default();
            for &key in &keys {
                map.insert(black_box(key), key);
            }
            map
        })
    });
    group.finish();
}

criterion_group!(benches, get, insert);
