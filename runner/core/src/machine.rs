//! Describing the machine that measured a benchmark.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};

use crate::process::Invocation;
use crate::results::Machine;

/// What a machine description is made of, as read on that machine: here by
/// [`describe`], or on a Raspberry Pi by an ARM64 bundle's `run.sh`.
#[derive(Debug)]
pub struct Facts {
    /// `/proc/cpuinfo`, if readable.
    pub cpuinfo: Option<String>,
    /// `lscpu`'s output, if it ran.
    pub lscpu: Option<String>,
    pub cores: usize,
    /// `uname -m`.
    pub arch: String,
    /// `/etc/os-release`, if readable.
    pub os_release: Option<String>,
    /// `rustc -V` of the compiler that built the benchmarks.
    pub rustc: String,
    /// `YYYY-MM-DD` (UTC).
    pub date: String,
}

/// This machine, now.
pub fn describe(root: &std::path::Path) -> Result<Machine> {
    let run = |program: &str, args: &[&str]| -> Option<String> {
        let output = Invocation::new(program, root)
            .args(args.iter().copied())
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let days = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() / 86_400;
    Ok(from_facts(Facts {
        cpuinfo: std::fs::read_to_string("/proc/cpuinfo").ok(),
        lscpu: run("lscpu", &[]),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        arch: run("uname", &["-m"]).unwrap_or_else(|| std::env::consts::ARCH.to_owned()),
        os_release: std::fs::read_to_string("/etc/os-release").ok(),
        rustc: run("rustc", &["-V"]).context("cannot run `rustc -V`")?,
        date: date_of(days),
    }))
}

pub fn from_facts(facts: Facts) -> Machine {
    let cpu = facts
        .cpuinfo
        .as_deref()
        .and_then(|text| field(text, "model name"))
        // ARM kernels leave "model name" out of /proc/cpuinfo; lscpu knows it.
        .or_else(|| {
            facts
                .lscpu
                .as_deref()
                .and_then(|text| field(text, "Model name"))
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let distribution = facts
        .os_release
        .as_deref()
        .and_then(os_release_name)
        .unwrap_or_else(|| "Linux".to_owned());
    let Facts { cores, arch, .. } = facts;
    Machine {
        id: slug(&format!("{arch}-{cpu}-{cores}c")),
        cpu,
        cores,
        os: format!("{distribution} {arch}"),
        rustc: facts.rustc,
        date: facts.date,
    }
}

/// Whether `machine` was an ARM64 one (its `os` ends with `uname -m`).
pub fn is_arm64(machine: &Machine) -> bool {
    machine.os.ends_with("aarch64") || machine.os.ends_with("arm64")
}

/// The value of a "key : value" line, as in /proc/cpuinfo and lscpu's output.
fn field(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        (name.trim() == key).then(|| value.split_whitespace().collect::<Vec<_>>().join(" "))
    })
}

fn os_release_name(text: &str) -> Option<String> {
    text.lines()
        .find_map(|line| line.strip_prefix("PRETTY_NAME="))
        .map(|value| value.trim_matches('"').to_owned())
}

/// Lower-case letters and digits, runs of anything else turned into one '-'.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

/// `YYYY-MM-DD` for a count of days since 1970-01-01, in the proleptic
/// Gregorian calendar (the era-based method: 400-year eras of 146,097 days).
fn date_of(days_since_epoch: u64) -> String {
    let days = days_since_epoch + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = days / 146_097;
    let day_of_era = days % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cpu_and_os_names() {
        let cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC  7B13 64-Core Processor\nflags : x\n";
        assert_eq!(
            field(cpuinfo, "model name").unwrap(),
            "AMD EPYC 7B13 64-Core Processor"
        );
        let lscpu = "Architecture:   aarch64\nModel name:     Neoverse-N1\n";
        assert_eq!(field(lscpu, "Model name").unwrap(), "Neoverse-N1");
        assert_eq!(field(lscpu, "Vendor"), None);
        let os = "NAME=\"Debian\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n";
        assert_eq!(
            os_release_name(os).unwrap(),
            "Debian GNU/Linux 12 (bookworm)"
        );
    }

    #[test]
    fn describes_an_arm64_machine_from_its_recorded_facts() {
        let machine = from_facts(Facts {
            cpuinfo: Some("processor\t: 0\nBogoMIPS\t: 108.00\n".into()),
            lscpu: Some("Architecture: aarch64\nModel name: Cortex-A76\n".into()),
            cores: 4,
            arch: "aarch64".into(),
            os_release: Some("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n".into()),
            rustc: "rustc 1.95.0".into(),
            date: "2026-11-23".into(),
        });
        assert_eq!(machine.id, "aarch64-cortex-a76-4c");
        assert_eq!(machine.cpu, "Cortex-A76");
        assert_eq!(machine.os, "Debian GNU/Linux 12 (bookworm) aarch64");
        assert!(is_arm64(&machine));
    }

    #[test]
    fn machine_ids_are_slugs() {
        assert_eq!(
            slug("x86_64-AMD EPYC 7B13 64-Core Processor-2c"),
            "x86-64-amd-epyc-7b13-64-core-processor-2c"
        );
        assert_eq!(slug("  (weird)  "), "weird");
    }

    #[test]
    fn dates_from_days() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(11_016), "2000-02-29");
        assert_eq!(date_of(11_017), "2000-03-01");
        assert_eq!(date_of(20_454), "2026-01-01");
        assert_eq!(date_of(19_782), "2024-02-29");
    }
}
