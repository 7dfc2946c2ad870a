//! MyRc's specification: compile checks, unit tests, drop counting, and a
//! property test against a model count. The solution runs these same tests;
//! `cargo workbook check my-rc` runs them again under Miri, which also reports
//! leaks, use after free and aliasing violations.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use my_rc::MyRc;
use quickcheck::{Arbitrary, Gen, QuickCheck};
use test_support::compile::{self, Case, Expect::*};
use test_support::crate_under_test;

// --- What the compiler must accept and refuse ----------------------------------

#[test_support::test]
fn compile_checks_threads_and_borrows() {
    compile::check(
        crate_under_test!("my_rc"),
        &[
            Case {
                name: "rc_works_on_one_thread_for_any_t",
                why: "On one thread a MyRc needs nothing of its T.",
                code: "fn f() {
                let a = my_rc::MyRc::new(std::cell::Cell::new(1u8));
                let b = a.clone();
                b.set(2);
                assert_eq!(a.get(), 2);
            }",
                expect: Compiles,
            },
            Case {
                name: "rc_is_not_send",
                why: "Clones left on this thread share the count with the one that moved; \
                  both threads would update it without synchronisation, even when T is Send.",
                code: "fn f() { assert_send::<my_rc::MyRc<u8>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "rc_cannot_move_into_a_thread",
                why: "thread::spawn needs a Send closure; one that captures a MyRc is not.",
                code: "fn f() {
                let a = my_rc::MyRc::new(5u8);
                let b = a.clone();
                std::thread::spawn(move || drop(b)).join().unwrap();
                drop(a);
            }",
                expect: Error("E0277"),
            },
            Case {
                name: "rc_is_not_sync",
                why: "Two threads cloning through a shared &MyRc would race on the count.",
                code: "fn f() { assert_sync::<my_rc::MyRc<u8>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "get_mut_blocks_clone_while_borrowed",
                why: "get_mut's &mut T must stay unique: the borrow checker must forbid \
                  cloning the MyRc while that reference lives.",
                code: "fn f() {
                let mut a = my_rc::MyRc::new(1u8);
                let unique = my_rc::MyRc::get_mut(&mut a).unwrap();
                let b = a.clone();
                *unique = 2;
                drop(b);
            }",
                expect: Error("E0502"),
            },
        ],
    );
}

// --- What a shared pointer does --------------------------------------------------

#[test_support::test]
fn a_new_rc_holds_its_value_with_a_count_of_one() {
    let rc = MyRc::new(String::from("shared"));
    assert_eq!(*rc, "shared");
    assert_eq!(
        rc.len(),
        6,
        "rc.len() is not the length of \"shared\": a method of T called through Deref \
         must reach the value itself"
    );
    assert_eq!(MyRc::strong_count(&rc), 1);
}

#[test_support::test]
fn clones_share_one_value_and_count_each_other() {
    let a = MyRc::new(vec![1, 2, 3]);
    let b = a.clone();
    assert!(
        MyRc::ptr_eq(&a, &b),
        "a clone must point to the same allocation"
    );
    assert!(
        std::ptr::eq(&*a, &*b),
        "a clone must share the value, not copy it"
    );
    assert_eq!(MyRc::strong_count(&a), 2);
    let c = b.clone();
    assert_eq!(MyRc::strong_count(&a), 3);
    drop(b);
    assert_eq!(MyRc::strong_count(&a), 2);
    assert_eq!(MyRc::strong_count(&c), 2);
    drop(c);
    assert_eq!(MyRc::strong_count(&a), 1);
}

#[test_support::test]
fn separate_rcs_with_equal_values_are_not_ptr_eq() {
    let a = MyRc::new(7);
    let b = MyRc::new(7);
    assert_eq!(*a, *b);
    assert!(!MyRc::ptr_eq(&a, &b));
}

#[test_support::test]
fn get_mut_works_only_while_the_rc_is_unique() {
    let mut a = MyRc::new(10);
    *MyRc::get_mut(&mut a)
        .expect("get_mut returned None on a lone MyRc: with no clones it is unique") += 1;
    assert_eq!(*a, 11);

    let b = a.clone();
    assert!(
        MyRc::get_mut(&mut a).is_none(),
        "get_mut must refuse while another MyRc shares the value"
    );
    drop(b);

    *MyRc::get_mut(&mut a).expect(
        "get_mut returned None after the only clone was dropped: the MyRc is unique again",
    ) += 1;
    assert_eq!(*a, 12);
}

