//! Compile checks: code that must compile, and code that must not, against the
//! crate under test.
//!
//! Some rules of concurrent Rust are enforced by the compiler (`Send`, `Sync`,
//! lifetimes of borrowed data in threads), so their tests are programs that the
//! compiler must accept or reject. Each case becomes a small binary in a scratch
//! crate that depends on the crate under test; one `cargo check` builds them all.
//! A rejected case passes when the compiler's error has the expected code (E0277,
//! say), not a particular message, so the checks survive new compiler versions.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The crate under test, as the snippets name it. Build it with [`crate_under_test!`].
///
/// [`crate_under_test!`]: crate::crate_under_test
pub struct Crate {
    /// The name snippets use for it (`ring`, say), whatever its package is called.
    pub lib: &'static str,
    /// Its package name.
    pub package: &'static str,
    /// The folder holding its `Cargo.toml`.
    pub manifest_dir: &'static str,
}

/// The crate whose tests are running, named `$lib` in the snippets.
#[macro_export]
macro_rules! crate_under_test {
    ($lib:literal) => {
        $crate::compile::Crate {
            lib: $lib,
            package: env!("CARGO_PKG_NAME"),
            manifest_dir: env!("CARGO_MANIFEST_DIR"),
        }
    };
}

/// What the compiler must do with a case.
pub enum Expect {
    /// Accept it.
    Compiles,
    /// Reject it with this error code, such as `"E0277"`.
    Error(&'static str),
}

/// One program to compile. `code` holds items (a `fn main` is added), and may use
/// `assert_send::<T>()` and `assert_sync::<T>()`.
pub struct Case {
    /// A name made of lowercase letters, digits and underscores.
    pub name: &'static str,
    /// What the case is about, for the learner reading a failure.
    pub why: &'static str,
    pub code: &'static str,
    pub expect: Expect,
}

const PRELUDE: &str = "#![allow(dead_code, unused_imports)]\n\
    fn assert_send<T: Send>() {}\n\
    fn assert_sync<T: Sync>() {}\n";

/// Compiles every case and panics with a report of those the compiler treated
/// differently from what they expect.
pub fn check(under_test: Crate, cases: &[Case]) {
    if cfg!(miri) {
        eprintln!("compile checks skipped: Miri cannot start the compiler");
        return;
    }
    let scratch = scratch_crate(&under_test, cases);
    let errors = compile(&scratch);

    let mut report = String::new();
    for case in cases {
        let found = errors.get(case.name).map(Vec::as_slice).unwrap_or_default();
        match case.expect {
            Expect::Compiles if !found.is_empty() => {
                let _ = writeln!(
                    report,
                    "- {}: this must compile, but the compiler said:\n    {}\n  {}",
                    case.name,
                    found.join("\n    "),
                    case.why
                );
            }
            Expect::Error(code) if !found.iter().any(|e| e.contains(&format!("error[{code}]"))) => {
                let said = if found.is_empty() {
                    "it compiled".to_owned()
                } else {
                    format!("the compiler said:\n    {}", found.join("\n    "))
                };
                let _ = writeln!(
                    report,
                    "- {}: this must not compile (expected error {code}), but {said}\n  {}",
                    case.name, case.why
                );
            }
            _ => {}
        }
    }
    if let Some(other) = errors.get("") {
        let _ = writeln!(
            report,
            "- the crate itself does not compile:\n    {}",
            other.join("\n    ")
        );
    }
    assert!(report.is_empty(), "compile checks failed:\n{report}");
}

/// Writes a crate with one binary per case, depending on the crate under test
/// under the name the snippets use.
fn scratch_crate(under_test: &Crate, cases: &[Case]) -> PathBuf {
    let workspace = Path::new(under_test.manifest_dir)
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .expect("found no Cargo.lock above the crate under test: it must be inside a workspace");
    let dir = target_dir(workspace)
        .join("compile-checks")
        .join(under_test.package);
    let bins = dir.join("src/bin");
    let _ = fs::remove_dir_all(&bins);
    fs::create_dir_all(&bins).expect("could not create the scratch crate's folders");

    let manifest = format!(
        "[package]\nname = \"compile-checks\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n{} = {{ path = {:?}, package = {:?} }}\n",
        under_test.lib, under_test.manifest_dir, under_test.package
    );
    fs::write(dir.join("Cargo.toml"), manifest)
        .expect("could not write the scratch crate's Cargo.toml");
    // The workspace's lock file pins the same dependency versions, with no network needed.
    fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock"))
        .expect("could not copy Cargo.lock into the scratch crate");
    for case in cases {
        let source = format!("{PRELUDE}{}\nfn main() {{}}\n", case.code);
        fs::write(bins.join(format!("{}.rs", case.name)), source)
            .expect("could not write a case's source file");
    }
    dir
}

fn target_dir(workspace: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"))
}

/// Runs `cargo check` on the scratch crate; returns the error lines per case name
/// (errors outside the cases are filed under "").
/// Waits for the compiler, telling the test's deadline it is making progress
/// while it runs: a first build on a busy laptop can take longer than the
/// deadline allows a stuck thread, and a compiler at work is not stuck.
fn wait_reporting_progress(child: Child) -> Output {
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait_with_output());
    });
    loop {
        match done_rx.recv_timeout(Duration::from_secs(1)) {
            Ok(output) => return output.expect("could not collect the output of cargo check"),
            Err(mpsc::RecvTimeoutError::Timeout) => crate::deadline::progress(),
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the thread waiting for cargo died"),
        }
    }
}

fn compile(scratch: &Path) -> BTreeMap<String, Vec<String>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let child = Command::new(cargo)
        .args([
            "check",
            "--bins",
            "--keep-going",
            "--offline",
            "--quiet",
            "--message-format=short",
        ])
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .current_dir(scratch)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("could not start cargo check");
    let output = wait_reporting_progress(child);

    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stderr).lines() {
        if !line.contains(": error") || line.starts_with("error: could not compile") {
            continue;
        }
        errors.entry(case_of(line)).or_default().push(line.to_owned());
    }
    if !output.status.success() && errors.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        errors.entry(String::new()).or_default().push(stderr);
    }
    errors
}

/// The case a line of `cargo check --message-format short` is about: the
/// file name under `src/bin/`, which rustc writes with the platform's
/// separator (`src\bin\case.rs:3:5: error...` on Windows).
fn case_of(line: &str) -> String {
    ["src/bin/", "src\\bin\\"]
        .iter()
        .find_map(|prefix| line.strip_prefix(prefix))
        .and_then(|rest| rest.split_once(".rs:"))
        .map(|(name, _)| name.to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On Windows rustc names the file `src\bin\case.rs`; only the forward
    /// slash was recognised, so every error there belonged to no case.
    #[test]
    fn a_case_is_found_with_either_separator() {
        let unix = "src/bin/shared_cell.rs:4:5: error[E0277]: `Cell<u8>` cannot be shared";
        let windows = "src\\bin\\shared_cell.rs:4:5: error[E0277]: `Cell<u8>` cannot be shared";
        assert_eq!(case_of(unix), "shared_cell");
        assert_eq!(case_of(windows), "shared_cell");
        assert_eq!(case_of("error: could not compile"), "");
    }
}
