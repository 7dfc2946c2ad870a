//! `cargo workbook preflight`: what a learner runs at the start of a workshop.
//! Each check says in plain words what it found and, when something is
//! missing, how to fix it; the exit code fails if anything needed is missing.
//! Nothing here needs the network.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;

use workbook_core::process::Invocation;
use workbook_core::tools;
use workbook_core::workspace::Workbook;

use crate::disk::{format_size, vendor_dir};

/// The port `cargo workbook serve` uses.
const BOOK_PORT: u16 = 3000;

/// Below this much free space where cargo builds, a workshop's builds may not fit:
/// `prepare`'s builds of every exercise (tests, loom and Miri) filled 2.6 GB of
/// `target/` on Linux x86-64, and a learner's edits rebuild some of it.
const DISK_NEEDED: u64 = 4_000_000_000;

const NIGHTLY_FIX: &str = "rustup toolchain install nightly --component miri rust-src";
const COMPONENTS_FIX: &str = "rustup component add --toolchain nightly miri rust-src";
const ASK_INSTRUCTOR: &str = "without a network, ask the instructor for a laptop setup \
                              (the instructor guide's \"Offline workshops\" page)";

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Ok(String),
    /// Something the exercises or the book need: the check fails.
    Missing {
        problem: String,
        fix: String,
    },
    /// Worth knowing, but nothing fails because of it.
    Warning {
        problem: String,
        fix: String,
    },
}

fn missing(problem: impl Into<String>, fix: impl Into<String>) -> Finding {
    Finding::Missing {
        problem: problem.into(),
        fix: fix.into(),
    }
}

pub fn run(workbook: &Workbook) -> Result<ExitCode> {
    println!("Pre-flight check: is this laptop ready for the workshop?\n");
    let findings = check(workbook);
    println!("\n{}", summary(&findings));
    Ok(if all_present(&findings) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Whether nothing needed is missing (warnings aside).
pub fn all_present(findings: &[Finding]) -> bool {
    !findings
        .iter()
        .any(|f| matches!(f, Finding::Missing { .. }))
}

/// Runs every check, printing each finding as it comes.
pub fn check(workbook: &Workbook) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut report = |finding: Finding| {
        print_finding(&finding);
        findings.push(finding);
    };
    let needed = workspace_rust_version(workbook);
    for tool in ["rustc", "cargo"] {
        let found = stdout_of(&Invocation::new(tool, &workbook.root).arg("--version"));
        report(version_check(tool, found.as_deref(), &needed));
    }
    let nightly = nightly_checks(workbook);
    let miri_usable = nightly.iter().all(|f| matches!(f, Finding::Ok(_)));
    nightly.into_iter().for_each(&mut report);
    if miri_usable {
        report(miri_sysroot());
    }
    report(crates_offline(workbook));
    crate::preflight_tiers::loom_and_miri(workbook, miri_usable, &mut report);
    let mut tools_ready = true;
    for tool in tools::FOR_LEARNERS {
        let installed = tool.is_installed(workbook);
        tools_ready &= installed;
        report(tool_check(tool.display_name, installed));
    }
    if tools_ready {
        report(book_builds(workbook));
    }
    report(port_check(port_state(workbook)));
    let builds = workbook.target_dir();
    let disk = if builds.is_dir() {
        &builds
    } else {
        &workbook.root
    };
    report(disk_check(free_space(disk)));
    findings
}

fn print_finding(finding: &Finding) {
    match finding {
        Finding::Ok(what) => println!("  ok       {what}"),
        Finding::Missing { problem, fix } => {
            println!("  MISSING  {problem}\n           fix: {fix}");
        }
        Finding::Warning { problem, fix } => {
            println!("  warning  {problem}\n           fix: {fix}");
        }
    }
}

/// The last line: how many checks passed, and what to do next.
fn summary(findings: &[Finding]) -> String {
    let count = |f: fn(&Finding) -> bool| findings.iter().filter(|x| f(x)).count();
    let missing = count(|f| matches!(f, Finding::Missing { .. }));
    let warnings = count(|f| matches!(f, Finding::Warning { .. }));
    let total = findings.len();
    let warned = match warnings {
        0 => String::new(),
        1 => " (see the 1 warning)".to_owned(),
        n => format!(" (see the {n} warnings)"),
    };
    match missing {
        0 => format!("preflight: all {total} checks pass{warned}: you are ready."),
        n => format!(
            "preflight: {n} of {total} checks found something missing{warned}: \
             fix the MISSING lines above, then run `cargo workbook preflight` again."
        ),
    }
}

/// The first line a command printed, if it ran and succeeded.
fn stdout_of(invocation: &Invocation) -> Option<String> {
    let output = invocation.output().ok()?;
    output.status.success().then(|| {
        let text = String::from_utf8_lossy(&output.stdout);
        text.lines().next().unwrap_or_default().trim().to_owned()
    })
}

/// `rust-version` from the workspace's Cargo.toml.
fn workspace_rust_version(workbook: &Workbook) -> String {
    std::fs::read_to_string(workbook.root.join("Cargo.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|table| {
            let version = &table
                .get("workspace")?
                .get("package")?
                .get("rust-version")?;
            version.as_str().map(str::to_owned)
        })
        .unwrap_or_else(|| "1.85".to_owned())
}

/// "rustc 1.95.0 (59807616e 2026-04-14)" or "1.85" -> (1, 95, 0).
fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let word = text
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))?;
    let mut parts = word.split(['.', '-']).map(|p| p.parse::<u32>().ok());
    let major = parts.next()??;
    let minor = parts.next()??;
    let patch = parts.next().flatten().unwrap_or(0);
    Some((major, minor, patch))
}

