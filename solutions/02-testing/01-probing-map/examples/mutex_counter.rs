//! Two threads add to a counter behind std's `Mutex`: a correct program, for
//! the chapter's valgrind section (book/02-testing/tools.md). Build it (a debug
//! build, so the reports name source lines) and run it under helgrind or DRD:
//!
//! ```sh
//! cargo build --example mutex_counter -p probing-map-solution
//! valgrind --tool=helgrind target/debug/examples/mutex_counter
//! ```

use std::sync::Mutex;
use std::thread;

// ANCHOR: counter
static COUNTER: Mutex<u64> = Mutex::new(0);

fn main() {
    thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                for _ in 0..1000 {
                    *COUNTER.lock().unwrap() += 1;
                }
            });
        }
    });
    println!("counter = {}", COUNTER.lock().unwrap());
}
// ANCHOR_END: counter
