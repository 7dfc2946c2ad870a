//! The table of running test threads and the SIGSEGV/SIGBUS handler that
//! reports it (see the parent module).

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering, fence};
use std::sync::{Once, OnceLock};
use std::{mem, ptr};

use libc::{SA_ONSTACK, SA_SIGINFO, SIG_DFL, SIG_IGN, SIGBUS, SIGSEGV, c_int, siginfo_t};

/// How many threads the table holds: the test threads of a binary (16 at once
/// by the workspace's `RUST_TEST_THREADS`) and the threads each starts.
const ENTRIES: usize = 256;
/// The longest test name kept whole; a longer one is cut.
const TEST_NAME: usize = 160;
/// The longest thread name kept whole.
const THREAD_NAME: usize = 64;

/// Bytes that a signal handler may read while their owner rewrites them.
struct Text<const N: usize> {
    len: AtomicUsize,
    bytes: [AtomicU8; N],
}

impl<const N: usize> Text<N> {
    const fn new() -> Self {
        Self {
            len: AtomicUsize::new(0),
            bytes: [const { AtomicU8::new(0) }; N],
        }
    }

    /// Relaxed stores: the entry's version publishes them (see `Entry::write`).
    fn store(&self, text: &str) {
        let text = &text.as_bytes()[..text.len().min(N)];
        for (slot, &byte) in self.bytes.iter().zip(text) {
            slot.store(byte, Ordering::Relaxed);
        }
        self.len.store(text.len(), Ordering::Relaxed);
    }

    /// Copies the text into `out` and returns it; the caller checks the
    /// entry's version before trusting it.
    fn load<'out>(&self, out: &'out mut [u8; N]) -> &'out [u8] {
        let len = self.len.load(Ordering::Relaxed).min(N);
        for (byte, slot) in out.iter_mut().zip(&self.bytes[..len]) {
            *byte = slot.load(Ordering::Relaxed);
        }
        &out[..len]
    }
}

/// One thread of a running test: written only by the thread that claimed it,
/// read by the handler on any thread.
pub(super) struct Entry {
    /// Set by the thread that owns the entry until it clears it.
    claimed: AtomicBool,
    /// Odd while the owner rewrites the fields below: a seqlock's version.
    version: AtomicUsize,
    /// The entry describes a running thread.
    live: AtomicBool,
    /// `pthread_self()` of that thread.
    thread: AtomicUsize,
    /// The thread runs the test's body itself.
    body: AtomicBool,
    test: Text<TEST_NAME>,
    thread_name: Text<THREAD_NAME>,
}

/// What the handler read from one entry.
struct Seen<'a> {
    thread: usize,
    body: bool,
    test: &'a [u8],
    thread_name: &'a [u8],
}

impl Entry {
    const fn new() -> Self {
        Self {
            claimed: AtomicBool::new(false),
            version: AtomicUsize::new(0),
            live: AtomicBool::new(false),
            thread: AtomicUsize::new(0),
            body: AtomicBool::new(false),
            test: Text::new(),
            thread_name: Text::new(),
        }
    }

    /// The writer's side of the seqlock: only the owner writes, so plain
    /// loads and stores of the version suffice.
    fn write(&self, fields: impl FnOnce(&Self)) {
        // Relaxed: only this thread writes the version while it owns the entry,
        // and the claim's Acquire made the last owner's version visible.
        let version = self.version.load(Ordering::Relaxed);
        self.version.store(version + 1, Ordering::Relaxed);
        // Release fence: a reader whose relaxed load sees any store below also
        // sees the odd version above, through its Acquire fence in `read`.
        fence(Ordering::Release);
        fields(self);
        // Release: publishes the fields to the Acquire load of the version in `read`.
        self.version.store(version + 2, Ordering::Release);
    }

    /// Gives the entry back.
    pub(super) fn clear(&self) {
        // Relaxed: inside the write section, published by its version.
        self.write(|entry| entry.live.store(false, Ordering::Relaxed));
        // Release: pairs with the Acquire claim in `note`, so the next owner
        // starts from this version.
        self.claimed.store(false, Ordering::Release);
    }

    /// The reader's side of the seqlock: the entry's fields if it is live and
    /// was not being rewritten while they were copied.
    fn read<'a>(
        &self,
        test: &'a mut [u8; TEST_NAME],
        thread_name: &'a mut [u8; THREAD_NAME],
    ) -> Option<Seen<'a>> {
        // Acquire: pairs with the Release store that ended the last write.
        let before = self.version.load(Ordering::Acquire);
        // Relaxed loads: checked by the version below.
        let live = self.live.load(Ordering::Relaxed);
        let thread = self.thread.load(Ordering::Relaxed);
        let body = self.body.load(Ordering::Relaxed);
        let test = self.test.load(test);
        let thread_name = self.thread_name.load(thread_name);
        // Acquire fence: pairs with the writer's Release fence, so a copy that
        // saw a store of a newer write sees that write's odd version below.
        fence(Ordering::Acquire);
        // Relaxed: ordered by the fence above.
        let after = self.version.load(Ordering::Relaxed);
        (before % 2 == 0 && before == after && live).then_some(Seen {
            thread,
            body,
            test,
            thread_name,
        })
    }
}

