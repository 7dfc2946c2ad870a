//! MyArc on one thread: what each operation does to the value and the counts,
//! when the value is dropped, and which types may cross threads. The solution
//! runs these same tests.

use std::cell::Cell;
use std::rc::Rc;

use my_arc::MyArc;
use test_support::compile::{self, Case, Expect::*};
use test_support::crate_under_test;

/// Counts its drops in a shared cell.
struct Counted(Rc<Cell<usize>>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

fn counted() -> (Counted, Rc<Cell<usize>>) {
    let drops = Rc::new(Cell::new(0));
    (Counted(Rc::clone(&drops)), drops)
}

#[test_support::test]
fn clones_share_one_value_and_count_it() {
    let first = MyArc::new(String::from("shared"));
    let second = MyArc::clone(&first);
    assert_eq!(*second, "shared");
    assert!(std::ptr::eq(&*first, &*second), "a clone must point at the same value, not a copy");
    assert_eq!(MyArc::strong_count(&first), 2);
    let weak = MyArc::downgrade(&first);
    assert_eq!(MyArc::weak_count(&first), 1);
    drop(weak);
    drop(second);
    assert_eq!(MyArc::strong_count(&first), 1);
    assert_eq!(MyArc::weak_count(&first), 0);
}

#[test_support::test]
fn the_value_is_dropped_once_when_the_last_arc_goes() {
    let (value, drops) = counted();
    let first = MyArc::new(value);
    let second = MyArc::clone(&first);
    drop(first);
    assert_eq!(drops.get(), 0, "a MyArc is left, so the value must still be alive");
    drop(second);
    assert_eq!(drops.get(), 1, "the last MyArc is gone, so the value must be dropped, once");
}

#[test_support::test]
fn the_value_is_dropped_when_the_last_arc_goes_even_if_weaks_remain() {
    let (value, drops) = counted();
    let arc = MyArc::new(value);
    let weak = MyArc::downgrade(&arc);
    let other_weak = weak.clone();
    drop(arc);
    assert_eq!(
        drops.get(),
        1,
        "the last MyArc is gone, so the value must be dropped now: a Weak keeps the \
         allocation (where the counts live), not the value"
    );
    assert!(weak.upgrade().is_none(), "the value is gone, so upgrade must return None");
    drop(weak);
    drop(other_weak);
    assert_eq!(drops.get(), 1, "dropping the Weaks must not drop the value again");
}

#[test_support::test]
fn upgrade_gives_a_new_arc_while_the_value_lives() {
    let (value, drops) = counted();
    let arc = MyArc::new(value);
    let weak = MyArc::downgrade(&arc);
    let upgraded = weak.upgrade().expect("a MyArc is alive, so upgrade must succeed");
    assert_eq!(
        MyArc::strong_count(&arc),
        2,
        "after one upgrade, strong_count is not 2: an upgrade makes one more MyArc"
    );
    drop(arc);
    assert_eq!(
        drops.get(),
        0,
        "the value was dropped while the upgraded MyArc still held it"
    );
    drop(upgraded);
    assert_eq!(drops.get(), 1);
    assert!(weak.upgrade().is_none(), "upgrade must never bring a dropped value back");
}

#[test_support::test]
fn get_mut_only_when_no_other_reference_exists() {
    let mut arc = MyArc::new(1);
    *MyArc::get_mut(&mut arc).expect("get_mut returned None on the only MyArc, with no Weak") += 1;
    let other = MyArc::clone(&arc);
    assert!(
        MyArc::get_mut(&mut arc).is_none(),
        "get_mut returned Some while another MyArc could read the value"
    );
    drop(other);
    let weak = MyArc::downgrade(&arc);
    assert!(
        MyArc::get_mut(&mut arc).is_none(),
        "get_mut returned Some while a Weak could upgrade and read the value"
    );
    drop(weak);
    assert!(
        MyArc::get_mut(&mut arc).is_some(),
        "get_mut returned None after the clone and the Weak were dropped: the MyArc is the \
         only reference again"
    );
    assert_eq!(*arc, 2);
}

#[test_support::test]
fn send_and_sync_are_exactly_right() {
    compile::check(
        crate_under_test!("my_arc"),
        &[
            Case {
                name: "arc_of_string_is_send_and_sync",
                why: "A String may be shared and sent, so a MyArc or Weak of one may be too.",
                code: "fn f() {
                assert_send::<my_arc::MyArc<String>>();
                assert_sync::<my_arc::MyArc<String>>();
                assert_send::<my_arc::Weak<String>>();
                assert_sync::<my_arc::Weak<String>>();
            }",
                expect: Compiles,
            },
            Case {
                name: "arc_of_cell_is_not_send",
                why: "Sending a MyArc<Cell> while keeping a clone would let two threads \
                      share a Cell, which is not Sync.",
                code: "fn f() { assert_send::<my_arc::MyArc<std::cell::Cell<u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "arc_of_cell_is_not_sync",
                why: "Sharing a MyArc<Cell> shares the Cell.",
                code: "fn f() { assert_sync::<my_arc::MyArc<std::cell::Cell<u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "arc_of_mutex_guard_is_not_send",
                why: "A MutexGuard is Sync but not Send, and the last MyArc drops the value on \
                      whichever thread it is on.",
                code: "fn f() { assert_send::<my_arc::MyArc<std::sync::MutexGuard<'static, u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "weak_of_cell_is_not_send",
                why: "A Weak becomes a MyArc on the thread that holds it.",
                code: "fn f() { assert_send::<my_arc::Weak<std::cell::Cell<u8>>>(); }",
                expect: Error("E0277"),
            },
            Case {
                name: "weak_of_mutex_guard_is_not_sync",
                why: "Through a shared Weak, another thread can upgrade and drop the value last.",
                code: "fn f() { assert_sync::<my_arc::Weak<std::sync::MutexGuard<'static, u8>>>(); }",
                expect: Error("E0277"),
            },
        ],
    );
}
