//! `{{#ratio <group> <variant> <baseline>}}`: a measured comparison inside a
//! sentence, rendered from every results file that measured both variants, so
//! that the sentence cannot drift from the data:
//!
//! > 1.07x (0.88–1.92, no clear difference) on AMD EPYC, 2 cores; 0.92x (one run) on Intel Xeon, 2 cores
//!
//! A sentence that says which is faster also writes what it claims, one of the
//! verdicts of [`Verdict`] with its spaces as hyphens: `{{#ratio spin-lock/contended
//! solution spin-crate faster}}`. verify's claims step then fails unless a
//! machine measured in rounds backs the claim and no machine contradicts it. A
//! machine that does contradict it is rendered after ", but", whatever the
//! directive says, so the book never hides it; the step passes once the
//! directive names it, `faster except=<machine-id>`, which a writer does while
//! rewriting the sentence to say so. A machine's id is its results file's name.

use anyhow::{Result, bail};
use workbook_core::results::{Machine, ResultsFile};
use workbook_core::spread::{Spread, Verdict};

use crate::results_table::{machine_name, ratio_median, ratio_range};

/// The verdicts a sentence can claim (one run has no verdict to claim).
const CLAIMABLE: [Verdict; 3] = [
    Verdict::Faster,
    Verdict::Slower,
    Verdict::NoClearDifference,
];

/// What introduces the machines the sentence admits disagree.
const EXCEPT: &str = "except=";

#[derive(Debug, PartialEq)]
pub struct Ratio<'a> {
    pub group: &'a str,
    pub variant: &'a str,
    pub baseline: &'a str,
    /// What the sentence says `variant` is, relative to `baseline`.
    pub claim: Option<Verdict>,
    /// The machines (results files' ids) the sentence says the claim does not hold on.
    pub except: Vec<&'a str>,
}

/// One machine's measurement of the ratio.
pub struct OnMachine<'r> {
    pub machine: &'r Machine,
    pub ratio: Spread,
}

