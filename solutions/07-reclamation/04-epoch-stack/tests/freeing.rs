// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `epoch_stack`, so the solution goes by that name here.
extern crate epoch_stack_solution as epoch_stack;

#[path = "../../../../exercises/07-reclamation/04-epoch-stack/tests/freeing.rs"]
mod spec;
