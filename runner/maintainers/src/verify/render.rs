//! The render check: every page of the built book, opened in headless Chromium.
//!
//! One browser ([`super::browser`]) serves every page, driven over the
//! DevTools protocol through a pipe (`--remote-debugging-pipe`: JSON messages
//! ended by a NUL byte on file descriptors 3 and 4), so the check needs no
//! crate, no Node and no port. Each
//! page fails on an uncaught exception, a `console.error` or a resource that
//! does not load; a page whose Markdown has quizzes must show them rendered;
//! mdBook's search must find results for a query; and the first page of each
//! chapter is saved as a PNG screenshot in `target/screenshots/`.
//!
//! The book must work offline, so the browser blocks every http(s) request and
//! reports it (book.toml turns mdBook's play buttons off, and with them its call
//! to the Rust playground).

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;
use workbook_core::workspace::Workbook;

use super::browser::{Browser, NO_CHROMIUM, find_chromium};
use super::plan::Verdict;

/// What the search check types into mdBook's search box.
const SEARCH_QUERY: &str = "mutex";
/// After the load event: waits 50 ms, and up to 5 s for every quiz placeholder
/// to be filled by mdbook-quiz's script, then describes the page.
const QUIZ_PROBE: &str = r#"(async () => {
  // A moment for what the page's scripts start on load to run (and throw).
  await new Promise(resolve => setTimeout(resolve, 50));
  const placeholders = () => [...document.querySelectorAll('.quiz-placeholder')];
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && placeholders().some(p => p.childElementCount === 0)) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  const all = placeholders();
  // Prose only: a directive shown as code is an example, not a failure.
  const prose = document.querySelector('main')?.cloneNode(true);
  prose?.querySelectorAll('code, pre').forEach(code => code.remove());
  return {
    rendered: all.filter(p => p.childElementCount > 0
      && !p.textContent.includes('encountered a runtime error')).length,
    broken: all.length - all.filter(p => p.childElementCount > 0).length
      + all.filter(p => p.textContent.includes('encountered a runtime error')).length,
    unexpanded: prose !== undefined && prose.textContent.includes('{{#quiz'),
  };
})()"#;

/// On a page opened with `?search=QUERY`: waits up to 10 s for mdBook's
/// search to list results, and counts them.
const SEARCH_PROBE: &str = r#"(async () => {
  const results = () => document.querySelectorAll('#mdbook-searchresults > li, #searchresults > li');
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline && results().length === 0) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  return results().length;
})()"#;

pub fn check(workbook: &Workbook) -> Result<Verdict> {
    let Some(chromium) = find_chromium() else {
        return Ok(Verdict::Skipped(NO_CHROMIUM.to_owned()));
    };
    let html = workbook.target_dir().join("book");
    if !html.join("index.html").exists() {
        bail!(
            "{} has no built book: run `mdbook build` first",
            workbook.relative(&html).display()
        );
    }
    let pages = pages_in_summary(&workbook.root.join("book"))?;
    let work = workbook.target_dir().join("render-check");
    let screenshots = workbook.target_dir().join("screenshots");
    println!(
        "opening {} pages of {} in {} (its log: {}); screenshots go to {}",
        pages.len(),
        workbook.relative(&html).display(),
        chromium.display(),
        workbook.relative(&work.join("chromium.log")).display(),
        workbook.relative(&screenshots).display()
    );
    let problems = check_pages(&chromium, &html, &pages, &work, &screenshots)?;
    Ok(Verdict::from_problems(&problems))
}

/// A page of the book, as SUMMARY.md lists it.
#[derive(Debug, PartialEq)]
struct Page {
    /// Relative to the built book, with `/`: `01-machine/index.html`.
    html: String,
    /// How many `{{#quiz ...}}` its Markdown has.
    quizzes: usize,
    /// The first page of a chapter (a top-level item of a numbered part).
    chapter_start: bool,
}

fn pages_in_summary(src: &Path) -> Result<Vec<Page>> {
    let summary = std::fs::read_to_string(src.join("SUMMARY.md"))
        .with_context(|| format!("cannot read {}", src.join("SUMMARY.md").display()))?;
    let mut pages = Vec::new();
    for line in summary.lines() {
        let Some(start) = line.find("](") else {
            continue;
        };
        let target = &line[start + 2..];
        let Some(end) = target.find(')') else {
            continue;
        };
        let Some(stem) = target[..end].strip_suffix(".md") else {
            continue;
        };
        let markdown = std::fs::read_to_string(src.join(&target[..end])).unwrap_or_default();
        pages.push(Page {
            html: format!("{stem}.html"),
            quizzes: quiz_directives(&markdown),
            chapter_start: line.starts_with("- ["),
        });
    }
    Ok(pages)
}

/// The `{{#quiz ...}}` directives in `markdown`, not counting escaped ones.
fn quiz_directives(markdown: &str) -> usize {
    markdown
        .match_indices("{{#quiz ")
        .filter(|&(at, _)| !markdown[..at].ends_with('\\'))
        .count()
}

