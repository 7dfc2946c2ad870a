//! `{{#results <group> <baseline>}}`: one table (and chart) per machine that
//! measured the group, and with several machines a comparison of their ratios
//! to the baseline.
//!
//! A file from `cargo workbook bench` holds every round's figure, so each cell
//! is the median over the rounds with their range in brackets, and a ratio is
//! judged by its range: only one that stays on one side of 1.0 reads "faster"
//! or "slower". A file from before rounds holds one run and is shown as it
//! always was, with a note that one run shows no spread.

use workbook_core::results::{Benchmark, Machine, ResultsFile};
use workbook_core::spread::{Spread, Verdict};

use crate::format::three_digits;

/// The heading that names the machine above each of its tables.
pub fn machine_heading(machine: &Machine) -> String {
    format!(
        "#### {}, {} cores\n\n{}, {}, measured {}.\n\n",
        machine.cpu, machine.cores, machine.os, machine.rustc, machine.date
    )
}

/// `machine`'s name in a column heading or a sentence.
pub fn machine_name(machine: &Machine) -> String {
    format!("{}, {} cores", machine.cpu, machine.cores)
}

/// The most rounds any variant of `group` was measured in on `file`'s machine.
fn rounds_of(file: &ResultsFile, group: &str) -> usize {
    file.group(group)
        .map(|b| b.spread().rounds)
        .max()
        .unwrap_or(0)
}

/// `5.31` for one run, `5.31 (4.90–7.02)` for several rounds.
fn time_cell(spread: &Spread) -> String {
    let median = three_digits(spread.median);
    if spread.rounds < 2 {
        median
    } else {
        format!(
            "{median} ({}–{})",
            three_digits(spread.min),
            three_digits(spread.max)
        )
    }
}

/// `1.07x (0.88–1.92), no clear difference`; one run's ratio alone, `1.07x`.
pub fn ratio_cell(ratio: &Spread) -> String {
    let mut text = ratio_median(ratio);
    if let Some(range) = ratio_range(ratio) {
        text += &format!(" ({range})");
    }
    if let Some(words) = ratio.verdict().words() {
        text += &format!(", {words}");
    }
    text
}

/// A ratio's median as the tables and the prose write it: `1.07x`.
pub fn ratio_median(ratio: &Spread) -> String {
    format!("{:.2}x", ratio.median)
}

/// The range of the rounds' ratios, `0.88–1.92`; none for one run.
pub fn ratio_range(ratio: &Spread) -> Option<String> {
    (ratio.rounds > 1).then(|| format!("{:.2}–{:.2}", ratio.min, ratio.max))
}

/// `benchmark`'s cell in a "time relative to the baseline" column.
fn relative_cell(benchmark: &Benchmark, base: Option<&Benchmark>, rounds: usize) -> String {
    match base {
        None => "-".to_owned(),
        Some(base) if base.function == benchmark.function && rounds > 1 => {
            "1.00x (baseline)".to_owned()
        }
        Some(base) => ratio_cell(&benchmark.ratio_to(base)),
    }
}

pub fn machine_table(file: &ResultsFile, group: &str, baseline: &str) -> String {
    // Only harnesses that measure a regime (the queue benchmarks) log one.
    let with_regime = file.group(group).any(|b| b.regime.is_some());
    let (regime_head, regime_rule) = if with_regime {
        (" regime |", "---|")
    } else {
        ("", "")
    };
    let rounds = rounds_of(file, group);
    let range = if rounds > 1 { " (min–max)" } else { "" };
    let mut text = machine_heading(&file.machine)
        + &format!(
            "| Variant | ns per item{range} | million items/s | time relative to `{baseline}`{range} |{regime_head}\n\
             |---|--:|--:|--:|{regime_rule}\n"
        );
    let base = file.benchmark(group, baseline);
    for benchmark in file.group(group) {
        let regime = if with_regime {
            format!(
                " {} |",
                benchmark.regime.as_deref().unwrap_or("not recorded")
            )
        } else {
            String::new()
        };
        text += &format!(
            "| {} | {} | {} | {} |{regime}\n",
            benchmark.function,
            time_cell(&benchmark.spread()),
            three_digits(benchmark.items_per_second as f64 / 1e6),
            relative_cell(benchmark, base, rounds),
        );
    }
    if base.is_none() {
        text += &format!("\n(This machine has no `{baseline}` measurement to compare with.)\n");
    }
    text += &if rounds > 1 {
        format!(
            "\nThe median of {rounds} rounds, with the lowest and highest round in brackets; \
             each ratio is taken within a round. A ratio whose range reaches 1.0 reads \
             \"no clear difference\".\n"
        )
    } else {
        "\nOne run, so no spread: a second run of the same build can differ, \
         and widely so where two threads meet.\n"
            .to_owned()
    };
    // The same figures as bars, after a blank line (see crate::chart).
    text + "\n" + &crate::chart::results_chart(file, group, baseline)
}

