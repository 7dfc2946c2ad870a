// Every stack of chapter 7 has the same API, so this exercise runs the
// leaky-stack exercise's tests unchanged. They name the crate `leaky_stack`,
// so the epoch stack goes by that name here.
extern crate epoch_stack as leaky_stack;

#[path = "../../02-leaky-stack/tests/stack.rs"]
mod spec;
