// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `rwlock`, so the solution goes by that name here.
extern crate rwlock_solution as rwlock;

#[path = "../../../../exercises/05-locks/06-rwlock/tests/rwlock.rs"]
mod spec;
