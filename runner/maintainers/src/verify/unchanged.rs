//! Which steps a rerun may skip: those that passed before and whose inputs
//! have not changed since.
//!
//! Each step has a fingerprint, a hash of everything it reads. A step about
//! one exercise (its stub, its solution's tiers, its mutants and wrong answers)
//! reads that exercise's and its solution's folders, the files their tests
//! take in with `#[path = ...]` (chapter 7's stacks run chapter 6's queue
//! tests, for example), and what every exercise shares: the workspace's
//! manifests and lock file, cargo's settings, `exercises/info.toml`,
//! test-support, the runner that drives the step, and the toolchains'
//! versions. Every other step (clippy, ARM64, the load step, the book, ...)
//! reads the whole workspace, so any change reruns it.
//!
//! After a run, the fingerprint of each step that passed is kept in
//! `target/verify/passed.json`; the next run skips a step whose fingerprint
//! is the same and says so. A failed step is always run again. CI (CI=true)
//! and `verify --all` skip nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use walkdir::WalkDir;
use workbook_core::info_file::Exercise;
use workbook_core::process::Invocation;
use workbook_core::workspace::Workbook;

use super::plan::{Options, Step, Verdict};

/// What every exercise's steps read besides the exercise's own folders.
const SHARED: [&str; 7] = [
    "Cargo.toml",
    "Cargo.lock",
    ".cargo",
    "rust-toolchain.toml",
    "exercises/info.toml",
    "test-support",
    "runner",
];

/// The fingerprints of the steps that passed, by step, as kept between runs.
pub struct Passed {
    file: PathBuf,
    fingerprints: BTreeMap<String, String>,
}

impl Passed {
    pub fn load(workbook: &Workbook) -> Self {
        let file = workbook.target_dir().join("verify").join("passed.json");
        let fingerprints = std::fs::read_to_string(&file)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        Passed { file, fingerprints }
    }

    /// The steps whose fingerprint matches the one kept from their last pass.
    pub fn unchanged(
        &self,
        fingerprints: &[String],
        steps: &[Step],
        options: &Options,
    ) -> HashSet<usize> {
        (0..steps.len())
            .filter(|&index| {
                self.fingerprints.get(&key(&steps[index], options)) == Some(&fingerprints[index])
            })
            .collect()
    }

    /// Keeps the fingerprint of each step that passed in this run and forgets
    /// each that did not.
    pub fn record(
        mut self,
        steps: &[Step],
        options: &Options,
        fingerprints: &[String],
        verdicts: &super::pool::Verdicts,
    ) -> Result<()> {
        for (&index, (verdict, _)) in verdicts {
            let key = key(&steps[index], options);
            if matches!(verdict, Verdict::Passed) {
                self.fingerprints.insert(key, fingerprints[index].clone());
            } else {
                self.fingerprints.remove(&key);
            }
        }
        let text = serde_json::to_string_pretty(&self.fingerprints)?;
        std::fs::write(&self.file, text)
            .with_context(|| format!("cannot write {}", self.file.display()))
    }
}

/// A step's name in the record: its title, and the options that change what
/// it runs.
fn key(step: &Step, options: &Options) -> String {
    format!(
        "{step} (repeat {}, load rounds {})",
        options.repeat, options.load_rounds
    )
}

/// Each step's fingerprint, in plan order.
pub fn fingerprints(workbook: &Workbook, steps: &[Step]) -> Result<Vec<String>> {
    let mut files = FileHashes::new(&workbook.root);
    let toolchains = toolchain_versions(&workbook.root);
    let mut everything = None;
    steps
        .iter()
        .map(|step| {
            let hash = match exercise_of(step) {
                Some(exercise) => {
                    let inputs = exercise_inputs(&workbook.root, exercise)?;
                    files.hash(&inputs, &toolchains)?
                }
                None => match everything {
                    Some(hash) => hash,
                    None => {
                        let all = all_files(&workbook.root);
                        *everything.insert(files.hash(&all, &toolchains)?)
                    }
                },
            };
            Ok(format!("{hash:016x}"))
        })
        .collect()
}

