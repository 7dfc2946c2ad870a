//! A headless Chromium driven over the DevTools protocol through a pipe
//! (`--remote-debugging-pipe`: JSON messages ended by a NUL byte on file
//! descriptors 3 and 4), for the render check ([`super::render`]) and the
//! class-page check ([`super::class_page`]): no crate, no Node and no port.
//!
//! Why not a maintained client such as headless_chrome: CI builds this crate
//! from scratch on every run, and measured on the two-core build machine
//! (2026-12-04, beside other work), a cold debug build of headless_chrome
//! 1.0.22 alone took 238 s and brings 142 crates, twice the 70 this crate
//! depends on today; chromiumoxide adds tokio on top. The pipe needs only
//! what this file holds, and the protocol calls it makes are few and stable.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

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

/// Why a check that needs Chromium is skipped where there is none.
pub const NO_CHROMIUM: &str = "Chromium is not installed (`sudo apt-get install chromium`, or set \
                               CHROMIUM to a Chromium or Chrome binary)";

/// `$CHROMIUM`, or the first Chromium or Chrome on PATH.
pub fn find_chromium() -> Option<PathBuf> {
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

/// A headless Chromium with one tab, driven over `--remote-debugging-pipe`.
pub struct Browser {
    child: Child,
    to_browser: ChildStdin,
    from_browser: Receiver<Value>,
    next_id: u64,
    /// The tab's session.
    session: String,
    /// The tab's events since the last [`Browser::open`].
    pub events: Vec<Value>,
    profile: PathBuf,
}

impl Browser {
    pub fn launch(chromium: &Path, work: &Path) -> Result<Self> {
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
    pub fn open(&mut self, url: &str) -> Result<Option<String>> {
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
    pub fn evaluate(&mut self, expression: &str) -> Result<Value> {
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
    pub fn screenshot(&mut self) -> Result<Vec<u8>> {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}))?;
        decode_base64(shot["data"].as_str().context("no screenshot data")?)
    }

    pub fn close(mut self) {
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
}