static TABLE: [Entry; ENTRIES] = [const { Entry::new() }; ENTRIES];
/// Set when a thread found the table full, so the list is not the whole story.
static TABLE_WAS_FULL: AtomicBool = AtomicBool::new(false);
static INSTALL: Once = Once::new();
/// What the report ends with, written before the handler is installed.
static ADVICE: OnceLock<String> = OnceLock::new();
/// The actions for SIGSEGV and SIGBUS before ours, to chain to.
static PREVIOUS: [OnceLock<libc::sigaction>; 2] = [OnceLock::new(), OnceLock::new()];
const SIGNALS: [c_int; 2] = [SIGSEGV, SIGBUS];
/// Set by the first crashing thread, so that two crashes write one report.
static REPORTING: AtomicBool = AtomicBool::new(false);

fn this_thread() -> usize {
    // SAFETY: no preconditions. It is also called in the handler: std's own
    // SIGSEGV handler relies on `pthread_self()` being readable there
    // (`library/std/src/sys/pal/unix/stack_overflow/thread_info.rs`, module docs).
    let id = unsafe { libc::pthread_self() };
    id as usize
}

/// Notes the current thread in the table (installing the handler on first
/// use); `None` if the table is full.
pub(super) fn note(test: &str, thread: &str, body: bool) -> Option<&'static Entry> {
    INSTALL.call_once(install);
    let entry = TABLE.iter().find(|entry| {
        // Acquire: pairs with the Release in `clear`; see there.
        entry
            .claimed
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    });
    let Some(entry) = entry else {
        // Relaxed: a flag the handler reads at the crash; nothing is published through it.
        TABLE_WAS_FULL.store(true, Ordering::Relaxed);
        return None;
    };
    entry.write(|entry| {
        // Relaxed stores: inside the write section, published by its version.
        entry.thread.store(this_thread(), Ordering::Relaxed);
        entry.body.store(body, Ordering::Relaxed);
        entry.test.store(test);
        entry.thread_name.store(thread);
        entry.live.store(true, Ordering::Relaxed);
    });
    Some(entry)
}

/// The last lines of the report: what a crash means here and how to find the line.
fn advice() -> String {
    // Cargo sets these when it runs a test binary. An exercise's package is
    // named after it, its solution's with `-solution`.
    let in_the_workbook = std::env::var("CARGO_MANIFEST_DIR").is_ok_and(|dir| {
        std::path::Path::new(&dir)
            .components()
            .any(|part| part.as_os_str() == "exercises" || part.as_os_str() == "solutions")
    });
    let exercise = std::env::var("CARGO_PKG_NAME")
        .ok()
        .filter(|_| in_the_workbook)
        .map(|name| name.trim_end_matches("-solution").to_owned())
        .unwrap_or_else(|| "<exercise>".to_owned());
    format!(
        "In this workbook a crash most likely means that memory was read after it was freed, \
         or that a pointer was used which does not point to a live value. `cargo test` cannot \
         say where; `cargo workbook check {exercise}` runs Miri, which names the line.\n"
    )
}

fn install() {
    ADVICE.get_or_init(advice);
    for (signal, previous) in SIGNALS.into_iter().zip(&PREVIOUS) {
        // SAFETY: `sigaction` is plain data, and all zeroes is a valid value of it.
        let mut before: libc::sigaction = unsafe { mem::zeroed() };
        // SAFETY: a null new action only reads the current one into `before`.
        if unsafe { libc::sigaction(signal, ptr::null(), &mut before) } != 0 {
            continue;
        }
        previous.get_or_init(|| before);
        // SAFETY: as above.
        let mut action: libc::sigaction = unsafe { mem::zeroed() };
        action.sa_sigaction =
            on_crash as extern "C" fn(c_int, *mut siginfo_t, *mut c_void) as libc::sighandler_t;
        // SA_ONSTACK: a stack overflow leaves no stack to run on but the
        // alternate signal stack std gave each thread it started.
        action.sa_flags = SA_SIGINFO | SA_ONSTACK;
        // SAFETY: `action` is initialised and `on_crash` has the three-argument
        // signature that SA_SIGINFO calls for; the previous action is saved above.
        unsafe {
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, ptr::null_mut());
        }
    }
}

