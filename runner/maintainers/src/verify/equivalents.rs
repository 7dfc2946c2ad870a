//! `solutions/<dir>/equivalent-mutants.toml`: the cargo-mutants mutants of a
//! solution that no test can catch because they do not change what the code
//! does (or change only how fast it does it), each with one line of reason.
//! `verify --cargo-mutants` fails on a surviving mutant unless it is listed
//! here; an entry that matches no mutant is a problem too, so the file cannot
//! go stale as the solution changes.
//!
//! ```toml
//! [[equivalent]]
//! file = "src/lib.rs"
//! mutant = "replace > with >= in Semaphore::release"   # as cargo-mutants names it, without the place
//! at = "116"                                          # optional: "line" or "line:column", when
//!                                                      # the description occurs more than once
//! reason = "only adds notifications: ..."
//! ```

use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

/// The file's name, beside the solution's Cargo.toml.
pub const FILE_NAME: &str = "equivalent-mutants.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EquivalentsFile {
    #[serde(default)]
    equivalent: Vec<Equivalent>,
}

/// A mutant that changes nothing a test could see.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equivalent {
    /// Relative to the solution crate's folder.
    pub file: String,
    /// cargo-mutants' description: "replace -= with += in Semaphore::acquire".
    pub mutant: String,
    /// Where cargo-mutants places it, "line" or "line:column", needed only
    /// when the description occurs more than once in the file.
    #[serde(default)]
    pub at: Option<String>,
    /// One line: why no test can tell the mutant from the solution.
    pub reason: String,
}

impl Equivalent {
    pub fn matches(&self, file: &str, line: usize, column: usize, description: &str) -> bool {
        self.file == file
            && self.mutant == description
            && self
                .at
                .as_ref()
                .is_none_or(|at| *at == line.to_string() || *at == format!("{line}:{column}"))
    }
}

/// The equivalents listed beside the solution in `solution_dir` (none if the file is absent).
pub fn load(solution_dir: &Path) -> Result<Vec<Equivalent>> {
    let path = solution_dir.join(FILE_NAME);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(Vec::new());
    };
    let file: EquivalentsFile =
        toml::from_str(&text).with_context(|| format!("cannot parse {}", path.display()))?;
    Ok(file.equivalent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_by_file_description_and_optional_place() {
        let file: EquivalentsFile = toml::from_str(
            "[[equivalent]]\nfile = \"src/lib.rs\"\nmutant = \"replace > with >= in f\"\n\
             reason = \"r\"\n\n[[equivalent]]\nfile = \"src/lib.rs\"\n\
             mutant = \"replace g -> bool with true\"\nat = \"9:5\"\nreason = \"r\"\n",
        )
        .unwrap();
        let [any_line, one_line] = file.equivalent.as_slice() else {
            panic!("two entries");
        };
        assert!(any_line.matches("src/lib.rs", 3, 1, "replace > with >= in f"));
        assert!(!any_line.matches("src/other.rs", 3, 1, "replace > with >= in f"));
        assert!(one_line.matches("src/lib.rs", 9, 5, "replace g -> bool with true"));
        assert!(!one_line.matches("src/lib.rs", 9, 6, "replace g -> bool with true"));
        assert!(!one_line.matches("src/lib.rs", 10, 5, "replace g -> bool with true"));
        assert!(toml::from_str::<EquivalentsFile>("[[equivalent]]\nfile = \"x\"\n").is_err());
    }
}
