//! The external crates for the book's examples (`book-deps/`): built into
//! `target/book-deps`, with one build of each crate copied into
//! `target/book-deps/lib`, the folder `mdbook test -L` searches.
//!
//! Only the builds cargo reports for this build are copied, into a folder
//! emptied first, so that an older build of a crate left in cargo's own
//! folder cannot give rustdoc two candidates for one `extern crate`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use workbook_core::process::Invocation;
use workbook_core::workspace::Workbook;

/// The crate's folder, relative to the workspace.
pub const DIR: &str = "book-deps";

/// Builds the crate's dependencies and returns the folder to pass to `mdbook test -L`.
pub fn build(workbook: &Workbook) -> Result<PathBuf> {
    let mismatches = lock_mismatches(
        &std::fs::read_to_string(workbook.root.join(DIR).join("Cargo.lock"))?,
        &std::fs::read_to_string(workbook.root.join("Cargo.lock"))?,
    )?;
    if !mismatches.is_empty() {
        bail!(
            "{DIR}/Cargo.lock differs from the workspace's Cargo.lock; pin {DIR}/Cargo.toml \
             to the workspace's versions:\n      {}",
            mismatches.join("\n      ")
        );
    }
    let target = workbook.target_dir().join("book-deps");
    let build = Invocation::new("cargo", &workbook.root).args([
        "build",
        "--locked",
        "--manifest-path",
        &format!("{DIR}/Cargo.toml"),
        "--target-dir",
        &target.display().to_string(),
        "--message-format",
        "json-render-diagnostics",
    ]);
    println!("$ {build}");
    let mut child = build
        .command()
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run cargo")?;
    let stdout = child
        .stdout
        .take()
        .context("cargo's output is not captured")?;
    let mut libraries = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let message: Value = serde_json::from_str(&line?).unwrap_or_default();
        // The dependencies' libraries, not book-deps' own.
        if message["reason"] == "compiler-artifact" && message["target"]["name"] != "book_deps" {
            libraries.extend(
                message["filenames"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .filter(|file| file.ends_with(".rlib") || file.ends_with(".so"))
                    .map(PathBuf::from),
            );
        }
    }
    if !child.wait()?.success() {
        bail!("building {DIR} failed (see the log)");
    }
    let lib = target.join("lib");
    let _ = std::fs::remove_dir_all(&lib);
    std::fs::create_dir_all(&lib)?;
    for library in &libraries {
        let name = library.file_name().context("a library without a name")?;
        std::fs::copy(library, lib.join(name))
            .with_context(|| format!("cannot copy {}", library.display()))?;
    }
    Ok(lib)
}

/// The packages of `deps_lock` from a registry that `workspace_lock` has in
/// another version or checksum, or not at all.
fn lock_mismatches(deps_lock: &str, workspace_lock: &str) -> Result<Vec<String>> {
    let packages = |text: &str| -> Result<BTreeMap<(String, String), Option<String>>> {
        let lock: toml::Table = toml::from_str(text).context("cannot parse a Cargo.lock")?;
        let list = lock.get("package").and_then(|p| p.as_array());
        Ok(list
            .into_iter()
            .flatten()
            .filter(|package| package.get("source").is_some())
            .filter_map(|package| {
                let field = |key: &str| package.get(key)?.as_str().map(str::to_owned);
                Some(((field("name")?, field("version")?), field("checksum")))
            })
            .collect())
    };
    let workspace = packages(workspace_lock)?;
    Ok(packages(deps_lock)?
        .into_iter()
        .filter(|(key, checksum)| workspace.get(key) != Some(checksum))
        .map(|((name, version), _)| format!("{name} {version}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORKSPACE: &str = r#"
version = 4
[[package]]
name = "crossbeam-utils"
version = "0.8.23"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "aa"
[[package]]
name = "workbook"
version = "0.1.0"
"#;

    #[test]
    fn finds_packages_pinned_apart_from_the_workspace() {
        let same = WORKSPACE.replace("workbook", "book-deps");
        assert!(lock_mismatches(&same, WORKSPACE).unwrap().is_empty());
        let newer = same.replace("0.8.23", "0.8.24");
        assert_eq!(
            lock_mismatches(&newer, WORKSPACE).unwrap(),
            ["crossbeam-utils 0.8.24"]
        );
    }

    #[test]
    fn the_real_book_deps_are_pinned_to_the_workspace() {
        let root =
            workbook_core::workspace::find_root(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        let read = |path: PathBuf| std::fs::read_to_string(path).unwrap();
        let mismatches = lock_mismatches(
            &read(root.join(DIR).join("Cargo.lock")),
            &read(root.join("Cargo.lock")),
        )
        .unwrap();
        assert!(mismatches.is_empty(), "{mismatches:?}");
    }

    /// Builds the crate for real: the library folder holds one build of each
    /// crate, however many cargo's own folder has.
    #[test]
    #[ignore = "builds book-deps; run with --ignored"]
    fn builds_one_copy_of_each_crate() {
        let workbook = Workbook::open().unwrap();
        let lib = build(&workbook).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&lib)
            .unwrap()
            .map(|entry| {
                let name = entry.unwrap().file_name().into_string().unwrap();
                name.split('-').next().unwrap().to_owned()
            })
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "libcrossbeam_epoch",
                "libcrossbeam_queue",
                "libcrossbeam_utils"
            ]
        );
    }
}
