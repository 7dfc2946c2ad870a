//! A hash map from `u64` to `u64` with open addressing and linear probing.
//!
//! Every entry lives directly in one array of slots. A key's *home* is the
//! slot its hash picks. If another key already holds that slot, the new key
//! goes in the first empty slot after it, wrapping round at the end of the
//! array (*linear probing*). A lookup walks the same path: from the home slot
//! forwards, until it meets the key or an empty slot. Meeting an empty slot
//! ends the search, because an insert would have used that slot rather than
//! walk past it.
//!
//! The map grows rather than become more than three quarters full, so every
//! walk meets an empty slot sooner or later.
//!
//! Removing a key must not cut another key's path short: an empty slot left
//! where the removed key was would end the walk to any key that probed past it.
//! So `remove` closes the gap instead (*backward-shift deletion*, Knuth's
//! Algorithm R): it moves later entries of the run back into the hole, where
//! their walks still find them, and the map needs no tombstones.

use std::fmt;

/// The fewest slots a map has. Always a power of two.
const MIN_SLOTS: usize = 8;

#[derive(Clone, Copy)]
enum Slot {
    Empty,
    Full { key: u64, value: u64 },
}

/// A map from `u64` keys to `u64` values.
///
/// ```
/// use probing_map_solution::ProbingMap;
///
/// let mut map = ProbingMap::new();
/// assert_eq!(map.insert(7, 70), None);
/// assert_eq!(map.insert(7, 71), Some(70));
/// assert_eq!(map.get(7), Some(71));
/// assert_eq!(map.remove(7), Some(71));
/// assert!(map.is_empty());
/// ```
#[derive(Clone)]
pub struct ProbingMap {
    /// A power of two long, at least [`MIN_SLOTS`], and never more than three
    /// quarters full.
    slots: Vec<Slot>,
    /// How many slots are `Full`.
    len: usize,
}

impl ProbingMap {
    /// An empty map.
    pub fn new() -> Self {
        Self {
            slots: vec![Slot::Empty; MIN_SLOTS],
            len: 0,
        }
    }

    /// How many keys the map holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the map holds no keys.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The value stored under `key`, if any.
    pub fn get(&self, key: u64) -> Option<u64> {
        let index = self.find(key).ok()?;
        match self.slots[index] {
            Slot::Full { value, .. } => Some(value),
            Slot::Empty => unreachable!("`find` returned an empty slot as the key's"),
        }
    }

    /// Stores `value` under `key`, and returns the value it replaced, if any.
    pub fn insert(&mut self, key: u64, value: u64) -> Option<u64> {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        match self.find(key) {
            Ok(index) => match &mut self.slots[index] {
                Slot::Full { value: old, .. } => Some(std::mem::replace(old, value)),
                Slot::Empty => unreachable!("`find` returned an empty slot as the key's"),
            },
            Err(empty) => {
                self.slots[empty] = Slot::Full { key, value };
                self.len += 1;
                None
            }
        }
    }

    /// Removes `key` and returns its value, if it was there.
    // ANCHOR: remove
    pub fn remove(&mut self, key: u64) -> Option<u64> {
        let mut hole = self.find(key).ok()?;
        let Slot::Full { value, .. } = std::mem::replace(&mut self.slots[hole], Slot::Empty)
        else {
            unreachable!("`find` returned an empty slot as the key's")
        };
        self.len -= 1;
        // Every key between the hole and the next empty slot got there by
        // probing from its home. A key whose path passes through the hole
        // (its home is at or before the hole, counting round the array) would
        // now stop at the hole, so it moves back into it, and its old slot
        // becomes the hole. A key whose home is after the hole stays put.
        let mask = self.slots.len() - 1;
        let mut index = (hole + 1) & mask;
        while let Slot::Full { key: here, .. } = self.slots[index] {
            let from_home = index.wrapping_sub(self.home(here)) & mask;
            let from_hole = index.wrapping_sub(hole) & mask;
            if from_home >= from_hole {
                self.slots[hole] = std::mem::replace(&mut self.slots[index], Slot::Empty);
                hole = index;
            }
            index = (index + 1) & mask;
        }
        Some(value)
    }
    // ANCHOR_END: remove

    /// Walks `key`'s probe path: `Ok` with the slot that holds `key`, or
    /// `Err` with the empty slot that ends the path, where `key` would go.
    // ANCHOR: find
    fn find(&self, key: u64) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut index = self.home(key);
        loop {
            match self.slots[index] {
                Slot::Full { key: here, .. } if here == key => return Ok(index),
                Slot::Full { .. } => index = (index + 1) & mask,
                Slot::Empty => return Err(index),
            }
        }
    }
    // ANCHOR_END: find

    /// The slot where `key`'s probe path starts.
    fn home(&self, key: u64) -> usize {
        mix(key) as usize & (self.slots.len() - 1)
    }

    /// Doubles the number of slots and puts every entry back in its new place.
    fn grow(&mut self) {
        let doubled = vec![Slot::Empty; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        self.len = 0;
        for slot in old {
            if let Slot::Full { key, value } = slot {
                self.insert(key, value);
            }
        }
    }
}

impl Default for ProbingMap {
    fn default() -> Self {
        Self::new()
    }
}

/// Shows every slot with its index, and each key with its home slot, which is
/// what you need to replay a sequence of calls by hand.
impl fmt::Debug for ProbingMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProbingMap with {} keys in {} slots:", self.len, self.slots.len())?;
        for (index, slot) in self.slots.iter().enumerate() {
            match *slot {
                Slot::Empty => write!(f, "\n    slot {index}: empty")?,
                Slot::Full { key, value } => write!(
                    f,
                    "\n    slot {index}: key {key} (home slot {}), value {value}",
                    self.home(key)
                )?,
            }
        }
        Ok(())
    }
}

/// SplitMix64's output function: every bit of `key` changes about half the
/// bits of the result, so even keys 0, 1, 2, ... land in scattered homes.
///
/// A fixed hash like this is fast, but anyone who knows it can choose keys that
/// all share one home and make every lookup walk the whole table. std's
/// `HashMap` seeds its hash randomly for each map for that reason.
pub fn mix(key: u64) -> u64 {
    let mut z = key;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
