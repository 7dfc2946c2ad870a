//! A small hazard-pointer domain, after Michael, "Hazard Pointers: Safe Memory
//! Reclamation for Lock-Free Objects" (IEEE TPDS 15(6), 2004).
//!
//! A thread that is about to read a shared object first *publishes* its address
//! in a hazard slot, then checks that the object is still reachable. A thread
//! that unlinks an object does not free it: it *retires* it, and from time to
//! time *scans* every hazard slot and frees only the retired objects that no
//! slot names. The two checks meet in the middle: either the reader sees that
//! the object was unlinked, or the scanner sees the reader's hazard.
//!
//! Objects are `Box`es, handed over as raw pointers and freed with
//! `Box::from_raw`.

use std::collections::HashSet;
use std::marker::PhantomData;
use std::ptr;

use test_support::cell::UnsafeCell;
use test_support::sync::atomic::{self, AtomicBool, AtomicPtr, AtomicUsize, Ordering};

/// A scan starts once this many objects wait on the retired list. Each scan
/// frees every retired object that no slot protects, so at most this many
/// retired objects, plus one per slot, plus those that concurrent scans are
/// holding, are ever waiting.
pub const SCAN_THRESHOLD: usize = 64;

// ANCHOR: slot
/// One hazard pointer, in the domain's list of slots. Slots are never freed
/// before the domain, so a thread may read any slot it finds in the list.
struct Slot<T> {
    /// The object this slot protects, or null. Written only by the slot's
    /// owner, and always with `swap` (see [`Slot::set`]).
    hazard: AtomicPtr<T>,
    /// True while a [`Hazard`] owns the slot.
    taken: AtomicBool,
    /// The slot added before this one, or null. Written before the slot is
    /// linked, only read afterwards.
    next: UnsafeCell<*mut Slot<T>>,
}
// ANCHOR_END: slot

impl<T> Slot<T> {
    // ANCHOR: set
    /// Makes the slot protect `object` (or nothing, if it is null).
    fn set(&self, object: *mut T) {
        // Release: pairs with the Acquire load of `hazard` in `scan`. A scan
        // that reads this value, or any later one, must also see every read
        // the owner made of the object this slot protected before, since the
        // scan may free that object now. "Any later one": every write of
        // `hazard` is this `swap`, a read-modify-write, so every later write
        // continues this Release's release sequence, even when another thread
        // has taken the slot since ([intro.races] in C++20).
        self.hazard.swap(object, Ordering::Release);
    }
    // ANCHOR_END: set
}

/// One retired object, waiting on the domain's retired list.
struct Retired<T> {
    /// The object, unlinked from the data structure, freed by a scan.
    object: *mut T,
    /// The entry retired before this one, or null.
    next: UnsafeCell<*mut Retired<T>>,
}

/// Hazard slots and retired objects for objects of type `T`.
pub struct Domain<T> {
    /// The newest slot; the others follow through `next`. Only grows.
    slots: AtomicPtr<Slot<T>>,
    /// The newest retired entry; the others follow through `next`.
    retired: AtomicPtr<Retired<T>>,
    /// Roughly how many objects are retired and not yet freed; only decides
    /// when to scan.
    retired_count: AtomicUsize,
    /// The domain frees values of type `T`.
    _owns: PhantomData<T>,
}

// SAFETY: the domain owns the retired objects and frees them on whichever
// thread scans or drops it, so sending or sharing it moves `T`s between
// threads, which `T: Send` allows. Slots and entries are only touched through
// atomics or ordered by them (see each ordering's comment).
unsafe impl<T: Send> Send for Domain<T> {}

// SAFETY: as for `Send`; no `&T` is ever handed to another thread by the domain.
unsafe impl<T: Send> Sync for Domain<T> {}

/// A hazard pointer: one slot of a [`Domain`], owned until dropped.
pub struct Hazard<'domain, T> {
    slot: &'domain Slot<T>,
}

impl<T> Domain<T> {
    /// A domain with no slots and nothing retired.
    pub fn new() -> Self {
        Self {
            slots: AtomicPtr::new(ptr::null_mut()),
            retired: AtomicPtr::new(ptr::null_mut()),
            retired_count: AtomicUsize::new(0),
            _owns: PhantomData,
        }
    }

    /// The newest slot, from which every slot can be reached.
    fn first_slot(&self) -> *mut Slot<T> {
        // Acquire: pairs with the Release of the compare-exchange in `hazard`
        // that linked the slot, so its fields (`next` included) are visible.
        self.slots.load(Ordering::Acquire)
    }