/// Opens `pages` of the book in `html` in one browser and returns what is wrong.
fn check_pages(
    chromium: &Path,
    html: &Path,
    pages: &[Page],
    work: &Path,
    screenshots: &Path,
) -> Result<Vec<String>> {
    // Only this run's screenshots, none of a chapter since renamed.
    let _ = std::fs::remove_dir_all(screenshots);
    std::fs::create_dir_all(screenshots)?;
    let mut browser = Browser::launch(chromium, work)?;
    let mut problems = Vec::new();
    let url = |page: &str| format!("file://{}/{page}", html.display()).replace(' ', "%20");

    for page in pages {
        let loaded = browser.open(&url(&page.html))?;
        let probe = browser.evaluate(QUIZ_PROBE)?;
        problems.extend(errors(&browser.events).map(|error| format!("{}: {error}", page.html)));
        if let Some(error) = loaded {
            problems.push(format!("{}: does not load ({error})", page.html));
            continue;
        }
        let rendered = probe["rendered"].as_u64().unwrap_or(0) as usize;
        if probe["unexpanded"].as_bool() == Some(true) {
            problems.push(format!(
                "{}: shows a `{{{{#quiz}}}}` directive as text (is the quiz preprocessor configured?)",
                page.html
            ));
        }
        if probe["broken"].as_u64().unwrap_or(0) > 0 || rendered < page.quizzes {
            problems.push(format!(
                "{}: {} quiz(zes) in its Markdown, {rendered} rendered",
                page.html, page.quizzes
            ));
        }
        if page.chapter_start {
            let name = page.html.split('/').next().unwrap_or(&page.html);
            let name = name.strip_suffix(".html").unwrap_or(name);
            let png = browser.screenshot()?;
            std::fs::write(screenshots.join(format!("{name}.png")), png)?;
        }
    }

    let home = pages
        .first()
        .map_or("index.html", |page| page.html.as_str());
    let loaded = browser.open(&format!("{}?search={SEARCH_QUERY}", url(home)))?;
    let found = browser.evaluate(SEARCH_PROBE)?.as_u64().unwrap_or(0);
    problems.extend(errors(&browser.events).map(|error| format!("search: {error}")));
    if loaded.is_some() || found == 0 {
        problems.push(format!(
            "search: \"{SEARCH_QUERY}\" finds nothing through mdBook's search on {home}"
        ));
    } else {
        println!("search for \"{SEARCH_QUERY}\" lists {found} results");
    }
    browser.close();
    Ok(problems)
}

