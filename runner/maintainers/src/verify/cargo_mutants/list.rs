//! The mutants cargo-mutants makes of a solution: listed with `cargo mutants
//! --list --json` (well under a second: nothing is built) and applied by
//! replacing the span it names with its replacement text.

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use workbook_core::info_file::Exercise;
use workbook_core::process::Invocation;

/// A mutant as `cargo mutants --list --json` describes it.
#[derive(Debug, Deserialize)]
struct Listed {
    /// Relative to the workspace root.
    file: String,
    /// "<file>:<line>:<column>: replace == with != in Semaphore::acquire".
    name: String,
    replacement: String,
    span: Span,
}

#[derive(Debug, Deserialize)]
struct Span {
    start: Position,
    end: Position,
}

/// Line and column counted from 1, the column in characters; a span's end is
/// just past its last character.
#[derive(Debug, Deserialize)]
struct Position {
    line: usize,
    column: usize,
}

/// One mutant, ready to apply.
#[derive(Debug)]
pub struct Mutant {
    /// Relative to the workspace root, as in the copy.
    pub workspace_file: String,
    /// Relative to the solution crate's folder, as in `equivalent-mutants.toml`.
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// "replace == with != in Semaphore::acquire".
    pub description: String,
    replacement: String,
    span: Span,
}

impl Mutant {
    /// `text` with the span replaced.
    pub fn apply(&self, text: &str) -> Result<String> {
        let start = offset(text, &self.span.start)?;
        let end = offset(text, &self.span.end)?;
        Ok(format!(
            "{}{}{}",
            &text[..start],
            self.replacement,
            &text[end..]
        ))
    }

    /// "src/lib.rs:76:29: replace == with != in Semaphore::acquire".
    pub fn label(&self) -> String {
        format!(
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.description
        )
    }
}

/// The byte offset of `position` in `text`.
fn offset(text: &str, position: &Position) -> Result<usize> {
    let line_start = if position.line == 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(position.line - 2)
            .map(|(at, _)| at + 1)
            .context("a mutant's span lies past the end of the file")?
    };
    let line = &text[line_start..];
    let column = line
        .char_indices()
        .map(|(at, _)| at)
        .chain(std::iter::once(line.len()))
        .nth(position.column - 1)
        .context("a mutant's span lies past the end of its line")?;
    Ok(line_start + column)
}

/// What `cargo mutants --list` gives for one solution.
pub struct Listing {
    /// The mutants in the solution's own files.
    pub mutants: Vec<Mutant>,
    /// The files outside the solution's folder that it includes with
    /// `#[path]` (rocket-prep builds on the semaphore's solution), with how
    /// many mutants each has: those are judged with their own solution.
    pub elsewhere: Vec<(String, usize)>,
}

/// cargo-mutants' mutants of `exercise`'s solution, listed from `workspace`.
/// `cargo_mutants` is the binary; called as `cargo-mutants mutants ...`, it
/// reads its arguments as `cargo mutants ...` passes them.
pub fn list(workspace: &Path, cargo_mutants: &Path, exercise: &Exercise) -> Result<Listing> {
    let package = exercise.solution_package();
    let output = Invocation::new(cargo_mutants.display().to_string(), workspace)
        .args(["mutants", "--list", "--json", "-p", &package])
        .output()?;
    if !output.status.success() {
        bail!(
            "`cargo mutants --list --json -p {package}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let listed: Vec<Listed> = serde_json::from_slice(&output.stdout)
        .context("cannot read the mutants cargo-mutants listed")?;
    let crate_prefix = format!("solutions/{}/", exercise.dir);
    let mut listing = Listing {
        mutants: Vec::new(),
        elsewhere: Vec::new(),
    };
    for listed in listed {
        let workspace_file = without_dot_dots(&listed.file);
        let Some(file) = workspace_file.strip_prefix(&crate_prefix) else {
            match listing
                .elsewhere
                .iter_mut()
                .find(|(f, _)| *f == workspace_file)
            {
                Some((_, count)) => *count += 1,
                None => listing.elsewhere.push((workspace_file, 1)),
            }
            continue;
        };
        let (_place, description) = listed
            .name
            .split_once(": ")
            .context("a mutant's name has no description")?;
        listing.mutants.push(Mutant {
            line: listed.span.start.line,
            column: listed.span.start.column,
            file: file.to_owned(),
            workspace_file,
            description: description.to_owned(),
            replacement: listed.replacement,
            span: listed.span,
        });
    }
    Ok(listing)
}

/// `a/b/../c` as `a/c`: cargo-mutants names a `#[path]` module's file by the
/// path written in the attribute.
fn without_dot_dots(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." => {}
            part => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mutant(start: (usize, usize), end: (usize, usize), replacement: &str) -> Mutant {
        Mutant {
            workspace_file: "solutions/x/y/src/lib.rs".to_owned(),
            file: "src/lib.rs".to_owned(),
            line: start.0,
            column: start.1,
            description: "replace".to_owned(),
            replacement: replacement.to_owned(),
            span: Span {
                start: Position {
                    line: start.0,
                    column: start.1,
                },
                end: Position {
                    line: end.0,
                    column: end.1,
                },
            },
        }
    }

    #[test]
    fn resolves_the_dot_dots_of_a_path_module() {
        assert_eq!(
            without_dot_dots(
                "solutions/05-locks/03-rocket-prep/src/../../../../solutions/x/./src/lib.rs"
            ),
            "solutions/x/src/lib.rs"
        );
    }

    #[test]
    fn applies_a_span_counted_in_lines_and_characters() {
        let text = "fn f() {\n    // é\n    while n == 0 {}\n}\n";
        let operator = mutant((3, 13), (3, 15), "!=");
        assert_eq!(
            operator.apply(text).unwrap(),
            "fn f() {\n    // é\n    while n != 0 {}\n}\n"
        );
        let body = mutant((2, 5), (3, 20), "()");
        assert_eq!(body.apply(text).unwrap(), "fn f() {\n    ()\n}\n");
        assert!(mutant((9, 1), (9, 2), "x").apply(text).is_err());
    }
}