fn exercise_of<'a>(step: &Step<'a>) -> Option<&'a Exercise> {
    match step {
        Step::StubFails(exercise)
        | Step::SolutionPasses(exercise, _)
        | Step::Mutants(exercise)
        | Step::CargoMutants(exercise)
        | Step::WrongAnswers(exercise) => Some(exercise),
        _ => None,
    }
}

/// The files one exercise's steps read, sorted.
fn exercise_inputs(root: &Path, exercise: &Exercise) -> Result<Vec<PathBuf>> {
    with_path_includes(
        root,
        SHARED
            .iter()
            .map(|path| root.join(path))
            .chain([exercise.exercise_dir(root), exercise.solution_dir(root)])
            .flat_map(|path| files_under(&path))
            .collect(),
    )
}

/// The exercise's and its solution's own files, and those their tests take in
/// with `#[path]`, sorted: what is left of [`exercise_inputs`] without what
/// every exercise shares.
pub fn own_inputs(root: &Path, exercise: &Exercise) -> Result<Vec<PathBuf>> {
    with_path_includes(
        root,
        [exercise.exercise_dir(root), exercise.solution_dir(root)]
            .iter()
            .flat_map(|path| files_under(path))
            .collect(),
    )
}

/// `inputs` and the files they take in with `#[path = "..."]`, sorted.
fn with_path_includes(root: &Path, mut inputs: Vec<PathBuf>) -> Result<Vec<PathBuf>> {
    // Follow `#[path = "..."]` to files outside the two folders, transitively.
    let mut seen: HashSet<PathBuf> = inputs.iter().cloned().collect();
    let mut next = 0;
    while next < inputs.len() {
        let file = inputs[next].clone();
        next += 1;
        if file.extension().is_none_or(|extension| extension != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let folder = file.parent().unwrap_or(root);
        for included in path_attributes(&text) {
            let path = folder.join(included);
            let path = path.canonicalize().unwrap_or(path);
            if seen.insert(path.clone()) {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    Ok(inputs)
}

/// The paths named by `#[path = "..."]` attributes in `text`.
fn path_attributes(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        let rest = line.trim().strip_prefix("#[path")?.trim_start();
        let rest = rest.strip_prefix('=')?.trim_start().strip_prefix('"')?;
        rest.split_once('"').map(|(path, _)| path)
    })
}

/// Every file of the workspace that a build or the book can read: all but
/// build output, version control and local state.
fn all_files(root: &Path) -> Vec<PathBuf> {
    let skipped = |name: &std::ffi::OsStr, depth: usize| {
        name == "target"
            || (depth == 1 && [".git", ".tools", ".workbook"].iter().any(|s| name == *s))
    };
    let mut files: Vec<PathBuf> = WalkDir::new(root)
        .into_iter()
        .filter_entry(|entry| !skipped(entry.file_name(), entry.depth()))
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// The files under `path` (or `path` itself), sorted; none if it is missing.
fn files_under(path: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = WalkDir::new(path)
        .into_iter()
        .filter_entry(|entry| entry.file_name() != "target")
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.sort();
    files
}

/// `rustc --version` of the stable and nightly toolchains: a new toolchain
/// may judge the same code differently.
fn toolchain_versions(root: &Path) -> String {
    ["+stable", "+nightly"]
        .iter()
        .map(|toolchain| {
            Invocation::new("rustc", root)
                .args([*toolchain, "--version"])
                .output()
                .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
                .unwrap_or_default()
        })
        .collect()
}

/// File contents hashed once each, by path.
struct FileHashes<'a> {
    root: &'a Path,
    hashes: HashMap<PathBuf, u64>,
}

impl<'a> FileHashes<'a> {
    fn new(root: &'a Path) -> Self {
        FileHashes {
            root,
            hashes: HashMap::new(),
        }
    }

    /// One hash of `files` (their paths and contents) and `toolchains`. The
    /// hasher need only agree with itself across runs of one build of the
    /// runner; a new runner or toolchain changes the inputs anyway.
    fn hash(&mut self, files: &[PathBuf], toolchains: &str) -> Result<u64> {
        let mut hasher = DefaultHasher::new();
        toolchains.hash(&mut hasher);
        for file in files {
            let content = match self.hashes.get(file) {
                Some(&hash) => hash,
                None => {
                    let bytes = std::fs::read(file)
                        .with_context(|| format!("cannot read {}", file.display()))?;
                    let mut content = DefaultHasher::new();
                    bytes.hash(&mut content);
                    let hash = content.finish();
                    self.hashes.insert(file.clone(), hash);
                    hash
                }
            };
            file.strip_prefix(self.root)
                .unwrap_or(file)
                .hash(&mut hasher);
            content.hash(&mut hasher);
        }
        Ok(hasher.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_files_tests_take_in_with_path() {
        let text = "#[path = \"../../../../exercises/x/tests/ring.rs\"]\nmod spec;\n\
                    // #[path = \"not/this.rs\"] is a comment\n  #[path=\"b.rs\"]\nmod b;";
        assert_eq!(
            path_attributes(text).collect::<Vec<_>>(),
            ["../../../../exercises/x/tests/ring.rs", "b.rs"]
        );
    }

    #[test]
    fn an_exercise_reads_the_tests_it_borrows_and_not_other_exercises() {
        let root =
            workbook_core::workspace::find_root(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
        let workbook = Workbook::open_at(&root).unwrap();
        let epoch_queue = workbook.info.find("epoch-queue").unwrap();
        let inputs = exercise_inputs(&root, epoch_queue).unwrap();
        let has = |tail: &str| inputs.iter().any(|path| path.ends_with(tail));
        assert!(has("solutions/07-reclamation/05-epoch-queue/src/lib.rs"));
        assert!(has(
            "exercises/07-reclamation/05-epoch-queue/tests/reclaim.rs"
        ));
        // Its stress test is the broken queue's, taken in with #[path].
        assert!(has("exercises/06-atomics/02-broken-queue/tests/stress.rs"));
        assert!(has("test-support/src/stress.rs"));
        assert!(!has("solutions/04-send-sync/01-racy-ring/src/lib.rs"));
        // Its own inputs (what its cargo-mutants record hashes) keep the
        // borrowed tests and leave out what every exercise shares.
        let own = own_inputs(&root, epoch_queue).unwrap();
        let owns = |tail: &str| own.iter().any(|path| path.ends_with(tail));
        assert!(owns("exercises/06-atomics/02-broken-queue/tests/stress.rs"));
        assert!(owns("solutions/07-reclamation/05-epoch-queue/src/lib.rs"));
        assert!(!owns("test-support/src/stress.rs"));
        assert!(!owns("exercises/info.toml"));
    }

    #[test]
    fn a_change_to_one_file_changes_only_the_fingerprints_that_read_it() {
        let folder = std::env::temp_dir().join(format!("unchanged-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let (a, b) = (folder.join("a"), folder.join("b"));
        std::fs::write(&a, "one").unwrap();
        std::fs::write(&b, "two").unwrap();
        let hash = |files: &[PathBuf], toolchains: &str| {
            FileHashes::new(&folder).hash(files, toolchains).unwrap()
        };
        let (only_a, both) = ([a.clone()], [a, b.clone()]);
        let (before, both_before) = (hash(&only_a, "v1"), hash(&both, "v1"));
        std::fs::write(&b, "three").unwrap();
        assert_eq!(hash(&only_a, "v1"), before);
        assert_ne!(hash(&both, "v1"), both_before);
        assert_ne!(hash(&only_a, "v2"), before);
        std::fs::remove_dir_all(&folder).unwrap();
    }
}
