// The exercise's own tests, run unchanged against the solution.
extern crate epoch_queue_solution as epoch_queue;

#[path = "../../../../exercises/07-reclamation/05-epoch-queue/tests/freeing.rs"]
mod spec;
