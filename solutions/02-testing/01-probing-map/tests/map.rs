// The exercise's own tests, run unchanged against the solution: the test file
// names the crate `probing_map`, so the solution goes by that name here.
extern crate probing_map_solution as probing_map;

#[path = "../../../../exercises/02-testing/01-probing-map/tests/map.rs"]
mod spec;
