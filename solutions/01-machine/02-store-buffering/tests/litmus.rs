// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `store_buffering`, so the solution goes by that name here.
extern crate store_buffering_solution as store_buffering;

#[path = "../../../../exercises/01-machine/02-store-buffering/tests/litmus.rs"]
mod spec;