/// With more than one machine, their ratios to `baseline` side by side, and
/// the variants on which their verdicts differ; empty for one machine.
pub fn across_machines(files: &[&ResultsFile], group: &str, baseline: &str) -> String {
    if files.len() < 2 {
        return String::new();
    }
    let mut variants: Vec<&str> = Vec::new();
    for benchmark in files.iter().flat_map(|file| file.group(group)) {
        if benchmark.function != baseline && !variants.contains(&benchmark.function.as_str()) {
            variants.push(&benchmark.function);
        }
    }
    let names: Vec<String> = files
        .iter()
        .map(|file| machine_name(&file.machine))
        .collect();
    let mut text = format!(
        "\n#### Across machines\n\nTime relative to `{baseline}` on each machine:\n\n\
         | Variant | {} |\n|---|{}\n",
        names.join(" | "),
        "--:|".repeat(files.len())
    );
    let mut disagreements = Vec::new();
    for variant in variants {
        let ratios: Vec<Option<Spread>> = files
            .iter()
            .map(|file| file.ratio(group, variant, baseline))
            .collect();
        let cells: Vec<String> = ratios
            .iter()
            .map(|ratio| ratio.as_ref().map_or_else(|| "-".to_owned(), ratio_cell))
            .collect();
        text += &format!("| {variant} | {} |\n", cells.join(" | "));
        let verdicts: Vec<(Verdict, &String)> = ratios
            .iter()
            .zip(&names)
            .filter_map(|(ratio, name)| Some((ratio.as_ref()?.verdict(), name)))
            .filter(|(verdict, _)| *verdict != Verdict::OneRun)
            .collect();
        if verdicts
            .iter()
            .any(|(verdict, _)| *verdict != verdicts[0].0)
        {
            let each: Vec<String> = verdicts
                .iter()
                .filter_map(|(verdict, name)| Some(format!("{} on {name}", verdict.words()?)))
                .collect();
            disagreements.push(format!("`{variant}` ({})", each.join("; ")));
        }
    }
    let in_rounds = files
        .iter()
        .filter(|file| rounds_of(file, group) > 1)
        .count();
    text += &if !disagreements.is_empty() {
        format!(
            "\nThe machines disagree on {}.\n",
            disagreements.join(", and on ")
        )
    } else if in_rounds < 2 {
        "\nFewer than two of these machines were measured in rounds, so there is no \
         spread to judge whether they agree.\n"
            .to_owned()
    } else {
        "\nWhere the machines were measured in rounds, they agree on every variant.\n".to_owned()
    };
    text
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A results file of `cpu`, 2 cores, whose id is `<cpu>-2c` in lowercase.
    pub(crate) fn file(cpu: &str, benchmarks: Vec<Benchmark>) -> ResultsFile {
        ResultsFile {
            machine: Machine {
                id: format!("{cpu}-2c").to_lowercase(),
                cpu: cpu.into(),
                cores: 2,
                os: "Linux".into(),
                rustc: "rustc 1.95.0".into(),
                date: "2026-12-04".into(),
            },
            benchmarks,
            counts: Vec::new(),
        }
    }

    fn rounds(function: &str, figures: &[f64]) -> Benchmark {
        Benchmark::from_rounds("q".into(), function.into(), figures).unwrap()
    }

    /// Five rounds in which `crossing` is sometimes faster and sometimes slower
    /// than `base`, and `slow` always slower.
    fn measured_in_rounds(cpu: &str) -> ResultsFile {
        file(
            cpu,
            vec![
                rounds("base", &[10.0, 10.0, 10.0, 10.0, 10.0]),
                rounds("crossing", &[8.8, 10.7, 19.2, 10.5, 11.0]),
                rounds("slow", &[20.0, 21.0, 19.0, 22.0, 30.0]),
            ],
        )
    }

    #[test]
    fn shows_each_figure_with_its_range_and_judges_ratios_by_it() {
        let table = machine_table(&measured_in_rounds("EPYC"), "q", "base");
        assert!(
            table.contains(
                "| Variant | ns per item (min–max) | million items/s | \
                 time relative to `base` (min–max) |"
            ),
            "{table}"
        );
        assert!(table.contains("| base | 10.0 (10.0–10.0) | 100 | 1.00x (baseline) |"));
        assert!(
            table.contains(
                "| crossing | 10.7 (8.80–19.2) | 93.5 | 1.07x (0.88–1.92), no clear difference |"
            ),
            "{table}"
        );
        assert!(table.contains("| slow | 21.0 (19.0–30.0) | 47.6 | 2.10x (1.90–3.00), slower |"));
        assert!(table.contains("The median of 5 rounds"));
        assert!(!table.contains("One run"));
    }

    #[test]
    fn a_file_from_before_rounds_shows_as_one_run() {
        let old = file(
            "EPYC",
            vec![
                Benchmark::new("q".into(), "base".into(), 5.0),
                Benchmark::new("q".into(), "mine".into(), 10.0),
            ],
        );
        let table = machine_table(&old, "q", "base");
        assert!(
            table.contains("| Variant | ns per item | million items/s | time relative to `base` |")
        );
        assert!(table.contains("| base | 5.00 | 200 | 1.00x |"), "{table}");
        assert!(table.contains("| mine | 10.0 | 100 | 2.00x |"), "{table}");
        assert!(table.contains("One run, so no spread"));
        assert!(!table.contains("slower"));
    }

    #[test]
    fn compares_the_machines_ratios_and_names_their_disagreements() {
        let epyc = measured_in_rounds("EPYC");
        let mut pi = measured_in_rounds("Cortex-A76");
        pi.benchmarks[1] = rounds("crossing", &[5.0, 6.0, 7.0, 6.0, 6.0]);
        let text = across_machines(&[&epyc, &pi], "q", "base");
        assert!(
            text.starts_with(
                "\n#### Across machines\n\nTime relative to `base` on each machine:\n\n\
                 | Variant | EPYC, 2 cores | Cortex-A76, 2 cores |\n|---|--:|--:|\n"
            ),
            "{text}"
        );
        assert!(text.contains(
            "| crossing | 1.07x (0.88–1.92), no clear difference | 0.60x (0.50–0.70), faster |"
        ));
        assert!(!text.contains("| base |"));
        assert!(
            text.ends_with(
                "The machines disagree on `crossing` (no clear difference on EPYC, 2 cores; \
                 faster on Cortex-A76, 2 cores).\n"
            ),
            "{text}"
        );
        assert_eq!(across_machines(&[&epyc], "q", "base"), "");
        let agreeing = across_machines(&[&epyc, &epyc], "q", "base");
        assert!(
            agreeing.contains("they agree on every variant"),
            "{agreeing}"
        );
    }

    #[test]
    fn a_machine_without_the_variant_or_the_baseline_shows_a_dash() {
        let epyc = measured_in_rounds("EPYC");
        let other = file("Other", vec![rounds("slow", &[1.0, 2.0])]);
        let text = across_machines(&[&epyc, &other], "q", "base");
        assert!(
            text.contains("| slow | 2.10x (1.90–3.00), slower | - |"),
            "{text}"
        );
        assert!(text.contains("| crossing | 1.07x (0.88–1.92), no clear difference | - |"));
    }
}
