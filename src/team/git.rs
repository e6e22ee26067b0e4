//! The git command line, run in one repository: one call per command, its output as text, its failure
//! as one line. git's own configuration (credentials, remotes, identity) is used as it is.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::article::clean::clean_line;
use crate::content::shown;

/// Why a git command did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GitError {
    #[error("git is not installed (or not on PATH): install git to share a workspace")]
    Missing,
    #[error("`git {command}` failed: {message}")]
    Failed { command: String, message: String },
}

/// A repository (or the dir to make one in).
#[derive(Debug, Clone)]
pub struct Git {
    dir: PathBuf,
    prompt: bool,
}

impl Git {
    /// git run in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Git {
        Git {
            dir: dir.into(),
            prompt: true,
        }
    }

    /// The same, but never asking for credentials on a terminal (for work in the background).
    pub fn without_prompts(mut self) -> Git {
        self.prompt = false;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Runs `git args...`; its output, however it ended (`Missing` only when git cannot be started).
    /// While another git process holds one of the repository's lock files (a fetch left running by a sync
    /// that was killed, the user's own git in another terminal), the command is tried again for a few
    /// seconds: git gives up on a held lock before it changes anything.
    pub fn output(&self, args: &[&str]) -> Result<Output, GitError> {
        let mut wait = LOCK_RETRY_FIRST;
        let mut waited = Duration::ZERO;
        loop {
            let output = self.output_once(args)?;
            if output.status.success() || !held_lock(&output) || waited >= LOCK_RETRY_TOTAL {
                return Ok(output);
            }
            tracing::debug!(
                command = args.join(" "),
                "a git lock file is held; trying again"
            );
            std::thread::sleep(wait);
            waited += wait;
            wait = (wait * 2).min(Duration::from_millis(500));
        }
    }

    fn output_once(&self, args: &[&str]) -> Result<Output, GitError> {
        let mut command = Command::new("git");
        command
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null());
        if !self.prompt {
            command.env("GIT_TERMINAL_PROMPT", "0");
        }
        command.output().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => GitError::Missing,
            _ => GitError::Failed {
                command: args.join(" "),
                message: e.to_string(),
            },
        })
    }

    /// Runs `git args...` and returns its standard output, or its error as one line.
    pub fn run(&self, args: &[&str]) -> Result<String, GitError> {
        let output = self.output(args)?;
        if output.status.success() {
            return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
        }
        Err(failure(args, &output))
    }

    /// Runs `git args...` and says whether it succeeded (for questions such as "is there a ref").
    pub fn check(&self, args: &[&str]) -> Result<bool, GitError> {
        Ok(self.output(args)?.status.success())
    }

    /// The top of the work tree that `dir` is in, or `None` when it is not in one.
    pub fn toplevel(dir: &Path) -> Result<Option<PathBuf>, GitError> {
        let output = Git::new(dir).output(&["rev-parse", "--show-toplevel"])?;
        let text = String::from_utf8_lossy(&output.stdout);
        Ok(output
            .status
            .success()
            .then(|| PathBuf::from(text.trim_end_matches(['\n', '\r']))))
    }

    /// The bytes of `path` (relative to the top) at `rev`, or `None` when it is not there.
    pub fn show(&self, rev: &str, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let output = self.output(&["show", &format!("{rev}:{path}")])?;
        Ok(output.status.success().then_some(output.stdout))
    }

    /// One `git config` value of this repository (or of git's own configuration), when set.
    pub fn config(&self, key: &str) -> Result<Option<String>, GitError> {
        let output = self.output(&["config", "--get", key])?;
        let value = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        Ok((output.status.success() && !value.is_empty()).then_some(value))
    }

    /// Where this repository keeps its state (`.git`).
    pub fn git_dir(&self) -> Result<PathBuf, GitError> {
        let dir = self.run(&["rev-parse", "--absolute-git-dir"])?;
        Ok(PathBuf::from(dir.trim_end_matches(['\n', '\r'])))
    }
}

/// The first wait before a command that met a held lock is tried again, and the longest wait in all.
const LOCK_RETRY_FIRST: Duration = Duration::from_millis(50);
const LOCK_RETRY_TOTAL: Duration = Duration::from_secs(10);

/// Whether git failed because another process holds a lock file (`index.lock`, a ref's `.lock`).
fn held_lock(output: &Output) -> bool {
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr.contains("cannot lock ref")
        || (stderr.contains(".lock") && stderr.contains("File exists"))
}

/// A failed command as one line: git's first line that says something.
fn failure(args: &[&str], output: &Output) -> GitError {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stderr
        .lines()
        .chain(stdout.lines())
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("hint:"))
        .unwrap_or("it exited with an error");
    GitError::Failed {
        command: args.first().copied().unwrap_or_default().to_owned(),
        message: clean_line(line),
    }
}

impl GitError {
    /// The error with where it happened.
    pub fn in_dir(self, dir: &Path) -> String {
        match self {
            GitError::Missing => self.to_string(),
            GitError::Failed { .. } => format!("{} (in {})", self, shown(dir)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_waits_for_a_lock_that_another_git_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let git = Git::new(dir.path());
        git.run(&["init", "-q"]).unwrap();
        let lock = dir.path().join(".git/index.lock");
        std::fs::write(&lock, "").unwrap();
        let held = git.output_once(&["add", "-A"]).unwrap();
        assert!(
            held_lock(&held),
            "{}",
            String::from_utf8_lossy(&held.stderr)
        );
        let released = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            std::fs::remove_file(lock).unwrap();
        });
        git.run(&["add", "-A"]).unwrap();
        released.join().unwrap();
    }
}