/// The SIGSEGV/SIGBUS handler.
///
/// It first calls the handler that was installed before it: in a test binary
/// that is std's (`library/std/src/sys/pal/unix/stack_overflow.rs`,
/// `signal_handler`), which prints "thread '...' has overflowed its stack" and
/// aborts when the fault is in the thread's guard page, and otherwise restores
/// the default action and returns. So a stack overflow reads exactly as it
/// does without this handler. When it returns, this handler writes its report,
/// restores the default action itself and raises the signal again, which ends
/// the process with the signal once the handler returns (the signal is blocked
/// while its handler runs).
extern "C" fn on_crash(signal: c_int, info: *mut siginfo_t, context: *mut c_void) {
    let index = SIGNALS.iter().position(|&s| s == signal);
    if let Some(previous) = index.and_then(|index| PREVIOUS[index].get()) {
        // SAFETY: `previous` is the action the system held before ours, called
        // with the arguments the system gave us, as it would have been called.
        unsafe { chain(previous, signal, info, context) };
    }
    // Relaxed: only picks which crashing thread reports; nothing is published.
    if !REPORTING.swap(true, Ordering::Relaxed) {
        report(signal);
    }
    // SAFETY: `sigaction` and `raise` are async-signal-safe; the zeroed action
    // with `SIG_DFL` is the default action.
    unsafe {
        let mut default: libc::sigaction = mem::zeroed();
        default.sa_sigaction = SIG_DFL;
        libc::sigaction(signal, &default, ptr::null_mut());
        libc::raise(signal);
    }
}

/// Calls a saved signal action as the system would have.
///
/// # Safety
/// `previous` must be an action read with `sigaction`, and the arguments those
/// of the signal being handled.
unsafe fn chain(
    previous: &libc::sigaction,
    signal: c_int,
    info: *mut siginfo_t,
    context: *mut c_void,
) {
    let handler = previous.sa_sigaction;
    if handler == SIG_DFL || handler == SIG_IGN {
        return;
    }
    if previous.sa_flags & SA_SIGINFO != 0 {
        // SAFETY: with SA_SIGINFO the system calls the handler with these three
        // arguments (POSIX `sigaction`), so that is its type.
        let handler: extern "C" fn(c_int, *mut siginfo_t, *mut c_void) =
            unsafe { mem::transmute(handler) };
        handler(signal, info, context);
    } else {
        // SAFETY: without SA_SIGINFO the system calls it with the signal alone.
        let handler: extern "C" fn(c_int) = unsafe { mem::transmute(handler) };
        handler(signal);
    }
}

/// Output gathered in a buffer on the stack and written to stderr with `write(2)`.
struct Out {
    buffer: [u8; 256],
    len: usize,
}

impl Out {
    fn push(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            if self.len == self.buffer.len() {
                self.flush();
            }
            let take = bytes.len().min(self.buffer.len() - self.len);
            self.buffer[self.len..self.len + take].copy_from_slice(&bytes[..take]);
            self.len += take;
            bytes = &bytes[take..];
        }
    }

    fn flush(&mut self) {
        let mut written = 0;
        while written < self.len {
            let rest = &self.buffer[written..self.len];
            // SAFETY: `write` is async-signal-safe and `rest` is valid for its length.
            let done = unsafe { libc::write(2, rest.as_ptr().cast(), rest.len()) };
            if done <= 0 {
                break; // stderr is gone or full: nothing better to do in a crash
            }
            written += done as usize;
        }
        self.len = 0;
    }
}

/// Writes which tests were running and what a crash means.
fn report(signal: c_int) {
    let mut out = Out {
        buffer: [0; 256],
        len: 0,
    };
    out.push(b"\nerror: this test binary crashed with ");
    out.push(if signal == SIGBUS {
        b"SIGBUS (a bus error: memory that cannot be accessed)"
    } else {
        b"SIGSEGV (an invalid memory access)"
    });
    let me = this_thread();
    let (mut crash_test, mut crash_thread) = ([0; TEST_NAME], [0; THREAD_NAME]);
    let crashed = TABLE.iter().find_map(|entry| {
        let seen = entry.read(&mut crash_test, &mut crash_thread)?;
        (seen.thread == me).then_some((seen.body, seen.test.len(), seen.thread_name.len()))
    });
    let crashed_test = match crashed {
        Some((body, test_len, thread_len)) => {
            if body {
                out.push(b" in the body of test ");
            } else {
                out.push(b" on thread '");
                out.push(&crash_thread[..thread_len]);
                out.push(b"' of test ");
            }
            out.push(&crash_test[..test_len]);
            Some(&crash_test[..test_len])
        }
        None => {
            out.push(b" on a thread that test-support did not start");
            None
        }
    };
    out.push(b".\nTests running at the time:\n");
    let (mut test, mut thread_name) = ([0; TEST_NAME], [0; THREAD_NAME]);
    let mut any = false;
    for entry in &TABLE {
        let Some(seen) = entry.read(&mut test, &mut thread_name) else {
            continue;
        };
        if !seen.body {
            continue;
        }
        any = true;
        out.push(b"    ");
        out.push(seen.test);
        if crashed_test == Some(seen.test) {
            out.push(b"    <- crashed");
        }
        out.push(b"\n");
    }
    if !any {
        out.push(b"    (none noted: only #[test_support::test] tests are)\n");
    }
    // Relaxed: see `note`.
    if TABLE_WAS_FULL.load(Ordering::Relaxed) {
        out.push(b"    (and maybe others: the table of running tests was full)\n");
    }
    if let Some(advice) = ADVICE.get() {
        out.push(advice.as_bytes());
    }
    out.flush();
}
