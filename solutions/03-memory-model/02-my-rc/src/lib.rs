//! # MyRc: a reference-counted pointer
//!
//! A minimal `std::rc::Rc<T>`: several owners share one value on the heap, and
//! the last owner to go drops it. The value and a count of its owners live in one
//! allocation, an [`RcBox`]; every `MyRc` is a pointer to it.
//!
//! `MyRc` is neither `Send` nor `Sync`: the count is a plain `Cell<usize>`,
//! updated with no synchronisation, and clones of one `MyRc` share it.

use std::cell::Cell;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;

// ANCHOR: rcbox
/// The one heap allocation behind all clones of a `MyRc`.
struct RcBox<T> {
    /// How many `MyRc`s point here. `clone` takes `&self`, so the count must
    /// change through a shared reference: hence a `Cell`.
    strong: Cell<usize>,
    value: T,
}

/// A shared, reference-counted pointer to a `T` on the heap.
pub struct MyRc<T> {
    /// Points to a live `RcBox` for as long as this `MyRc` exists.
    ptr: NonNull<RcBox<T>>,
    /// We own (a share of) an `RcBox<T>` and may drop it: tell the compiler.
    _owns: PhantomData<RcBox<T>>,
}
// ANCHOR_END: rcbox

impl<T> MyRc<T> {
    /// Moves `value` to the heap, with a count of one.
    pub fn new(value: T) -> Self {
        let rcbox = Box::new(RcBox {
            strong: Cell::new(1),
            value,
        });
        Self {
            ptr: NonNull::from(Box::leak(rcbox)),
            _owns: PhantomData,
        }
    }

    /// How many `MyRc`s share this value, this one included.
    pub fn strong_count(this: &Self) -> usize {
        this.rcbox().strong.get()
    }

    /// Whether `a` and `b` point to the same allocation (not merely equal values).
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.ptr == b.ptr
    }

    // ANCHOR: get_mut
    /// A mutable reference to the value, if no other `MyRc` shares it.
    pub fn get_mut(this: &mut Self) -> Option<&mut T> {
        if Self::strong_count(this) == 1 {
            // SAFETY: we are the only `MyRc`, and we are borrowed mutably for as long
            // as the returned reference lives, so nothing else can reach the value:
            // no clone can be made from `this` until the borrow ends.
            Some(unsafe { &mut (*this.ptr.as_ptr()).value })
        } else {
            None
        }
    }
    // ANCHOR_END: get_mut

    // ANCHOR: rcbox_fn
    /// The shared allocation.
    fn rcbox(&self) -> &RcBox<T> {
        // SAFETY: the `RcBox` lives while any `MyRc` to it does, and we are one.
        // Only `get_mut` hands out `&mut` into it, and only while no other `MyRc`
        // exists and this one is borrowed mutably, so no `&mut` is alive now.
        unsafe { self.ptr.as_ref() }
    }
    // ANCHOR_END: rcbox_fn
}

// ANCHOR: clone
impl<T> Clone for MyRc<T> {
    /// Another pointer to the same value: one more owner, no copy of `T`.
    fn clone(&self) -> Self {
        let strong = &self.rcbox().strong;
        strong.set(
            strong
                .get()
                .checked_add(1)
                .expect("reference count overflow"),
        );
        Self {
            ptr: self.ptr,
            _owns: PhantomData,
        }
    }
}
// ANCHOR_END: clone

impl<T> Deref for MyRc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.rcbox().value
    }
}

// ANCHOR: drop
impl<T> Drop for MyRc<T> {
    fn drop(&mut self) {
        let strong = &self.rcbox().strong;
        let remaining = strong.get() - 1;
        strong.set(remaining);
        if remaining == 0 {
            // SAFETY: the `RcBox` came from `Box::leak` in `new`, and we were its last
            // owner, so no other `MyRc` (and no reference from one) can reach it. It
            // is freed, and the value dropped, once: the count reaches 0 only once.
            drop(unsafe { Box::from_raw(self.ptr.as_ptr()) });
        }
    }
}
// ANCHOR_END: drop
