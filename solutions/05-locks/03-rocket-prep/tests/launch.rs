// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `rocket_prep`, so the solution goes by that name here.
extern crate rocket_prep_solution as rocket_prep;

#[path = "../../../../exercises/05-locks/03-rocket-prep/tests/launch.rs"]
mod spec;