    /// Takes a free slot, or adds one, and returns it as a [`Hazard`] that
    /// protects nothing yet.
    pub fn hazard(&self) -> Hazard<'_, T> {
        let mut slot = self.first_slot();
        while !slot.is_null() {
            // SAFETY: slots are linked before they are found and freed only with
            // the domain, which `&self` keeps alive.
            let found = unsafe { &*slot };
            // Relaxed: the slot's only shared field, `hazard`, is atomic, and
            // `Slot::set` orders the previous owner's reads for scans on its own.
            if !found.taken.load(Ordering::Relaxed)
                && found
                    .taken
                    .compare_exchange(false, true, Ordering::Relaxed, Ordering::Relaxed)
                    .is_ok()
            {
                return Hazard { slot: found };
            }
            // SAFETY: `next` was written before the slot was linked.
            slot = unsafe { found.next.with(|next| *next) };
        }
        let slot = Box::into_raw(Box::new(Slot {
            hazard: AtomicPtr::new(ptr::null_mut()),
            taken: AtomicBool::new(true),
            next: UnsafeCell::new(ptr::null_mut()),
        }));
        let mut first = self.first_slot();
        loop {
            // SAFETY: the slot is not linked yet, so no other thread can see it.
            unsafe { (*slot).next.with_mut(|next| *next = first) };
            // Release: pairs with the Acquire load in `first_slot`: a thread
            // that finds the slot sees its fields. On failure nothing is read.
            match self.slots.compare_exchange_weak(
                first,
                slot,
                Ordering::Release,
                Ordering::Relaxed,
            ) {
                // SAFETY: linked slots live as long as the domain.
                Ok(_) => return Hazard { slot: unsafe { &*slot } },
                Err(current) => first = current,
            }
        }
    }

    // ANCHOR: retire
    /// Hands `object` over to the domain, which frees it once no hazard
    /// pointer protects it. Scans when enough objects are waiting.
    ///
    /// # Safety
    ///
    /// `object` came from `Box::into_raw`, is retired once, and is no longer
    /// reachable from the shared data structure: a thread that protects it
    /// from now on fails to validate it.
    pub unsafe fn retire(&self, object: *mut T) {
        // Relaxed: the count only decides when to scan. It is counted before
        // the entry is linked, so a scan that frees the entry subtracts it
        // after this addition, and the count never drops below zero.
        let waiting = self.retired_count.fetch_add(1, Ordering::Relaxed) + 1;
        self.push_retired(Box::into_raw(Box::new(Retired {
            object,
            next: UnsafeCell::new(ptr::null_mut()),
        })));
        if waiting >= SCAN_THRESHOLD {
            self.scan();
        }
    }

    /// Links `entry` (not yet shared) at the front of the retired list.
    fn push_retired(&self, entry: *mut Retired<T>) {
        // Relaxed: we only store the front in our entry's `next`; on failure
        // the compare-exchange hands us the new front.
        let mut front = self.retired.load(Ordering::Relaxed);
        loop {
            // SAFETY: the entry is not linked yet, so no other thread can see it.
            unsafe { (*entry).next.with_mut(|next| *next = front) };
            // Release: pairs with the fence after the `swap` in `scan`: the scan
            // that takes the list sees our entry's fields, and everything this
            // thread did before retiring, such as unlinking the object.
            match self.retired.compare_exchange_weak(
                front,
                entry,
                Ordering::Release,
                Ordering::Relaxed,
            ) {
                Ok(_) => return,
                Err(current) => front = current,
            }
        }
    }
    // ANCHOR_END: retire

    // ANCHOR: scan
    /// Frees every retired object that no hazard pointer protects, and puts
    /// the others back on the retired list.
    pub fn scan(&self) {
        // Relaxed: the SeqCst fence below is also an Acquire fence, and it
        // pairs with the Release in `push_retired` through this swap (every
        // change of `retired` is a read-modify-write, so this holds for every
        // entry we take): after the fence, the entries' fields are visible, and
        // the unlinking of each object happens before the fence. With no
        // entries we return before the fence, having read nothing.
        let mut entry = self.retired.swap(ptr::null_mut(), Ordering::Relaxed);
        if entry.is_null() {
            return;
        }
        // SeqCst fence: the other half of the fence in `Hazard::protect`.
        // Each object on our list was unlinked before this fence. If this fence
        // comes first in the single total order of SeqCst fences, a reader's
        // validating load after its own fence sees the object unlinked, so
        // the reader never uses it. If the reader's fence comes first, the
        // loads below see its hazard. Without the fence (or with an AcqRel
        // one) both loads may read old values, as in store buffering, and we
        // would free an object that a reader goes on to use.
        atomic::fence(Ordering::SeqCst);
        let mut protected = HashSet::new();
        let mut slot = self.first_slot();
        while !slot.is_null() {
            // SAFETY: linked slots live as long as the domain.
            let found = unsafe { &*slot };
            // Acquire: pairs with the Release in `Slot::set`: if this is the
            // value with which a reader gave an object up, its reads of that
            // object happen before we free it.
            protected.insert(found.hazard.load(Ordering::Acquire));
            // SAFETY: `next` was written before the slot was linked.
            slot = unsafe { found.next.with(|next| *next) };
        }
        let mut freed = 0;
        while !entry.is_null() {
            // SAFETY: we took the entry off the list with the swap above, so it
            // is ours alone; its fields were written before it was linked.
            let next = unsafe { (*entry).next.with(|next| *next) };
            // SAFETY: as above.
            let object = unsafe { (*entry).object };
            if protected.contains(&object) {
                self.push_retired(entry);
            } else {
                // SAFETY: `object` came from `Box::into_raw` and was retired once
                // (the contract of `retire`), and no hazard protected it after
                // it was unlinked (the fence argument above).
                drop(unsafe { Box::from_raw(object) });
                // SAFETY: the entry came from `Box::into_raw` in `retire`.
                drop(unsafe { Box::from_raw(entry) });
                freed += 1;
            }
            entry = next;
        }
        // Relaxed: the count only decides when to scan.
        self.retired_count.fetch_sub(freed, Ordering::Relaxed);
    }
    // ANCHOR_END: scan
}

