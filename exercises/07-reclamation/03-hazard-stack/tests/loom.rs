//! Loom models of the domain and the stack: every interleaving (up to loom's
//! preemption bound) of two threads, with every value each load may read under
//! the orderings used. Loom sees the atomics and the `UnsafeCell`s, and the
//! objects below tell it when they are freed, so it reports a read of an object
//! that does not happen before the object is freed, or a read of a node before
//! it was written, as a "Causality violation".
//!
//! Run with `cargo workbook check hazard-stack`, or by hand:
//! `RUSTFLAGS="--cfg loom" cargo test --profile loom --test loom`.
#![cfg(loom)]

use std::ptr;

use hazard_stack::Stack;
use hazard_stack::domain::Domain;
use test_support::cell::UnsafeCell;
use test_support::sync::Arc;
use test_support::sync::atomic::{AtomicPtr, Ordering};
use test_support::{hint, model, thread};

/// An object whose drop counts, for loom, as a write to it: a read that does not
/// happen before the drop is a "Causality violation".
///
/// `repr(C)` with the padding first keeps loom's record of `number` out of the
/// bytes that the allocator reuses first, so that even a read *after* the free
/// reaches loom's check instead of loom's own bookkeeping.
/// The padding also gives objects a size of their own, so that a new object
/// gets the address of the last one freed (the allocator hands back the most
/// recently freed block of a size first), which the reuse test needs.
#[repr(C)]
struct Object {
    _padding: [u64; 8],
    number: UnsafeCell<u32>,
}

impl Object {
    fn boxed(number: u32) -> *mut Object {
        Box::into_raw(Box::new(Object {
            _padding: [0; 8],
            number: UnsafeCell::new(number),
        }))
    }
}

impl Drop for Object {
    fn drop(&mut self) {
        self.number.with_mut(|_| ());
    }
}

/// Spawns a reader that protects what `source` points to and, unless it is
/// null, reads the object's number, which must be one of `expected`.
fn spawn_reader(
    domain: &Arc<Domain<Object>>,
    source: &Arc<AtomicPtr<Object>>,
    expected: &'static [u32],
) -> thread::JoinHandle<()> {
    let (domain, source) = (Arc::clone(domain), Arc::clone(source));
    thread::spawn(move || {
        let mut hazard = domain.hazard();
        let object = hazard.protect(&source);
        if !object.is_null() {
            // SAFETY: protected and validated, so not freed yet.
            let number = unsafe { (*object).number.with(|number| *number) };
            assert!(expected.contains(&number), "read {number}, expected one of {expected:?}");
        }
    })
}

/// The heart of hazard pointers: a reader protects the object in `source` and
/// reads it, while the reclaimer unlinks it, retires it and scans. Either the
/// reader's validation fails, or the scan sees its hazard; if neither (the
/// store-buffering outcome), the scan frees an object the reader then reads.
#[test_support::test]
fn a_scan_never_frees_an_object_a_reader_validated() {
    model(|| {
        let domain = Arc::new(Domain::new());
        let source = Arc::new(AtomicPtr::new(Object::boxed(7)));
        let reader = spawn_reader(&domain, &source, &[7]);
        let old = source.swap(ptr::null_mut(), Ordering::AcqRel);
        // SAFETY: `old` came from `Box::into_raw`, is unlinked, retired once.
        unsafe { domain.retire(old) };
        domain.scan();
        reader.join().unwrap();
    });
}

