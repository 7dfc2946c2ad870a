// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `rope_bridge`, so the solution goes by that name here.
extern crate rope_bridge_solution as rope_bridge;

#[path = "../../../../exercises/05-locks/02-rope-bridge/tests/rope.rs"]
mod spec;
