//! The reader in a real terminal: the real binary in tmux, driven with `send-keys` and read with
//! `capture-pane`. Skipped (with a notice) when tmux is not installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A tmux server of our own (its own socket), killed on drop even when the test fails.
struct Tmux {
    socket: String,
    session: String,
}

impl Tmux {
    fn start(width: u16, height: u16, dir: &Path) -> Tmux {
        let unique = format!(
            "ng-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        let tmux = Tmux {
            socket: unique.clone(),
            session: unique,
        };
        let (w, h) = (width.to_string(), height.to_string());
        let dir = dir.to_str().unwrap();
        let out = tmux.run(&[
            "new-session",
            "-d",
            "-x",
            &w,
            "-y",
            &h,
            "-s",
            &tmux.session,
            "-c",
            dir,
            "sh",
        ]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs")
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    fn text(&self, text: &str) {
        self.run(&["send-keys", "-t", &self.session, "-l", text]);
    }

    fn capture(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", &self.session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn query(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", &self.session, format]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Polls the pane until every one of `needles` is on it (10 s at most).
    fn wait_for(&self, needles: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let screen = self.capture();
            if needles.iter().all(|n| screen.contains(n)) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {needles:?}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn have_tmux() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("notice: tmux is not installed; skipping the end-to-end reader tests");
    }
    found
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn search_open_resize_and_quit_in_a_real_terminal() {
    if !have_tmux() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let seed = "alibaba-cloud-spin-off.md";
    std::fs::copy(repo().join("content").join(seed), content.join(seed)).unwrap();
    let home = root.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let tmux = Tmux::start(100, 30, root.path());
    let command = format!(
        "env -u NEWSGLOSS_CONFIG -u NO_COLOR HOME='{home}' XDG_CACHE_HOME='{home}/cache' XDG_CONFIG_HOME='{home}/config' '{bin}' --content '{content}' --index '{index}'; echo EXITED $?",
        home = home.display(),
        bin = env!("CARGO_BIN_EXE_newsgloss"),
        content = content.display(),
        index = root.path().join("index").display(),
    );
    tmux.text(&command);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "Alibaba Cloud calls off its spin-off"]);
    assert_eq!(tmux.query("#{alternate_on}"), "1");
    tmux.text("/");
    tmux.wait_for(&["Search:", "SEARCH"]);
    tmux.text("Copilot");
    tmux.wait_for(&["1 matching article", "GitHub"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER", "monthly loss of at least USD 20", "match 1/"]);
    tmux.run(&["resize-window", "-t", &tmux.session, "-x", "40", "-y", "12"]);
    tmux.wait_for(&["READER", "Copilot"]);
    tmux.run(&[
        "resize-window",
        "-t",
        &tmux.session,
        "-x",
        "100",
        "-y",
        "30",
    ]);
    tmux.wait_for(&["READER", "monthly loss of at least USD 20"]);
    tmux.text("q");
    tmux.wait_for(&["Search: Copilot", "1 matching article"]);
    tmux.keys(&["Escape"]);
    tmux.wait_for(&["LIBRARY"]);
    tmux.text("q");
    let screen = tmux.wait_for(&["EXITED 0"]);
    assert!(
        !screen.contains("LIBRARY"),
        "the alternate screen is gone:\n{screen}"
    );
    assert_eq!(tmux.query("#{alternate_on}"), "0");
    // The shell works: raw mode is off, so a typed line runs.
    tmux.text("echo SANE-$((40+2))");
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["SANE-42"]);
}

#[test]
fn sigterm_restores_the_terminal() {
    if !have_tmux() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let seed = "alibaba-cloud-spin-off.md";
    std::fs::copy(repo().join("content").join(seed), content.join(seed)).unwrap();
    let tmux = Tmux::start(80, 24, root.path());
    let pidfile = root.path().join("pid");
    let command = format!(
        "sh -c 'echo $$ > \"{pidfile}\"; exec env HOME=\"{root}\" XDG_CACHE_HOME=\"{root}/cache\" \"{bin}\" --content \"{content}\" --index \"{root}/index\"'; echo EXITED $?",
        pidfile = pidfile.display(),
        root = root.path().display(),
        bin = env!("CARGO_BIN_EXE_newsgloss"),
        content = content.display(),
    );
    tmux.text(&command);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "Alibaba Cloud"]);
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    let killed = Command::new("kill")
        .args(["-TERM", pid.trim()])
        .status()
        .unwrap();
    assert!(killed.success());
    tmux.wait_for(&["EXITED 0"]);
    assert_eq!(tmux.query("#{alternate_on}"), "0");
}
