// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `dining_philosophers`, so the solution goes by that name here.
extern crate dining_philosophers_solution as dining_philosophers;

#[path = "../../../../exercises/05-locks/04-dining-philosophers/tests/table.rs"]
mod spec;
