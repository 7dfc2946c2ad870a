//! The offline hand-over works: with nothing but `prepare`'s vendored crates
//! and an empty CARGO_HOME, cargo in offline mode finds every package of the
//! lock file (`cargo fetch`), checks the loom build of the test support, and
//! one small exercise passes `cargo workbook check --solution`. Everything
//! lives in `target/offline/`, away from the ordinary build cache and cargo's own.
//! Also the pre-flight step: the learners' check passes on a full machine.

use std::path::Path;

use anyhow::{Context, Result};

use super::plan::Verdict;
use workbook::preflight;
use workbook::prepare;
use workbook_core::info_file::{Exercise, Tier};
use workbook_core::process::Invocation;
use workbook_core::workspace::Workbook;

pub fn check(workbook: &Workbook) -> Result<Verdict> {
    let dir = workbook.target_dir().join("offline");
    std::fs::create_dir_all(&dir)?;
    let vendor = dir.join("vendor");
    let log = dir.join("vendor.log");
    let _ = std::fs::remove_file(&log);
    // With the ordinary CARGO_HOME: from its cache, or from the network.
    let vendoring = prepare::vendor(workbook, &vendor);
    println!(
        "$ {vendoring} (output in {})",
        workbook.relative(&log).display()
    );
    if !vendoring.run_logged(&log)? {
        return Ok(Verdict::Failed(format!(
            "`{vendoring}` failed (see {})",
            log.display()
        )));
    }

    let home = dir.join("cargo-home");
    fresh_cargo_home(&home, &vendor)?;
    let offline = |invocation: Invocation, target: &Path| {
        invocation
            .env("CARGO_HOME", home.display().to_string())
            .env("CARGO_TARGET_DIR", target.display().to_string())
    };
    let cargo = || Invocation::new("cargo", &workbook.root);
    let target = dir.join("target");
    let Some(exercise) = sample_exercise(workbook) else {
        return Ok(Verdict::Failed("info.toml lists no exercise".to_owned()));
    };
    let runs = [
        // Every package of the lock file, for every platform, is in the vendored
        // folder. Checking the whole workspace offline proved no more and cost a
        // cold build of every dependency (criterion, loom, crossbeam, clap...):
        // the sources are the same ones the other steps build.
        offline(cargo().args(["fetch", "--locked", "--offline"]), &target),
        offline(
            cargo().env("RUSTFLAGS", "--cfg loom").args([
                "check",
                "-p",
                "test-support",
                "--locked",
                "--offline",
            ]),
            &dir.join("loom"),
        ),
        offline(
            cargo().args(["workbook", "check", &exercise.name, "--solution"]),
            &target,
        ),
    ];
    for run in &runs {
        println!("$ {run}");
        if !run.run()? {
            return Ok(Verdict::Failed(format!(
                "offline, with only the vendored crates: `{run}` failed (see its log)"
            )));
        }
    }
    Ok(Verdict::Passed)
}

/// The learners' pre-flight check passes on this machine, which has everything.
pub fn preflight(workbook: &Workbook) -> Result<Verdict> {
    Ok(if preflight::all_present(&preflight::check(workbook)) {
        Verdict::Passed
    } else {
        Verdict::Failed("the pre-flight check found something missing (see its log)".to_owned())
    })
}

/// An empty cargo home whose only config replaces crates.io by `vendor` and
/// forbids the network, as on a laptop that never fetched a crate.
fn fresh_cargo_home(home: &Path, vendor: &Path) -> Result<()> {
    if home.exists() {
        std::fs::remove_dir_all(home)
            .with_context(|| format!("cannot empty {}", home.display()))?;
    }
    std::fs::create_dir_all(home)?;
    let config = format!(
        "{}\n[net]\noffline = true\n",
        prepare::source_replacement(&vendor.display().to_string())
    );
    std::fs::write(home.join("config.toml"), config)?;
    Ok(())
}

/// The first exercise whose only tier is the tests and whose solution has no
/// benchmarks (so no criterion to build), to keep the step cheap; the first
/// exercise if none fits. Its tiers run through the runner, as a learner's would.
fn sample_exercise(workbook: &Workbook) -> Option<&Exercise> {
    let exercises = &workbook.info.exercises;
    let small = |e: &&Exercise| {
        e.tiers == [Tier::Test] && !e.solution_dir(&workbook.root).join("benches").exists()
    };
    exercises.iter().find(small).or(exercises.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The verify step itself, to time it or try it without a whole `verify`:
    /// `cargo test -p workbook-maintainers -- --ignored builds_offline`.
    #[test]
    #[ignore = "builds the workspace offline in target/offline, minutes; verify runs it"]
    fn the_workbook_builds_offline() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .parent()
            .unwrap();
        let workbook = Workbook::open_at(root).unwrap();
        let verdict = check(&workbook).unwrap();
        assert!(matches!(verdict, Verdict::Passed));
    }
}
