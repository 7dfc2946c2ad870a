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

use std::path::Path;

use anyhow::Result;

use super::Verdict;
use crate::info_file::Exercise;
use crate::process::Invocation;
use crate::workspace::Workbook;

pub const TARGET: &str = "aarch64-unknown-linux-gnu";
const LINKER: &str = "aarch64-linux-gnu-gcc";
const QEMU: &str = "qemu-aarch64";
/// Debian's ARM64 C library for cross builds; QEMU loads the dynamic loader from here.
const SYSROOT: &str = "/usr/aarch64-linux-gnu";

/// Something the step needs, and how to get it.
struct Prerequisite {
    /// As the message names it.
    what: &'static str,
    install: Install,
    present: fn(&Path) -> bool,
}

enum Install {
    RustupTarget,
    /// A Debian/Ubuntu package.
    Apt(&'static str),
}

const PREREQUISITES: [Prerequisite; 4] = [
    Prerequisite {
        what: "the Rust standard library for aarch64-unknown-linux-gnu",
        install: Install::RustupTarget,
        present: target_installed,
    },
    Prerequisite {
        what: "the cross linker aarch64-linux-gnu-gcc",
        install: Install::Apt("gcc-aarch64-linux-gnu"),
        present: |root| runs(LINKER, root),
    },
    // A separate package: gcc-aarch64-linux-gnu only recommends it, so
    // `--no-install-recommends` leaves it out and linking then fails on crti.o.
    Prerequisite {
        what: "the ARM64 C library for linking (/usr/aarch64-linux-gnu/lib/crti.o)",
        install: Install::Apt("libc6-dev-arm64-cross"),
        present: |_| Path::new(SYSROOT).join("lib/crti.o").is_file(),
    },
    // On Debian 12 qemu-user ships /usr/bin/qemu-aarch64; qemu-user-static
    // ships only qemu-aarch64-static.
    Prerequisite {
        what: "the emulator qemu-aarch64",
        install: Install::Apt("qemu-user"),
        present: |root| runs(QEMU, root),
    },
];

pub fn check(workbook: &Workbook, exercises: &[&Exercise]) -> Result<Verdict> {
    if cfg!(all(target_arch = "aarch64", target_os = "linux")) {
        println!("this machine is ARM64: clippy and the solution tiers above ran natively");
        return Ok(Verdict::Passed);
    }
    let missing: Vec<&Prerequisite> = PREREQUISITES
        .iter()
        .filter(|prerequisite| !(prerequisite.present)(&workbook.root))
        .collect();
    if let Some(reason) = missing_message(&missing) {
        return Ok(Verdict::Skipped(reason));
    }

    // `--workspace` includes the stubs: they must build on ARM64 too.
    let build = cross(&workbook.root, ["build", "--workspace", "--all-targets"]);
    println!("$ {build}");
    if !build.run()? {
        return Ok(Verdict::Failed(format!(
            "the workspace does not build for {TARGET}: `{build}`"
        )));
    }
    let mut failed = Vec::new();
    for exercise in exercises {
        // QEMU runs the tests many times slower than the hardware would, so
        // the tests' no-progress deadlines stretch to match.
        let test = cross(&workbook.root, ["test", "-p", &exercise.solution_package()])
            .env("WORKBOOK_DEADLINE_SCALE", QEMU_DEADLINE_SCALE);
        println!("$ {test}");
        if !test.run()? {
            failed.push(format!("`{test}`"));
        }
    }
    Ok(if failed.is_empty() {
        Verdict::Passed
    } else {
        Verdict::Failed(format!(
            "under emulation, these fail: {}",
            failed.join(", ")
        ))
    })
}

/// How much longer than on the hardware the tests may go without progress
/// under emulation.
const QEMU_DEADLINE_SCALE: &str = "6";

/// A cargo command for ARM64. The linker and the runner are set per command
/// rather than in `.cargo/config.toml`: a `[target.aarch64-unknown-linux-gnu]`
/// table there would also apply to native builds on an ARM64 machine such as a
/// Raspberry Pi, sending them through the cross linker and QEMU.
pub fn cross<'a>(root: &Path, args: impl IntoIterator<Item = &'a str>) -> Invocation {
    Invocation::new("cargo", root)
        .env("CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER", LINKER)
        .env(
            "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER",
            format!("{QEMU} -L {SYSROOT}"),
        )
        .args(args)
        .args(["--target", TARGET])
}

/// What a cross build lacks (the emulator aside), and how to install it.
pub fn missing_for_cross_build(root: &Path) -> Option<String> {
    let missing: Vec<&Prerequisite> = PREREQUISITES
        .iter()
        .filter(|prerequisite| !matches!(prerequisite.install, Install::Apt("qemu-user")))
        .filter(|prerequisite| !(prerequisite.present)(root))
        .collect();
    missing_message(&missing)
}

/// What is missing and the commands that install it, or `None` if nothing is.
fn missing_message(missing: &[&Prerequisite]) -> Option<String> {
    if missing.is_empty() {
        return None;
    }
    let what: Vec<&str> = missing.iter().map(|p| p.what).collect();
    let mut commands = Vec::new();
    if missing
        .iter()
        .any(|p| matches!(p.install, Install::RustupTarget))
    {
        commands.push(format!("`rustup target add {TARGET}`"));
    }
    let packages: Vec<&str> = missing
        .iter()
        .filter_map(|p| match p.install {
            Install::Apt(package) => Some(package),
            Install::RustupTarget => None,
        })
        .collect();
    if !packages.is_empty() {
        commands.push(format!(
            "`sudo apt-get install {}` (Debian and Ubuntu)",
            packages.join(" ")
        ));
    }
    Some(format!(
        "cannot cross-build for ARM64 or emulate it; missing {}. Install with {}.",
        what.join(", "),
        commands.join(" and ")
    ))
}

/// Whether rustup (or the distribution) installed the standard library for [`TARGET`].
fn target_installed(root: &Path) -> bool {
    Invocation::new("rustc", root)
        .args(["--print", "target-libdir", "--target", TARGET])
        .output()
        .is_ok_and(|output| {
            output.status.success()
                && Path::new(String::from_utf8_lossy(&output.stdout).trim()).is_dir()
        })
}

fn runs(program: &str, root: &Path) -> bool {
    Invocation::new(program, root)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_missing_means_no_message() {
        assert_eq!(missing_message(&[]), None);
    }

    #[test]
    fn names_what_is_missing_and_one_command_per_installer() {
        let [target, linker, libc, qemu] = &PREREQUISITES;
        let message = missing_message(&[target, linker, libc, qemu]).unwrap();
        assert!(
            message.contains("`rustup target add aarch64-unknown-linux-gnu`"),
            "{message}"
        );
        assert!(
            message.contains(
                "`sudo apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user`"
            ),
            "{message}"
        );
        assert!(message.contains("qemu-aarch64"), "{message}");

        let message = missing_message(&[qemu]).unwrap();
        assert!(!message.contains("rustup"), "{message}");
        assert!(
            message.contains("`sudo apt-get install qemu-user`"),
            "{message}"
        );
    }

    #[test]
    fn cross_commands_name_the_target_linker_and_emulator() {
        assert_eq!(
            cross(Path::new("/w"), ["test", "-p", "racy-ring-solution"]).to_string(),
            "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
             CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER='qemu-aarch64 -L /usr/aarch64-linux-gnu' \
             cargo test -p racy-ring-solution --target aarch64-unknown-linux-gnu"
        );
    }
}
