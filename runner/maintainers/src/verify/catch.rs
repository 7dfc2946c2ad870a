//! Whether a tier catches a mistake, found with as little running as the tier
//! allows.
//!
//! The Miri tier runs a solution's test targets one after another, each under
//! several seeds, and fails at the first target that fails, as `cargo test`
//! does. Which target comes first does not change whether the tier fails; it
//! changes how long it takes to find out. The mistakes in one solution are
//! mostly caught by the same target, so a [`Catcher`] runs the target that
//! caught the previous mistake first: for the epoch queue, whose mutants all
//! fail in `tests/reclaim.rs`, that skips two minutes of passing targets per
//! mutant. The other tiers run as they are: loom has one target, and the
//! plain tests take seconds.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;

use workbook_core::info_file::Tier;
use workbook_core::process::Ended;
use workbook_core::tiers::Site;

/// Runs one solution's tiers on mistakes, remembering which Miri target
/// caught the last one.
pub struct Catcher<'a> {
    site: &'a Site,
    package: String,
    miri_flags: &'a [String],
    /// cargo's selection flags for each test target, the last catcher first.
    miri_targets: Vec<Vec<String>>,
}

impl<'a> Catcher<'a> {
    /// For the solution whose crate (in the copy `site` runs in) is at `crate_dir`.
    pub fn new(
        site: &'a Site,
        package: String,
        miri_flags: &'a [String],
        crate_dir: &Path,
    ) -> Result<Self> {
        Ok(Self {
            site,
            package,
            miri_flags,
            miri_targets: test_targets(crate_dir)?,
        })
    }

    /// Runs `tier` (only the tests whose names contain `filter`, if given)
    /// until it fails or every target has passed, within `limit` in all.
    pub fn run(
        &mut self,
        tier: Tier,
        filter: Option<&str>,
        log: &Path,
        limit: Duration,
    ) -> Result<Ended> {
        let with_filter = |run: workbook_core::process::Invocation| match filter {
            Some(filter) => run.args(["--", filter]),
            None => run,
        };
        if tier != Tier::Miri {
            let run = tier.invocation(self.site, &self.package, self.miri_flags);
            return with_filter(run).run_logged_within(log, limit);
        }
        let started = Instant::now();
        for position in 0..self.miri_targets.len() {
            let Some(left) = limit.checked_sub(started.elapsed()) else {
                return Ok(Ended::TimedOut);
            };
            let targets = &self.miri_targets[position];
            let run = tier.invocation_of(self.site, &self.package, self.miri_flags, targets);
            match with_filter(run).run_logged_within(log, left)? {
                Ended::Passed => {}
                ended => {
                    let caught = self.miri_targets.remove(position);
                    self.miri_targets.insert(0, caught);
                    return Ok(ended);
                }
            }
        }
        Ok(Ended::Passed)
    }
}

/// The selection flags of every target `cargo test --tests` would run in the
/// crate at `crate_dir`: the library's unit tests, then each file of `tests/`
/// in name order (the solutions name no targets in Cargo.toml, and have no
/// binaries).
fn test_targets(crate_dir: &Path) -> Result<Vec<Vec<String>>> {
    let mut targets = Vec::new();
    if crate_dir.join("src").join("lib.rs").exists() {
        targets.push(vec!["--lib".to_owned()]);
    }
    let mut tests = Vec::new();
    if let Ok(entries) = std::fs::read_dir(crate_dir.join("tests")) {
        for entry in entries {
            let path = entry?.path();
            if path.extension().is_some_and(|ext| ext == "rs")
                && let Some(stem) = path.file_stem()
            {
                tests.push(stem.to_string_lossy().into_owned());
            }
        }
    }
    tests.sort();
    targets.extend(
        tests
            .into_iter()
            .map(|name| vec!["--test".to_owned(), name]),
    );
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_targets_are_the_library_then_each_test_file_in_name_order() {
        let dir = std::env::temp_dir().join(format!("catch-targets-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        for file in [
            "src/lib.rs",
            "tests/stress.rs",
            "tests/queue.rs",
            "tests/notes.txt",
        ] {
            std::fs::write(dir.join(file), "").unwrap();
        }
        let targets = test_targets(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            targets,
            [
                vec!["--lib"],
                vec!["--test", "queue"],
                vec!["--test", "stress"]
            ]
        );
    }
}
