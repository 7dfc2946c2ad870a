//! `cargo workbook serve [--open] [--instructor]`: the book, live-reloaded.
//! The learners' book (no speaker notes) at http://localhost:3000; with
//! `--instructor`, the instructor's book (speaker notes included) at
//! http://localhost:3001, built into a folder of its own so that both can run
//! at once: the learners' on the projector, the instructor's on their laptop.

use std::process::ExitCode;

use anyhow::Result;

use workbook_core::info_file::BOOK_URL;
use workbook_core::tools::{self, INSTRUCTOR_PORT, MDBOOK, QUIZ};
use workbook_core::workspace::Workbook;

pub fn run(workbook: &Workbook, open: bool, instructor: bool) -> Result<ExitCode> {
    MDBOOK.ensure_installed(workbook)?;
    QUIZ.ensure_installed(workbook)?;
    let (mdbook, port, url) = if instructor {
        (
            tools::mdbook_for_instructor(workbook),
            INSTRUCTOR_PORT.to_string(),
            format!("http://localhost:{INSTRUCTOR_PORT}/"),
        )
    } else {
        (
            tools::mdbook(workbook),
            "3000".to_owned(),
            BOOK_URL.to_owned(),
        )
    };
    let mut serve = mdbook.args(["serve", "--port", &port, "--hostname", "127.0.0.1"]);
    if open {
        serve = serve.arg("--open");
    }
    if instructor {
        println!(
            "Serving the instructor's book, speaker notes included, at {url}: keep it off \
             the projector. The learners' book, without them: `cargo workbook serve` ({BOOK_URL})."
        );
    } else {
        println!("Serving the book at {url} (it rebuilds on every save; Ctrl-C stops it).");
    }
    println!("$ {serve}");
    Ok(if serve.run()? {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
