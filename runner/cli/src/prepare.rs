//! `cargo workbook prepare`: readies this folder, once and on a machine with a
//! network, for a workshop room without one. It installs what the exercises
//! need, vendors every crate into `vendor/`, points cargo at it in
//! `.cargo/config.toml`, prepares Miri's sysroot and builds the exercises
//! offline, which both warms the build cache and proves the vendoring complete.
//! `prepare --undo` takes the vendored source out of `.cargo/config.toml`.

use std::path::Path;
use std::process::{ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use workbook_core::info_file::{Exercise, Tier};
use workbook_core::process::{Invocation, format_duration};
use workbook_core::tiers::Site;
use workbook_core::tools;
use workbook_core::workspace::Workbook;

use crate::disk::{VENDOR_DIR, format_size, vendor_dir};
use crate::preflight;

/// Manifests outside the workspace whose locked crates are vendored with it,
/// where they exist, relative to the root. Add one here when a new crate with
/// its own Cargo.lock (the book's `mdbook test` dependencies, say) appears.
pub const EXTRA_MANIFESTS: &[&str] = &["book-deps/Cargo.toml"];

/// The config file that carries the source replacement to every laptop.
const CONFIG: &str = ".cargo/config.toml";
const BLOCK_BEGIN: &str = "# >>> offline: written by `cargo workbook prepare`; \
                           `cargo workbook prepare --undo` removes it";
const BLOCK_END: &str = "# <<< offline";

const NIGHTLY_INSTALL: [&str; 7] = [
    "toolchain",
    "install",
    "nightly",
    "--profile",
    "minimal",
    "--component",
    "miri,rust-src",
];
const NIGHTLY_COMPONENTS: [&str; 6] = [
    "component",
    "add",
    "--toolchain",
    "nightly",
    "miri",
    "rust-src",
];

/// One step of `prepare`.
type PrepareStep = fn(&Workbook) -> Result<()>;

pub fn run(workbook: &Workbook, undo: bool) -> Result<ExitCode> {
    let config = workbook.root.join(CONFIG);
    if undo {
        write_block(&config, None)?;
        println!(
            "Removed the vendored source from {CONFIG}: cargo downloads crates again \
             ({VENDOR_DIR}/ is left in place; delete it if you like)."
        );
        return Ok(ExitCode::SUCCESS);
    }
    let started = Instant::now();
    let steps: [(&str, PrepareStep); 6] = [
        ("the nightly toolchain with Miri and rust-src", nightly),
        ("the book's pinned tools", book_tools),
        ("every crate, vendored into vendor/", |w| {
            vendor_quietly(w, &vendor_dir(w))
        }),
        (
            "cargo reads crates from vendor/ (.cargo/config.toml)",
            |w| write_block(&w.root.join(CONFIG), Some(&source_replacement(VENDOR_DIR))),
        ),
        ("Miri's sysroot", miri_setup),
        (
            "the exercises build offline (debug, loom and Miri)",
            warm_builds,
        ),
    ];
    for (index, (title, step)) in steps.iter().enumerate() {
        println!("\n[{}/{}] {title}", index + 1, steps.len());
        let step_started = Instant::now();
        step(workbook).with_context(|| format!("prepare stopped at: {title}"))?;
        println!("    done ({})", format_duration(step_started.elapsed()));
    }
    println!(
        "\nprepare finished in {}.",
        format_duration(started.elapsed())
    );
    print_hand_over(workbook);
    println!("\nThe pre-flight check, as a learner will see it:");
    preflight::run(workbook)
}

/// Installs nightly with Miri and rust-src, or adds the components to an
/// installed nightly without updating it (an update would make Miri build its
/// sysroot again).
fn nightly(workbook: &Workbook) -> Result<()> {
    let have_nightly = Invocation::new("rustup", &workbook.root)
        .args(["run", "nightly", "rustc", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    let args: &[&str] = if have_nightly {
        &NIGHTLY_COMPONENTS
    } else {
        &NIGHTLY_INSTALL
    };
    run_loud(&Invocation::new("rustup", &workbook.root).args(args.iter().copied()))
}

fn book_tools(workbook: &Workbook) -> Result<()> {
    for tool in tools::FOR_LEARNERS {
        tool.ensure_installed(workbook)?;
        println!("    {} is installed", tool.display_name);
    }
    Ok(())
}

/// `cargo vendor` of every crate the workspace and the [`EXTRA_MANIFESTS`]
/// lock, for every platform, into `dir`. Cargo ignores the source replacement
/// while vendoring, so this also refreshes a stale `vendor/`.
pub fn vendor(workbook: &Workbook, dir: &Path) -> Invocation {
    let mut vendor = Invocation::new("cargo", &workbook.root).args(["vendor", "--locked"]);
    for extra in EXTRA_MANIFESTS {
        if workbook.root.join(extra).is_file() {
            vendor = vendor.args(["--sync", extra]);
        }
    }
    vendor.arg(dir.display().to_string())
}

/// Runs [`vendor`], showing cargo's progress but not the config it prints
/// (prepare writes its own).
pub fn vendor_quietly(workbook: &Workbook, dir: &Path) -> Result<()> {
    let vendor = vendor(workbook, dir);
    println!("$ {vendor}");
    let status = vendor
        .command()
        .stdout(Stdio::null())
        .status()
        .context("cannot run cargo vendor")?;
    if !status.success() {
        bail!("`{vendor}` failed (see its output above)");
    }
    Ok(())
}

/// The cargo config that replaces crates.io by the vendored crates in `dir`
/// (relative paths are relative to the folder holding `.cargo/`).
pub fn source_replacement(dir: &str) -> String {
    let dir = toml::Value::String(dir.to_owned());
    format!(
        "[source.crates-io]\nreplace-with = \"vendored-sources\"\n\n\
         [source.vendored-sources]\ndirectory = {dir}\n"
    )
}

/// Rewrites `config` with prepare's block replaced by `block` (or removed).
fn write_block(config: &Path, block: Option<&str>) -> Result<()> {
    let text = match std::fs::read_to_string(config) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(error).with_context(|| format!("cannot read {CONFIG}")),
    };
    let new = with_block(&text, block);
    if new != text {
        std::fs::write(config, new).with_context(|| format!("cannot write {CONFIG}"))?;
    }
    Ok(())
}

/// `text` without prepare's block, and with `block` at the end if given.
fn with_block(text: &str, block: Option<&str>) -> String {
    let mut kept = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line == BLOCK_BEGIN {
            inside = true;
        } else if inside {
            inside = line != BLOCK_END;
        } else {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    let mut out = kept.trim_end().to_owned();
    if let Some(block) = block {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(BLOCK_BEGIN);
        out.push('\n');
        out.push_str(block.trim_end());
        out.push('\n');
        out.push_str(BLOCK_END);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Builds Miri's sysroot from the nightly's rust-src. It runs outside the
/// workbook, where the vendored source does not apply: the standard library's
/// own dependencies come from crates.io.
fn miri_setup(_: &Workbook) -> Result<()> {
    run_loud(&Invocation::new("cargo", &std::env::temp_dir()).args(["+nightly", "miri", "setup"]))
}

/// What `check` will build, built now with `--offline`: the tests of every
/// crate, and the loom and Miri builds of the exercises with those tiers and
/// of the package `preflight` runs them on.
fn warm_builds(workbook: &Workbook) -> Result<()> {
    for build in warm_build_invocations(workbook) {
        run_loud(&build)?;
    }
    Ok(())
}

fn warm_build_invocations(workbook: &Workbook) -> Vec<Invocation> {
    let mut builds = vec![Invocation::new("cargo", &workbook.root).args([
        "test",
        "--workspace",
        "--no-run",
        "--offline",
    ])];
    let site = Site::of(workbook);
    for tier in [Tier::Loom, Tier::Miri] {
        let with: Vec<&Exercise> = workbook
            .info
            .exercises
            .iter()
            .filter(|e| e.tiers.contains(&tier))
            .collect();
        if let Some((first, rest)) = with.split_first() {
            let others = rest.iter().flat_map(|e| ["-p", e.package()]);
            // And the package whose loom and Miri tests `preflight` runs.
            builds.push(
                tier.invocation(&site, first.package(), &[])
                    .args(others)
                    .args(["-p", crate::preflight_tiers::PACKAGE])
                    .args(["--no-run", "--offline"]),
            );
        }
    }
    builds
}

fn run_loud(invocation: &Invocation) -> Result<()> {
    println!("$ {invocation}");
    if !invocation.run()? {
        bail!("`{invocation}` failed (see its output above)");
    }
    Ok(())
}

/// What to hand to the laptops, with sizes and the machine-wide folders.
fn print_hand_over(workbook: &Workbook) {
    let size = |path: &Path| format_size(folder_size(path));
    let root = &workbook.root;
    println!(
        "\nWhat the laptops need (the instructor guide's \"Offline workshops\" page says more):"
    );
    println!(
        "  this folder, {}: the exercises, {VENDOR_DIR}/ ({}: every crate), {CONFIG} \
         (cargo reads {VENDOR_DIR}/), {} ({}: the book's tools) and target/ ({}: the warm builds)",
        root.display(),
        size(&root.join(VENDOR_DIR)),
        workbook.relative(&workbook.tools_dir()).display(),
        size(&workbook.tools_dir()),
        size(&workbook.target_dir()),
    );
    let home = |args: &[&str]| {
        Invocation::new(args[0], root)
            .args(args[1..].iter().copied())
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
            .unwrap_or_else(|| "(could not ask)".to_owned())
    };
    println!(
        "  the Rust toolchains (stable, and nightly with miri and rust-src) in {}",
        home(&["rustup", "show", "home"])
    );
    println!(
        "  Miri's sysroot in {} (usable only where rustup's home has the same path)",
        home(&["cargo", "+nightly", "miri", "setup", "--print-sysroot"])
    );
    println!(
        "The simplest hand-over: copy this folder to each laptop while it still has a network \
         and run `cargo workbook prepare` there too. Folders copied as they are work only on \
         laptops with the same operating system and processor as this machine; {VENDOR_DIR}/ \
         works anywhere."
    );
}

fn folder_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok())
        .filter(|metadata| metadata.is_file())
        .map(|metadata| metadata.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALIAS: &str = "[alias]\nworkbook = \"run --package workbook --\"\n";

    #[test]
    fn adds_replaces_and_removes_its_block() {
        let block = source_replacement("vendor");
        let added = with_block(ALIAS, Some(&block));
        assert!(added.starts_with(ALIAS), "{added}");
        assert!(
            added.contains("directory = \"vendor\"\n# <<< offline\n"),
            "{added}"
        );
        let parsed: toml::Table = added.parse().unwrap();
        assert_eq!(
            parsed["source"]["crates-io"]["replace-with"].as_str(),
            Some("vendored-sources")
        );
        // Idempotent, and removable without a trace.
        assert_eq!(with_block(&added, Some(&block)), added);
        assert_eq!(with_block(&added, None), ALIAS);
        assert_eq!(with_block(ALIAS, None), ALIAS);
        assert_eq!(with_block("", None), "");
    }

    #[test]
    fn quotes_the_folder_as_toml() {
        let block = source_replacement(r"C:\room\vendor");
        let parsed: toml::Table = block.parse().unwrap();
        assert_eq!(
            parsed["source"]["vendored-sources"]["directory"].as_str(),
            Some(r"C:\room\vendor")
        );
    }
}
