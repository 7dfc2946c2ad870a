// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `spin_lock`, so the solution goes by that name here.
extern crate spin_lock_solution as spin_lock;

#[path = "../../../../exercises/06-atomics/01-spin-lock/tests/spin_lock.rs"]
mod spec;
