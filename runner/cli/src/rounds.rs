//! The rounds of `cargo workbook bench`: every package's benchmarks run once
//! per round, the packages taking turns within a round, and each variant's
//! figures over the rounds are then summarised (see `workbook_core::spread`).
//!
//! A round is a fresh process per package (`cargo bench`, or a bundle's
//! binary), because `bench_support::pin::placement` pins a process's bench
//! thread once for its whole life: pinning, and the cores it happens to get,
//! are chosen again each round. Criterion keeps each round apart itself:
//! `--save-baseline workbook-round-<n>` copies the round's estimates into a
//! folder of that name beside `new/`, so nothing is read between rounds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Result;

use workbook_core::results::Benchmark;

/// `cargo workbook bench`'s default number of rounds.
pub const DEFAULT_ROUNDS: u32 = 5;

const BASELINE_PREFIX: &str = "workbook-round-";

/// The name criterion saves round `round`'s measurements under (`--save-baseline`).
pub fn baseline_name(round: u32) -> String {
    format!("{BASELINE_PREFIX}{round}")
}

/// The round whose baseline criterion saved in a folder named `folder`, if any.
pub fn round_of(folder: &str) -> Option<u32> {
    folder.strip_prefix(BASELINE_PREFIX)?.parse().ok()
}

/// Where round `round`'s benchmarks log their regimes (`bench_support::REGIME_LOG`).
pub fn regime_log(dir: &Path, round: u32) -> PathBuf {
    dir.join(format!("regimes-round-{round}.tsv"))
}

/// Where round `round`'s benchmarks log their counts (`bench_support::COUNT_LOG`).
pub fn count_log(dir: &Path, round: u32) -> PathBuf {
    dir.join(format!("counts-round-{round}.tsv"))
}

/// Runs `run_round(round, package)` for rounds 1 to `rounds`, every package in
/// turn within a round, so that a change in the machine's load touches every
/// variant alike. A package whose run fails is not run again; the failed ones
/// are returned.
pub fn interleave(
    rounds: u32,
    packages: &[String],
    mut run_round: impl FnMut(u32, &str) -> Result<bool>,
) -> Result<Vec<String>> {
    let mut failed = Vec::new();
    for round in 1..=rounds {
        for package in packages {
            if !failed.contains(package) && !run_round(round, package)? {
                failed.push(package.clone());
            }
        }
    }
    Ok(failed)
}

/// Each variant's figures of every round, `(round, one round's benchmark)`,
/// as one benchmark per variant with its rounds in round order.
///
/// Ratios are taken within a round, so a group keeps only the rounds that
/// measured all of its variants (a run that failed partway leaves some out);
/// a group with no such round keeps each variant's rounds as they are. The
/// regime kept is that of the round whose figure is the median (the lower
/// one of the middle two for an even number).
pub fn combine(measured: Vec<(u32, Benchmark)>) -> Vec<Benchmark> {
    let mut groups: BTreeMap<String, BTreeMap<String, BTreeMap<u32, Benchmark>>> = BTreeMap::new();
    for (round, benchmark) in measured {
        groups
            .entry(benchmark.group.clone())
            .or_default()
            .entry(benchmark.function.clone())
            .or_default()
            .insert(round, benchmark);
    }
    let mut combined = Vec::new();
    for variants in groups.into_values() {
        let all_rounds: BTreeSet<u32> = variants.values().flat_map(|r| r.keys().copied()).collect();
        let complete: BTreeSet<u32> = all_rounds
            .into_iter()
            .filter(|round| variants.values().all(|rounds| rounds.contains_key(round)))
            .collect();
        for mut rounds in variants.into_values() {
            if !complete.is_empty() {
                rounds.retain(|round, _| complete.contains(round));
            }
            combined.extend(one_variant(rounds.into_values().collect()));
        }
    }
    combined
}

/// One variant's rounds, in round order, as one benchmark.
fn one_variant(rounds: Vec<Benchmark>) -> Option<Benchmark> {
    let first = rounds.first()?;
    let figures: Vec<f64> = rounds.iter().map(|b| b.ns_per_item).collect();
    let mut benchmark =
        Benchmark::from_rounds(first.group.clone(), first.function.clone(), &figures)?;
    let mut by_figure: Vec<&Benchmark> = rounds.iter().collect();
    by_figure.sort_by(|a, b| a.ns_per_item.total_cmp(&b.ns_per_item));
    benchmark.regime = by_figure[(by_figure.len() - 1) / 2].regime.clone();
    Some(benchmark)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(round: u32, function: &str, ns: f64) -> (u32, Benchmark) {
        let mut benchmark = Benchmark::new("g".into(), function.into(), ns);
        benchmark.regime = Some(format!("round {round}"));
        (round, benchmark)
    }

    #[test]
    fn names_each_rounds_baseline() {
        assert_eq!(baseline_name(3), "workbook-round-3");
        assert_eq!(round_of("workbook-round-3"), Some(3));
        assert_eq!(round_of("new"), None);
        assert_eq!(round_of("workbook-round-x"), None);
    }

    #[test]
    fn alternates_the_packages_within_each_round_and_drops_a_failed_one() {
        let packages = ["a".to_owned(), "b".to_owned()];
        let mut ran = Vec::new();
        let failed = interleave(3, &packages, |round, package| {
            ran.push(format!("{package}{round}"));
            Ok(!(package == "b" && round == 2))
        })
        .unwrap();
        assert_eq!(ran, ["a1", "b1", "a2", "b2", "a3"]);
        assert_eq!(failed, ["b"]);
    }

    #[test]
    fn keeps_each_variants_rounds_in_order_with_the_median_rounds_regime() {
        let combined = combine(vec![
            round(1, "mine", 30.0),
            round(1, "base", 10.0),
            round(2, "mine", 10.0),
            round(2, "base", 10.0),
            round(3, "mine", 20.0),
            round(3, "base", 12.0),
        ]);
        let mine = combined.iter().find(|b| b.function == "mine").unwrap();
        assert_eq!(mine.rounds, [30.0, 10.0, 20.0]);
        assert_eq!(mine.ns_per_item, 20.0);
        assert_eq!(mine.regime.as_deref(), Some("round 3"));
        let base = combined.iter().find(|b| b.function == "base").unwrap();
        assert_eq!(base.rounds, [10.0, 10.0, 12.0]);
    }

    #[test]
    fn drops_a_round_that_missed_a_variant() {
        let combined = combine(vec![
            round(1, "mine", 30.0),
            round(1, "base", 10.0),
            round(2, "mine", 10.0),
        ]);
        let rounds: Vec<_> = combined.iter().map(|b| b.rounds.clone()).collect();
        assert_eq!(rounds, [vec![10.0], vec![30.0]]);
        // With no complete round, each variant keeps what it has.
        let combined = combine(vec![round(1, "mine", 30.0), round(2, "base", 10.0)]);
        assert_eq!(combined.len(), 2);
    }
}