fn version_check(tool: &str, found: Option<&str>, needed: &str) -> Finding {
    let update = "rustup update stable";
    let Some(found) = found else {
        return missing(
            format!("`{tool} --version` does not run: Rust is not installed, or not on PATH"),
            "install Rust from https://rustup.rs, then open a new terminal",
        );
    };
    match (parse_version(found), parse_version(needed)) {
        (Some(have), Some(need)) if have >= need => {
            Finding::Ok(format!("{found} (the workbook needs {needed} or newer)"))
        }
        (Some(_), Some(_)) => missing(
            format!("{found} is too old: the workbook needs {needed} or newer"),
            update,
        ),
        _ => Finding::Warning {
            problem: format!("cannot read a version in `{found}`"),
            fix: format!("check that `{tool} --version` says {needed} or newer"),
        },
    }
}

/// Nightly, Miri and rust-src: what the Miri tier needs. ARM64 targets are
/// the maintainers' business and not checked.
fn nightly_checks(workbook: &Workbook) -> Vec<Finding> {
    let rustc = |args: &[&str]| {
        stdout_of(&Invocation::new("rustc", &workbook.root).args(args.iter().copied()))
    };
    let Some(nightly) = rustc(&["+nightly", "--version"]) else {
        return vec![missing(
            "the nightly toolchain is not installed (the Miri tier needs it)",
            NIGHTLY_FIX,
        )];
    };
    let miri = stdout_of(&Invocation::new("cargo", &workbook.root).args([
        "+nightly",
        "miri",
        "--version",
    ]));
    let source = rustc(&["+nightly", "--print", "sysroot"])
        .map(|sysroot| Path::new(&sysroot).join("lib/rustlib/src/rust/library"));
    nightly_findings(
        &nightly,
        miri.as_deref(),
        source.is_some_and(|dir| dir.is_dir()),
    )
}

fn nightly_findings(nightly: &str, miri: Option<&str>, rust_src: bool) -> Vec<Finding> {
    vec![
        Finding::Ok(format!("nightly toolchain: {nightly}")),
        match miri {
            Some(version) => Finding::Ok(format!("Miri: {version}")),
            None => missing(
                "Miri is not installed on the nightly toolchain (the Miri tier needs it)",
                COMPONENTS_FIX,
            ),
        },
        if rust_src {
            Finding::Ok("rust-src (the standard library's source, which Miri builds)".to_owned())
        } else {
            missing(
                "rust-src is not installed on the nightly toolchain (Miri builds it)",
                COMPONENTS_FIX,
            )
        },
    ]
}

/// Miri's sysroot, built from rust-src once per nightly. `miri setup` returns at
/// once when it is ready; if not, it builds it, offline, from cargo's cache.
fn miri_sysroot() -> Finding {
    println!("  ...      Miri's sysroot (building it can take a minute)");
    let setup = Invocation::new("cargo", &std::env::temp_dir())
        .env("CARGO_NET_OFFLINE", "true")
        .args(["+nightly", "miri", "setup"]);
    match setup.output() {
        Ok(output) if output.status.success() => Finding::Ok("Miri's sysroot is built".to_owned()),
        _ => missing(
            "Miri's sysroot is not built (or was copied from a machine whose rustup \
             home has another path), and cannot be built without the network",
            format!("on a network, run `cargo +nightly miri setup`; {ASK_INSTRUCTOR}"),
        ),
    }
}

