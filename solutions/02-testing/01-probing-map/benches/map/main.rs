//! The solution's map against std's `HashMap`. Run it with
//! `cargo bench --bench map` in this folder, or `cargo workbook bench probing-map`
//! to record the results for the book. The benchmarks themselves are in
//! `compare.rs`, shared with the exercise.

// `compare.rs` names the map's crate `probing_map`, as the exercise's tests do.
extern crate probing_map_solution as probing_map;

mod compare;

criterion::criterion_main!(compare::benches);
