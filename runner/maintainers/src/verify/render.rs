//! The render check: every page of the built book, opened in headless Chromium.
//!
//! One browser serves every page, driven over the DevTools protocol through a
//! pipe (`--remote-debugging-pipe`: JSON messages ended by a NUL byte on file
//! descriptors 3 and 4), so the check needs no crate, no Node and no port. Each
//! page fails on an uncaught exception, a `console.error` or a resource that
//! does not load; a page whose Markdown has quizzes must show them rendered;
//! mdBook's search must find results for a query; and the first page of each
//! chapter is saved as a PNG screenshot in `target/screenshots/`.
//!
//! The book must work offline, so the browser blocks every http(s) request and
//! reports it, except mdBook's own call to the Rust playground's crate list
//! (made by pages with runnable code), which gets an empty list instead.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::plan::Verdict;
use workbook_core::workspace::Workbook;

/// What the search check types into mdBook's search box.
const SEARCH_QUERY: &str = "mutex";
/// The browser window: wide enough for the sidebar and the page side by side.
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 900;
/// How long one DevTools request, or one page load, may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Flags that keep a headless Chromium quiet, offline and runnable as root.
const FLAGS: [&str; 10] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-pipe",
];

/// Before any script of a page runs: mdBook asks play.rust-lang.org which
/// crates its playground has; answer with none, offline.
const PLAYGROUND_STUB: &str = r#"{
  const fetch = window.fetch.bind(window);
  window.fetch = (url, options) =>
    String(url).startsWith('https://play.rust-lang.org/meta/crates')
      ? Promise.resolve(new Response('{"crates":[]}', { headers: { 'Content-Type': 'application/json' } }))
      : fetch(url, options);
}"#;

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
        return Ok(Verdict::Skipped(
            "Chromium is not installed (`sudo apt-get install chromium`, or set CHROMIUM \
             to a Chromium or Chrome binary)"
                .to_owned(),
        ));
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
    Ok(if problems.is_empty() {
        Verdict::Passed
    } else {
        Verdict::Failed(format!(
            "{} problems:\n      {}",
            problems.len(),
            problems.join("\n      ")
        ))
    })
}

