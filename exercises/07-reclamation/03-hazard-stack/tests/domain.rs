//! The hazard-pointer domain on one thread: a protected object survives a scan,
//! an unprotected one does not, and the retired list stays short. These tests
//! need no threads, so they fail or pass the same way on every run. The
//! solution runs these same tests.

use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};

use hazard_stack::domain::{Domain, SCAN_THRESHOLD};
use test_support::sync::atomic::AtomicPtr;

/// An object that counts its drops, so a test can tell when the domain frees it.
struct Tracked<'a>(&'a AtomicUsize);

impl Drop for Tracked<'_> {
    fn drop(&mut self) {
        // Relaxed: one thread only; nothing is published through the count.
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

fn freed(drops: &AtomicUsize) -> usize {
    // Relaxed: see `Tracked`.
    drops.load(Ordering::Relaxed)
}

/// A shared pointer to a new `Tracked`, as a data structure would hold it.
fn shared(drops: &AtomicUsize) -> AtomicPtr<Tracked<'_>> {
    AtomicPtr::new(Box::into_raw(Box::new(Tracked(drops))))
}

/// Unlinks the object from `source` and retires it, as a pop would.
fn unlink_and_retire<'a>(domain: &Domain<Tracked<'a>>, source: &AtomicPtr<Tracked<'a>>) {
    let object = source.swap(ptr::null_mut(), Ordering::SeqCst);
    // SAFETY: the object came from `Box::into_raw`, is now unreachable from
    // `source`, and is retired once.
    unsafe { domain.retire(object) };
}

#[test_support::test]
fn protect_returns_what_the_source_points_to() {
    let drops = AtomicUsize::new(0);
    let source = shared(&drops);
    let domain = Domain::new();
    let mut hazard = domain.hazard();
    assert_eq!(
        hazard.protect(&source),
        source.load(Ordering::SeqCst),
        "protect must return the pointer it protected, which is the one in the source"
    );
    drop(hazard);
    unlink_and_retire(&domain, &source);
}

#[test_support::test]
fn a_scan_frees_an_object_nobody_protects() {
    let drops = AtomicUsize::new(0);
    let source = shared(&drops);
    let domain = Domain::new();
    unlink_and_retire(&domain, &source);
    assert_eq!(freed(&drops), 0, "retire must not free at once while few objects wait");
    domain.scan();
    assert_eq!(freed(&drops), 1, "no hazard protects the retired object, so a scan must free it");
}

/// Hazards alive at the same time hold a slot each, also when one of them
/// reuses the slot that a dropped hazard gave back.
#[test_support::test]
fn hazards_alive_at_once_each_protect_their_own_object() {
    let drops = AtomicUsize::new(0);
    let (first, second) = (shared(&drops), shared(&drops));
    let domain = Domain::new();
    drop(domain.hazard());
    let mut first_hazard = domain.hazard();
    let mut second_hazard = domain.hazard();
    first_hazard.protect(&first);
    second_hazard.protect(&second);
    unlink_and_retire(&domain, &first);
    unlink_and_retire(&domain, &second);
    domain.scan();
    assert_eq!(
        freed(&drops),
        0,
        "two hazards protected one object each, yet a scan freed {} of them: did the two \
         hazards get the same slot, so that the second protect overwrote the first?",
        freed(&drops)
    );
    drop((first_hazard, second_hazard));
    domain.scan();
    assert_eq!(freed(&drops), 2, "both hazards were dropped, so a scan must free both objects");
}

#[test_support::test]
fn a_scan_keeps_an_object_that_a_hazard_protects() {
    let drops = AtomicUsize::new(0);
    let source = shared(&drops);
    let domain = Domain::new();
    let mut hazard = domain.hazard();
    let object = hazard.protect(&source);
    unlink_and_retire(&domain, &source);
    domain.scan();
    assert_eq!(
        freed(&drops),
        0,
        "a scan freed an object that a hazard still protects: a reader holding {object:?} \
         would now read freed memory. Look at what `scan` does with each retired object."
    );
    hazard.clear();
    domain.scan();
    assert_eq!(
        freed(&drops),
        1,
        "the hazard was cleared, so the next scan must free the object it protected"
    );
}

#[test_support::test]
fn a_hazard_that_moves_on_lets_the_old_object_go() {
    let drops = AtomicUsize::new(0);
    let (first, second) = (shared(&drops), shared(&drops));
    let domain = Domain::new();
    let mut hazard = domain.hazard();
    hazard.protect(&first);
    unlink_and_retire(&domain, &first);
    hazard.protect(&second);
    domain.scan();
    assert_eq!(
        freed(&drops),
        1,
        "the hazard moved on to a second object, but the scan did not free the first, which \
         nothing protects any more"
    );
    drop(hazard);
    unlink_and_retire(&domain, &second);
    domain.scan();
    assert_eq!(
        freed(&drops),
        2,
        "a scan after the hazard was dropped did not free the second object: a dropped \
         hazard must protect nothing"
    );
}

#[test_support::test]
fn dropping_the_domain_frees_what_is_still_retired() {
    let drops = AtomicUsize::new(0);
    let source = shared(&drops);
    let domain = Domain::new();
    unlink_and_retire(&domain, &source);
    drop(domain);
    assert_eq!(
        freed(&drops),
        1,
        "dropping the domain did not free the object retired to it: the domain owns its \
         retired objects and must free them when dropped"
    );
}

#[test_support::test]
fn retired_objects_are_freed_within_a_bounded_number_of_retires() {
    let drops = AtomicUsize::new(0);
    let kept = shared(&drops);
    let domain = Domain::new();
    let mut hazard = domain.hazard();
    hazard.protect(&kept);
    unlink_and_retire(&domain, &kept);
    let retires = 10 * SCAN_THRESHOLD;
    for retired in 1..=retires {
        let source = shared(&drops);
        unlink_and_retire(&domain, &source);
        let waiting = retired + 1 - freed(&drops);
        assert!(
            waiting <= SCAN_THRESHOLD,
            "after {} retires (one of them protected) {waiting} objects wait to be freed; \
             `retire` must scan once {SCAN_THRESHOLD} are waiting",
            retired + 1
        );
    }
    drop(hazard);
    drop(domain);
    assert_eq!(freed(&drops), retires + 1);
}
