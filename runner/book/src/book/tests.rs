//! The preprocessor's tests: directives parsed and expanded against a small
//! info.toml and one machine's results.

use super::*;
use workbook_core::results::{Benchmark, Count, Machine};

const INFO: &str = r#"
    [[chapter]]
    dir = "04-send-sync"
    title = "Send and Sync"
    page = "04-send-sync/index.md"
    [[chapter]]
    dir = "05-atomics"
    title = "Atomics | orderings"
    page = "05-atomics/index.md"

    [[exercise]]
    name = "racy-ring"
    dir = "04-send-sync/01-racy-ring"
    page = "04-send-sync/racy-ring.md"
    minutes = 45
    tiers = ["test", "loom", "miri"]
    edit = ["src/lib.rs"]
    hints = ["a", "b", "c"]

    [[exercise]]
    name = "spin-lock"
    dir = "05-atomics/01-spin-lock"
    page = "05-atomics/spin-lock.md"
    minutes = 30
    tiers = ["test"]
    edit = ["src/lib.rs", "src/guard.rs"]
    hints = ["only"]
"#;

fn results() -> Vec<ResultsFile> {
    let machine = Machine {
        id: "x86-64-epyc-2c".into(),
        cpu: "AMD EPYC 7B13".into(),
        cores: 2,
        os: "Debian GNU/Linux 12 x86_64".into(),
        rustc: "rustc 1.95.0".into(),
        date: "2026-05-20".into(),
    };
    let benchmarks = vec![
        Benchmark::new("spsc".into(), "mine".into(), 10.0),
        Benchmark::new("spsc".into(), "rtrb".into(), 5.0),
        Benchmark::new("other".into(), "x".into(), 1.0),
    ];
    let counts = vec![
        Count {
            group: "racy-ring/litmus".into(),
            variant: "relaxed".into(),
            observed: 1234,
            runs: 1_000_000,
        },
        Count {
            group: "racy-ring/litmus".into(),
            variant: "seqcst".into(),
            observed: 0,
            runs: 1_000_000,
        },
        Count {
            group: "other".into(),
            variant: "x".into(),
            observed: 5,
            runs: 10,
        },
    ];
    vec![ResultsFile {
        machine,
        benchmarks,
        counts,
    }]
}

fn expand(content: &str, chapter: Option<&str>) -> Result<String> {
    expand_from(&results(), content, chapter)
}

/// `content` on page `chapter`, expanded with `files` as the results.
fn expand_from(files: &[ResultsFile], content: &str, chapter: Option<&str>) -> Result<String> {
    let info = InfoFile::parse(INFO).unwrap();
    Expander {
        info: &info,
        results: files,
        mistakes: &HashMap::new(),
        mutants: &mutants_record::Record::new(),
    }
    .expand(content, chapter)
}

#[test]
fn parses_only_its_own_directives() {
    assert_eq!(
        parse_directive("exercise racy-ring").unwrap(),
        Some(Directive::Exercise("racy-ring"))
    );
    assert_eq!(
        parse_directive(" exercises ").unwrap(),
        Some(Directive::Exercises)
    );
    assert_eq!(
        parse_directive("results spsc rtrb").unwrap(),
        Some(Directive::Results {
            group: "spsc",
            baseline: "rtrb"
        })
    );
    assert_eq!(
        parse_directive("counts racy-ring/litmus").unwrap(),
        Some(Directive::Counts("racy-ring/litmus"))
    );
    assert!(parse_directive("counts").is_err());
    assert!(parse_directive("counts a b").is_err());
    assert_eq!(
        parse_directive("memory epoch-stack/memory").unwrap(),
        Some(Directive::Memory("epoch-stack/memory"))
    );
    assert_eq!(parse_directive("include ../x.rs:anchor").unwrap(), None);
    assert!(parse_directive("results spsc").is_err());
    assert!(parse_directive("exercise").is_err());
}

#[test]
fn expands_an_exercise_card() {
    let page = expand(
        "Before.\n\n{{#exercise racy-ring}}\n\nAfter.",
        Some("04-send-sync/racy-ring.md"),
    )
    .unwrap();
    assert!(
        page.starts_with("Before.\n\n> **Exercise `racy-ring`**, about 45 minutes\n"),
        "{page}"
    );
    assert!(
        page.ends_with("for after you have tried.\n\n\nAfter."),
        "{page}"
    );
    assert!(page.contains("`exercises/04-send-sync/01-racy-ring/` and edit `src/lib.rs`."));
    assert!(page.contains(
        "its tests (`cargo test`), a loom model check of the thread interleavings \
         and Miri, which catches undefined behaviour and data races, in that order."
    ));
    assert!(page.contains("`cargo workbook check racy-ring`"));
    assert!(page.contains("one more of its 3 hints"));
    assert!(page.contains("`solutions/04-send-sync/01-racy-ring/`"));
}

#[test]
fn an_unknown_exercise_fails_the_build_with_a_suggestion() {
    let error = expand("{{#exercise racy-rng}}", None)
        .unwrap_err()
        .to_string();
    assert!(error.contains("did you mean 'racy-ring'?"), "{error}");
}

