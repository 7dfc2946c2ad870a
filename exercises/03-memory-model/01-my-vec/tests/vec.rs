//! MyVec's specification: unit tests, drop counting, and a property test against
//! `std::vec::Vec`. The solution runs these same tests; `cargo workbook check
//! my-vec` runs them again under Miri, which also reports leaks, reads of
//! uninitialised or freed memory, and aliasing violations.

use std::cell::RefCell;
use std::rc::Rc;

use my_vec::MyVec;
use quickcheck::{Arbitrary, Gen, QuickCheck};

// --- What a vector does ---------------------------------------------------------

#[test_support::test]
fn a_new_vector_is_empty_and_allocates_nothing() {
    let mut vec = MyVec::<u32>::new();
    assert_eq!(vec.len(), 0);
    assert!(vec.is_empty());
    assert_eq!(vec.capacity(), 0, "`new` must not allocate");
    assert_eq!(vec.pop(), None);
}

#[test_support::test]
fn push_then_pop_is_last_in_first_out() {
    let mut vec = MyVec::new();
    for value in [10, 20, 30] {
        vec.push(value);
    }
    assert_eq!(vec.len(), 3);
    assert!(
        !vec.is_empty(),
        "is_empty() says yes with 3 values in the vector"
    );
    assert_eq!(vec.pop(), Some(30));
    assert_eq!(vec.pop(), Some(20));
    assert_eq!(vec.pop(), Some(10));
    assert_eq!(vec.pop(), None);
    assert!(vec.is_empty());
}

#[test_support::test]
fn with_capacity_allocates_exactly_that_much_and_push_fills_it_in_place() {
    let mut vec = MyVec::with_capacity(10);
    assert_eq!(vec.capacity(), 10);
    assert_eq!(vec.len(), 0);
    let buffer = vec.as_ptr();
    for value in 0..10u64 {
        vec.push(value);
    }
    assert_eq!(
        vec.capacity(),
        10,
        "pushing into spare capacity must not reallocate"
    );
    assert_eq!(
        vec.as_ptr(),
        buffer,
        "the buffer must not move while it has room"
    );
}

#[test_support::test]
fn with_capacity_zero_allocates_nothing() {
    let vec = MyVec::<String>::with_capacity(0);
    assert_eq!(vec.capacity(), 0);
}

#[test_support::test]
fn values_survive_the_buffer_growing() {
    let mut vec = MyVec::new();
    for value in 0..300u32 {
        vec.push(value);
        assert!(
            vec.len() <= vec.capacity(),
            "after pushing {value}, len is {} but capacity only {}: len can never exceed capacity",
            vec.len(),
            vec.capacity()
        );
    }
    assert_eq!(vec.len(), 300);
    for (index, value) in vec.iter().enumerate() {
        assert_eq!(
            *value as usize, index,
            "value at index {index} was corrupted"
        );
    }
}

#[test_support::test]
fn the_capacity_grows_geometrically() {
    // Growing by a constant would make n pushes cost O(n²) copies; doubling makes
    // them O(n) in all.
    let mut vec = MyVec::new();
    let mut capacity = vec.capacity();
    for value in 0..2000u32 {
        vec.push(value);
        if vec.capacity() != capacity {
            assert!(
                vec.capacity() >= 2 * capacity,
                "capacity went from {capacity} to {}: grow by doubling",
                vec.capacity()
            );
            capacity = vec.capacity();
        }
    }
}

#[test_support::test]
fn strings_move_in_and_out_whole() {
    // Values that own heap memory: a bitwise copy kept by mistake, or one freed
    // twice, shows up here under Miri (and often as a crash without it).
    let mut vec = MyVec::new();
    for word in ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"] {
        vec.push(word.to_owned());
    }
    assert_eq!(vec.pop().as_deref(), Some("zeta"));
    vec.push("eta".to_owned());
    assert_eq!(
        vec.iter().map(String::as_str).collect::<Vec<_>>(),
        ["alpha", "beta", "gamma", "delta", "epsilon", "eta"]
    );
}

#[test_support::test]
fn indexing_reads_and_writes_in_place() {
    let mut vec = MyVec::new();
    for value in [1, 2, 3] {
        vec.push(value);
    }
    assert_eq!(vec[0], 1);
    assert_eq!(vec[2], 3);
    vec[1] = 20;
    *vec.get_mut(2).unwrap() += 30;
    assert_eq!(&vec[..], &[1, 20, 33]);
    assert_eq!(
        vec.get(3),
        None,
        "get(3) on a vector of 3 values returned a value: `get` past the end must return None"
    );
}

#[test_support::test]
#[should_panic(expected = "out of bounds")]
fn indexing_past_the_end_panics() {
    let mut vec = MyVec::with_capacity(4);
    vec.push(1u8);
    // Slot 1 is inside the buffer but holds no value: reading it would be UB.
    let _ = vec[1];
}

#[test_support::test]
#[should_panic(expected = "zero-sized")]
fn zero_sized_types_are_refused() {
    let _ = MyVec::<()>::new();
}

// --- Drop counting: every value is dropped exactly once ------------------------

/// Which values have been dropped, by id, in order.
type DropLog = Rc<RefCell<Vec<u32>>>;

/// A value that writes its id to a shared log when it is dropped.
#[derive(Debug)]
struct Tracked {
    id: u32,
    log: DropLog,
}

