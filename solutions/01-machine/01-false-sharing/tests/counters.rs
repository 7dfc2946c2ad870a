// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `false_sharing`, so the solution goes by that name here.
extern crate false_sharing_solution as false_sharing;

#[path = "../../../../exercises/01-machine/01-false-sharing/tests/counters.rs"]
mod spec;
