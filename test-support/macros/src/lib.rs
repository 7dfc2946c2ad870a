//! `#[test_support::test]`: an ordinary `#[test]` whose body runs on a thread
//! of its own under [`test_support::deadline`], so that a body that blocks or
//! spins for ever fails within seconds, naming the test, instead of freezing
//! `cargo test`.
//!
//! Written on `proc_macro` alone (no `syn`): a test function is a short,
//! regular shape, and a learner's first build should not wait for a parser.
//!
//! [`test_support::deadline`]: ../test_support/deadline/index.html

use proc_macro::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

/// Use instead of `#[test]`:
///
/// ```ignore
/// #[test_support::test]
/// fn a_new_ring_is_empty() {
///     /* ... */
/// }
/// ```
///
/// The body runs inside `test_support::deadline::within`, which fails the
/// test with "deadlock?" if the body makes no progress for the deadline.
/// Other attributes (`#[should_panic]`, `#[ignore]`, `#[cfg_attr]`) stay as
/// they are; a panic in the body still fails the test with its message. On
/// unix, a test binary that crashes (SIGSEGV, SIGBUS) while such a test runs
/// names it before it ends.
#[proc_macro_attribute]
pub fn test(attribute: TokenStream, item: TokenStream) -> TokenStream {
    if !attribute.is_empty() {
        return error("`#[test_support::test]` takes no arguments");
    }
    let tokens: Vec<TokenTree> = item.into_iter().collect();
    let Some(fn_at) = tokens
        .iter()
        .position(|t| matches!(t, TokenTree::Ident(i) if i.to_string() == "fn"))
    else {
        return error("`#[test_support::test]` goes on a test function");
    };
    let Some(TokenTree::Ident(name)) = tokens.get(fn_at + 1) else {
        return error("expected the test function's name after `fn`");
    };
    let Some(TokenTree::Group(body)) = tokens.last() else {
        return error("expected the test function's body");
    };
    if body.delimiter() != Delimiter::Brace {
        return error("expected the test function's body");
    }
    // `fn name()`, then an optional `-> Type`, then the body.
    let signature = &tokens[..tokens.len() - 1];
    let returns = signature[fn_at + 3..].to_vec();

    let mut output = TokenStream::new();
    output.extend(parse("#[::core::prelude::v1::test]"));
    output.extend(signature.iter().cloned());
    // { ::test_support::deadline::within(concat!(module_path!(), "::", "name"), move || -> R { body }) }
    let mut call = parse("::test_support::deadline::within");
    let mut arguments = parse(&format!("concat!(module_path!(), \"::\", \"{name}\"), move ||"));
    if !returns.is_empty() {
        arguments.extend(returns);
    }
    arguments.extend([TokenTree::Group(Group::new(Delimiter::Brace, body.stream()))]);
    call.extend([TokenTree::Group(Group::new(Delimiter::Parenthesis, arguments))]);
    output.extend([TokenTree::Group(Group::new(Delimiter::Brace, call))]);
    output
}

fn parse(code: &str) -> TokenStream {
    code.parse().expect("the macro's own code parses")
}

/// `compile_error!("message")`, pointing at the attribute.
fn error(message: &str) -> TokenStream {
    let mut tokens = TokenStream::new();
    tokens.extend([
        TokenTree::Ident(Ident::new("compile_error", Span::call_site())),
        TokenTree::Punct(Punct::new('!', Spacing::Alone)),
        TokenTree::Group(Group::new(
            Delimiter::Parenthesis,
            TokenStream::from(TokenTree::Literal(proc_macro::Literal::string(message))),
        )),
        TokenTree::Punct(Punct::new(';', Spacing::Alone)),
    ]);
    tokens
}
