//! Finding the workbook from wherever `cargo workbook` is run.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::info_file::{Exercise, InfoFile};

/// The workbook checkout: its root folder and its exercise metadata.
pub struct Workbook {
    pub root: PathBuf,
    pub info: InfoFile,
}

impl Workbook {
    /// The workbook that contains the current directory.
    pub fn open() -> Result<Self> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        Self::open_at(&find_root(&cwd)?)
    }

    pub fn open_at(root: &Path) -> Result<Self> {
        Ok(Self {
            root: root.to_owned(),
            info: InfoFile::load(root)?,
        })
    }

    /// The exercise `name` names, or, without a name, the one whose folder
    /// the command runs in.
    pub fn exercise_named_or_here(&self, name: Option<&str>) -> Result<&Exercise> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        self.info.find_or_here(name, &self.root, &cwd)
    }

    /// Cargo's build folder for ordinary builds: `target/`, or wherever
    /// CARGO_TARGET_DIR points, as for cargo itself.
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            // Relative to the current folder, as cargo reads it.
            Some(dir) if !dir.is_empty() => {
                std::path::absolute(&dir).unwrap_or_else(|_| dir.into())
            }
            _ => self.root.join("target"),
        }
    }

    /// Learner-local runner state (gitignored).
    pub fn state_dir(&self) -> PathBuf {
        self.root.join(".workbook")
    }

    /// Pinned tools installed by the runner: `.tools/` (gitignored), or the folder
    /// named by `WORKBOOK_TOOLS`, which lets CI keep them across fresh clones.
    pub fn tools_dir(&self) -> PathBuf {
        std::env::var_os("WORKBOOK_TOOLS")
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| self.root.join(".tools"))
    }

    /// `path` relative to the root, for messages; unchanged if it lies elsewhere.
    pub fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }
}

/// The nearest folder at or above `start` whose Cargo.toml declares a `[workspace]`.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let parsed: toml::Table = toml::from_str(&text)
            .with_context(|| format!("cannot parse {}", manifest.display()))?;
        if parsed.contains_key("workspace") {
            return Ok(dir.to_owned());
        }
    }
    bail!(
        "no Cargo workspace at or above {}; run `cargo workbook` inside the workbook's folder",
        start.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_workspace_from_a_member_folder() {
        let runner = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = find_root(&runner.join("src")).unwrap();
        assert_eq!(root, runner.parent().unwrap().parent().unwrap());
    }

    #[test]
    fn says_so_outside_any_workspace() {
        let error = find_root(Path::new("/")).unwrap_err().to_string();
        assert!(error.contains("no Cargo workspace"), "{error}");
    }
}
