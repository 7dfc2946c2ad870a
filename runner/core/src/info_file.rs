//! `exercises/info.toml`: the one description of every chapter and exercise.
//!
//! The file's header comment documents the fields. Parsing rejects unknown
//! fields, so a typo in the metadata fails loudly instead of being ignored.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// Where the book is served; `list` and `serve` print pages under it.
pub const BOOK_URL: &str = "http://localhost:3000/";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InfoFile {
    #[serde(rename = "chapter", default)]
    pub chapters: Vec<Chapter>,
    #[serde(rename = "exercise", default)]
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// The chapter's folder under exercises/ (and solutions/).
    pub dir: String,
    pub title: String,
    /// The chapter's first page, relative to book/.
    pub page: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub name: String,
    /// Relative to exercises/ and to solutions/; its first component is the chapter's `dir`.
    pub dir: String,
    /// Relative to book/.
    pub page: String,
    pub minutes: u32,
    pub tiers: Vec<Tier>,
    /// Added to MIRIFLAGS for this exercise's Miri tier, for code that needs
    /// them (crossbeam-epoch needs Tree Borrows, and leaves its global
    /// garbage unfreed at exit).
    #[serde(default)]
    pub miri_flags: Vec<String>,
    /// Relative to the exercise's folder.
    pub edit: Vec<String>,
    pub hints: Vec<String>,
    /// What no tier can check in this exercise: wrong answers known to pass
    /// every tier, one sentence each, written for the learner. The card and
    /// `check`'s verified message list them.
    #[serde(default)]
    pub limits: Vec<String>,
    /// One sentence: what a learner who runs out of time must have reached to
    /// follow the next page, without giving the fix away. The card shows it;
    /// `verify`'s metadata step requires it.
    #[serde(default)]
    pub minimum: String,
    /// One to three short tasks for a learner who finishes early, each one the
    /// learner can do and check, none giving another exercise's answer away.
    /// The card lists them; `verify`'s metadata step requires them.
    #[serde(default)]
    pub extensions: Vec<String>,
}

/// A level of testing, from fastest to most thorough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// `cargo test`: unit, property and bounded stress tests.
    Test,
    /// The loom model checker, under `--cfg loom`.
    Loom,
    /// Miri, which detects undefined behaviour while running the tests.
    Miri,
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tier::Test => "test",
            Tier::Loom => "loom",
            Tier::Miri => "miri",
        })
    }
}

impl InfoFile {
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join("exercises").join("info.toml");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("in {}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Self> {
        let info: InfoFile = toml::from_str(text)?;
        info.validate()?;
        Ok(info)
    }

    /// Rejects metadata the runner could not act on; whether the files it
    /// names exist is `verify`'s business.
    fn validate(&self) -> Result<()> {
        let mut names = HashSet::new();
        for exercise in &self.exercises {
            let name = &exercise.name;
            if !names.insert(name.as_str()) {
                bail!("two exercises are named '{name}'");
            }
            if self.chapter_of(exercise).is_none() {
                bail!(
                    "exercise '{name}': no [[chapter]] has a dir that contains '{}'",
                    exercise.dir
                );
            }
            // `check` reports "passing" once the first tier passes, so it must be the tests.
            if exercise.tiers.first() != Some(&Tier::Test) {
                bail!("exercise '{name}': tiers must start with \"test\"");
            }
            if exercise.limits.iter().any(|limit| limit.trim().is_empty()) {
                bail!("exercise '{name}': a limit is empty");
            }
            let distinct: HashSet<_> = exercise.tiers.iter().collect();
            if distinct.len() != exercise.tiers.len() {
                bail!("exercise '{name}': a tier is listed twice");
            }
        }
        Ok(())
    }

    pub fn chapter_of(&self, exercise: &Exercise) -> Option<&Chapter> {
        let chapter_dir = exercise.dir.split('/').next()?;
        self.chapters
            .iter()
            .find(|chapter| chapter.dir == chapter_dir)
    }

    /// The exercise whose benchmarks measure the benchmark group `group`:
    /// groups are named `<exercise>/<what>` by convention.
    pub fn benchmarked_by(&self, group: &str) -> Option<&Exercise> {
        let (name, _) = group.split_once('/')?;
        self.exercises.iter().find(|e| e.name == name)
    }