#[test_support::test]
fn interior_mutability_through_a_shared_rc() {
    let a = MyRc::new(Cell::new(0));
    let b = a.clone();
    a.set(a.get() + 1);
    b.set(b.get() + 1);
    assert_eq!(
        a.get(),
        2,
        "each of two clones added 1 to the Cell, but it does not hold 2: both clones must \
         reach the same Cell"
    );
}

// --- Drop counting: the value is dropped once, when the last owner goes --------

/// Counts its drops in a shared counter.
struct Tracked(Rc<Cell<u32>>);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test_support::test]
fn the_value_is_dropped_when_the_last_clone_goes_and_not_before() {
    let drops = Rc::new(Cell::new(0));
    let a = MyRc::new(Tracked(Rc::clone(&drops)));
    let b = a.clone();
    let c = b.clone();
    drop(a);
    assert_eq!(
        drops.get(),
        0,
        "the value was dropped while two clones were still alive"
    );
    drop(c);
    assert_eq!(
        drops.get(),
        0,
        "the value was dropped while one clone was still alive"
    );
    drop(b);
    assert_eq!(
        drops.get(),
        1,
        "after the last clone was dropped, the value had been dropped {} times: it must be \
         dropped exactly once",
        drops.get()
    );
}

#[test_support::test]
fn a_lone_rc_drops_its_value() {
    let drops = Rc::new(Cell::new(0));
    drop(MyRc::new(Tracked(Rc::clone(&drops))));
    assert_eq!(drops.get(), 1);
}

#[test_support::test]
fn an_rc_inside_an_rc_is_dropped_too() {
    let drops = Rc::new(Cell::new(0));
    let inner = MyRc::new(Tracked(Rc::clone(&drops)));
    let outer = MyRc::new(inner.clone());
    drop(inner);
    assert_eq!(
        drops.get(),
        0,
        "the value was dropped while the outer MyRc still owned a clone of it"
    );
    drop(outer);
    assert_eq!(
        drops.get(),
        1,
        "after the outer MyRc was dropped, the inner value had been dropped {} times: \
         dropping the outer value must drop its inner clone, and so the value, once",
        drops.get()
    );
}

// --- A property: random clones and drops against a model count -----------------

#[derive(Clone, Debug)]
enum Op {
    /// Clone the owner at this position (modulo the number of owners).
    Clone(usize),
    /// Drop the owner at this position.
    Drop(usize),
}

impl Arbitrary for Op {
    fn arbitrary(g: &mut Gen) -> Self {
        if bool::arbitrary(g) {
            Op::Clone(usize::arbitrary(g))
        } else {
            Op::Drop(usize::arbitrary(g))
        }
    }
}

/// After any sequence of clones and drops, every owner reports the number of
/// owners alive, the value is intact, and it is dropped exactly when the last
/// owner goes.
fn counts_like_the_model(ops: Vec<Op>) -> bool {
    let drops = Rc::new(Cell::new(0));
    let log = RefCell::new(String::from("payload"));
    let mut owners = vec![MyRc::new((Tracked(Rc::clone(&drops)), log))];
    for op in ops {
        match op {
            Op::Clone(at) => {
                let clone = owners[at % owners.len()].clone();
                owners.push(clone);
            }
            Op::Drop(at) => {
                let at = at % owners.len();
                owners.swap_remove(at);
            }
        }
        if owners.is_empty() {
            return drops.get() == 1;
        }
        let all_agree = owners.iter().all(|owner| {
            MyRc::strong_count(owner) == owners.len() && *owner.1.borrow() == "payload"
        });
        if !all_agree || drops.get() != 0 {
            return false;
        }
    }
    drop(owners);
    drops.get() == 1
}

#[test_support::test]
fn property_counts_like_the_model() {
    QuickCheck::new()
        .rng(Gen::new(SEQUENCE_SIZE))
        .quickcheck(counts_like_the_model as fn(Vec<Op>) -> bool);
}

/// How long the random sequences get: shorter under Miri, which runs every
/// operation thousands of times slower while checking it.
const SEQUENCE_SIZE: usize = if cfg!(miri) { 40 } else { 100 };
