//! How long verify lets a step's commands run, and how often it repeats them.

use std::time::Duration;

use workbook_core::info_file::Tier;

use super::plan::Options;

/// With `--under-load`, how long a stub's or a wrong answer's tests may take
/// to fail: a learner's deadlock must fail within seconds on a busy laptop too.
pub const FAIL_UNDER_LOAD_WITHIN: Duration = Duration::from_secs(15);

/// How long building one package's tests may take in an edited copy.
pub const BUILD_LIMIT: Duration = Duration::from_secs(900);

/// How long a tier may run on edited code before verify calls it hung. Tests
/// fail a deadlock within seconds, so these only catch what escapes them.
/// How long a stub's or a wrong answer's `tier` may run before it counts as
/// hung: [`run_limit`], or under `--under-load` the tests' promise to fail fast.
pub fn time_to_fail(tier: Tier, options: &Options) -> Duration {
    if options.under_load && tier == Tier::Test {
        FAIL_UNDER_LOAD_WITHIN
    } else {
        run_limit(tier)
    }
}

pub fn run_limit(tier: Tier) -> Duration {
    Duration::from_secs(match tier {
        Tier::Test => 180,
        Tier::Loom => 900,
        Tier::Miri => 1800,
    })
}

/// How many times a tier runs to show it fails "on every run": `repeat` for
/// the tests, whose threads interleave differently each time; once for loom,
/// which explores the same interleavings every time, and for Miri, whose
/// scheduler seeds are fixed.
pub fn runs_of(tier: Tier, repeat: usize) -> usize {
    match tier {
        Tier::Test => repeat.max(1),
        Tier::Loom | Tier::Miri => 1,
    }
}

/// " (20 times)", or nothing for one run.
pub fn times(runs: usize) -> String {
    match runs {
        1 => String::new(),
        n => format!(" ({n} times)"),
    }
}
