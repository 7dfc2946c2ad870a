// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `leaky_stack`, so the solution goes by that name here.
extern crate leaky_stack_solution as leaky_stack;

#[path = "../../../../exercises/07-reclamation/02-leaky-stack/tests/freeing.rs"]
mod spec;