/// The JavaScript errors, console errors, failed loads and requests to the
/// web among `events`.
pub(super) fn errors(events: &[Value]) -> impl Iterator<Item = String> {
    let mut seen = BTreeSet::new();
    events
        .iter()
        .filter_map(|event| {
            let params = &event["params"];
            match event["method"].as_str()? {
                "Runtime.exceptionThrown" => {
                    let details = &params["exceptionDetails"];
                    let text = details["exception"]["description"]
                        .as_str()
                        .or(details["text"].as_str())
                        .unwrap_or("an exception");
                    let first_line = text.lines().next().unwrap_or(text);
                    Some(format!(
                        "uncaught {first_line} ({}:{})",
                        details["url"].as_str().unwrap_or("?"),
                        details["lineNumber"].as_u64().map_or(0, |line| line + 1)
                    ))
                }
                "Runtime.consoleAPICalled"
                    if matches!(params["type"].as_str(), Some("error" | "assert")) =>
                {
                    let args: Vec<String> = params["args"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|arg| match &arg["value"] {
                            Value::String(text) => text.clone(),
                            Value::Null => arg["description"].as_str().unwrap_or("").to_owned(),
                            other => other.to_string(),
                        })
                        .collect();
                    Some(format!("console.error: {}", args.join(" ")))
                }
                "Log.entryAdded" if params["entry"]["level"] == "error" => {
                    let entry = &params["entry"];
                    Some(format!(
                        "{} {}",
                        entry["text"].as_str().unwrap_or("an error"),
                        entry["url"].as_str().unwrap_or("")
                    ))
                }
                "Network.requestWillBeSent" => {
                    let url = params["request"]["url"].as_str()?;
                    (url.starts_with("http://") || url.starts_with("https://"))
                        .then(|| format!("loads {url} (the book must work offline)"))
                }
                _ => None,
            }
        })
        .filter(move |error| seen.insert(error.clone()))
        .collect::<Vec<_>>()
        .into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_quiz_directives_but_not_escaped_ones() {
        assert_eq!(
            quiz_directives("{{#quiz a.toml}}\ntext\n{{#quiz b.toml}}"),
            2
        );
        assert_eq!(quiz_directives("write \\{{#quiz FILE}} to add one"), 0);
    }

    #[test]
    fn reads_pages_and_chapter_starts_from_the_summary() {
        let dir = std::env::temp_dir().join(format!("workbook-render-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("01-a")).unwrap();
        std::fs::write(
            dir.join("SUMMARY.md"),
            "# Summary\n\n[Intro](intro.md)\n\n# Part\n\n- [A](01-a/index.md)\n    \
             - [Review](01-a/review.md)\n    - [Draft]()\n\n---\n\n[Notes](notes.md)\n",
        )
        .unwrap();
        std::fs::write(dir.join("01-a/review.md"), "# Review\n\n{{#quiz q.toml}}\n").unwrap();
        let pages = pages_in_summary(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let page = |html: &str, quizzes, chapter_start| Page {
            html: html.to_owned(),
            quizzes,
            chapter_start,
        };
        assert_eq!(
            pages,
            [
                page("intro.html", 0, false),
                page("01-a/index.html", 0, true),
                page("01-a/review.html", 1, false),
                page("notes.html", 0, false),
            ]
        );
    }

    #[test]
    fn reports_exceptions_console_errors_and_failed_loads_once_each() {
        let events = [
            json!({"method": "Runtime.exceptionThrown", "params": {"exceptionDetails": {
                "text": "Uncaught", "url": "file:///b/x.html", "lineNumber": 4,
                "exception": {"description": "Error: boom\n    at x.html:5"}}}}),
            json!({"method": "Runtime.consoleAPICalled", "params": {"type": "log",
                "args": [{"type": "string", "value": "fine"}]}}),
            json!({"method": "Runtime.consoleAPICalled", "params": {"type": "error",
                "args": [{"type": "string", "value": "bad"}, {"type": "number", "value": 3}]}}),
            json!({"method": "Log.entryAdded", "params": {"entry": {"level": "error",
                "text": "Failed to load resource", "url": "file:///b/gone.js"}}}),
            json!({"method": "Log.entryAdded", "params": {"entry": {"level": "error",
                "text": "Failed to load resource", "url": "file:///b/gone.js"}}}),
            json!({"method": "Page.loadEventFired", "params": {}}),
        ];
        let found: Vec<String> = errors(&events).collect();
        assert_eq!(
            found,
            [
                "uncaught Error: boom (file:///b/x.html:5)",
                "console.error: bad 3",
                "Failed to load resource file:///b/gone.js",
            ]
        );
    }

    /// The step itself, on the built book: the render check alone, without the
    /// rest of `verify`. Needs Chromium and a built book (`mdbook build`).
    #[test]
    #[ignore = "starts Chromium on the built book; run with --ignored"]
    fn the_built_book_renders() {
        let workbook = Workbook::open().unwrap();
        check(&workbook).unwrap().assert_passed();
        let shots = workbook.target_dir().join("screenshots");
        assert!(shots.join("01-machine.png").is_file());
    }

    /// The check catches broken pages: in a copy of the built book, one page
    /// with a throwing script, another that loads a missing script and an
    /// image from the web, a third whose quiz has lost its script. Needs
    /// Chromium and a built book with quizzes (`mdbook build`).
    #[test]
    #[ignore = "starts Chromium on the built book; run with --ignored"]
    fn broken_pages_fail_the_check() {
        let workbook = Workbook::open().unwrap();
        let chromium = find_chromium().expect("Chromium is not installed");
        let book = workbook.target_dir().join("book");
        let work = workbook.target_dir().join("render-check").join("broken");
        let copy = work.join("book");
        let _ = std::fs::remove_dir_all(&copy);
        for entry in walkdir::WalkDir::new(&book) {
            let entry = entry.unwrap();
            let to = copy.join(entry.path().strip_prefix(&book).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let inject = |page: &str, html: &str| {
            let path = copy.join(page);
            let text = std::fs::read_to_string(&path).unwrap();
            std::fs::write(
                &path,
                text.replacen("</body>", &format!("{html}</body>"), 1),
            )
            .unwrap();
        };
        inject(
            "01-machine/caches-and-coherence.html",
            "<script>throw new Error('injected')</script>",
        );
        inject(
            "02-testing/index.html",
            "<script src='gone.js'></script><img src='https://example.com/x.png'>",
        );
        // A quiz whose script is missing stays an empty placeholder.
        let review = copy.join("03-memory-model/review.html");
        let text = std::fs::read_to_string(&review).unwrap();
        assert!(text.contains("quiz-placeholder"), "no quiz to break");
        std::fs::write(&review, text.replace("../quiz/quiz-embed.iife.js", "")).unwrap();
        let pages = pages_in_summary(&workbook.root.join("book")).unwrap();
        let problems =
            check_pages(&chromium, &copy, &pages, &work, &work.join("screenshots")).unwrap();
        std::fs::remove_dir_all(&work).unwrap();
        let expected = [
            "01-machine/caches-and-coherence.html: uncaught Error: injected",
            "02-testing/index.html: Failed to load resource: net::ERR_FILE_NOT_FOUND file:///",
            "02-testing/index.html: loads https://example.com/x.png",
            "03-memory-model/review.html: 1 quiz(zes) in its Markdown, 0 rendered",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for (problem, start) in problems.iter().zip(expected) {
            assert!(
                problem.starts_with(start),
                "{problem} does not start with {start}"
            );
        }
    }
}
