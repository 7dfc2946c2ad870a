//! `workbook-book`: the Rust Concurrency Workbook's mdBook preprocessor, which
//! book.toml names (`cargo run --quiet --package workbook-book --`), so that
//! `mdbook build`, `mdbook serve`, `cargo workbook serve` and verify's book
//! steps all run it. Nobody runs it by hand.
//!
//! mdBook's preprocessor protocol: `workbook-book supports <renderer>` answers
//! whether the renderer is supported (every one is: exit 0); `workbook-book`
//! with no arguments reads `[context, book]` as JSON on standard input and
//! writes the expanded book to standard output.

use std::process::ExitCode;

/// What mdBook asks for.
#[derive(Debug, PartialEq, Eq)]
enum Request {
    /// Whether a renderer is supported.
    Supports,
    /// The book, expanded.
    Preprocess,
}

fn request(args: &[String]) -> Option<Request> {
    match args {
        [] => Some(Request::Preprocess),
        [supports, _renderer] if supports == "supports" => Some(Request::Supports),
        _ => None,
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match request(&args) {
        Some(Request::Supports) => ExitCode::SUCCESS,
        Some(Request::Preprocess) => match workbook_book::book::run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error:#}");
                ExitCode::FAILURE
            }
        },
        None => {
            eprintln!(
                "usage: workbook-book [supports <renderer>] (mdBook's preprocessor protocol; \
                 book.toml runs it)"
            );
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_mdbooks_two_requests() {
        let args = |words: &[&str]| words.iter().map(|&w| w.to_owned()).collect::<Vec<_>>();
        assert_eq!(request(&args(&[])), Some(Request::Preprocess));
        assert_eq!(
            request(&args(&["supports", "html"])),
            Some(Request::Supports)
        );
        assert_eq!(request(&args(&["supports"])), None);
        assert_eq!(request(&args(&["build"])), None);
    }
}