/// `$CHROMIUM`, or the first Chromium or Chrome on PATH.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            [
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ]
            .map(|name| dir.join(name))
        })
        .find(|candidate| candidate.is_file())
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
fn errors(events: &[Value]) -> impl Iterator<Item = String> {
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

/// A headless Chromium with one tab, driven over `--remote-debugging-pipe`.
struct Browser {
    child: Child,
    to_browser: ChildStdin,
    from_browser: Receiver<Value>,
    next_id: u64,
    /// The tab's session.
    session: String,
    /// The tab's events since the last [`Browser::open`].
    events: Vec<Value>,
    profile: PathBuf,
}

impl Browser {
    fn launch(chromium: &Path, work: &Path) -> Result<Self> {
        std::fs::create_dir_all(work)?;
        // A fresh profile for each browser, as Chromium locks its profile.
        static BROWSERS: AtomicUsize = AtomicUsize::new(0);
        let profile = work.join(format!(
            "profile-{}-{}",
            std::process::id(),
            // Relaxed: pairs with nothing; only the count's uniqueness matters,
            // which every ordering gives a read-modify-write.
            BROWSERS.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&profile);
        let log = std::fs::File::create(work.join("chromium.log"))?;
        // The shell hands our pipes to Chromium as descriptors 3 (commands in)
        // and 4 (replies out), where --remote-debugging-pipe expects them.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>&2"#)
            .arg(chromium)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--window-size={WIDTH},{HEIGHT}"))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| format!("cannot start {}", chromium.display()))?;
        let to_browser = child.stdin.take().context("no pipe to Chromium")?;
        let from = child.stdout.take().context("no pipe from Chromium")?;
        let (sender, from_browser) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(from);
            let mut message = Vec::new();
            while reader.read_until(0, &mut message).is_ok_and(|n| n > 0) {
                if message.last() == Some(&0) {
                    message.pop();
                }
                if let Ok(value) = serde_json::from_slice(&message)
                    && sender.send(value).is_err()
                {
                    return;
                }
                message.clear();
            }
        });
        let mut browser = Self {
            child,
            to_browser,
            from_browser,
            next_id: 0,
            session: String::new(),
            events: Vec::new(),
            profile,
        };
        let target = browser.request(None, "Target.createTarget", json!({"url": "about:blank"}))?;
        let attached = browser.request(
            None,
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        )?;
        browser.session = attached["sessionId"]
            .as_str()
            .context("Chromium gave no session")?
            .to_owned();
        for method in [
            "Page.enable",
            "Runtime.enable",
            "Log.enable",
            "Network.enable",
        ] {
            browser.call(method, json!({}))?;
        }
        browser.call(
            "Network.setBlockedURLs",
            json!({"urls": ["http://*", "https://*"]}),
        )?;
        browser.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": PLAYGROUND_STUB}),
        )?;
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": false}),
        )?;
        Ok(browser)
    }

    /// Sends a request, to the tab if `session` is given, else to the browser,
    /// and waits for its reply, keeping the tab's events that come first.
    fn request(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message)?;
        bytes.push(0);
        self.to_browser
            .write_all(&bytes)
            .and_then(|()| self.to_browser.flush())
            .with_context(|| format!("Chromium stopped listening (at {method})"))?;
        loop {
            let reply = self.receive(method)?;
            if reply["id"] == id {
                if let Some(error) = reply.get("error") {
                    bail!("Chromium refused {method}: {error}");
                }
                return Ok(reply["result"].clone());
            }
        }
    }

    /// The next message; events of the tab are also kept in `events`.
    fn receive(&mut self, waiting_for: &str) -> Result<Value> {
        let message = match self.from_browser.recv_timeout(TIMEOUT) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => {
                bail!("Chromium did not answer within {TIMEOUT:?} (waiting for {waiting_for})")
            }
            Err(RecvTimeoutError::Disconnected) => {
                bail!("Chromium exited (waiting for {waiting_for}); see its log")
            }
        };
        if message.get("method").is_some() && message["sessionId"] == self.session.as_str() {
            self.events.push(message.clone());
        }
        Ok(message)
    }

    fn call(&mut self, method: &str, params: Value) -> Result<Value> {
        let session = self.session.clone();
        self.request(Some(&session), method, params)
    }

    /// Opens `url` in the tab and waits for its load event; the error text if
    /// it could not be loaded at all.
    fn open(&mut self, url: &str) -> Result<Option<String>> {
        self.events.clear();
        let navigated = self.call("Page.navigate", json!({"url": url}))?;
        if let Some(error) = navigated["errorText"].as_str() {
            return Ok(Some(error.to_owned()));
        }
        let started = Instant::now();
        while !self
            .events
            .iter()
            .any(|event| event["method"] == "Page.loadEventFired")
        {
            if started.elapsed() > TIMEOUT {
                return Ok(Some(format!("no load event within {TIMEOUT:?}")));
            }
            self.receive("the load event")?;
        }
        Ok(None)
    }

    /// The value of `expression`, a promise, once it settles.
    fn evaluate(&mut self, expression: &str) -> Result<Value> {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "awaitPromise": true, "returnByValue": true}),
        )?;
        if let Some(exception) = result.get("exceptionDetails") {
            bail!("the check's own script failed: {exception}");
        }
        Ok(result["result"]["value"].clone())
    }

    /// The visible part of the page, as PNG.
    fn screenshot(&mut self) -> Result<Vec<u8>> {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}))?;
        decode_base64(shot["data"].as_str().context("no screenshot data")?)
    }

    fn close(mut self) {
        let _ = self.request(None, "Browser.close", json!({}));
        self.stop();
    }

    fn stop(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                let _ = std::fs::remove_dir_all(&self.profile);
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Standard base64 (RFC 4648, with padding), as the DevTools protocol sends binary data.
fn decode_base64(text: &str) -> Result<Vec<u8>> {
    let value = |byte: u8| -> Result<u32> {
        Ok(match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => bail!("not base64: {:?}", byte as char),
        }
        .into())
    };
    let bytes = text.trim_end_matches('=').as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut bits = 0u32;
        for (index, &byte) in chunk.iter().enumerate() {
            bits |= value(byte)? << (18 - 6 * index);
        }
        let [_, a, b, c] = bits.to_be_bytes();
        decoded.extend_from_slice(&[a, b, c][..chunk.len().saturating_sub(1)]);
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_base64() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("TQ==").unwrap(), b"M");
        assert_eq!(decode_base64("TWE=").unwrap(), b"Ma");
        assert_eq!(decode_base64("TWFu").unwrap(), b"Man");
        assert_eq!(
            decode_base64("aGVsbG8gd29ybGQ/Pz4+").unwrap(),
            b"hello world??>>"
        );
        assert!(decode_base64("a*b=").is_err());
    }

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
        match check(&workbook).unwrap() {
            Verdict::Passed => {}
            Verdict::Failed(reason) | Verdict::Skipped(reason) => panic!("{reason}"),
        }
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
