//! Child processes, described once so that what runs is also what gets printed.

use std::fmt;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// A command line with its environment and working folder.
#[derive(Debug, Clone)]
pub struct Invocation {
    program: String,
    args: Vec<String>,
    env: Vec<(String, String)>,
    dir: PathBuf,
    /// Searched before PATH for programs the child itself starts.
    path_first: Option<PathBuf>,
}

impl Invocation {
    pub fn new(program: impl Into<String>, dir: &Path) -> Self {
        Self {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
            dir: dir.to_owned(),
            path_first: None,
        }
    }

    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn path_first(mut self, dir: PathBuf) -> Self {
        self.path_first = Some(dir);
        self
    }

    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args).current_dir(&self.dir);
        command.envs(self.env.iter().map(|(key, value)| (key, value)));
        if let Some(first) = &self.path_first {
            let rest = std::env::var_os("PATH").unwrap_or_default();
            let dirs = std::iter::once(first.clone()).chain(std::env::split_paths(&rest));
            if let Ok(path) = std::env::join_paths(dirs) {
                command.env("PATH", path);
            }
        }
        command
    }

    /// Runs with the terminal attached, so output streams live (and keeps its colours).
    pub fn run(&self) -> Result<bool> {
        let status = self
            .command()
            .status()
            .with_context(|| self.spawn_error())?;
        Ok(status.success())
    }

    /// Runs with all output appended to `log`, for runs whose failures are expected.
    pub fn run_logged(&self, log: &Path) -> Result<bool> {
        let status = self
            .logged_command(log)?
            .status()
            .with_context(|| self.spawn_error())?;
        Ok(status.success())
    }

    /// The command, with its input closed and its output appended to `log`
    /// after a line that shows it.
    fn logged_command(&self, log: &Path) -> Result<Command> {
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .with_context(|| format!("cannot open {}", log.display()))?;
        writeln!(file, "\n$ {self}")?;
        let stderr = file.try_clone()?;
        let mut command = self.command();
        command.stdin(Stdio::null()).stdout(file).stderr(stderr);
        Ok(command)
    }

    /// Like [`Invocation::run_logged`], but ends the command (and every
    /// process it started) if it has not finished within `limit`.
    pub fn run_logged_within(&self, log: &Path, limit: Duration) -> Result<Ended> {
        let mut running = self.spawn_logged(log)?;
        let started = Instant::now();
        loop {
            if let Some(passed) = running.try_wait()? {
                return Ok(if passed { Ended::Passed } else { Ended::Failed });
            }
            if started.elapsed() >= limit {
                running.kill();
                let mut file = OpenOptions::new().append(true).open(log)?;
                writeln!(
                    file,
                    "\n(ended after {}: still running)",
                    format_duration(limit)
                )?;
                return Ok(Ended::TimedOut);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Starts the command with its output appended to `log`, in a process
    /// group of its own, so that [`Running::kill`] ends what it started too.
    pub fn spawn_logged(&self, log: &Path) -> Result<Running> {
        let mut command = self.logged_command(log)?;
        // A group of its own, so that a kill ends the test binary that cargo
        // started as well as cargo.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().with_context(|| self.spawn_error())?;
        Ok(Running { child })
    }

    /// Runs silently and returns what it printed.
    pub fn output(&self) -> Result<Output> {
        self.command()
            .stdin(Stdio::null())
            .output()
            .with_context(|| self.spawn_error())
    }

    fn spawn_error(&self) -> String {
        format!(
            "cannot run `{}` (is it installed and on PATH?)",
            self.program
        )
    }
}

/// How a command run under a time limit ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Passed,
    Failed,
    TimedOut,
}

/// A command started by [`Invocation::spawn_logged`].
pub struct Running {
    child: Child,
}

impl Running {
    /// Whether it passed, once it has ended.
    pub fn try_wait(&mut self) -> Result<Option<bool>> {
        Ok(self.child.try_wait()?.map(|status| status.success()))
    }

    /// Ends it and everything it started.
    pub fn kill(&mut self) {
        kill_group(&mut self.child);
    }
}

/// Ends `child` and, on Unix, the rest of its process group.
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(leader) = libc::pid_t::try_from(child.id())
        && leader > 1
    {
        // SAFETY: kill(2) takes plain integers. The child leads a process group
        // of its own (see `spawn_logged`), so the negated id names just
        // that group: the child and what it started.
        unsafe { libc::kill(-leader, libc::SIGKILL) };
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The command as a learner would type it in a shell.
impl fmt::Display for Invocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (key, value) in &self.env {
            write!(f, "{key}={} ", shell_quote(value))?;
        }
        f.write_str(&shell_quote(&self.program))?;
        for arg in &self.args {
            write!(f, " {}", shell_quote(arg))?;
        }
        Ok(())
    }
}

fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=+,@".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// "1m 05s" or "42s".
pub fn format_duration(duration: Duration) -> String {
    let seconds = duration.as_secs();
    match seconds / 60 {
        0 => format!("{seconds}s"),
        minutes => format!("{minutes}m {:02}s", seconds % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_a_shell_command() {
        let invocation = Invocation::new("cargo", Path::new("."))
            .env("RUSTFLAGS", "--cfg loom")
            .args(["test", "-p", "racy-ring"]);
        assert_eq!(
            invocation.to_string(),
            "RUSTFLAGS='--cfg loom' cargo test -p racy-ring"
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn formats_durations() {
        assert_eq!(format_duration(Duration::from_secs(42)), "42s");
        assert_eq!(format_duration(Duration::from_secs(65)), "1m 05s");
    }

    #[test]
    #[cfg(unix)]
    fn a_command_past_its_limit_is_ended() {
        let log = std::env::temp_dir().join(format!("workbook-limit-{}.log", std::process::id()));
        let sleeper = Invocation::new("sh", Path::new(".")).args(["-c", "sleep 30"]);
        let started = Instant::now();
        let ended = sleeper
            .run_logged_within(&log, Duration::from_millis(300))
            .unwrap();
        assert_eq!(ended, Ended::TimedOut);
        assert!(started.elapsed() < Duration::from_secs(10));
        let quick = Invocation::new("sh", Path::new(".")).args(["-c", "exit 3"]);
        assert_eq!(
            quick
                .run_logged_within(&log, Duration::from_secs(30))
                .unwrap(),
            Ended::Failed
        );
        let _ = std::fs::remove_file(log);
    }

    #[test]
    fn reports_a_missing_program() {
        let error = Invocation::new("no-such-program-xyz", Path::new("."))
            .run()
            .unwrap_err();
        assert!(error.to_string().contains("no-such-program-xyz"));
    }
}