impl<T> Default for Domain<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for Domain<T> {
    fn drop(&mut self) {
        // `&mut self`: no `Hazard` borrows the domain any more, so nothing is
        // protected, and no other thread can use it.
        // Relaxed, here and for `slots`: `&mut self` already orders this after
        // everything done through `&self`.
        let mut entry = self.retired.load(Ordering::Relaxed);
        while !entry.is_null() {
            // SAFETY: every entry and object came from `Box::into_raw` and is
            // on the list once; nobody else can reach them now.
            let taken = unsafe { Box::from_raw(entry) };
            // SAFETY: as above.
            drop(unsafe { Box::from_raw(taken.object) });
            entry = taken.next.into_inner();
        }
        let mut slot = self.slots.load(Ordering::Relaxed);
        while !slot.is_null() {
            // SAFETY: as above, for the slots.
            let taken = unsafe { Box::from_raw(slot) };
            slot = taken.next.into_inner();
        }
    }
}

impl<T> Hazard<'_, T> {
    // ANCHOR: protect
    /// Loads `source` and protects what it points to: once this returns `p`,
    /// `p` (if not null) is not freed until this hazard protects something
    /// else or is dropped, provided that objects are retired only after being
    /// unlinked from `source`.
    pub fn protect(&mut self, source: &AtomicPtr<T>) -> *mut T {
        // Relaxed: this value is not dereferenced; the validating load below is
        // the one we trust.
        let mut object = source.load(Ordering::Relaxed);
        loop {
            self.slot.set(object);
            // SeqCst fence: orders the store of the hazard above before the load
            // below, which Release and Acquire cannot do (store buffering). It
            // pairs with the fence in `Domain::scan`: see the comment there.
            atomic::fence(Ordering::SeqCst);
            // Acquire: pairs with the Release that stored the object in
            // `source` (in the stack, the push's compare-exchange), so the
            // object's fields are visible to us.
            let again = source.load(Ordering::Acquire);
            if again == object {
                // Return `again`, not `object`: they are equal as addresses,
                // but if the object we first loaded was freed and its address
                // reused, only `again` points into the live allocation (it
                // carries the new object's provenance).
                return again;
            }
            // It changed while we published: the object we protect may already
            // be retired. Protect the new one instead.
            object = again;
        }
    }
    // ANCHOR_END: protect

    /// Stops protecting anything; the hazard can be used again.
    pub fn clear(&mut self) {
        self.slot.set(ptr::null_mut());
    }
}

impl<T> Drop for Hazard<'_, T> {
    fn drop(&mut self) {
        self.clear();
        // Relaxed: the next owner writes `hazard` only with `Slot::set`, whose
        // release sequence carries our reads to scans (see there).
        self.slot.taken.store(false, Ordering::Relaxed);
    }
}
