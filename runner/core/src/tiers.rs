//! How each test tier is run, and what its failure means in plain words.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::info_file::Tier;
use crate::process::Invocation;

use crate::workspace::Workbook;

/// Miri runs each test under the scheduler seeds 0 to this, so a race that
/// needs one particular thread interleaving is likely to show up.
pub const MIRI_SEEDS: u64 = 4;

/// Property tests run this many cases under each of Miri's seeds (Miri is
/// ~1000x slower than native). Each seed draws its own cases, since Miri
/// answers a program's requests for entropy from the seed: four seeds run
/// 40 different cases.
const MIRI_QUICKCHECK_TESTS: &str = "10";

const MIRI_INSTALL: &str = "rustup toolchain install nightly --component miri rust-src";
const MIRI_INSTALL_EXISTING: &str = "rustup component add --toolchain nightly miri rust-src";

/// Where a tier builds: the workspace it runs in and the build folder whose
/// cached dependencies it reuses.
pub struct Site {
    pub workspace: PathBuf,
    pub target: PathBuf,
}

impl Site {
    /// The workbook itself, with its usual build folders.
    pub fn of(workbook: &Workbook) -> Self {
        Self {
            workspace: workbook.root.clone(),
            target: workbook.target_dir(),
        }
    }

    fn cargo(&self) -> Invocation {
        // `cargo` from PATH rather than $CARGO: only the rustup proxy understands `+nightly`.
        Invocation::new("cargo", &self.workspace)
    }

    /// Names the build folder only when it is not the one cargo would pick anyway,
    /// so the printed command stays the one a learner would type.
    fn with_target(&self, invocation: Invocation, target: &Path) -> Invocation {
        if target == self.workspace.join("target") {
            invocation
        } else {
            invocation.env("CARGO_TARGET_DIR", target.display().to_string())
        }
    }
}

impl Tier {
    /// Its name in progress lines: "tier 2/3: loom model".
    pub fn title(self) -> &'static str {
        match self {
            Tier::Test => "tests",
            Tier::Loom => "loom model",
            Tier::Miri => "miri",
        }
    }

    /// The command that runs this tier on `package`; `miri_flags` are added to
    /// the Miri tier's MIRIFLAGS (see `miri_flags` in info.toml).
    pub fn invocation(self, site: &Site, package: &str, miri_flags: &[String]) -> Invocation {
        self.invocation_of(site, package, miri_flags, &["--tests".to_owned()])
    }

    /// Like [`Tier::invocation`], but the Miri tier runs only the test targets
    /// that `targets` selects (cargo's flags, such as `--test queue`) instead
    /// of all of them; the other tiers have one target each.
    pub fn invocation_of(
        self,
        site: &Site,
        package: &str,
        miri_flags: &[String],
        targets: &[String],
    ) -> Invocation {
        match self {
            Tier::Test => {
                site.with_target(site.cargo().args(["test", "-p", package]), &site.target)
            }
            Tier::Loom => site.with_target(
                site.cargo().env("RUSTFLAGS", "--cfg loom").args([
                    "test",
                    "-p",
                    package,
                    "--profile",
                    "loom",
                    "--test",
                    "loom",
                ]),
                // A build folder of its own: `--cfg loom` would otherwise throw
                // away the main build cache each time the tiers alternate.
                &site.target.join("loom"),
            ),
            Tier::Miri => miri_command(
                site,
                package,
                &format!("-Zmiri-many-seeds=0..{MIRI_SEEDS}"),
                miri_flags,
                targets,
            ),
        }
    }

    /// What a failure of this tier tells the learner, and where to look.
    pub fn failure_meaning(self) -> &'static str {
        match self {
            Tier::Test => {
                "The tests failed (or the code did not compile). Fix the first compiler error, \
                 or read the first failing assertion: it says what was expected. If the message \
                 says \"deadlock?\", the threads it names are stuck waiting for something that \
                 never happens."
            }
            Tier::Loom => {
                "loom explored the thread interleavings and found one that breaks your code. \
                 'Causality violation' means two threads touched the same memory with no \
                 happens-before edge between them; the lines after 'read:' and 'write:' name \
                 the two accesses in your code. Look at the orderings that should order them."
            }
            Tier::Miri => {
                "Miri found undefined behaviour (a data race, a use-after-free, an aliasing \
                 violation); the first lines of its report name the access and where it happened."
            }
        }
    }

    /// Why this tier cannot run on this machine, if it cannot.
    pub fn missing_tool(self) -> Option<String> {
        (self == Tier::Miri && !miri_installed()).then(|| {
            format!(
                "Miri is not installed (`cargo +nightly miri --version` failed). Install it with \
                 `{MIRI_INSTALL}` (or, if you already have nightly, `{MIRI_INSTALL_EXISTING}`)."
            )
        })
    }
}

/// `cargo miri test` of `package`'s `targets`, with `seeds` (the flag that
/// chooses the scheduler seeds) and the exercise's own Miri flags.
pub fn miri_command(
    site: &Site,
    package: &str,
    seeds: &str,
    miri_flags: &[String],
    targets: &[String],
) -> Invocation {
    let flags = std::iter::once(seeds.to_owned())
        .chain(miri_flags.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    site.with_target(
        site.cargo()
            .env("MIRIFLAGS", flags)
            .env("QUICKCHECK_TESTS", MIRI_QUICKCHECK_TESTS)
            .args(["+nightly", "miri", "test", "-p", package])
            .args(targets.iter().cloned()),
        &site.target,
    )
}

fn miri_installed() -> bool {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    *INSTALLED.get_or_init(|| {
        Invocation::new("cargo", Path::new("."))
            .args(["+nightly", "miri", "--version"])
            .output()
            .is_ok_and(|output| output.status.success())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site {
            workspace: PathBuf::from("/w"),
            target: PathBuf::from("/w/target"),
        }
    }

    #[test]
    fn tier_commands_follow_the_conventions() {
        let site = site();
        assert_eq!(
            Tier::Test.invocation(&site, "racy-ring", &[]).to_string(),
            "cargo test -p racy-ring"
        );
        assert_eq!(
            Tier::Loom.invocation(&site, "racy-ring", &[]).to_string(),
            "RUSTFLAGS='--cfg loom' CARGO_TARGET_DIR=/w/target/loom \
             cargo test -p racy-ring --profile loom --test loom"
        );
        assert_eq!(
            Tier::Miri.invocation(&site, "racy-ring", &[]).to_string(),
            "MIRIFLAGS=-Zmiri-many-seeds=0..4 QUICKCHECK_TESTS=10 \
             cargo +nightly miri test -p racy-ring --tests"
        );
    }

    #[test]
    fn a_copied_workspace_reuses_the_original_build_folders() {
        let copy = Site {
            workspace: PathBuf::from("/w/target/mutants/src"),
            ..site()
        };
        let loom = Tier::Loom.invocation(&copy, "p", &[]).to_string();
        assert!(loom.contains("CARGO_TARGET_DIR=/w/target/loom "), "{loom}");
        let miri = Tier::Miri.invocation(&copy, "p", &[]).to_string();
        assert!(miri.contains("CARGO_TARGET_DIR=/w/target "), "{miri}");
    }
}
