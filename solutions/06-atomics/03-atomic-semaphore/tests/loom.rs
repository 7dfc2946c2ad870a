// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `atomic_semaphore`, so the solution goes by that name here.
extern crate atomic_semaphore_solution as atomic_semaphore;

#[path = "../../../../exercises/06-atomics/03-atomic-semaphore/tests/loom.rs"]
mod spec;