#[test]
fn leaves_escaped_and_foreign_directives_alone() {
    let text =
        "\\{{#exercise racy-ring}} \\{{#results GROUP}} {{#include x.rs}} {{#exercise unclosed";
    assert_eq!(expand(text, None).unwrap(), text);
}

#[test]
fn lists_exercises_with_links_relative_to_the_chapter() {
    let table = expand("{{#exercises}}", Some("05-atomics/index.md")).unwrap();
    assert!(
        table.contains("| 1 | [racy-ring](../04-send-sync/racy-ring.md) | Send and Sync | 45 |"),
        "{table}"
    );
    assert!(
        table.contains("| 2 | [spin-lock](spin-lock.md) | Atomics \\| orderings | 30 |"),
        "{table}"
    );
    assert!(table.contains("2 exercises, about 75 minutes in all."));
    let from_root = expand("{{#exercises}}", Some("index.md")).unwrap();
    assert!(
        from_root.contains("[racy-ring](04-send-sync/racy-ring.md)"),
        "{from_root}"
    );
}

#[test]
fn tabulates_results_relative_to_the_baseline() {
    let text = expand("{{#results spsc rtrb}}", None).unwrap();
    assert!(text.starts_with("#### AMD EPYC 7B13, 2 cores\n\nDebian GNU/Linux 12 x86_64, rustc 1.95.0, measured 2026-05-20."), "{text}");
    assert!(text.contains("| mine | 10.0 | 100 | 2.00x |"), "{text}");
    assert!(text.contains("| rtrb | 5.00 | 200 | 1.00x |"), "{text}");
    assert!(!text.contains("| x |"));
    let missing_baseline = expand("{{#results spsc nope}}", None).unwrap();
    assert!(
        missing_baseline.contains("| mine | 10.0 | 100 | - |"),
        "{missing_baseline}"
    );
    assert!(missing_baseline.contains("no `nope` measurement"));
}

#[test]
fn tabulates_counts_under_the_machine() {
    let text = expand("{{#counts racy-ring/litmus}}", None).unwrap();
    assert_eq!(
        text,
        "#### AMD EPYC 7B13, 2 cores\n\n\
         Debian GNU/Linux 12 x86_64, rustc 1.95.0, measured 2026-05-20.\n\n\
         | Variant | observed | runs |\n|---|--:|--:|\n\
         | relaxed | 1,234 | 1,000,000 |\n\
         | seqcst | 0 | 1,000,000 |\n\
         \n#### ARM64 (Raspberry Pi)\n\n\
         Not measured yet: see [Benchmarking on a Raspberry Pi](raspberry-pi.md).\n"
    );
    // Benchmarks and counts are separate: a group of one is not the other's.
    let text = expand("{{#counts spsc}}", Some("index.md")).unwrap();
    assert_eq!(text, "Not measured yet: run `cargo workbook bench`.\n");
    let text = expand("{{#counts spin-lock/litmus}}", None).unwrap();
    assert_eq!(
        text,
        "Not measured yet: run `cargo workbook bench spin-lock`.\n"
    );
}

#[test]
fn the_arm64_placeholder_goes_once_an_arm64_machine_measured() {
    let text = expand("{{#results spsc rtrb}}", Some("04-send-sync/results.md")).unwrap();
    assert!(
        text.ends_with(
            "#### ARM64 (Raspberry Pi)\n\nNot measured yet: see \
             [Benchmarking on a Raspberry Pi](../raspberry-pi.md).\n"
        ),
        "{text}"
    );
    let mut files = results();
    files[0].machine.os = "Debian GNU/Linux 12 aarch64".into();
    let text = expand_from(&files, "{{#results spsc rtrb}}", None).unwrap();
    assert!(!text.contains("Not measured yet"), "{text}");
}

#[test]
fn two_machines_get_a_table_each_then_a_comparison() {
    let mut files = results();
    let mut second = files[0].clone();
    second.machine.id = "x86-64-other-8c".into();
    second.machine.cpu = "Other CPU".into();
    second.machine.cores = 8;
    files.push(second);
    let text = expand_from(&files, "{{#results spsc rtrb}}", None).unwrap();
    let at = |heading: &str| text.find(heading).unwrap_or_else(|| panic!("{text}"));
    assert!(at("#### AMD EPYC 7B13, 2 cores") < at("#### Other CPU, 8 cores"));
    assert!(at("#### Other CPU, 8 cores") < at("#### Across machines"));
    assert!(at("#### Across machines") < at("#### ARM64 (Raspberry Pi)"));
    assert!(
        text.contains("| Variant | AMD EPYC 7B13, 2 cores | Other CPU, 8 cores |"),
        "{text}"
    );
    assert!(text.contains("| mine | 2.00x | 2.00x |"), "{text}");
    assert!(text.contains("Fewer than two of these machines were measured in rounds"));
}