impl<'a> Ratio<'a> {
    /// The words after `ratio` in the directive.
    pub fn parse(words: &[&'a str]) -> Result<Self> {
        const USAGE: &str = "`{{#ratio <group> <variant> <baseline> [<claim> \
                             [except=<machine-id>,...]]}}`, the claim one of faster, slower, \
                             no-clear-difference";
        let (&[group, variant, baseline], rest) = words.split_at(words.len().min(3)) else {
            bail!("{USAGE}");
        };
        let (claim, except) = match rest {
            [] => (None, Vec::new()),
            [claim] => (Some(claim_named(claim)?), Vec::new()),
            [claim, except] => {
                let Some(machines) = except.strip_prefix(EXCEPT).filter(|m| !m.is_empty()) else {
                    bail!("{USAGE}");
                };
                (Some(claim_named(claim)?), machines.split(',').collect())
            }
            _ => bail!("{USAGE}"),
        };
        Ok(Self {
            group,
            variant,
            baseline,
            claim,
            except,
        })
    }

    /// Every machine that measured both variants, in `results`' order.
    pub fn measured<'r>(&self, results: &'r [ResultsFile]) -> Vec<OnMachine<'r>> {
        results
            .iter()
            .filter_map(|file| {
                let ratio = file.ratio(self.group, self.variant, self.baseline)?;
                Some(OnMachine {
                    machine: &file.machine,
                    ratio,
                })
            })
            .collect()
    }

    /// Whether `ratio`'s verdict is another than the claim (one run has none).
    fn contradicted_by(&self, ratio: &Spread) -> bool {
        let verdict = ratio.verdict();
        self.claim
            .is_some_and(|claim| verdict != Verdict::OneRun && verdict != claim)
    }

    /// The text that replaces the directive: each machine's ratio, those that
    /// contradict the claim last, after ", but".
    pub fn render(&self, results: &[ResultsFile]) -> String {
        let (contradicting, others): (Vec<OnMachine>, Vec<OnMachine>) = self
            .measured(results)
            .into_iter()
            .partition(|on| self.contradicted_by(&on.ratio));
        let list = |machines: &[OnMachine]| -> String {
            let each: Vec<String> = machines.iter().map(in_a_sentence).collect();
            each.join("; ")
        };
        match (others.is_empty(), contradicting.is_empty()) {
            (true, true) => "not measured yet".to_owned(),
            (false, true) => list(&others),
            (true, false) => list(&contradicting),
            (false, false) => format!("{}, but {}", list(&others), list(&contradicting)),
        }
    }

    /// What the results files say against the directive, one line each: a
    /// variant that no machine measuring the group has, a claim that no machine
    /// measured in rounds backs, a machine that contradicts the claim and is
    /// not in `except`, and one in `except` that does not. A group that no file
    /// has is left to the caller, who knows which groups the benchmarks define.
    pub fn problems(&self, results: &[ResultsFile]) -> Vec<String> {
        let with_group: Vec<&ResultsFile> = results
            .iter()
            .filter(|file| file.group(self.group).next().is_some())
            .collect();
        let mut problems = Vec::new();
        for function in [self.variant, self.baseline] {
            let named = |file: &&ResultsFile| file.benchmark(self.group, function).is_some();
            if !with_group.is_empty() && !with_group.iter().any(named) {
                let mut variants: Vec<&str> = with_group
                    .iter()
                    .flat_map(|file| file.group(self.group).map(|b| b.function.as_str()))
                    .collect();
                variants.sort_unstable();
                variants.dedup();
                problems.push(format!(
                    "no results file measured `{function}` in `{}` (its variants: {})",
                    self.group,
                    variants.join(", ")
                ));
            }
        }
        let (Some(claimed), Some(claim)) = (self.claim, self.claim.and_then(Verdict::words)) else {
            return problems;
        };
        let measured = self.measured(results);
        if !measured.iter().any(|on| on.ratio.verdict() == claimed) {
            problems.push(format!(
                "it claims \"{claim}\", but no machine measured in rounds says so{}: \
                 drop the claim, or measure with `cargo workbook bench`",
                match measured.as_slice() {
                    [] => String::new(),
                    _ => format!(" ({})", self.render(results)),
                }
            ));
        }
        for on in &measured {
            let id = on.machine.id.as_str();
            let excepted = self.except.contains(&id);
            if self.contradicted_by(&on.ratio) && !excepted {
                problems.push(format!(
                    "it claims \"{claim}\", but {} (results/{id}.json) measured {}: say so in \
                     the sentence and add `{EXCEPT}{id}` to the directive",
                    machine_name(on.machine),
                    figure(&on.ratio)
                ));
            }
        }
        for id in &self.except {
            let contradicting = measured
                .iter()
                .any(|on| on.machine.id == *id && self.contradicted_by(&on.ratio));
            if !contradicting {
                problems.push(format!(
                    "`{EXCEPT}{id}`, but no results file of that id contradicts \"{claim}\" \
                     (any more): take it out, and what the sentence says of it"
                ));
            }
        }
        problems
    }
}

/// `faster`, `slower` or `no-clear-difference`, as a verdict.
fn claim_named(word: &str) -> Result<Verdict> {
    let named = |verdict: &&Verdict| {
        verdict
            .words()
            .is_some_and(|words| words.replace(' ', "-") == word)
    };
    match CLAIMABLE.iter().find(named) {
        Some(&verdict) => Ok(verdict),
        None => bail!("`{word}` is not a claim: write faster, slower or no-clear-difference"),
    }
}

/// `1.07x (0.88–1.92, no clear difference) on AMD EPYC, 2 cores`.
fn in_a_sentence(on: &OnMachine) -> String {
    format!("{} on {}", figure(&on.ratio), machine_name(on.machine))
}

/// `1.07x (0.88–1.92, no clear difference)`, or for one run `0.92x (one run)`.
fn figure(ratio: &Spread) -> String {
    let detail = match (ratio_range(ratio), ratio.verdict().words()) {
        (Some(range), Some(verdict)) => format!("{range}, {verdict}"),
        (Some(range), None) => range,
        (None, _) => "one run".to_owned(),
    };
    format!("{} ({detail})", ratio_median(ratio))
}

#[cfg(test)]
mod tests;
