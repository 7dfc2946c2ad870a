//! `cargo workbook`: the learners' runner (see the library's documentation).
//! `.cargo/config.toml` makes `cargo workbook` an alias for
//! `cargo run --package workbook --`.

fn main() -> std::process::ExitCode {
    workbook::main()
}
