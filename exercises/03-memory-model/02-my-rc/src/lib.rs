//! # MyRc: a reference-counted pointer
//!
//! A minimal `std::rc::Rc<T>`: several owners share one value on the heap, and
//! the last owner to go drops it. The value and a count of its owners live in one
//! allocation, an [`RcBox`]; every `MyRc` is a pointer to it.
//!
//! `new` and the types are written. Yours is the rest: counting owners as they
//! come and go, reaching the value, freeing it at the right moment, and handing
//! out `&mut T` only when that is safe. Keep the public API as it is.
//!
//! Check your work with `cargo test` in this folder, then
//! `cargo workbook check my-rc`, which adds Miri: it reports leaks, use after
//! free and aliasing violations that tests alone miss.

use std::cell::Cell;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;

// ANCHOR: types
/// The one heap allocation behind all clones of a `MyRc`.
#[allow(dead_code)] // The stub reads no field yet; delete once yours does.
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

// TODO: a colleague added this line "so that a MyRc can go to a worker thread,
// like an Arc". The bound looks careful. Is the promise true? Think about the
// clones that stay behind when one of them moves. (The compile checks in
// `tests/rc.rs` have an opinion.)
unsafe impl<T: Send> Send for MyRc<T> {}
// ANCHOR_END: types

impl<T> MyRc<T> {
    /// Moves `value` to the heap, with a count of one.
    pub fn new(value: T) -> Self {
        let rcbox = Box::new(RcBox {
            strong: Cell::new(1),
            value,
        });
        Self {
            // `Box::leak` gives up the Box's ownership without freeing anything:
            // from here on, the count decides when the allocation goes.
            ptr: NonNull::from(Box::leak(rcbox)),
            _owns: PhantomData,
        }
    }

    /// How many `MyRc`s share this value, this one included.
    #[allow(unused_variables)] // Delete once the body uses `this`.
    pub fn strong_count(this: &Self) -> usize {
        // TODO: read the count. You will reach the `RcBox` through `ptr` in
        // several methods: a private helper returning `&RcBox<T>` (with its
        // `// SAFETY:` comment) saves writing the same `unsafe` each time.
        todo!("MyRc::strong_count")
    }

    /// Whether `a` and `b` point to the same allocation (not merely equal values).
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.ptr == b.ptr
    }

    /// A mutable reference to the value, if no other `MyRc` shares it.
    #[allow(unused_variables)] // Delete once the body uses `this`.
    pub fn get_mut(this: &mut Self) -> Option<&mut T> {
        // TODO: `Some` only if this is the one and only `MyRc`. Why is the
        // reference you return unique for as long as it lives, even though
        // `clone` takes only `&self`? (Look at the borrow `this` is under.)
        todo!("MyRc::get_mut")
    }
}

impl<T> Clone for MyRc<T> {
    /// Another pointer to the same value: one more owner, no copy of `T`.
    fn clone(&self) -> Self {
        // TODO: one more owner. Nothing about `T` is copied.
        todo!("MyRc::clone")
    }
}

impl<T> Deref for MyRc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // TODO: a shared reference to the value inside the `RcBox`.
        todo!("MyRc::deref")
    }
}

impl<T> Drop for MyRc<T> {
    fn drop(&mut self) {
        // TODO: as written, every `MyRc` leaks its share: nothing is ever freed.
        // One owner fewer; if that was the last one, drop the value and free the
        // `RcBox`. `new` turned a `Box` into a raw pointer: what turns it back into
        // a `Box` that owns the allocation (and frees it when dropped)?
    }
}
