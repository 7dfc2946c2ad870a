// The exercise's loom model, run unchanged against the solution.
extern crate rope_bridge_solution as rope_bridge;

#[path = "../../../../exercises/05-locks/02-rope-bridge/tests/loom.rs"]
mod spec;
