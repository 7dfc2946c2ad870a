//! Looks up the same 10 000 keys in the probing map and in std's `HashMap`,
//! each in a function of its own, so that callgrind can count each function's
//! instructions (book/02-testing/tools.md):
//!
//! ```sh
//! cargo build --release --example lookups -p probing-map-solution
//! valgrind --tool=callgrind --callgrind-out-file=target/lookups.callgrind \
//!     target/release/examples/lookups
//! callgrind_annotate --inclusive=yes target/lookups.callgrind | grep look_up
//! ```

use std::collections::HashMap;
use std::hint::black_box;

use probing_map_solution::ProbingMap;

// ANCHOR: lookups
/// How many keys each map holds and each function looks up.
const KEY_COUNT: u64 = 10_000;

/// `#[inline(never)]` keeps each function a function in the binary, so the
/// profile can name it.
#[inline(never)]
fn look_up_in_probing_map(map: &ProbingMap, keys: &[u64]) -> usize {
    keys.iter().filter(|&&key| map.get(key).is_some()).count()
}

#[inline(never)]
fn look_up_in_std_hashmap(map: &HashMap<u64, u64>, keys: &[u64]) -> usize {
    keys.iter().filter(|&key| map.get(key).is_some()).count()
}

fn main() {
    // Distinct keys spread over the whole range: an odd multiplier is a
    // bijection on u64.
    let keys: Vec<u64> = (0..KEY_COUNT)
        .map(|i| i.wrapping_mul(0x2545_F491_4F6C_DD1D))
        .collect();
    let mut probing = ProbingMap::new();
    let mut std_map = HashMap::new();
    for &key in &keys {
        probing.insert(key, key);
        std_map.insert(key, key);
    }
    let found_probing = look_up_in_probing_map(black_box(&probing), black_box(&keys));
    let found_std = look_up_in_std_hashmap(black_box(&std_map), black_box(&keys));
    assert_eq!((found_probing, found_std), (keys.len(), keys.len()));
    println!("both maps found all {} keys", keys.len());
}
// ANCHOR_END: lookups