    /// The exercise called `name`, or an error that suggests the nearest name.
    /// The exercise `name` names, or, without a name, the one whose folder
    /// (in exercises/ or solutions/) holds `cwd`.
    pub fn find_or_here(&self, name: Option<&str>, root: &Path, cwd: &Path) -> Result<&Exercise> {
        if let Some(name) = name {
            return self.find(name);
        }
        self.exercises
            .iter()
            .find(|e| {
                cwd.starts_with(e.exercise_dir(root)) || cwd.starts_with(e.solution_dir(root))
            })
            .with_context(|| {
                "which exercise? Name it (`cargo workbook list` shows them all), or run this \
                 inside an exercise's folder"
            })
    }

    pub fn find(&self, name: &str) -> Result<&Exercise> {
        if let Some(exercise) = self.exercises.iter().find(|e| e.name == name) {
            return Ok(exercise);
        }
        match nearest(name, self.exercises.iter().map(|e| e.name.as_str())) {
            Some(near) => bail!("no exercise named '{name}'; did you mean '{near}'?"),
            None => bail!("no exercise named '{name}'; `cargo workbook list` shows them all"),
        }
    }
}

impl Exercise {
    /// The stub package, the one the learner edits.
    pub fn package(&self) -> &str {
        &self.name
    }

    pub fn solution_package(&self) -> String {
        format!("{}-solution", self.name)
    }

    pub fn exercise_dir(&self, root: &Path) -> PathBuf {
        root.join("exercises").join(&self.dir)
    }

    pub fn solution_dir(&self, root: &Path) -> PathBuf {
        root.join("solutions").join(&self.dir)
    }

    pub fn page_url(&self) -> String {
        page_url(&self.page)
    }
}

/// The served address of a book page given relative to book/.
pub fn page_url(page: &str) -> String {
    let html = page
        .strip_suffix(".md")
        .map_or_else(|| page.to_owned(), |stem| format!("{stem}.html"));
    format!("{BOOK_URL}{html}")
}

/// The candidate closest to `name` by edit distance, if it is close enough to be
/// a plausible typo.
fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let (distance, best) = candidates
        .map(|candidate| (strsim::damerau_levenshtein(name, candidate), candidate))
        .min()?;
    let tolerance = (name.chars().count() / 3).max(2);
    (distance <= tolerance).then_some(best)
}

