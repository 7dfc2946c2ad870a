//! Cross builds for ARM64 (`aarch64-unknown-linux-gnu`): the cargo command
//! with its linker and emulator, and what such a build needs installed. Used by
//! `bench --arm64` (learners' CLI) and verify's ARM64 step (maintainers).

use std::path::Path;

use crate::process::Invocation;

pub const TARGET: &str = "aarch64-unknown-linux-gnu";
const LINKER: &str = "aarch64-linux-gnu-gcc";
const QEMU: &str = "qemu-aarch64";
/// Debian's ARM64 C library for cross builds; QEMU loads the dynamic loader from here.
const SYSROOT: &str = "/usr/aarch64-linux-gnu";

/// Something a cross build or its emulation needs, and how to get it.
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

/// What a cross build and running its tests under QEMU lack, and how to
/// install it.
pub fn missing_for_emulation(root: &Path) -> Option<String> {
    let missing: Vec<&Prerequisite> = PREREQUISITES
        .iter()
        .filter(|prerequisite| !(prerequisite.present)(root))
        .collect();
    missing_message(&missing)
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
