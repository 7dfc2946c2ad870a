// The exercise's loom models, run unchanged against the solution.
extern crate rwlock_solution as rwlock;

#[path = "../../../../exercises/05-locks/06-rwlock/tests/loom.rs"]
mod spec;
