//! Memory held by each stack after ten million push/pop pairs on two threads.
//!
//! For each variant: make a stack, let two threads (this one and one spawned)
//! do five million push/pop pairs each on it, at the same time, then, with the
//! stack still alive, count the bytes this program has allocated and not freed
//! since just before the stack was made. A stack that frees its nodes while in
//! use holds a few nodes plus whatever garbage its scheme has not yet freed; the
//! leaking stack holds a node for every pair. The figure is recorded with
//! `bench_support::record_count` (bytes held, pairs done), which the book
//! shows with `{{#memory epoch-stack/memory}}`.
//!
//! A plain program rather than a criterion benchmark: it measures bytes, not
//! time, once per variant. `cargo bench --bench memory` runs it.

#[path = "pairs/stacks.rs"]
mod stacks;

use std::sync::Barrier;
use std::thread;

use test_support::alloc::Counting;

use stacks::{
    EpochStack, HaphazardStack, HazardStack, LeakyStack, MutexVec, SegQueue, SharedStack, pair,
};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Push/pop pairs per variant, split between the two threads.
const PAIRS: u64 = 10_000_000;

const GROUP: &str = "epoch-stack/memory";

/// Runs `pairs` push/pop pairs on `stack`, half on this thread and half on
/// another, started together.
fn stress<S: SharedStack>(stack: &S, pairs: u64) {
    let start = Barrier::new(2);
    thread::scope(|scope| {
        scope.spawn(|| {
            start.wait();
            for _ in 0..pairs / 2 {
                pair(stack);
            }
        });
        start.wait();
        for _ in 0..pairs - pairs / 2 {
            pair(stack);
        }
    });
}

/// Measures one variant and records the bytes its stack holds.
fn measure<S: SharedStack>(variant: &str) {
    // A short round first, on a stack of its own, so that what a scheme sets up
    // once per program or per thread (crossbeam-epoch's thread records,
    // haphazard's hazard pointers) is not counted against the stack.
    stress(&S::new(), 10_000);
    let before = Counting::live_bytes();
    let stack = S::new();
    stress(&stack, PAIRS);
    let held = Counting::live_bytes().saturating_sub(before);
    println!("{GROUP}/{variant}: {held} bytes held after {PAIRS} push/pop pairs");
    bench_support::record_count(GROUP, variant, held as u64, PAIRS);
    drop(stack);
}

fn main() {
    // `cargo bench` passes `--bench` and maybe a filter; a filter that names
    // no variant of this group skips it, as criterion does.
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with("--"));
    let wanted = |variant: &str| {
        filter
            .as_deref()
            .is_none_or(|filter| format!("{GROUP}/{variant}").contains(filter))
    };
    macro_rules! variants {
        ($($stack:ty => $name:literal),* $(,)?) => {
            $(if wanted($name) {
                measure::<$stack>($name);
            })*
        };
    }
    variants! {
        EpochStack => "epoch-stack",
        HazardStack => "hazard-stack",
        LeakyStack => "leaky-stack",
        MutexVec => "mutex-vec",
        SegQueue => "seg-queue",
        HaphazardStack => "haphazard",
    }
}