/// A small info.toml that the unit tests of the runner's crates share (a
/// constant, so compiled in but costing nothing: another crate's tests cannot
/// see a `#[cfg(test)]` item of this one).
#[doc(hidden)]
pub const SAMPLE: &str = r#"
        [[chapter]]
        dir = "04-send-sync"
        title = "Send and Sync"
        page = "04-send-sync/index.md"

        [[exercise]]
        name = "racy-ring"
        dir = "04-send-sync/01-racy-ring"
        page = "04-send-sync/racy-ring.md"
        minutes = 45
        tiers = ["test", "loom", "miri"]
        edit = ["src/lib.rs"]
        hints = ["one", "two"]
        minimum = "The minimum."
        extensions = ["The first extension.", "The second extension."]

        [[exercise]]
        name = "thread-bounds"
        dir = "04-send-sync/02-thread-bounds"
        page = "04-send-sync/thread-bounds.md"
        minutes = 20
        tiers = ["test", "miri"]
        edit = ["src/lib.rs"]
        hints = ["only"]
    "#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_chapters_and_exercises_in_order() {
        let info = InfoFile::parse(SAMPLE).unwrap();
        assert_eq!(info.chapters.len(), 1);
        let names: Vec<_> = info.exercises.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["racy-ring", "thread-bounds"]);
        let ring = &info.exercises[0];
        assert_eq!(ring.tiers, [Tier::Test, Tier::Loom, Tier::Miri]);
        assert_eq!(info.chapter_of(ring).unwrap().title, "Send and Sync");
    }

    #[test]
    fn limits_are_optional_and_kept_in_order() {
        let info = InfoFile::parse(SAMPLE).unwrap();
        assert!(info.exercises[0].limits.is_empty());
        let text = SAMPLE.replace(
            "hints = [\"only\"]",
            "hints = [\"only\"]\nlimits = [\"First.\", \"Second.\"]",
        );
        let info = InfoFile::parse(&text).unwrap();
        assert_eq!(info.exercises[1].limits, ["First.", "Second."]);
        let empty = SAMPLE.replace("hints = [\"only\"]", "hints = [\"only\"]\nlimits = [\" \"]");
        let error = InfoFile::parse(&empty).unwrap_err().to_string();
        assert_eq!(error, "exercise 'thread-bounds': a limit is empty");
    }

    #[test]
    fn minimum_and_extensions_are_read_and_optional_to_parse() {
        let info = InfoFile::parse(SAMPLE).unwrap();
        let ring = &info.exercises[0];
        assert_eq!(ring.minimum, "The minimum.");
        assert_eq!(
            ring.extensions,
            ["The first extension.", "The second extension."]
        );
        let bounds = &info.exercises[1];
        assert!(bounds.minimum.is_empty() && bounds.extensions.is_empty());
    }

    #[test]
    fn derives_packages_and_page_url() {
        let info = InfoFile::parse(SAMPLE).unwrap();
        let ring = info.find("racy-ring").unwrap();
        assert_eq!(ring.package(), "racy-ring");
        assert_eq!(ring.solution_package(), "racy-ring-solution");
        assert_eq!(
            ring.page_url(),
            "http://localhost:3000/04-send-sync/racy-ring.html"
        );
        assert_eq!(
            ring.solution_dir(Path::new("/w")),
            Path::new("/w/solutions/04-send-sync/01-racy-ring")
        );
    }

    #[test]
    fn the_real_info_file_parses() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .parent()
            .unwrap();
        InfoFile::load(root).unwrap();
    }

    #[test]
    fn rejects_unknown_fields() {
        let text = SAMPLE.replace("minutes = 20", "minutes = 20\nhint = \"typo\"");
        let error = InfoFile::parse(&text).unwrap_err();
        assert!(format!("{error:#}").contains("unknown field"), "{error:#}");
    }

    #[test]
    fn rejects_duplicate_names_and_unknown_chapters() {
        let twice = SAMPLE.replace("name = \"thread-bounds\"", "name = \"racy-ring\"");
        assert!(
            InfoFile::parse(&twice)
                .unwrap_err()
                .to_string()
                .contains("two exercises")
        );
        let orphan = SAMPLE.replace("dir = \"04-send-sync/02", "dir = \"05-atomics/02");
        assert!(
            InfoFile::parse(&orphan)
                .unwrap_err()
                .to_string()
                .contains("no [[chapter]]")
        );
    }

    #[test]
    fn tiers_must_start_with_the_tests() {
        let text = SAMPLE.replace(r#"["test", "miri"]"#, r#"["miri", "test"]"#);
        assert!(InfoFile::parse(&text).is_err());
    }

    /// Before, `check` and `hint` without a name said a name was required,
    /// even inside an exercise's folder.
    #[test]
    fn without_a_name_the_folder_names_the_exercise() {
        let info = InfoFile::parse(SAMPLE).unwrap();
        let root = Path::new("/w");
        let here = |cwd: &str| {
            info.find_or_here(None, root, Path::new(cwd))
                .map(|e| e.name.clone())
                .map_err(|error| error.to_string())
        };
        assert_eq!(
            here("/w/exercises/04-send-sync/01-racy-ring/src").unwrap(),
            "racy-ring"
        );
        assert_eq!(
            here("/w/solutions/04-send-sync/01-racy-ring").unwrap(),
            "racy-ring"
        );
        assert!(here("/w/book").unwrap_err().contains("which exercise?"));
        let named = info.find_or_here(Some("racy-ring"), root, Path::new("/w/book"));
        assert_eq!(named.unwrap().name, "racy-ring");
    }

    #[test]
    fn a_benchmark_group_names_its_exercise_first() {
        let info = InfoFile::parse(SAMPLE).unwrap();
        let named = |group| info.benchmarked_by(group).map(|e| e.name.as_str());
        assert_eq!(named("racy-ring/spsc"), Some("racy-ring"));
        assert_eq!(named("racy-ring"), None);
        assert_eq!(named("racy-rig/spsc"), None);
    }

    #[test]
    fn suggests_the_nearest_name() {
        let info = InfoFile::parse(SAMPLE).unwrap();
        let error = info.find("racy-rng").unwrap_err().to_string();
        assert_eq!(
            error,
            "no exercise named 'racy-rng'; did you mean 'racy-ring'?"
        );
        let error = info.find("mutex").unwrap_err().to_string();
        assert!(error.contains("cargo workbook list"), "{error}");
    }

    #[test]
    fn nearest_ignores_distant_names() {
        let names = ["racy-ring", "thread-bounds"];
        assert_eq!(
            nearest("thread-bound", names.into_iter()),
            Some("thread-bounds")
        );
        assert_eq!(nearest("zzz", names.into_iter()), None);
        assert_eq!(nearest("x", std::iter::empty()), None);
    }
}
