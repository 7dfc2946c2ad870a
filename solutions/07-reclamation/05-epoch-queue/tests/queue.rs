// Chapter 6's broken-queue tests, run unchanged against the solution: the API is
// the same, and the test file names the crate `broken_queue`.
extern crate epoch_queue_solution as broken_queue;

#[path = "../../../../exercises/06-atomics/02-broken-queue/tests/queue.rs"]
mod spec;
