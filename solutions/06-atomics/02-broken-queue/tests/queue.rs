// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `broken_queue`, so the solution goes by that name here.
extern crate broken_queue_solution as broken_queue;

#[path = "../../../../exercises/06-atomics/02-broken-queue/tests/queue.rs"]
mod spec;
