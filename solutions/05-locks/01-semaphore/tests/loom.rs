// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `semaphore`, so the solution goes by that name here.
extern crate semaphore_solution as semaphore;

#[path = "../../../../exercises/05-locks/01-semaphore/tests/loom.rs"]
mod spec;
