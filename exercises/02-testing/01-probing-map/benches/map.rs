//! Your map against std's `HashMap`: run `cargo bench --bench map` in this
//! folder. The code is the solution's benchmark, run here on your `ProbingMap`.

#[path = "../../../../solutions/02-testing/01-probing-map/benches/map/compare.rs"]
mod compare;

criterion::criterion_main!(compare::benches);