/// Every crate the exercises need for this machine is on it (in cargo's cache,
/// or in the instructor's `vendor/`).
fn crates_offline(workbook: &Workbook) -> Finding {
    let host = Invocation::new("rustc", &workbook.root).arg("-vV");
    let host = host
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        });
    let mut fetch =
        Invocation::new("cargo", &workbook.root).args(["fetch", "--offline", "--locked"]);
    if let Some(host) = host {
        fetch = fetch.args(["--target", &host]);
    }
    let result = fetch.output();
    let vendored = vendor_dir(workbook).is_dir();
    let first_error = result.as_ref().ok().and_then(|output| {
        let text = String::from_utf8_lossy(&output.stderr);
        text.lines()
            .find(|l| l.starts_with("error"))
            .map(str::to_owned)
    });
    offline_finding(
        result.is_ok_and(|o| o.status.success()),
        first_error.as_deref(),
        vendored,
    )
}

fn offline_finding(ok: bool, error: Option<&str>, vendored: bool) -> Finding {
    if ok {
        let from = if vendored { "vendor/" } else { "cargo's cache" };
        return Finding::Ok(format!(
            "every crate the exercises need is on this laptop ({from})"
        ));
    }
    let error = error.map_or(String::new(), |e| format!(" (cargo: {e})"));
    missing(
        format!("some crates the exercises need are not on this laptop{error}"),
        format!("on a network, run `cargo fetch` in this folder; {ASK_INSTRUCTOR}"),
    )
}

fn tool_check(name: &str, installed: bool) -> Finding {
    if installed {
        Finding::Ok(format!("{name} (for the book)"))
    } else {
        missing(
            format!("{name} is not installed (the book needs it)"),
            format!(
                "on a network, `cargo workbook serve` installs it on first use; {ASK_INSTRUCTOR}"
            ),
        )
    }
}

/// The book builds, into a folder of its own so a running `serve` is not disturbed.
fn book_builds(workbook: &Workbook) -> Finding {
    let dest = workbook.target_dir().join("preflight-book");
    let build = tools::mdbook(workbook)
        .arg("build")
        .arg("--dest-dir")
        .arg(dest.display().to_string());
    match build.output() {
        Ok(output) if output.status.success() => {
            Finding::Ok("the book builds (`cargo workbook serve` serves it)".to_owned())
        }
        Ok(output) => {
            let text = String::from_utf8_lossy(&output.stderr);
            let last = text.lines().rev().find(|l| !l.trim().is_empty());
            missing(
                format!(
                    "the book does not build: {}",
                    last.unwrap_or("mdBook printed nothing")
                ),
                format!("run `{build}` to see the whole message, and tell the instructor"),
            )
        }
        Err(error) => missing(
            format!("cannot run mdBook: {error:#}"),
            "run `cargo workbook serve` once while on a network",
        ),
    }
}

/// Who has the book's port.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum PortState {
    Free,
    /// Something answers there with this book's title: `serve` is running already.
    ServingTheBook,
    Taken,
}

fn port_state(workbook: &Workbook) -> PortState {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, BOOK_PORT));
    if TcpListener::bind(address).is_ok() {
        return PortState::Free;
    }
    let title = book_title(workbook);
    let page = TcpStream::connect_timeout(&address, Duration::from_secs(2))
        .and_then(|mut stream| {
            stream.set_read_timeout(Some(Duration::from_secs(2)))?;
            stream.write_all(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
            let mut page = Vec::new();
            stream.take(1 << 20).read_to_end(&mut page)?;
            Ok(String::from_utf8_lossy(&page).into_owned())
        })
        .unwrap_or_default();
    if title.is_some_and(|title| page.contains(&title)) {
        PortState::ServingTheBook
    } else {
        PortState::Taken
    }
}

fn book_title(workbook: &Workbook) -> Option<String> {
    let text = std::fs::read_to_string(workbook.root.join("book.toml")).ok()?;
    let table: toml::Table = text.parse().ok()?;
    Some(table.get("book")?.get("title")?.as_str()?.to_owned())
}

fn port_check(state: PortState) -> Finding {
    match state {
        PortState::Free => Finding::Ok(format!(
            "port {BOOK_PORT} is free for `cargo workbook serve`"
        )),
        PortState::ServingTheBook => Finding::Ok(format!(
            "the book is already served at http://localhost:{BOOK_PORT}/"
        )),
        PortState::Taken => missing(
            format!(
                "another program uses port {BOOK_PORT}, where `cargo workbook serve` shows the book"
            ),
            format!("stop that program (on Linux and macOS `lsof -i :{BOOK_PORT}` names it)"),
        ),
    }
}

/// Free bytes on the file system of `path`, from `df` (Linux and macOS).
/// The space free for this user on the file system that holds `path`, on
/// every system (fs4 asks statvfs on Unix, GetDiskFreeSpaceExW on Windows).
fn free_space(path: &Path) -> Option<u64> {
    fs4::available_space(path).ok()
}

