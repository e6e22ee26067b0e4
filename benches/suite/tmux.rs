//! A program run in a tmux server of its own, as a user sees it: started with a command line, its screen
//! captured, keys sent, and its process read from /proc. The server is killed when the pane is dropped.
//!
//! Keys and captures go through a control-mode client (`tmux -C`) attached to the session, not a tmux
//! process each: a command costs no process start (about 2 ms each here), and tmux tells the client
//! each time the program writes to its terminal (`%output`), so a wait is woken by the program's own
//! output and its figure is the time of the output that made the screen right, good to well under a
//! millisecond, rather than the time of a poll.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// One detached session on a private socket, and a control client attached to it.
pub struct Pane {
    socket: String,
    control: Option<Control>,
}

/// The control client: its commands, and what it reads back.
struct Control {
    child: Child,
    stdin: Mutex<ChildStdin>,
    lines: Mutex<Receiver<Line>>,
}

/// What the control client read: the program wrote to its terminal, or a command's answer.
enum Line {
    Output(Instant),
    Reply(Vec<String>),
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
        let mut pane = Pane {
            socket: format!("newsgloss-bench-{name}-{}", std::process::id()),
            control: None,
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
        pane.control = Control::attach(&pane.socket);
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

    /// Runs a tmux command line through the control client (a tmux process of its own when there is
    /// none); its output, and when the program last wrote to the terminal before it ran.
    fn command(&self, line: &str, args: &[&str]) -> (String, Option<Instant>) {
        match &self.control {
            Some(control) => control.command(line),
            None => (
                String::from_utf8_lossy(&self.tmux(args).stdout).into_owned(),
                None,
            ),
        }
    }

    /// The screen as text, and when the program last wrote to the terminal before it was captured.
    fn capture_noting_output(&self) -> (String, Option<Instant>) {
        self.command(
            "capture-pane -p -t bench",
            &["capture-pane", "-p", "-t", "bench"],
        )
    }

    /// Sends keys as tmux names them (`Enter`, `C-c`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "bench"];
        args.extend_from_slice(keys);
        self.command(&command_line(&args), &args);
    }

    /// Sends `text` as typed characters.
    pub fn text(&self, text: &str) {
        let args = ["send-keys", "-t", "bench", "-l", text];
        self.command(&command_line(&args), &args);
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

    /// Waits until `done` says yes of the screen; how long that took from `since` to the program's
    /// output that made it so (or to the capture that saw it, when that output came before the client
    /// could say), or `None` at `timeout`. The screen is captured again each time the program writes
    /// (without a control client, every 5 ms).
    pub fn wait_for(
        &self,
        since: Instant,
        timeout: Duration,
        done: impl Fn(&str) -> bool,
    ) -> Option<Duration> {
        let mut last = None;
        while since.elapsed() < timeout {
            let (screen, wrote) = self.capture_noting_output();
            let captured = Instant::now();
            last = wrote.or(last);
            if done(&screen) {
                let at = last.filter(|at| *at >= since).unwrap_or(captured);
                return Some(at.duration_since(since));
            }
            match &self.control {
                Some(control) => {
                    last = control
                        .next_output(timeout.saturating_sub(since.elapsed()))
                        .or(last)
                }
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        None
    }
}

impl Control {
    /// A control client attached to the session on `socket`, once it has answered its attach.
    fn attach(socket: &str) -> Option<Control> {
        let mut child = Command::new("tmux")
            .args(["-L", socket, "-C", "attach-session", "-t", "bench"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let (stdin, stdout) = (child.stdin.take()?, child.stdout.take()?);
        let (send, lines) = channel();
        std::thread::spawn(move || {
            let mut block: Option<Vec<String>> = None;
            for line in BufReader::new(stdout).split(b'\n') {
                let Ok(line) = line else { break };
                let line = String::from_utf8_lossy(&line).into_owned();
                let sent = if line.starts_with("%begin") {
                    block = Some(Vec::new());
                    Ok(())
                } else if line.starts_with("%end") || line.starts_with("%error") {
                    send.send(Line::Reply(block.take().unwrap_or_default()))
                } else if let Some(block) = &mut block {
                    block.push(line);
                    Ok(())
                } else if line.starts_with("%output") {
                    send.send(Line::Output(Instant::now()))
                } else {
                    Ok(())
                };
                if sent.is_err() {
                    break;
                }
            }
        });
        let control = Control {
            child,
            stdin: Mutex::new(stdin),
            lines: Mutex::new(lines),
        };
        // The attach is answered first, as a command is.
        let lines = control.lines.lock().unwrap();
        loop {
            match lines.recv_timeout(Duration::from_secs(5)).ok()? {
                Line::Reply(_) => break,
                Line::Output(_) => {}
            }
        }
        drop(lines);
        Some(control)
    }

    /// Runs one command line; its answer's lines, joined, and the last output before it.
    fn command(&self, line: &str) -> (String, Option<Instant>) {
        let lines = self.lines.lock().unwrap();
        let mut stdin = self.stdin.lock().unwrap();
        let _ = writeln!(stdin, "{line}");
        let _ = stdin.flush();
        drop(stdin);
        let mut last = None;
        loop {
            match lines.recv_timeout(Duration::from_secs(10)) {
                Ok(Line::Output(at)) => last = Some(at),
                Ok(Line::Reply(reply)) => return (reply.join("\n") + "\n", last),
                Err(_) => return (String::new(), last),
            }
        }
    }

    /// Waits for the program's next output, then for any that follows within a millisecond (a frame
    /// comes in several writes); the time of the last, or `None` at `timeout`.
    fn next_output(&self, timeout: Duration) -> Option<Instant> {
        let lines = self.lines.lock().unwrap();
        let mut last = None;
        let mut wait = timeout;
        loop {
            match lines.recv_timeout(wait) {
                Ok(Line::Output(at)) => {
                    last = Some(at);
                    wait = Duration::from_millis(1);
                }
                // A reply no command waits for (none is sent meanwhile) is passed over.
                Ok(Line::Reply(_)) => {}
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return last,
            }
        }
    }
}

impl Drop for Pane {
    fn drop(&mut self) {
        self.keys(&["C-c"]);
        std::thread::sleep(Duration::from_millis(100));
        self.tmux(&["kill-server"]);
        if let Some(control) = &mut self.control {
            let _ = control.child.kill();
            let _ = control.child.wait();
        }
    }
}

/// `args` as one line for tmux's command parser, each quoted.
fn command_line(args: &[&str]) -> String {
    let quote = |arg: &&str| format!("'{}'", arg.replace('\'', "'\\''"));
    args.iter().map(quote).collect::<Vec<_>>().join(" ")
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
