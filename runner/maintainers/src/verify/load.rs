//! A correct solution passes on a busy laptop: every solution's tests, run
//! while more busy threads than the machine has cores compete with them.
//! A single failure fails the step, since a learner's correct answer that
//! fails under load would be told it is wrong.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use anyhow::Result;

use super::plan::Verdict;
use workbook_core::info_file::Exercise;
use workbook_core::process::Invocation;
use workbook_core::workspace::Workbook;

/// Runs the solutions' tests `rounds` times under load.
pub fn check(workbook: &Workbook, exercises: &[&Exercise], rounds: usize) -> Result<Verdict> {
    let packages: Vec<String> = exercises.iter().map(|e| e.solution_package()).collect();
    let test = Invocation::new("cargo", &workbook.root)
        .arg("test")
        .args(packages.iter().flat_map(|p| ["-p".to_owned(), p.clone()]))
        .arg("--no-fail-fast");
    // Built first, idle: the load is for the tests, not the compiler.
    let build = test.clone().arg("--no-run");
    println!("$ {build}");
    if !build.run()? {
        return Ok(Verdict::Failed(
            "the solutions' tests do not build".to_owned(),
        ));
    }
    let cores = cores();
    let busy = cores + 1;
    let load = Load::busier_than_cores();
    let mut failures = Vec::new();
    for round in 1..=rounds {
        println!("\nround {round} of {rounds}, {busy} busy threads on {cores} cores\n$ {test}");
        if !test.run()? {
            failures.push(round);
        }
    }
    drop(load);
    Ok(if failures.is_empty() {
        Verdict::Passed
    } else {
        Verdict::Failed(format!(
            "a solution's tests failed under load in round(s) {failures:?} of {rounds}; a test \
             that calls a slow machine deadlocked, or a stress test sized for an idle one \
             (see the log)"
        ))
    })
}

fn cores() -> usize {
    thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

/// Threads that spin until dropped.
pub struct Load {
    stop: Arc<AtomicBool>,
    threads: Vec<thread::JoinHandle<()>>,
}

impl Load {
    /// One busy thread per core and one more, so the tests never have a core
    /// to themselves.
    pub fn busier_than_cores() -> Self {
        Self::start(cores() + 1)
    }

    fn start(threads: usize) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = (0..threads)
            .map(|_| {
                let stop = Arc::clone(&stop);
                // Relaxed: the flag only ends the loop; nothing is published through it.
                thread::spawn(move || while !stop.load(Ordering::Relaxed) {})
            })
            .collect();
        Self { stop, threads }
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        // Relaxed: see `start`.
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}
