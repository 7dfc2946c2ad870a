//! # MyVec: a growable array on raw allocation
//!
//! A minimal `Vec<T>`: one heap buffer, a pointer to it, its capacity and how
//! many of its slots hold values. The first `len` slots are initialised, the
//! other `cap - len` are not, and nothing else may be assumed about the buffer.
//!
//! Zero-sized types are refused: with them a buffer of any capacity takes no
//! bytes, and `std::alloc::alloc` must not be asked for zero bytes. `std`'s
//! `Vec` handles them with a separate path; this one keeps to the main idea.
//!
//! The shape follows the Rustonomicon's "Example: Implementing Vec"
//! (<https://doc.rust-lang.org/nomicon/vec/vec.html>): a `NonNull` buffer with
//! `cap` and `len`, zero-sized types refused in `new`, and one function that
//! allocates the first buffer or reallocates a full one.

use std::alloc::{self, Layout};
use std::marker::PhantomData;
use std::mem;
use std::ops::{Deref, DerefMut};
use std::ptr::{self, NonNull};

/// The capacity of the first buffer a `push` allocates.
const FIRST_CAPACITY: usize = 4;

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

    // ANCHOR: push
    /// Appends `value` at the end, doubling the buffer first if it is full.
    pub fn push(&mut self, value: T) {
        if self.len == self.cap {
            let new_cap = if self.cap == 0 {
                FIRST_CAPACITY
            } else {
                self.cap.checked_mul(2).expect("capacity overflow")
            };
            self.reallocate(new_cap);
        }
        // SAFETY: `len < cap`, so the slot is inside the buffer, and it is not
        // initialised, so writing over it (rather than assigning, which would drop
        // the garbage there) is what we want.
        unsafe { self.ptr.as_ptr().add(self.len).write(value) };
        self.len += 1;
    }
    // ANCHOR_END: push

    // ANCHOR: pop
    /// Removes the last value and returns it, or `None` if the vector is empty.
    pub fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        // SAFETY: slot `len` was initialised (it was below the old `len`). Reading
        // it moves the value out; the slot now counts as uninitialised, because it
        // is no longer below `len`, so the value is never dropped twice.
        Some(unsafe { self.ptr.as_ptr().add(self.len).read() })
    }
    // ANCHOR_END: pop

    // ANCHOR: reallocate
    /// Moves the values into a buffer of `new_cap` slots (`new_cap > cap`).
    ///
    /// The Rustonomicon's `grow` has the same shape: `alloc` the first buffer,
    /// `realloc` later ones, and `handle_alloc_error` on a null result.
    fn reallocate(&mut self, new_cap: usize) {
        debug_assert!(new_cap > self.cap);
        let new_layout = Layout::array::<T>(new_cap).expect("capacity overflow");
        let new_ptr = if self.cap == 0 {
            // SAFETY: `new_layout` has a non-zero size: `new_cap > 0` and `T` is
            // not zero-sized (checked in `new`).
            unsafe { alloc::alloc(new_layout) }
        } else {
            let old_layout = Layout::array::<T>(self.cap).expect("was valid when allocated");
            // SAFETY: `ptr` was allocated by this allocator with `old_layout`, and
            // the new size is non-zero and fits `isize` (`Layout::array` checked).
            // `realloc` copies the bytes of the values; moving a Rust value is
            // exactly a copy of its bytes, so they stay valid in the new buffer.
            unsafe { alloc::realloc(self.ptr.as_ptr().cast(), old_layout, new_layout.size()) }
        };
        self.ptr = match NonNull::new(new_ptr.cast::<T>()) {
            Some(ptr) => ptr,
            None => alloc::handle_alloc_error(new_layout),
        };
        self.cap = new_cap;
    }
    // ANCHOR_END: reallocate
}

impl<T> Default for MyVec<T> {
    fn default() -> Self {
        Self::new()
    }
}

// ANCHOR: drop
impl<T> Drop for MyVec<T> {
    fn drop(&mut self) {
        let values = ptr::slice_from_raw_parts_mut(self.ptr.as_ptr(), self.len);
        // SAFETY: the first `len` slots hold initialised values that we own, and
        // nothing can use them after this.
        unsafe { ptr::drop_in_place(values) };
        if self.cap > 0 {
            let layout = Layout::array::<T>(self.cap).expect("was valid when allocated");
            // SAFETY: `ptr` was allocated by this allocator with this layout, and is
            // freed once, here.
            unsafe { alloc::dealloc(self.ptr.as_ptr().cast(), layout) };
        }
    }
}
// ANCHOR_END: drop

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
