// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `ordering_quiz`, so the solution goes by that name here.
extern crate ordering_quiz_solution as ordering_quiz;

#[path = "../../../../exercises/06-atomics/04-ordering-quiz/tests/answers.rs"]
mod spec;
