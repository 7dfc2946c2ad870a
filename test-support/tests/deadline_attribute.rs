//! `#[test_support::test]` runs a test's body under a deadline, and otherwise
//! behaves as `#[test]` does.

#[test_support::test]
fn a_body_that_returns_passes() {
    assert_eq!(2 + 2, 4);
}

#[test_support::test]
#[should_panic(expected = "the message of the body's panic")]
fn a_panic_in_the_body_fails_the_test_with_its_message() {
    panic!("the message of the body's panic");
}

#[test_support::test]
fn a_body_may_return_a_result() -> Result<(), String> {
    "42".parse::<u32>().map(drop).map_err(|e| e.to_string())
}

#[test_support::test]
#[ignore = "waits 10 s for the deadline; run with --ignored to see the message"]
#[should_panic(
    expected = "deadlock? (or an endless loop) no progress for 10s in test deadline_attribute::a_body_that_never_returns_fails: its body"
)]
fn a_body_that_never_returns_fails() {
    loop {
        std::thread::park();
    }
}
