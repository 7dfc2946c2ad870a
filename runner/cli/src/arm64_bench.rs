//! Benchmarks for a Raspberry Pi: `cargo workbook bench --arm64` cross-builds
//! the solutions' benchmarks into a folder with a `run.sh`; the folder is
//! copied to the Pi and run there, copied back, and `cargo workbook bench
//! --import <folder>` records what it measured, under the Pi's own machine
//! description, in the same results files the native runs write.
//!
//! The Pi needs no Rust toolchain, only a 64-bit OS (Raspberry Pi OS or Debian,
//! bookworm or later: the binaries link against the C library of the cross
//! toolchain). Figures come only from the hardware: `--import` refuses a
//! folder whose `run.sh` ran on anything but ARM64, such as under QEMU on the
//! machine that built it, where the timings would be the emulator's.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::bench::{self, Measured};
use workbook_core::arm64;
use workbook_core::machine::{self, Facts};
use workbook_core::process::Invocation;
use workbook_core::workspace::Workbook;

/// The bundle's script: records the machine, then runs every benchmark in
/// rounds (see [`crate::rounds`]), with criterion's output, the regime logs and
/// the count logs inside the bundle. `pack` writes the number of rounds in
/// place of `@ROUNDS@`.
const RUN_SH: &str = r#"#!/bin/sh
# Runs the Rust Concurrency Workbook's benchmarks on this ARM64 machine.
# Built by `cargo workbook bench --arm64`. Arguments go to every benchmark,
# for example a filter: ./run.sh spsc
# Every benchmark runs once per round, all of them taking turns in each round;
# WORKBOOK_BENCH_ROUNDS=3 ./run.sh changes the number of rounds.
# When it is done, copy this whole folder back and run
#   cargo workbook bench --import <this folder>
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$here/criterion" "$here/machine" "$here"/regimes-round-*.tsv "$here"/counts-round-*.tsv
mkdir -p "$here/machine"
uname -m > "$here/machine/arch"
nproc > "$here/machine/cores"
date -u +%F > "$here/machine/date"
cat /proc/cpuinfo > "$here/machine/cpuinfo" 2>/dev/null || true
cat /etc/os-release > "$here/machine/os-release" 2>/dev/null || true
lscpu > "$here/machine/lscpu" 2>/dev/null || true
export CRITERION_HOME="$here/criterion"
rounds=${WORKBOOK_BENCH_ROUNDS:-@ROUNDS@}
round=1
while [ "$round" -le "$rounds" ]; do
    export WORKBOOK_REGIME_LOG="$here/regimes-round-$round.tsv"
    export WORKBOOK_COUNT_LOG="$here/counts-round-$round.tsv"
    for benchmark in "$here"/bin/*; do
        echo "== round $round of $rounds: $(basename "$benchmark")"
        ${WORKBOOK_BENCH_RUNNER:-} "$benchmark" --bench --save-baseline "workbook-round-$round" "$@"
    done
    round=$((round + 1))
done
echo "Done. Copy $here back and run: cargo workbook bench --import <this folder>"
"#;

pub fn pack(workbook: &Workbook, name: Option<&str>, rounds: u32) -> Result<ExitCode> {
    if let Some(missing) = arm64::missing_for_cross_build(&workbook.root) {
        bail!("{missing}");
    }
    let selected = bench::with_benchmarks(workbook, name)?;
    let bundle = workbook.target_dir().join("arm64-bench");
    if bundle.exists() {
        std::fs::remove_dir_all(&bundle)
            .with_context(|| format!("cannot clear {}", bundle.display()))?;
    }
    let bin = bundle.join("bin");
    std::fs::create_dir_all(&bin)?;
    for exercise in selected {
        let package = exercise.solution_package();
        let build = arm64::cross(
            &workbook.root,
            [
                "bench",
                "--no-run",
                "--message-format=json-render-diagnostics",
                "-p",
                &package,
            ],
        );
        println!("$ {build}");
        let output = build
            .command()
            .stderr(std::process::Stdio::inherit())
            .output()
            .with_context(|| format!("cannot run `{build}`"))?;
        if !output.status.success() {
            bail!("the benchmarks of {package} do not build for ARM64");
        }
        for (bench_name, executable) in bench_executables(&String::from_utf8_lossy(&output.stdout))
        {
            let copy = bin.join(format!("{package}--{bench_name}"));
            std::fs::copy(&executable, &copy).with_context(|| {
                format!("cannot copy {} to {}", executable.display(), copy.display())
            })?;
        }
    }
    let run_sh = bundle.join("run.sh");
    std::fs::write(&run_sh, RUN_SH.replace("@ROUNDS@", &rounds.to_string()))?;
    make_executable(&run_sh)?;
    let rustc = Invocation::new("rustc", &workbook.root)
        .arg("-V")
        .output()?;
    std::fs::write(bundle.join("rustc.txt"), &rustc.stdout)?;

    let shown = workbook.relative(&bundle).display().to_string();
    println!(
        "\nBuilt {shown}/ for ARM64. On the Raspberry Pi (64-bit OS):\n\
         \x20 scp -r {shown} pi@raspberrypi.local:arm64-bench\n\
         \x20 ssh pi@raspberrypi.local ./arm64-bench/run.sh\n\
         \x20 scp -r pi@raspberrypi.local:arm64-bench ./arm64-bench-results\n\
         \x20 cargo workbook bench --import arm64-bench-results"
    );
    Ok(ExitCode::SUCCESS)
}

/// Records what a bundle's `run.sh` measured on an ARM64 machine.
pub fn import(workbook: &Workbook, folder: &Path) -> Result<ExitCode> {
    let facts = recorded_facts(folder)?;
    bench::record(
        workbook,
        Measured {
            criterion_dir: &folder.join("criterion"),
            // run.sh starts with an empty criterion folder: all of it is this run's.
            since: SystemTime::UNIX_EPOCH,
            logs_dir: folder,
        },
        machine::from_facts(facts),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The machine that `run.sh` recorded in `folder`, if it was an ARM64 one.
fn recorded_facts(folder: &Path) -> Result<Facts> {
    let read = |name: &str| std::fs::read_to_string(folder.join(name)).ok();
    let Some(arch) = read("machine/arch") else {
        bail!(
            "{} has no machine/arch: run its run.sh on the Raspberry Pi first",
            folder.display()
        );
    };
    let arch = arch.trim().to_owned();
    if arch != "aarch64" && arch != "arm64" {
        bail!(
            "{}'s run.sh ran on {arch}, not on ARM64 hardware; emulated timings are not recorded",
            folder.display()
        );
    }
    Ok(Facts {
        cpuinfo: read("machine/cpuinfo"),
        lscpu: read("machine/lscpu"),
        cores: read("machine/cores")
            .and_then(|text| text.trim().parse().ok())
            .context("machine/cores is missing or not a number")?,
        arch,
        os_release: read("machine/os-release"),
        rustc: read("rustc.txt")
            .map(|text| text.trim().to_owned())
            .context(
                "rustc.txt is missing: was this folder built by `cargo workbook bench --arm64`?",
            )?,
        date: read("machine/date")
            .map(|text| text.trim().to_owned())
            .context("machine/date is missing")?,
    })
}

/// `(bench target name, executable)` for each benchmark in cargo's JSON messages.
fn bench_executables(messages: &str) -> Vec<(String, PathBuf)> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter(|message| {
            message["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bench"))
        })
        .filter_map(|message| {
            let name = message["target"]["name"].as_str()?.to_owned();
            let executable = PathBuf::from(message["executable"].as_str()?);
            Some((name, executable))
        })
        .collect()
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))?;
    Ok(())
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounds;

    #[test]
    fn finds_bench_executables_in_cargo_messages() {
        let messages = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"x"},"executable":null}
{"reason":"compiler-artifact","target":{"kind":["bench"],"name":"spsc"},"executable":"/t/aarch64-unknown-linux-gnu/release/deps/spsc-1a2b"}
{"reason":"build-finished","success":true}
not json"#;
        assert_eq!(
            bench_executables(messages),
            [(
                "spsc".to_owned(),
                PathBuf::from("/t/aarch64-unknown-linux-gnu/release/deps/spsc-1a2b")
            )]
        );
    }

    #[test]
    fn imports_only_what_ran_on_arm64() {
        let folder = std::env::temp_dir().join(format!("workbook-arm64-{}", std::process::id()));
        std::fs::create_dir_all(folder.join("machine")).unwrap();
        let error = recorded_facts(&folder).unwrap_err().to_string();
        assert!(error.contains("run its run.sh"), "{error}");

        for (file, text) in [
            ("machine/arch", "x86_64\n"),
            ("machine/cores", "4\n"),
            ("machine/date", "2026-11-23\n"),
            ("machine/lscpu", "Model name: Cortex-A76\n"),
            ("rustc.txt", "rustc 1.95.0\n"),
        ] {
            std::fs::write(folder.join(file), text).unwrap();
        }
        let error = recorded_facts(&folder).unwrap_err().to_string();
        assert!(error.contains("not on ARM64 hardware"), "{error}");

        std::fs::write(folder.join("machine/arch"), "aarch64\n").unwrap();
        let machine = machine::from_facts(recorded_facts(&folder).unwrap());
        assert_eq!(machine.id, "aarch64-cortex-a76-4c");
        assert_eq!(machine.date, "2026-11-23");
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn the_script_keeps_every_output_inside_the_bundle() {
        for variable in [
            "CRITERION_HOME",
            "WORKBOOK_REGIME_LOG",
            "WORKBOOK_COUNT_LOG",
        ] {
            assert!(RUN_SH.contains(&format!("export {variable}=\"$here/")));
        }
        for recorded in ["arch", "cores", "date", "cpuinfo", "os-release", "lscpu"] {
            assert!(RUN_SH.contains(&format!("\"$here/machine/{recorded}\"")));
        }
    }

    #[test]
    fn the_script_names_each_rounds_output_as_import_reads_it() {
        let second = RUN_SH.replace("$round", "2").replace("$here", "/b");
        let bundle = Path::new("/b");
        for name in [
            rounds::baseline_name(2),
            rounds::regime_log(bundle, 2).display().to_string(),
            rounds::count_log(bundle, 2).display().to_string(),
        ] {
            assert!(second.contains(&name), "{name}");
        }
        assert!(RUN_SH.contains("rounds=${WORKBOOK_BENCH_ROUNDS:-@ROUNDS@}"));
    }
}
