// Chapter 6's broken-queue tests, run unchanged against this queue: the API is
// the same, and the test file names the crate `broken_queue`, so this crate
// goes by that name here.
extern crate epoch_queue as broken_queue;

#[path = "../../../06-atomics/02-broken-queue/tests/stress.rs"]
mod spec;