#[test]
fn groups_thousands() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1000), "1,000");
    assert_eq!(thousands(123_456), "123,456");
    assert_eq!(thousands(1_000_000), "1,000,000");
}

#[test]
fn says_how_to_measure_an_unmeasured_group() {
    let text = expand("{{#results mpmc mine}}", Some("04-send-sync/racy-ring.md")).unwrap();
    assert_eq!(
        text,
        "Not measured yet: run `cargo workbook bench racy-ring`.\n"
    );
    let text = expand("{{#results mpmc mine}}", Some("index.md")).unwrap();
    assert_eq!(text, "Not measured yet: run `cargo workbook bench`.\n");
    let text = expand("{{#results spin-lock/contended mine}}", Some("results.md")).unwrap();
    assert_eq!(
        text,
        "Not measured yet: run `cargo workbook bench spin-lock`.\n"
    );
}

#[test]
fn the_cargo_mutants_table_shows_recorded_rows_and_names_the_rest() {
    let info = InfoFile::parse(INFO).unwrap();
    let recorded = info.exercises[0].name.clone();
    let row = format!("| {recorded} | 17 | 16 / 0 / 0 | 0 | 0 | 1 | 0 | 2 (10.1s) | 44s |");
    let mut mutants = mutants_record::Record::new();
    mutants.insert(
        recorded.clone(),
        mutants_record::Entry {
            inputs: "ab12".to_owned(),
            cargo_mutants: "27.1.0".to_owned(),
            ran: "2026-12-04T16:00:00Z".to_owned(),
            row: row.clone(),
        },
    );
    let expander = Expander {
        info: &info,
        results: &[],
        mistakes: &HashMap::new(),
        mutants: &mutants,
    };
    let text = expander.expand("{{#cargo-mutants}}", None).unwrap();
    assert!(text.starts_with(mutants_record::HEADING), "{text}");
    assert!(text.contains(&format!("\n{row}\n")), "{text}");
    let rest: Vec<&str> = info.exercises[1..]
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert!(
        text.contains(&format!(
            "Not recorded yet (a maintainer runs `cargo workbook verify --cargo-mutants --only <name>`): {}.",
            rest.join(", ")
        )),
        "{text}"
    );
}

#[test]
fn walks_the_book_json_and_keeps_everything_else() {
    let info = InfoFile::parse(INFO).unwrap();
    let expander = Expander {
        info: &info,
        results: &[],
        mistakes: &HashMap::new(),
        mutants: &mutants_record::Record::new(),
    };
    let input = r#"{"items":[{"Chapter":{"name":"Ring","content":"{{#exercise racy-ring}}","number":[1],
        "sub_items":[{"Chapter":{"name":"Sub","content":"plain","path":"04-send-sync/sub.md","zeta":1,"alpha":2}}],
        "path":"04-send-sync/racy-ring.md","source_path":"04-send-sync/racy-ring.md","parent_names":[]}},
        "Separator",{"PartTitle":"Part"}],"__non_exhaustive":null}"#;
    let mut book: Value = serde_json::from_str(input).unwrap();
    expand_chapters(&mut book, &expander).unwrap();
    let content = book["items"][0]["Chapter"]["content"].as_str().unwrap();
    assert!(content.starts_with("> **Exercise `racy-ring`**"));

    // Everything but the expanded content comes back byte for byte, key order included.
    let mut original: Value = serde_json::from_str(input).unwrap();
    original["items"][0]["Chapter"]["content"] = Value::String(content.to_owned());
    assert_eq!(
        serde_json::to_string(&book).unwrap(),
        serde_json::to_string(&original).unwrap()
    );
    let sub = serde_json::to_string(&book["items"][0]["Chapter"]["sub_items"]).unwrap();
    assert!(sub.contains(r#""zeta":1,"alpha":2"#), "{sub}");
}

#[test]
fn expands_a_ratio_inside_a_sentence() {
    let text = expand(
        "Here `mine` takes {{#ratio spsc mine rtrb}} the time of `rtrb`.",
        None,
    )
    .unwrap();
    assert_eq!(
        text,
        "Here `mine` takes 2.00x (one run) on AMD EPYC 7B13, 2 cores the time of `rtrb`."
    );
    assert_eq!(
        expand("({{#ratio spsc nobody rtrb}})", None).unwrap(),
        "(not measured yet)"
    );
    assert!(expand("{{#ratio spsc mine}}", None).is_err());
}

#[test]
fn finds_the_ratio_directives_a_page_expands() {
    let page = "A {{#ratio spsc mine rtrb faster}} and \\{{#ratio shown only}}, \
                {{#results spsc rtrb}}, {{#ratio spsc mine rtrb fastest}}.";
    let found = ratio_directives(page);
    assert_eq!(found.len(), 2);
    let (at, first) = &found[0];
    assert_eq!(&page[*at..*at + 8], "{{#ratio");
    assert_eq!(
        first.as_ref().unwrap().claim,
        Some(workbook_core::spread::Verdict::Faster)
    );
    assert!(found[1].1.is_err());
}
