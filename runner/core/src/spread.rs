//! A figure measured over several rounds: its median and its range.
//!
//! The same build, measured twice on one machine, can move a two-thread ratio by
//! 2x, so `cargo workbook bench` measures each group in several rounds and the
//! book shows how far the rounds spread, not one figure. A ratio to the
//! baseline is taken within each round (both variants saw the same machine
//! then) and only then summarised.

/// The median and the min–max of one figure over the rounds that measured it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// How many rounds; 1 means one run, which says nothing of the spread.
    pub rounds: usize,
}

/// What a ratio of times to the baseline's says, once its spread is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Faster,
    Slower,
    /// The rounds' ratios fall on both sides of 1.0 (or touch it).
    NoClearDifference,
    /// One run: no spread to judge by.
    OneRun,
}

impl Spread {
    /// The spread of `values`; `None` if there are none.
    pub fn of(values: &[f64]) -> Option<Self> {
        let mut sorted: Vec<f64> = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let (&min, &max) = (sorted.first()?, sorted.last()?);
        let middle = sorted.len() / 2;
        let median = if sorted.len() % 2 == 0 {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        } else {
            sorted[middle]
        };
        Some(Self {
            median,
            min,
            max,
            rounds: sorted.len(),
        })
    }

    /// A figure from one run.
    pub fn single(value: f64) -> Self {
        Self {
            median: value,
            min: value,
            max: value,
            rounds: 1,
        }
    }

    /// Read as a ratio of times (variant over baseline): lower is faster.
    pub fn verdict(&self) -> Verdict {
        if self.rounds < 2 {
            Verdict::OneRun
        } else if self.max < 1.0 {
            Verdict::Faster
        } else if self.min > 1.0 {
            Verdict::Slower
        } else {
            Verdict::NoClearDifference
        }
    }
}

impl Verdict {
    /// The words a table puts beside the ratio; none for one run.
    pub fn words(self) -> Option<&'static str> {
        match self {
            Verdict::Faster => Some("faster"),
            Verdict::Slower => Some("slower"),
            Verdict::NoClearDifference => Some("no clear difference"),
            Verdict::OneRun => None,
        }
    }
}

/// The per-round ratios `times[i] / baseline[i]`, summarised; with round
/// counts that differ (or one round) the rounds cannot be paired, so the
/// ratio of the medians stands alone, as one run.
pub fn ratio(times: &[f64], baseline: &[f64]) -> Option<Spread> {
    if times.len() > 1 && times.len() == baseline.len() {
        let ratios: Vec<f64> = times.iter().zip(baseline).map(|(t, b)| t / b).collect();
        return Spread::of(&ratios);
    }
    let medians = Spread::of(times)?.median / Spread::of(baseline)?.median;
    Some(Spread::single(medians))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_median_and_the_range() {
        let spread = Spread::of(&[3.0, 1.0, 9.0, 2.0, 4.0]).unwrap();
        assert_eq!(
            (spread.median, spread.min, spread.max, spread.rounds),
            (3.0, 1.0, 9.0, 5)
        );
        assert_eq!(Spread::of(&[4.0, 1.0, 2.0, 3.0]).unwrap().median, 2.5);
        assert_eq!(Spread::of(&[]), None);
    }

    #[test]
    fn pairs_the_ratios_round_by_round() {
        // Round 3 was slow for both: its ratio is still 2.
        let spread = ratio(&[2.0, 4.0, 20.0], &[1.0, 2.0, 10.0]).unwrap();
        assert_eq!((spread.median, spread.min, spread.max), (2.0, 2.0, 2.0));
        assert_eq!(spread.verdict(), Verdict::Slower);
    }

    #[test]
    fn a_ratio_whose_range_touches_one_is_no_clear_difference() {
        let crossing = ratio(&[0.9, 1.9, 1.07], &[1.0, 1.0, 1.0]).unwrap();
        assert_eq!(crossing.verdict(), Verdict::NoClearDifference);
        assert_eq!(crossing.verdict().words(), Some("no clear difference"));
        let touching = ratio(&[1.0, 1.5], &[1.0, 1.0]).unwrap();
        assert_eq!(touching.verdict(), Verdict::NoClearDifference);
        let faster = ratio(&[0.5, 0.6], &[1.0, 1.0]).unwrap();
        assert_eq!(faster.verdict(), Verdict::Faster);
    }

    #[test]
    fn unpaired_rounds_give_the_ratio_of_medians_as_one_run() {
        let spread = ratio(&[2.0, 4.0, 6.0], &[2.0]).unwrap();
        assert_eq!(spread, Spread::single(2.0));
        assert_eq!(spread.verdict(), Verdict::OneRun);
        assert_eq!(spread.verdict().words(), None);
        assert_eq!(ratio(&[], &[1.0]), None);
    }
}
