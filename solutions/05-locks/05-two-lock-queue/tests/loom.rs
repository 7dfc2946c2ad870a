// The exercise's loom models, run unchanged against the solution.
extern crate two_lock_queue_solution as two_lock_queue;

#[path = "../../../../exercises/05-locks/05-two-lock-queue/tests/loom.rs"]
mod spec;
