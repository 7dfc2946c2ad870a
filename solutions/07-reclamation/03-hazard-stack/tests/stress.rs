// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `hazard_stack`, so the solution goes by that name here.
extern crate hazard_stack_solution as hazard_stack;

#[path = "../../../../exercises/07-reclamation/03-hazard-stack/tests/stress.rs"]
mod spec;
