// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `my_vec`, so the solution goes by that name here.
extern crate my_vec_solution as my_vec;

#[path = "../../../../exercises/03-memory-model/01-my-vec/tests/vec.rs"]
mod spec;
