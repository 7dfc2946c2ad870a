// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `two_lock_queue`, so the solution goes by that name here.
extern crate two_lock_queue_solution as two_lock_queue;

#[path = "../../../../exercises/05-locks/05-two-lock-queue/tests/queue.rs"]
mod spec;
