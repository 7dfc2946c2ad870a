// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `thread_bounds`, so the solution goes by that name here.
extern crate thread_bounds_solution as thread_bounds;

#[path = "../../../../exercises/04-send-sync/02-thread-bounds/tests/bounds.rs"]
mod spec;