fn disk_check(free: Option<u64>) -> Finding {
    let need = format_size(DISK_NEEDED);
    match free {
        Some(free) if free >= DISK_NEEDED => Finding::Ok(format!(
            "{} free on disk (the builds need up to about {need})",
            format_size(free)
        )),
        Some(free) => missing(
            format!(
                "only {} free on disk; the exercises' builds need up to about {need}",
                format_size(free)
            ),
            "free some space (emptying the rubbish bin or a Downloads folder often does)",
        ),
        None => Finding::Warning {
            problem: "cannot tell how much disk space is free".to_owned(),
            fix: format!("make sure about {need} are free"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_missing(finding: &Finding) -> bool {
        matches!(finding, Finding::Missing { .. })
    }

    #[test]
    fn reads_versions() {
        assert_eq!(
            parse_version("rustc 1.95.0 (59807616e 2026-04-14)"),
            Some((1, 95, 0))
        );
        assert_eq!(
            parse_version("cargo 1.85.1 (d73d2caf9 2024-12-31)"),
            Some((1, 85, 1))
        );
        assert_eq!(parse_version("1.85"), Some((1, 85, 0)));
        assert_eq!(
            parse_version("rustc 1.93.0-nightly (abc 2025-11-01)"),
            Some((1, 93, 0))
        );
        assert_eq!(parse_version("rustc"), None);
    }

    #[test]
    fn compares_rust_versions() {
        let new = version_check("rustc", Some("rustc 1.95.0 (x 2026-04-14)"), "1.85");
        assert!(matches!(new, Finding::Ok(ref text) if text.contains("needs 1.85")));
        let exact = version_check("cargo", Some("cargo 1.85.0 (x 2025-01-01)"), "1.85");
        assert!(matches!(exact, Finding::Ok(_)));
        let old = version_check("rustc", Some("rustc 1.80.1 (x 2024-08-01)"), "1.85");
        assert_eq!(
            old,
            missing(
                "rustc 1.80.1 (x 2024-08-01) is too old: the workbook needs 1.85 or newer",
                "rustup update stable"
            )
        );
        let absent = version_check("cargo", None, "1.85");
        assert!(is_missing(&absent));
        assert!(matches!(
            version_check("rustc", Some("weird"), "1.85"),
            Finding::Warning { .. }
        ));
    }

    #[test]
    fn names_the_missing_nightly_component() {
        let all = nightly_findings("rustc 1.96.0-nightly", Some("miri 0.1.0"), true);
        assert!(all.iter().all(|f| matches!(f, Finding::Ok(_))));
        let no_miri = nightly_findings("rustc 1.96.0-nightly", None, true);
        assert_eq!(no_miri.iter().filter(|f| is_missing(f)).count(), 1);
        assert!(matches!(&no_miri[1], Finding::Missing { fix, .. } if fix == COMPONENTS_FIX));
        let no_source = nightly_findings("rustc 1.96.0-nightly", Some("miri"), false);
        assert!(
            matches!(&no_source[2], Finding::Missing { problem, .. } if problem.contains("rust-src"))
        );
    }

    #[test]
    fn says_where_the_crates_are() {
        assert_eq!(
            offline_finding(true, None, true),
            Finding::Ok("every crate the exercises need is on this laptop (vendor/)".to_owned())
        );
        let absent = offline_finding(
            false,
            Some("error: no matching package named `clap`"),
            false,
        );
        let Finding::Missing { problem, fix } = absent else {
            panic!("not missing")
        };
        assert!(
            problem.contains("no matching package named `clap`"),
            "{problem}"
        );
        assert!(fix.contains("cargo fetch"), "{fix}");
    }

    #[test]
    fn the_port_is_fine_free_or_serving_the_book() {
        assert!(matches!(port_check(PortState::Free), Finding::Ok(_)));
        assert!(matches!(
            port_check(PortState::ServingTheBook),
            Finding::Ok(_)
        ));
        assert!(is_missing(&port_check(PortState::Taken)));
    }

    #[test]
    fn a_missing_tool_says_how_to_install_it() {
        assert!(matches!(tool_check("mdBook 0.5.4", true), Finding::Ok(_)));
        let Finding::Missing { fix, .. } = tool_check("mdBook 0.5.4", false) else {
            panic!("not missing")
        };
        assert!(fix.contains("cargo workbook serve"), "{fix}");
    }

    #[test]
    fn the_summary_counts_and_says_what_next() {
        let ok = Finding::Ok("fine".to_owned());
        let warn = Finding::Warning {
            problem: "p".to_owned(),
            fix: "f".to_owned(),
        };
        assert_eq!(
            summary(&[ok.clone(), warn]),
            "preflight: all 2 checks pass (see the 1 warning): you are ready."
        );
        assert_eq!(
            summary(&[ok, missing("p", "f")]),
            "preflight: 1 of 2 checks found something missing: fix the MISSING lines \
             above, then run `cargo workbook preflight` again."
        );
    }
}
