//! # MyArc
//!
//! A thread-safe reference-counted pointer with weak references, after
//! `std::sync::Arc`. Every `MyArc` to a value shares one heap allocation that
//! holds the value and its counts; the value must be dropped when the last
//! `MyArc` goes, and the allocation freed when the last `MyArc` or `Weak` goes.
//!
//! Both counts live in one 64-bit word: the strong count in the low half, the
//! weak count in the high half.
//!
//! `new`, `clone`, `Deref`, `downgrade` and the `Weak`'s `clone` and `drop` work.
//! Your job is in the three places marked `TODO`: dropping a `MyArc`,
//! `Weak::upgrade`, and `MyArc::get_mut`. Keep the public API as it is.
//!
//! Check your work with `cargo test` in this folder, then
//! `cargo workbook check my-arc`, which adds loom models and Miri.
//!
//! ```
//! use my_arc::MyArc;
//!
//! let first = MyArc::new(String::from("shared"));
//! let second = MyArc::clone(&first);
//! assert_eq!(*second, "shared");
//! assert_eq!(MyArc::strong_count(&first), 2);
//! ```

use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::process;
use std::ptr::NonNull;

use test_support::cell::UnsafeCell;
use test_support::sync::atomic::{self, AtomicU64, Ordering};

/// One strong reference, in the `counts` word.
const ONE_STRONG: u64 = 1;
/// One weak reference, in the `counts` word.
const ONE_WEAK: u64 = 1 << 32;
/// Neither count may reach this, so that neither half can overflow into the other.
const MAX_COUNT: u64 = 1 << 31;

fn strong(counts: u64) -> u64 {
    counts & (ONE_WEAK - 1)
}

fn weak(counts: u64) -> u64 {
    counts >> 32
}

/// The shared allocation.
struct Inner<T> {
    /// The strong count (the `MyArc`s) in the low 32 bits; in the high 32 bits
    /// the weak count: the `Weak`s, plus one held by all the `MyArc`s together
    /// until the last of them has dropped the value.
    counts: AtomicU64,
    /// Dropped by the `MyArc` that takes the strong count to zero; never
    /// touched after that.
    value: UnsafeCell<ManuallyDrop<T>>,
}

/// A shared, thread-safe pointer to a `T` on the heap, counted.
pub struct MyArc<T> {
    inner: NonNull<Inner<T>>,
    /// A `MyArc` owns a share of the `T` (for the drop checker).
    _owns: PhantomData<Inner<T>>,
}

/// A reference that keeps the allocation, but not the value, alive.
pub struct Weak<T> {
    inner: NonNull<Inner<T>>,
}

// SAFETY: sending a MyArc to another thread can hand the value's drop (and
// `get_mut`'s `&mut T`) to that thread, which needs `T: Send`; the clones left
// behind share `&T` with it, which needs `T: Sync`. The counts are atomic.
unsafe impl<T: Send + Sync> Send for MyArc<T> {}

// SAFETY: `&MyArc` gives out `&T` and clones, so sharing one does everything
// sending one does: the same bounds.
unsafe impl<T: Send + Sync> Sync for MyArc<T> {}

// SAFETY: a Weak can become a MyArc on the thread that holds it (`upgrade`), so
// it needs what a MyArc needs.
unsafe impl<T: Send + Sync> Send for Weak<T> {}

// SAFETY: as for `Send`: `&Weak` can `upgrade` too.
unsafe impl<T: Send + Sync> Sync for Weak<T> {}

impl<T> MyArc<T> {
    /// Moves `value` to the heap, with one strong reference: this one.
    pub fn new(value: T) -> Self {
        let inner = Box::new(Inner {
            counts: AtomicU64::new(ONE_STRONG + ONE_WEAK),
            value: UnsafeCell::new(ManuallyDrop::new(value)),
        });
        Self {
            inner: NonNull::from(Box::leak(inner)),
            _owns: PhantomData,
        }
    }

    fn inner(&self) -> &Inner<T> {
        // SAFETY: a MyArc holds a strong reference, and with it the weak one the
        // strong references share, so the allocation is alive.
        unsafe { self.inner.as_ref() }
    }

    /// How many `MyArc`s point at this value. Other threads may change it at any
    /// moment, so it is a hint, not something to decide on.
    pub fn strong_count(this: &Self) -> usize {
        // Relaxed: a snapshot for the caller; nothing is read through it.
        strong(this.inner().counts.load(Ordering::Relaxed)) as usize
    }

    /// How many `Weak`s point at this value; a hint, like `strong_count`.
    pub fn weak_count(this: &Self) -> usize {
        // Relaxed: as in `strong_count`.
        let counts = this.inner().counts.load(Ordering::Relaxed);
        // The strong references' shared weak reference is not a `Weak`.
        (weak(counts) - 1) as usize
    }

