// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `my_arc`, so the solution goes by that name here.
extern crate my_arc_solution as my_arc;

#[path = "../../../../exercises/07-reclamation/01-my-arc/tests/loom.rs"]
mod spec;
