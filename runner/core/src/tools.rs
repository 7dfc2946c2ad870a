//! The book's pinned tools, installed on first use into `.tools/` (or
//! `$WORKBOOK_TOOLS`) so that every
//! learner, maintainer and CI run builds the book with the same versions.

use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::process::Invocation;
use crate::workspace::Workbook;

/// A command-line tool installed from crates.io with `cargo install`.
pub struct Tool {
    pub crate_name: &'static str,
    /// Passed to `cargo install --version`.
    pub version: &'static str,
    /// The versions accepted when already installed: a prefix of `--version`'s output number.
    pub accepts: &'static str,
    pub display_name: &'static str,
    pub install_time: &'static str,
    /// Built without optimisation (`cargo install --debug`): for a tool that
    /// runs for a second, installing minutes faster matters more.
    pub debug_build: bool,
    /// For a cargo subcommand, its name: the binary then expects it as its
    /// first argument (`cargo-mutants mutants --version`), as cargo passes it.
    pub cargo_subcommand: Option<&'static str>,
}

pub const MDBOOK: Tool = Tool {
    crate_name: "mdbook",
    version: "0.5.4",
    accepts: "0.5.4",
    display_name: "mdBook 0.5.4",
    install_time: "about 2 minutes",
    debug_build: false,
    cargo_subcommand: None,
};

pub const LINKCHECK: Tool = Tool {
    crate_name: "mdbook-linkcheck2",
    version: "~0.13",
    accepts: "0.13.",
    display_name: "mdbook-linkcheck2 0.13",
    // Measured on 2 cores (a verify run beside it): 2m20 with --debug, 5m20
    // without; checking the book's links takes 1.3 s instead of 0.9 s.
    install_time: "2 to 4 minutes",
    debug_build: true,
    cargo_subcommand: None,
};

/// The quiz preprocessor (`[preprocessor.quiz]` in book.toml). Its version
/// must match the quiz format of `book/*/quiz.toml` and work with [`MDBOOK`].
pub const QUIZ: Tool = Tool {
    crate_name: "mdbook-quiz",
    version: "0.5.0",
    accepts: "0.5.0",
    display_name: "mdbook-quiz 0.5.0",
    install_time: "1 to 3 minutes",
    debug_build: false,
    cargo_subcommand: None,
};

/// The mutation tester, for maintainers only: `verify` installs it when a
/// solution's cargo-mutants record is out of date (see the maintainers' crate).
pub const CARGO_MUTANTS: Tool = Tool {
    crate_name: "cargo-mutants",
    version: "27.1.0",
    accepts: "27.1",
    display_name: "cargo-mutants 27.1",
    // Measured on 2 cores beside a verify run: about 4 minutes.
    install_time: "3 to 5 minutes",
    debug_build: false,
    cargo_subcommand: Some("mutants"),
};

/// What a learner needs to read the book: what `prepare` installs and
/// `preflight` looks for.
pub const FOR_LEARNERS: [&Tool; 2] = [&MDBOOK, &QUIZ];

/// Every pinned tool, the link checker too: what `verify` installs.
pub const ALL: [&Tool; 3] = [&MDBOOK, &LINKCHECK, &QUIZ];

/// What book.toml names as the quiz preprocessor's command, relative to the
/// book's root: the default tools folder, so that a plain `.tools/bin/mdbook
/// build` finds it too.
const QUIZ_COMMAND_IN_BOOK_TOML: &str = ".tools/bin/mdbook-quiz";

impl Tool {
    pub fn path(&self, workbook: &Workbook) -> PathBuf {
        workbook.tools_dir().join("bin").join(self.crate_name)
    }

    /// The version the installed binary reports, if it runs at all.
    fn installed_version(&self, workbook: &Workbook) -> Option<String> {
        let output = Invocation::new(self.path(workbook).display().to_string(), &workbook.root)
            .args(self.cargo_subcommand)
            .arg("--version")
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&output.stdout);
        output.status.success().then(|| version_number(&text))?
    }

    /// Whether the pinned version is installed already.
    pub fn is_installed(&self, workbook: &Workbook) -> bool {
        self.installed_version(workbook)
            .is_some_and(|v| v.starts_with(self.accepts))
    }

    /// Installs the pinned version into the tools folder unless it is already there.
    pub fn ensure_installed(&self, workbook: &Workbook) -> Result<()> {
        if self.is_installed(workbook) {
            return Ok(());
        }
        let install = self.install(workbook);
        println!(
            "{} is not installed; installing it ({}, once):\n$ {install}",
            self.display_name, self.install_time
        );
        if !install.run()? {
            bail!(
                "installing {} failed (see cargo's output above)",
                self.display_name
            );
        }
        Ok(())
    }

    fn install(&self, workbook: &Workbook) -> Invocation {
        let install = Invocation::new("cargo", &workbook.root)
            .args([
                "install",
                self.crate_name,
                "--version",
                self.version,
                "--locked",
                "--root",
            ])
            .arg(workbook.tools_dir().display().to_string());
        if self.debug_build {
            install.arg("--debug")
        } else {
            install
        }
    }
}