impl Tracked {
    fn new(id: u32, log: &DropLog) -> Self {
        Self {
            id,
            log: Rc::clone(log),
        }
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.log.borrow_mut().push(self.id);
    }
}

/// Asserts that the log holds each of `ids` exactly once, in any order.
fn assert_dropped_once(log: &DropLog, ids: impl IntoIterator<Item = u32>, when: &str) {
    let mut dropped = log.borrow().clone();
    dropped.sort_unstable();
    let mut expected: Vec<u32> = ids.into_iter().collect();
    expected.sort_unstable();
    assert_eq!(
        dropped, expected,
        "{when}: these ids must each have been dropped exactly once (left: dropped, right: expected)"
    );
}

#[test_support::test]
fn dropping_the_vector_drops_every_value_it_holds() {
    let log = DropLog::default();
    let mut vec = MyVec::new();
    for id in 0..10 {
        vec.push(Tracked::new(id, &log));
    }
    assert_dropped_once(&log, [], "while the vector is alive");
    drop(vec);
    assert_dropped_once(&log, 0..10, "after dropping the vector");
}

#[test_support::test]
fn growing_moves_values_without_dropping_them() {
    let log = DropLog::default();
    let mut vec = MyVec::with_capacity(1);
    for id in 0..100 {
        vec.push(Tracked::new(id, &log));
    }
    assert_dropped_once(&log, [], "after growing the buffer");
    drop(vec);
}

#[test_support::test]
fn pop_hands_the_value_over_and_the_vector_does_not_drop_it_again() {
    let log = DropLog::default();
    let mut vec = MyVec::new();
    for id in 0..5 {
        vec.push(Tracked::new(id, &log));
    }
    let popped = vec
        .pop()
        .expect("pop returned None, but the vector holds five values");
    assert_eq!(popped.id, 4);
    assert_dropped_once(&log, [], "pop must return the value, not drop it");
    drop(popped);
    assert_dropped_once(&log, [4], "after dropping the popped value");
    drop(vec);
    assert_dropped_once(&log, 0..5, "after dropping the vector");
}

#[test_support::test]
fn assigning_through_an_index_drops_the_old_value_once() {
    let log = DropLog::default();
    let mut vec = MyVec::new();
    vec.push(Tracked::new(0, &log));
    vec.push(Tracked::new(1, &log));
    vec[0] = Tracked::new(2, &log);
    assert_dropped_once(&log, [0], "after overwriting index 0");
    drop(vec);
    assert_dropped_once(&log, 0..3, "after dropping the vector");
}

#[test_support::test]
fn an_empty_vector_with_capacity_drops_nothing() {
    let log = DropLog::default();
    let mut vec = MyVec::with_capacity(8);
    vec.push(Tracked::new(0, &log));
    drop(vec.pop());
    drop(vec);
    assert_dropped_once(
        &log,
        [0],
        "after popping everything and dropping the vector",
    );
}

// --- A property against std's Vec ----------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    Push(u16),
    Pop,
    /// Overwrite the value at `position % len` (nothing, while empty).
    Set(usize, u16),
    /// Read at `position % (len + 1)`: a value, or the slot just past the end.
    Get(usize),
}

impl Arbitrary for Op {
    fn arbitrary(g: &mut Gen) -> Self {
        // Twice as many pushes as anything else, so the vector grows. Positions
        // are small numbers that the property reduces modulo the length: a
        // position drawn from all of `usize` would be out of range almost every
        // time, and the test would check `get` on values hardly ever.
        let position = usize::from(u8::arbitrary(g));
        match u8::arbitrary(g) % 5 {
            0 | 1 => Op::Push(u16::arbitrary(g)),
            2 => Op::Pop,
            3 => Op::Set(position, u16::arbitrary(g)),
            _ => Op::Get(position),
        }
    }
}

/// Any sequence of operations on a `MyVec<Box<u16>>` gives the same answers,
/// and leaves the same contents, as on a `Vec<Box<u16>>`. (Boxed, so that a value
/// copied instead of moved, or dropped twice, is a heap error that Miri reports.)
fn behaves_like_std_vec(ops: Vec<Op>) -> bool {
    let mut mine = MyVec::new();
    let mut model = Vec::new();
    let same_answers = ops.into_iter().all(|op| {
        let same_answer = match op {
            Op::Push(value) => {
                mine.push(Box::new(value));
                model.push(Box::new(value));
                true
            }
            Op::Pop => mine.pop() == model.pop(),
            Op::Set(position, value) if !model.is_empty() => {
                let index = position % model.len();
                *mine[index] = value;
                *model[index] = value;
                true
            }
            Op::Set(..) => true,
            Op::Get(position) => {
                let index = position % (model.len() + 1);
                mine.get(index) == model.get(index)
            }
        };
        same_answer && mine.len() == model.len()
    });
    same_answers && mine[..] == model[..]
}

#[test_support::test]
fn property_behaves_like_std_vec() {
    QuickCheck::new()
        .rng(Gen::new(SEQUENCE_SIZE))
        .quickcheck(behaves_like_std_vec as fn(Vec<Op>) -> bool);
}

/// How long the random sequences get: shorter under Miri, which runs every
/// operation thousands of times slower while checking it.
const SEQUENCE_SIZE: usize = if cfg!(miri) { 40 } else { 100 };
