//! # MyVec: a growable array on raw allocation
//!
//! A minimal `Vec<T>`: one heap buffer, a pointer to it, its capacity and how
//! many of its slots hold values. The first `len` slots are initialised, the
//! other `cap - len` are not, and nothing else may be assumed about the buffer.
//!
//! The struct, `new`, the accessors and the slice view are written. Yours is the
//! unsafe core: allocating and growing the buffer, moving values in and out of
//! it, and cleaning up. Keep the public API as it is.
//!
//! Check your work with `cargo test` in this folder, then
//! `cargo workbook check my-vec`, which adds Miri: it reports leaks, reads of
//! uninitialised or freed memory, and aliasing violations that tests alone miss.
//!
//! Zero-sized types are refused: with them a buffer of any capacity takes no
//! bytes, and `std::alloc::alloc` must not be asked for zero bytes.
//!
//! The shape follows the Rustonomicon's "Example: Implementing Vec"
//! (<https://doc.rust-lang.org/nomicon/vec/vec.html>): a `NonNull` buffer with
//! `cap` and `len`, zero-sized types refused in `new`, and one function that
//! allocates the first buffer or reallocates a full one.

use std::marker::PhantomData;
use std::mem;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;
// What the TODOs below need. Delete the `allow` once you use them.
#[allow(unused_imports)]
use std::{
    alloc::{self, Layout},
    ptr,
};

// ANCHOR: struct
/// A growable array of `T` on the heap.
pub struct MyVec<T> {
    /// The buffer: `cap` slots of `T`, allocated with `Layout::array::<T>(cap)`.
    /// Dangling (but non-null and aligned) while `cap == 0`: nothing is allocated.
    ptr: NonNull<T>,
    /// How many slots the buffer has.
    cap: usize,
    /// How many slots, from the start, hold initialised values. `len <= cap`.
    len: usize,
    /// `MyVec<T>` owns values of type `T` and drops them: say so to the compiler.
    _owns: PhantomData<T>,
}
// ANCHOR_END: struct

impl<T> MyVec<T> {
    /// An empty vector. Allocates nothing.
    ///
    /// # Panics
    ///
    /// If `T` is a zero-sized type.
    pub fn new() -> Self {
        assert!(
            mem::size_of::<T>() != 0,
            "MyVec does not support zero-sized types"
        );
        Self {
            ptr: NonNull::dangling(),
            cap: 0,
            len: 0,
            _owns: PhantomData,
        }
    }

    /// An empty vector with room for exactly `capacity` values.
    ///
    /// # Panics
    ///
    /// If `T` is a zero-sized type, or the buffer would exceed `isize::MAX` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        let mut vec = Self::new();
        if capacity > 0 {
            vec.reallocate(capacity);
        }
        vec
    }

    /// How many values the vector holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the vector holds no values.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many values the vector can hold before it must reallocate.
    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// Appends `value` at the end, doubling the buffer first if it is full.
    #[allow(unused_variables)] // Delete once the body uses `value`.
    pub fn push(&mut self, value: T) {
        // TODO: if the buffer is full, grow it: to a few slots when the capacity
        // is 0, otherwise to twice the capacity (`reallocate` does the moving).
        // Then put `value` in slot `len`. That slot holds no value, only whatever
        // bytes happen to be there: `*slot = value` would drop those bytes as if
        // they were a `T`. Which method of a raw pointer writes without dropping?
        todo!("MyVec::push")
    }

    /// Removes the last value and returns it, or `None` if the vector is empty.
    pub fn pop(&mut self) -> Option<T> {
        // TODO: move the last value out of the buffer. Reading through a raw
        // pointer copies the bytes: afterwards, who owns the value, the caller or
        // the slot? Make sure the vector never drops it again.
        todo!("MyVec::pop")
    }

    /// Moves the values into a buffer of `new_cap` slots (`new_cap > cap`).
    #[allow(unused_variables)] // Delete once the body uses `new_cap`.
    fn reallocate(&mut self, new_cap: usize) {
        // TODO: ask `Layout::array::<T>(new_cap)` for the size and alignment of
        // the new buffer. With no buffer yet (`cap == 0`), `alloc::alloc` one;
        // otherwise `alloc::realloc` the old one, which needs the layout it was
        // allocated with. A null result means the allocation failed: hand it to
        // `alloc::handle_alloc_error`. Then update `ptr` and `cap`.
        todo!("MyVec::reallocate")
    }
}

impl<T> Default for MyVec<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for MyVec<T> {
    fn drop(&mut self) {
        // TODO: as written, the values and the buffer are leaked. Drop the first
        // `len` values in place (`ptr::drop_in_place` takes a pointer to a whole
        // slice), then give the buffer back to the allocator with the layout it
        // was allocated with. There is no buffer to free while `cap == 0`.
    }
}

// The slice view gives indexing (`vec[i]`), `get`, `get_mut`, `iter` and the
// rest of the slice methods. It relies on the invariants above: if `push` or
// `pop` breaks them, these are the first to read garbage.
impl<T> Deref for MyVec<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        // SAFETY: `ptr` is non-null and aligned (dangling only when `len == 0`,
        // which a slice allows), the first `len` slots are initialised, and the
        // slice borrows `self`, so no `&mut self` method can run while it lives.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T> DerefMut for MyVec<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `deref`; borrowing `self` mutably makes the slice unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}
