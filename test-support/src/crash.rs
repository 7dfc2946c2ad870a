//! A test binary that crashes names the tests that were running.
//!
//! A use-after-free in an exercise may end its test binary with SIGSEGV or
//! SIGBUS, and then cargo says only "process didn't exit successfully ...
//! (signal: 11, SIGSEGV: invalid memory reference)", naming no test. Every
//! thread that [`deadline`](crate::deadline) starts for a test notes here, in a
//! fixed table, the test it belongs to and its own name; on the first note, a
//! handler for SIGSEGV and SIGBUS is installed which writes those names and what
//! a crash means in this workbook, then lets the signal end the process as
//! before (the exit status is still the signal).
//!
//! Unix only, and not under Miri (which reports the bad access itself). On
//! Windows nothing is installed: an access violation ends the test binary with
//! `STATUS_ACCESS_VIOLATION`, as cargo reports it, without test names.
//!
//! A signal handler may call only async-signal-safe functions (POSIX,
//! "Signal Concepts", 2.4.3): this one allocates nothing and takes no lock.
//! It reads the table with atomic loads, checks each entry with the entry's
//! version as a seqlock reader does (Boehm, "Can Seqlocks Get Along With
//! Programming Language Memory Models?", MSPC 2012: the reader's fence form),
//! and writes with `write(2)`.

#[cfg(all(unix, not(miri)))]
mod unix;

/// Notes, until dropped, that the current thread runs for `test` under the
/// name `thread` (`body` when it runs the test's body itself).
pub(crate) struct Running {
    #[cfg(all(unix, not(miri)))]
    entry: Option<&'static unix::Entry>,
}

impl Running {
    #[cfg_attr(not(all(unix, not(miri))), allow(unused_variables))]
    pub(crate) fn new(test: &str, thread: &str, body: bool) -> Self {
        Self {
            #[cfg(all(unix, not(miri)))]
            entry: unix::note(test, thread, body),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        #[cfg(all(unix, not(miri)))]
        if let Some(entry) = self.entry {
            entry.clear();
        }
    }
}
