//! `cargo workbook verify ...`: handed to the maintainers' binary.
//!
//! verify and its dependencies live in `workbook-maintainers`, so that the
//! learners' build stays small. This runs `cargo run --quiet --package
//! workbook-maintainers -- verify <the same arguments>` (cargo builds it the
//! first time) and passes its exit code back.

use std::ffi::OsString;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result};

/// The package that holds verify, as its Cargo.toml names it.
const MAINTAINERS_PACKAGE: &str = "workbook-maintainers";

/// Runs verify with `args` in the maintainers' binary and returns its exit code.
pub fn verify(args: &[OsString]) -> Result<ExitCode> {
    // The cargo that runs this program (`cargo workbook` sets $CARGO), so that
    // both build with the same toolchain.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "run",
            "--quiet",
            "--package",
            MAINTAINERS_PACKAGE,
            "--",
            "verify",
        ])
        .args(args)
        .status()
        .with_context(|| format!("cannot start cargo to run {MAINTAINERS_PACKAGE}"))?;
    // A verify killed by a signal has no exit code; it failed.
    Ok(status
        .code()
        .and_then(|code| u8::try_from(code).ok())
        .map_or(ExitCode::FAILURE, ExitCode::from))
}
