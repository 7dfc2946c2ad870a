//! A test binary that crashes names the test that was running, and still ends
//! with the signal; a stack overflow still reads as std writes it. Each case
//! runs this test binary again as a child, picking one test made to crash,
//! which does nothing unless the child's variable is set.
#![cfg(all(unix, not(miri)))]

use std::os::unix::process::ExitStatusExt;
use std::process::Command;

use test_support::deadline::Threads;

/// Set in the child's environment: the tests made to crash do so only there.
const CHILD: &str = "TEST_SUPPORT_CRASH_CHILD";

/// Runs the test `name` of this binary in a child process, checks that the
/// signal `signal` (named `signal_name`) ended it, and returns its output
/// (stdout, then stderr).
fn run_child(name: &str, signal: i32, signal_name: &str) -> String {
    let exe = std::env::current_exe().expect("the test binary knows its own path");
    let output = Command::new(exe)
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .output()
        .expect("the test binary runs again as a child");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        output.status.signal(),
        Some(signal),
        "the child should end with {signal_name}; its output:\n{text}"
    );
    text
}

/// Reads a page that has just been unmapped: memory given back to the system,
/// as a freed node of a large allocation is.
fn read_unmapped_memory() -> u8 {
    // SAFETY: an anonymous private mapping of one page, with no address asked for.
    let page = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            4096,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANON,
            -1,
            0,
        )
    };
    assert_ne!(page, libc::MAP_FAILED, "mmap of one page failed");
    // SAFETY: `page` is the mapping just made, one page long.
    assert_eq!(unsafe { libc::munmap(page, 4096) }, 0, "munmap failed");
    // SAFETY: none: this reads memory that is no longer mapped, on purpose, so
    // that the process gets SIGSEGV. Only the child process runs it.
    unsafe { std::ptr::read_volatile(page.cast::<u8>()) }
}

#[test_support::test]
fn child_whose_thread_reads_unmapped_memory() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let mut threads = Threads::new();
    threads.spawn("reader", || {
        read_unmapped_memory();
    });
    threads.join();
}

#[test_support::test]
fn child_that_overflows_its_stack() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    /// Recurses until the stack runs out; `black_box` keeps each frame.
    fn deeper(depth: u64) -> u64 {
        if depth == u64::MAX {
            return 0;
        }
        let frame = std::hint::black_box([depth; 32]);
        deeper(depth + 1) + frame[0]
    }
    deeper(0);
}

#[test]
fn a_crash_names_the_test_and_its_thread_and_ends_with_the_signal() {
    let output = run_child(
        "child_whose_thread_reads_unmapped_memory",
        libc::SIGSEGV,
        "SIGSEGV",
    );
    for expected in [
        "error: this test binary crashed with SIGSEGV (an invalid memory access) on thread \
         'reader' of test crash::child_whose_thread_reads_unmapped_memory.",
        "Tests running at the time:\n    crash::child_whose_thread_reads_unmapped_memory    <- crashed\n",
        "memory was read after it was freed",
        "`cargo workbook check <exercise>` runs Miri, which names the line.",
    ] {
        assert!(
            output.contains(expected),
            "the child's output should contain {expected:?}, but it is:\n{output}"
        );
    }
}

#[test]
fn a_stack_overflow_still_reads_as_std_writes_it() {
    // std aborts after writing its message.
    let output = run_child("child_that_overflows_its_stack", libc::SIGABRT, "SIGABRT");
    // std writes "thread '<name>' (<id>) has overflowed its stack".
    let message = output
        .lines()
        .find(|line| line.contains("has overflowed its stack"))
        .unwrap_or_else(|| panic!("std's stack overflow message is missing from:\n{output}"));
    assert!(
        message.starts_with("thread 'crash::child_that_overflows_its_stack' "),
        "std's stack overflow message should name the test's thread, but reads: {message}"
    );
    assert!(
        !output.contains("crashed with"),
        "a stack overflow is not a bad pointer, but the crash report was written:\n{output}"
    );
}
