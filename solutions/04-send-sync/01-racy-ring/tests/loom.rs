// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `racy_ring`, so the solution goes by that name here.
extern crate racy_ring_solution as racy_ring;

#[path = "../../../../exercises/04-send-sync/01-racy-ring/tests/loom.rs"]
mod spec;
