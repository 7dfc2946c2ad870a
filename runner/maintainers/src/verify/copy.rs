//! A copy of the workspace that verify edits (weakened orderings, wrong
//! answers), so the real checkout is never modified, even if a run is
//! interrupted. The copy builds into the real build folders, so that registry
//! dependencies are not compiled twice, but under another version number:
//! cargo tells path packages apart by their path relative to the workspace
//! root, and without it an edited build would stand in for the real
//! package's until its sources next changed.

use std::path::Path;

use anyhow::{Context, Result};
use walkdir::WalkDir;

/// Copies the workspace to `to` for edits to be applied to.
pub fn prepare_copy(from: &Path, to: &Path, tag: &str) -> Result<()> {
    copy_workspace(from, to)?;
    let manifest = to.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)?;
    std::fs::write(&manifest, separate_versions(&text, tag)?)
        .with_context(|| format!("cannot write {}", manifest.display()))
}

/// Copies the workspace, minus build output, VCS data and local state, to `to`.
fn copy_workspace(from: &Path, to: &Path) -> Result<()> {
    if to.exists() {
        std::fs::remove_dir_all(to).with_context(|| format!("cannot remove {}", to.display()))?;
    }
    let skipped = |name: &std::ffi::OsStr, depth: usize| {
        name == "target"
            || (depth == 1 && [".git", ".tools", ".workbook"].iter().any(|s| name == *s))
    };
    let walk = WalkDir::new(from)
        .into_iter()
        .filter_entry(|e| !skipped(e.file_name(), e.depth()));
    for entry in walk {
        let entry = entry?;
        let destination = to.join(entry.path().strip_prefix(from)?);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&destination)?;
        } else {
            std::fs::copy(entry.path(), &destination)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The copy's root manifest, with every member that inherits the workspace
/// version given a version of its own (build metadata, which no version
/// requirement looks at), so its builds never share artifacts with the real
/// workspace's.
fn separate_versions(manifest: &str, tag: &str) -> Result<String> {
    let mut manifest: toml::Table = toml::from_str(manifest)?;
    let version = manifest
        .get_mut("workspace")
        .and_then(|workspace| workspace.get_mut("package"))
        .and_then(|package| package.get_mut("version"))
        .context(
            "the root Cargo.toml has no [workspace.package] version for the members to inherit",
        )?;
    let copy_version = format!("{}+{tag}", version.as_str().unwrap_or("0.0.0"));
    *version = toml::Value::String(copy_version);
    Ok(toml::to_string(&manifest)?)
}

/// Puts a file back as it was when dropped, so a failed or interrupted run
/// cannot leave an edit behind for the next one to stack on.
pub struct Restore<'a> {
    pub path: &'a Path,
    pub original: &'a str,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        // Nothing better to do with an error here; the copy is rebuilt each verify.
        let _ = std::fs::write(self.path, self.original);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_the_copy_its_own_member_versions() {
        let manifest =
            "[workspace]\nmembers = [\"a\"]\n\n[workspace.package]\nversion = \"0.1.0\"\n";
        let separate: toml::Table =
            toml::from_str(&separate_versions(manifest, "mutant").unwrap()).unwrap();
        assert_eq!(
            separate["workspace"]["package"]["version"].as_str(),
            Some("0.1.0+mutant")
        );
        assert_eq!(separate["workspace"]["members"][0].as_str(), Some("a"));
        assert!(separate_versions("[workspace]\n", "mutant").is_err());
    }

    #[test]
    fn copies_the_workspace_without_build_output_or_local_state() {
        let scratch = std::env::temp_dir().join(format!("workbook-copy-{}", std::process::id()));
        let from = scratch.join("from");
        for dir in [
            "src",
            "target/debug",
            ".git",
            ".workbook",
            "crate/target",
            "crate/src",
        ] {
            std::fs::create_dir_all(from.join(dir)).unwrap();
        }
        for file in [
            "Cargo.toml",
            "src/lib.rs",
            "target/debug/x",
            ".git/HEAD",
            "crate/src/lib.rs",
            "crate/target/y",
        ] {
            std::fs::write(from.join(file), file).unwrap();
        }
        let to = scratch.join("to");
        std::fs::create_dir_all(to.join("stale")).unwrap();
        copy_workspace(&from, &to).unwrap();

        assert_eq!(
            std::fs::read_to_string(to.join("src/lib.rs")).unwrap(),
            "src/lib.rs"
        );
        assert!(to.join("crate/src/lib.rs").is_file());
        for absent in ["target", ".git", ".workbook", "crate/target", "stale"] {
            assert!(!to.join(absent).exists(), "{absent} was copied");
        }
        std::fs::remove_dir_all(scratch).unwrap();
    }
}
