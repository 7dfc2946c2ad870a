//! The ground floor of the Rust Concurrency Workbook's runner: what the
//! learners' CLI (`workbook`), the book preprocessor (`workbook-book`) and the
//! maintainers' checks (`workbook-maintainers`) all read and run, kept once.
//!
//! - [`info_file`]: exercises/info.toml, the one description of every exercise.
//! - [`wrong_answers`]: the wrong-answer files beside the solutions.
//! - [`results`] and [`machine`]: benchmark results and the machines they came from;
//!   [`spread`]: a figure's median and range over the rounds that measured it.
//! - [`process`]: running commands, with time limits and logs.
//! - [`workspace`]: finding the workbook and its exercises.
//! - [`tiers`]: the test tiers (tests, loom, Miri) as cargo commands.
//! - [`tools`]: the pinned book tools (mdBook and its plugins).
//! - [`shipped`]: the blob ids of the stubs as shipped (for `reset` and verify).
//! - [`arm64`]: cross builds for ARM64 (for `bench --arm64` and verify).
//!
//! Nothing here depends on the crates above it.

pub mod arm64;
pub mod info_file;
pub mod machine;
pub mod mutants_record;
pub mod process;
pub mod results;
pub mod shipped;
pub mod spread;
pub mod tiers;
pub mod tools;
pub mod workspace;
pub mod wrong_answers;
