// The exercise's exercises/07-reclamation/04-epoch-stack/tests/stack.rs runs the
// leaky-stack exercise's tests unchanged, under the crate name `leaky_stack`
// (every stack of chapter 7 has the same API). This shim runs the same file
// against the solution, under that name.
extern crate epoch_stack_solution as leaky_stack;

#[path = "../../../../exercises/07-reclamation/02-leaky-stack/tests/stack.rs"]
mod spec;
