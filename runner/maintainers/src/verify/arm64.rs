//! The ARM64 step: every crate builds for `aarch64-unknown-linux-gnu`, and the
//! solutions' tests pass there, run under QEMU user-mode emulation.
//!
//! A pass shows that the code builds for ARM64 and is correct there for the
//! interleavings that happened to run. It shows nothing about speed, nor about
//! weak memory: QEMU runs each guest thread as a host thread, and on an x86-64
//! host the translated loads and stores keep x86's stronger ordering, so the
//! reorderings that ARM allows and x86 forbids never happen. The loom and Miri
//! tiers are the evidence about orderings; ARM hardware, about speed.
//!
//! Compile checks (`test_support::compile`) need nothing special here: the
//! emulated test starts `$CARGO`, a host program, which QEMU hands to the host
//! kernel, so the check runs natively for the host. That is enough, since
//! `Send`, `Sync` and lifetimes are decided by the type checker the same way
//! on every target.

use anyhow::Result;
use workbook_core::arm64;
use workbook_core::info_file::Exercise;
use workbook_core::workspace::Workbook;

use super::plan::Verdict;

pub fn check(workbook: &Workbook, exercises: &[&Exercise]) -> Result<Verdict> {
    if cfg!(all(target_arch = "aarch64", target_os = "linux")) {
        println!("this machine is ARM64: clippy and the solution tiers above ran natively");
        return Ok(Verdict::Passed);
    }
    if let Some(reason) = arm64::missing_for_emulation(&workbook.root) {
        return Ok(Verdict::Skipped(reason));
    }

    // `--workspace` includes the stubs: they must build on ARM64 too.
    let build = arm64::cross(&workbook.root, ["build", "--workspace", "--all-targets"]);
    println!("$ {build}");
    if !build.run()? {
        return Ok(Verdict::Failed(format!(
            "the workspace does not build for {}: `{build}`",
            arm64::TARGET
        )));
    }
    // One `cargo test` for every solution, not one per solution: cargo
    // resolves features for the packages it is given, so each `-p` run on its
    // own rebuilt the dependencies whose features differ (about two minutes
    // of the step on a fresh clone).
    // QEMU runs the tests many times slower than the hardware would, so the
    // tests' no-progress deadlines stretch to match.
    let test = arm64::cross(&workbook.root, ["test", "--no-fail-fast"])
        .args(
            exercises
                .iter()
                .flat_map(|exercise| ["-p".to_owned(), exercise.solution_package()]),
        )
        .env("WORKBOOK_DEADLINE_SCALE", QEMU_DEADLINE_SCALE);
    println!("$ {test}");
    Ok(if test.run()? {
        Verdict::Passed
    } else {
        Verdict::Failed(format!(
            "under emulation, a solution's tests fail (cargo names the failed targets at the end \
             of the log): `{test}`"
        ))
    })
}

/// How much longer than on the hardware the tests may go without progress
/// under emulation.
const QEMU_DEADLINE_SCALE: &str = "6";
