//! Counting how often the scheduler took a core away from a benchmark thread.
//!
//! On a shared machine another process can run on a pinned thread's core. A
//! busy-polling benchmark does not notice, it just gets slower, and its queue
//! swings between full (consumer descheduled) and empty (producer descheduled).
//! The count of involuntary context switches during the rounds tells a quiet run
//! from a disturbed one.

/// The calling thread's involuntary context switches so far, or `None` where
/// the system does not tell (Linux does, in `/proc`).
pub(crate) fn count() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/thread-self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("nonvoluntary_ctxt_switches:"))?
        .trim()
        .parse()
        .ok()
}

/// Adds to `total` the switches between two readings of [`count`]; a total that
/// misses a span becomes unknown.
pub(crate) fn add(total: &mut Option<u64>, before: Option<u64>, after: Option<u64>) {
    let span = before.zip(after).map(|(before, after)| after - before);
    *total = total.zip(span).map(|(total, span)| total + span);
}
