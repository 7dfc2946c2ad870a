//! `cargo workbook serve [--open]`: the book, live-reloaded, at http://localhost:3000.

use std::process::ExitCode;

use anyhow::Result;

use workbook_core::info_file::BOOK_URL;
use workbook_core::tools::{self, MDBOOK, QUIZ};
use workbook_core::workspace::Workbook;

pub fn run(workbook: &Workbook, open: bool) -> Result<ExitCode> {
    MDBOOK.ensure_installed(workbook)?;
    QUIZ.ensure_installed(workbook)?;
    let mut serve =
        tools::mdbook(workbook).args(["serve", "--port", "3000", "--hostname", "127.0.0.1"]);
    if open {
        serve = serve.arg("--open");
    }
    println!("Serving the book at {BOOK_URL} (it rebuilds on every save; Ctrl-C stops it).");
    println!("$ {serve}");
    Ok(if serve.run()? {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
