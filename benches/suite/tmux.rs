//! A program run in a tmux server of its own, as a user sees it: started with a command line, its screen
//! captured, keys sent, and its process read from /proc. The server is killed when the pane is dropped.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// One detached session on a private socket.
pub struct Pane {
    socket: String,
}

impl Pane {
    /// Whether tmux is installed.
    pub fn available() -> bool {
        Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// Starts `cmd` (its current dir, environment and arguments) in a `width`x`height` pane.
    pub fn start(name: &str, cmd: &Command, width: u16, height: u16) -> Pane {
        let pane = Pane {
            socket: format!("newsgloss-bench-{name}-{}", std::process::id()),
        };
        let line = shell_line(cmd);
        let (width, height) = (width.to_string(), height.to_string());
        pane.tmux(&[
            "new-session",
            "-d",
            "-s",
            "bench",
            "-x",
            &width,
            "-y",
            &height,
            &line,
        ]);
        pane
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// The screen as text.
    pub fn capture(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "bench"]).stdout)
            .into_owned()
    }

    /// Sends keys as tmux names them (`Enter`, `C-c`) or literal text with `literal`.
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "bench"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Sends `text` as typed characters.
    pub fn text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "bench", "-l", text]);
    }

    /// The pid of the program in the pane (it is `exec`ed, so the shell's pid is the program's).
    pub fn pid(&self) -> Option<u32> {
        String::from_utf8_lossy(
            &self
                .tmux(&["list-panes", "-t", "bench", "-F", "#{pane_pid}"])
                .stdout,
        )
        .trim()
        .parse()
        .ok()
    }

    /// Polls the screen until `done` says yes; how long that took from `since`, or `None` at `timeout`.
    pub fn wait_for(
        &self,
        since: Instant,
        timeout: Duration,
        done: impl Fn(&str) -> bool,
    ) -> Option<Duration> {
        while since.elapsed() < timeout {
            if done(&self.capture()) {
                return Some(since.elapsed());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        None
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        self.keys(&["C-c"]);
        std::thread::sleep(Duration::from_millis(100));
        self.tmux(&["kill-server"]);
    }
}

/// `cd DIR && exec env VAR=... PROGRAM ARGS...`, every part single-quoted for the shell tmux runs.
fn shell_line(cmd: &Command) -> String {
    let quote = |s: &std::ffi::OsStr| format!("'{}'", s.to_string_lossy().replace('\'', "'\\''"));
    let mut line = String::new();
    if let Some(dir) = cmd.get_current_dir() {
        line.push_str(&format!("cd {} && ", quote(dir.as_os_str())));
    }
    line.push_str("exec env");
    // `env` takes its options (`-u NAME`) before the assignments.
    for (key, _) in cmd.get_envs().filter(|(_, value)| value.is_none()) {
        line.push_str(&format!(" -u {}", key.to_string_lossy()));
    }
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            line.push_str(&format!(" {}={}", key.to_string_lossy(), quote(value)));
        }
    }
    line.push_str(&format!(" {}", quote(cmd.get_program())));
    for arg in cmd.get_args() {
        line.push_str(&format!(" {}", quote(arg)));
    }
    line
}