    /// A `&mut T`, if no other `MyArc` or `Weak` points at the value: then no
    /// other thread can reach it, nor start to while `this` is borrowed.
    pub fn get_mut(this: &mut Self) -> Option<&mut T> {
        // TODO: both counts are right when each is read. Are they still right
        // together? What can another thread do between the two reads?
        if MyArc::strong_count(this) != 1 || MyArc::weak_count(this) != 0 {
            return None;
        }
        // SAFETY: ours is the only reference of either kind, and making another
        // needs `this`, which we borrow mutably for as long as the `&mut T` lives.
        Some(this.inner().value.with_mut(|value| unsafe { &mut **value }))
    }

    /// A weak reference to the value.
    pub fn downgrade(this: &Self) -> Weak<T> {
        add_weak(this.inner);
        Weak { inner: this.inner }
    }
}

/// Adds a weak reference to the allocation at `inner`, which the caller keeps alive.
fn add_weak<T>(inner: NonNull<Inner<T>>) {
    // SAFETY: the caller holds a reference that keeps the allocation alive.
    let counts = unsafe { &inner.as_ref().counts };
    // Relaxed: as in `clone`: the new reference is made from one the caller
    // holds, so nothing needs publishing.
    let old = counts.fetch_add(ONE_WEAK, Ordering::Relaxed);
    if weak(old) >= MAX_COUNT {
        process::abort();
    }
}

impl<T> Clone for MyArc<T> {
    fn clone(&self) -> Self {
        // Relaxed: the new MyArc comes from one this thread holds, so the value
        // stays alive, and whatever this thread may read through it, it could
        // already read. The only thing to get right is the count itself, and
        // every read-modify-write of one atomic is totally ordered.
        let old = self.inner().counts.fetch_add(ONE_STRONG, Ordering::Relaxed);
        // `mem::forget` on clones in a loop could push the strong count into the
        // weak half. Far below that, stop the program: unwinding here would run
        // destructors on a value whose count is already wrong.
        if strong(old) >= MAX_COUNT {
            process::abort();
        }
        Self {
            inner: self.inner,
            _owns: PhantomData,
        }
    }
}

impl<T> Deref for MyArc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the value lives until the strong count reaches zero, which it
        // cannot while `self` is borrowed; nobody has a `&mut T` while a second
        // reference (ours) exists (see `get_mut`).
        self.inner().value.with(|value| unsafe { &**value })
    }
}

impl<T> Drop for MyArc<T> {
    fn drop(&mut self) {
        // TODO: when must the value be dropped, and when the allocation freed?
        // And which ordering makes another thread's last use of the value happen
        // before the drop?
        // Relaxed, like `clone`: the count only counts.
        let old = self.inner().counts.fetch_sub(ONE_STRONG, Ordering::Relaxed);
        if old != ONE_STRONG + ONE_WEAK {
            return;
        }
        // SAFETY: no reference of either kind was left, so nobody can reach the
        // value or the allocation, which came from `Box::leak` in `new`.
        unsafe {
            self.inner()
                .value
                .with_mut(|value| ManuallyDrop::drop(&mut *value));
            drop(Box::from_raw(self.inner.as_ptr()));
        }
    }
}

/// Lets go of one weak reference, and frees the allocation if it was the last.
///
/// # Safety
///
/// The caller holds that weak reference and does not use the allocation after.
unsafe fn release_weak<T>(inner: NonNull<Inner<T>>) {
    // SAFETY: the weak reference we hold keeps the allocation alive until our
    // decrement.
    let counts = unsafe { &inner.as_ref().counts };
    // Release: pairs with the Acquire fence below, in the thread that lets go of
    // the last weak reference: our accesses to the allocation (the value's drop,
    // this very decrement) happen before it frees the memory.
    let old = counts.fetch_sub(ONE_WEAK, Ordering::Release);
    if weak(old) != 1 {
        return;
    }
    // Acquire: pairs with the Release decrements of every other reference.
    atomic::fence(Ordering::Acquire);
    // SAFETY: no reference of either kind is left, so nobody can reach the
    // allocation; it came from `Box::leak` in `new`. The value was dropped
    // already and sits in a ManuallyDrop, so this frees only memory.
    drop(unsafe { Box::from_raw(inner.as_ptr()) });
}

impl<T> Weak<T> {
    /// A `MyArc` to the value, or `None` if the last `MyArc` has already gone.
    pub fn upgrade(&self) -> Option<MyArc<T>> {
        // SAFETY: our weak reference keeps the allocation alive.
        let counts = unsafe { &self.inner.as_ref().counts };
        // TODO: the count was not zero when we looked. Is it still not zero when
        // we add one?
        // Relaxed: as in `clone`.
        if strong(counts.load(Ordering::Relaxed)) == 0 {
            return None;
        }
        // Relaxed: as in `clone`.
        counts.fetch_add(ONE_STRONG, Ordering::Relaxed);
        Some(MyArc {
            inner: self.inner,
            _owns: PhantomData,
        })
    }
}

impl<T> Clone for Weak<T> {
    fn clone(&self) -> Self {
        add_weak(self.inner);
        Self { inner: self.inner }
    }
}

impl<T> Drop for Weak<T> {
    fn drop(&mut self) {
        // SAFETY: we hold this weak reference and are done with it.
        unsafe { release_weak(self.inner) };
    }
}
