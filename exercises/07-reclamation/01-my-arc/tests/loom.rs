//! Loom models of MyArc: every interleaving (up to loom's preemption bound) of a
//! few threads sharing one value. Loom sees the counts and the value's cell, so
//! it reports a value dropped or handed out as `&mut` while another thread may
//! still be reading it, with no happens-before edge between the two, as a
//! "Causality violation".
//!
//! Run with `cargo workbook check my-arc`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use my_arc::MyArc;
use test_support::sync::Arc;
use test_support::sync::atomic::{AtomicUsize, Ordering};
use test_support::{model, thread};

/// Counts its drops.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        // Relaxed: read after the threads are joined.
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// Two threads each read the value and drop their MyArc: whichever drops last
/// drops the value, after the other's read.
#[test_support::test]
fn the_last_owner_drops_the_value_after_every_read() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let arc = MyArc::new(Counted(Arc::clone(&drops)));
        let other = MyArc::clone(&arc);
        let reader = thread::spawn(move || {
            // Relaxed: the drop count, read through the value.
            assert_eq!(other.0.load(Ordering::Relaxed), 0);
        });
        // Relaxed: as above.
        assert_eq!(arc.0.load(Ordering::Relaxed), 0);
        drop(arc);
        reader.join().unwrap();
        // Relaxed: the thread is joined.
        assert_eq!(drops.load(Ordering::Relaxed), 1, "the value must be dropped exactly once");
    });
}

/// A thread upgrades a Weak while the last MyArc is dropped: either the upgrade
/// fails, or it keeps the value alive for as long as it reads it.
#[test_support::test]
fn an_upgrade_racing_the_last_drop() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let arc = MyArc::new(Counted(Arc::clone(&drops)));
        let weak = MyArc::downgrade(&arc);
        let upgrader = thread::spawn(move || {
            if let Some(upgraded) = weak.upgrade() {
                // Relaxed: as above.
                assert_eq!(upgraded.0.load(Ordering::Relaxed), 0, "upgraded to a dropped value");
            }
        });
        drop(arc);
        upgrader.join().unwrap();
        // Relaxed: the thread is joined.
        assert_eq!(drops.load(Ordering::Relaxed), 1, "the value must be dropped exactly once");
    });
}

/// Two threads upgrade a Weak each while the last MyArc is dropped. An upgrade
/// that adds one to the strong count first, and takes it back when the count
/// was zero, leaves a moment in which the count is one with the value gone:
/// the other upgrade then succeeds, and reads a dropped value.
#[test_support::test]
fn two_upgrades_racing_the_last_drop() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let arc = MyArc::new(Counted(Arc::clone(&drops)));
        let upgraders: Vec<_> = (0..2)
            .map(|_| {
                let weak = MyArc::downgrade(&arc);
                thread::spawn(move || {
                    if let Some(upgraded) = weak.upgrade() {
                        // Relaxed: as above.
                        let drops = upgraded.0.load(Ordering::Relaxed);
                        assert_eq!(drops, 0, "upgraded to a dropped value");
                    }
                })
            })
            .collect();
        drop(arc);
        for upgrader in upgraders {
            upgrader.join().unwrap();
        }
        // Relaxed: the threads are joined.
        assert_eq!(drops.load(Ordering::Relaxed), 1, "the value must be dropped exactly once");
    });
}

/// The owner of the only MyArc asks for `&mut` while another thread upgrades a
/// Weak, lets its Weaks go, and reads through the upgraded MyArc. A `get_mut` that
/// reads the strong and the weak count one after the other can see one strong
/// reference (before the upgrade) and no Weak (after they were dropped), and
/// write while the other thread reads.
#[test_support::test]
fn get_mut_racing_an_upgrade() {
    model(|| {
        let mut arc = MyArc::new(0_u32);
        let weak = MyArc::downgrade(&arc);
        let upgrader = thread::spawn(move || {
            // A second Weak first. Besides being a case worth covering, its
            // read-modify-write of the counts is what makes loom try this thread
            // between the loads of `get_mut`: loom remembers only the last access
            // to each atomic, and a load of our own (`upgrade` starts with one)
            // would hide the conflict.
            let second = weak.clone();
            if let Some(upgraded) = weak.upgrade() {
                drop(weak);
                drop(second);
                assert!(*upgraded <= 1);
            }
        });
        if let Some(value) = MyArc::get_mut(&mut arc) {
            *value += 1;
        }
        upgrader.join().unwrap();
    });
}