/// "mdbook v0.5.4" or "mdbook-linkcheck2 0.13.0" -> the number.
fn version_number(output: &str) -> Option<String> {
    let word = output.split_whitespace().last()?;
    Some(word.trim_start_matches('v').to_owned())
}

/// An mdBook command run with the pinned mdBook, which finds the pinned
/// backends (mdbook-linkcheck2) because the tools' `bin` comes first in its PATH.
/// book.toml names the quiz preprocessor by its path in the default tools
/// folder; when `$WORKBOOK_TOOLS` moves the tools, the command is overridden
/// (mdBook reads `MDBOOK_PREPROCESSOR__QUIZ__COMMAND` as that setting).
pub fn mdbook(workbook: &Workbook) -> Invocation {
    let mdbook = Invocation::new(MDBOOK.path(workbook).display().to_string(), &workbook.root)
        .path_first(workbook.tools_dir().join("bin"));
    let quiz = QUIZ.path(workbook);
    if quiz == workbook.root.join(QUIZ_COMMAND_IN_BOOK_TOML) {
        mdbook
    } else {
        mdbook.env(
            "MDBOOK_PREPROCESSOR__QUIZ__COMMAND",
            quiz.display().to_string(),
        )
    }
}

/// The mdBook configuration override that builds the instructor's book
/// (mdBook reads it as `preprocessor.workbook.instructor = true`): the
/// preprocessor keeps the speaker notes, which the learners' book, the
/// default, leaves out.
pub const INSTRUCTOR_ENV: &str = "MDBOOK_PREPROCESSOR__WORKBOOK__INSTRUCTOR";

/// The port of the instructor's book, beside the learners' on 3000.
pub const INSTRUCTOR_PORT: u16 = 3001;

/// Where the instructor's book is built: a folder of its own, so that it and
/// the learners' book (`target/book`) can be served at the same time.
pub fn instructor_book_dir(workbook: &Workbook) -> PathBuf {
    workbook.target_dir().join("book-instructor")
}

/// [`mdbook`] building the instructor's book, speaker notes included, into
/// [`instructor_book_dir`].
pub fn mdbook_for_instructor(workbook: &Workbook) -> Invocation {
    mdbook(workbook).env(INSTRUCTOR_ENV, "true").env(
        "MDBOOK_BUILD__BUILD_DIR",
        instructor_book_dir(workbook).display().to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `preflight` used to require the link checker, which only `verify` uses,
    /// and so failed on every learner's laptop set up as the README says.
    #[test]
    fn learners_need_no_maintainers_tool() {
        assert!(
            FOR_LEARNERS
                .iter()
                .all(|tool| tool.crate_name != LINKCHECK.crate_name)
        );
        assert!(
            FOR_LEARNERS
                .iter()
                .all(|tool| ALL.iter().any(|t| t.crate_name == tool.crate_name))
        );
    }

    #[test]
    fn reads_version_numbers() {
        assert_eq!(version_number("mdbook v0.5.4\n").as_deref(), Some("0.5.4"));
        assert_eq!(
            version_number("mdbook-linkcheck2 0.13.0").as_deref(),
            Some("0.13.0")
        );
        assert!(
            version_number("0.13.0")
                .unwrap()
                .starts_with(LINKCHECK.accepts)
        );
        assert_eq!(version_number(""), None);
        assert_eq!(
            version_number("mdbook-quiz 0.5.0\n").as_deref(),
            Some(QUIZ.accepts)
        );
    }

    #[test]
    fn book_toml_names_the_quiz_preprocessor_in_the_default_tools_folder() {
        let book_toml = include_str!("../../../book.toml");
        let table: toml::Table = book_toml.parse().unwrap();
        assert_eq!(
            table["preprocessor"]["quiz"]["command"].as_str(),
            Some(QUIZ_COMMAND_IN_BOOK_TOML)
        );
    }
}