/// The reclaimer frees the object and puts a new one in `source`, which
/// typically gets the freed object's address. A reader that loaded the old
/// address and then validates it finds "the same" pointer, but it is the new
/// object: the validating load must be the one that makes its contents visible.
#[test_support::test]
fn a_reader_sees_a_new_object_at_a_reused_address() {
    model(|| {
        let domain = Arc::new(Domain::new());
        let source = Arc::new(AtomicPtr::new(Object::boxed(7)));
        let reader = spawn_reader(&domain, &source, &[7, 8]);
        let old = source.swap(ptr::null_mut(), Ordering::AcqRel);
        // SAFETY: `old` came from `Box::into_raw`, is unlinked, retired once.
        unsafe { domain.retire(old) };
        domain.scan();
        // Release: publishes the new object to the reader's validating load.
        source.store(Object::boxed(8), Ordering::Release);
        reader.join().unwrap();
        let last = source.swap(ptr::null_mut(), Ordering::AcqRel);
        // SAFETY: as above.
        unsafe { domain.retire(last) };
    });
}

/// One thread retires an object; another scans and may free it. The scanning
/// thread reads the retired list that the first one wrote.
#[test_support::test]
fn a_scan_frees_what_another_thread_retired() {
    model(|| {
        let domain = Arc::new(Domain::new());
        let object = Object::boxed(1);
        let object_address = object as usize;
        let retirer = {
            let domain = Arc::clone(&domain);
            thread::spawn(move || {
                // SAFETY: the object came from `Box::into_raw`, nothing links
                // to it, and only this thread retires it.
                unsafe { domain.retire(object_address as *mut Object) };
            })
        };
        domain.scan();
        retirer.join().unwrap();
        domain.scan();
    });
}

/// As in the first model, but the unlink and the scan are on two threads, as
/// in the stack, where any pop's `retire` may start a scan. The scanner learns
/// of the unlink only through the retired list, so only what comes after its
/// `swap` of the list is ordered after the unlink: a fence before the `swap`
/// leaves the store-buffering outcome open.
#[test_support::test]
fn a_scan_of_what_another_thread_unlinked_never_frees_a_validated_object() {
    model(|| {
        let domain = Arc::new(Domain::new());
        let source = Arc::new(AtomicPtr::new(Object::boxed(7)));
        let reader = spawn_reader(&domain, &source, &[7]);
        let unlinker = {
            let (domain, source) = (Arc::clone(&domain), Arc::clone(&source));
            thread::spawn(move || {
                let old = source.swap(ptr::null_mut(), Ordering::AcqRel);
                // SAFETY: `old` came from `Box::into_raw`, is unlinked, retired once.
                unsafe { domain.retire(old) };
            })
        };
        domain.scan();
        reader.join().unwrap();
        unlinker.join().unwrap();
    });
}

/// Pops, trying up to three times, and yielding between tries.
fn pop_a_few_times(stack: &Stack<u32>) -> Option<u32> {
    for _ in 0..3 {
        if let Some(value) = stack.pop() {
            return Some(value);
        }
        hint::spin_loop();
    }
    None
}

/// One thread pushes two values while another pops: a pop that finds a node
/// must see the value the push wrote into it.
#[test_support::test]
fn a_pop_sees_the_value_a_push_wrote() {
    model(|| {
        let stack = Arc::new(Stack::new());
        let pusher = {
            let stack = Arc::clone(&stack);
            thread::spawn(move || {
                stack.push(1);
                stack.push(2);
            })
        };
        let mut popped: Vec<u32> = pop_a_few_times(&stack).into_iter().collect();
        pusher.join().unwrap();
        while let Some(value) = stack.pop() {
            popped.push(value);
        }
        popped.sort();
        assert_eq!(popped, [1, 2], "each pushed value must come out once");
    });
}

/// Two threads pop at once from a stack of two, so one may protect a node that
/// the other unlinks.
#[test_support::test]
fn two_pops_at_once() {
    model(|| {
        let stack = Arc::new(Stack::new());
        stack.push(1);
        stack.push(2);
        let popper = {
            let stack = Arc::clone(&stack);
            thread::spawn(move || stack.pop())
        };
        let mine = stack.pop();
        let theirs = popper.join().unwrap();
        let mut popped: Vec<u32> = [mine, theirs].into_iter().flatten().collect();
        popped.sort();
        assert_eq!(popped, [1, 2], "two pops from a stack of two must take both values");
    });
}
