// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `my_rc`, so the solution goes by that name here.
extern crate my_rc_solution as my_rc;

#[path = "../../../../exercises/03-memory-model/02-my-rc/tests/rc.rs"]
mod spec;
