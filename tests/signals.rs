//! Signals and panics under a pseudo-terminal: the real binary runs in a pty of its own, everything it
//! writes is kept, and SIGTERM, SIGHUP and SIGINT (each in its own run) must save the work in flight,
//! restore the terminal and exit with 128 + the signal; a forced panic (debug builds) must restore the
//! terminal and say what happened. The bytes it wrote hold no OSC, DCS, APC, PM or SOS, no C1 control
//! and no bidi/format character, even with a hostile article on screen.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The real binary in a pty 100x30, its output collected on a thread.
struct Pty {
    master: File,
    child: Child,
    output: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
}

impl Pty {
    fn spawn(root: &Path, env: &[(&str, &str)]) -> Pty {
        let (mut master, mut slave) = (-1, -1);
        let size = libc::winsize {
            ws_row: 30,
            ws_col: 100,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two new descriptors into the two ints; the name and termios are null.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors were just opened and are owned by nobody else.
        let (master, slave) = unsafe { (File::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().unwrap());
        let mut command = Command::new(env!("CARGO_BIN_EXE_newsgloss"));
        command
            .arg("--config")
            .arg(root.join("config.toml"))
            .env_remove("NEWSGLOSS_CONFIG")
            .env_remove("NO_COLOR")
            .env_remove("NEWSGLOSS_TEST_PANIC")
            .env("TERM", "xterm-256color")
            .env("HOME", root.join("home"))
            .env("XDG_CACHE_HOME", root.join("home/cache"))
            .env("XDG_CONFIG_HOME", root.join("home/config"))
            .envs(env.iter().copied())
            .stdin(io(&slave))
            .stdout(io(&slave))
            .stderr(io(&slave));
        // SAFETY: only async-signal-safe calls between fork and exec: a new session whose controlling
        // terminal is the pty (stdin), as a terminal emulator does.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("newsgloss starts");
        drop(slave);
        let output = Arc::new(Mutex::new(Vec::new()));
        let mut from = master.try_clone().unwrap();
        let sink = Arc::clone(&output);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 1 << 16];
            // Ends with EIO once the child and every copy of the slave side are gone.
            while let Ok(n @ 1..) = from.read(&mut buf) {
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master,
            child,
            output,
            reader: Some(reader),
        }
    }

    fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// Waits until everything written since `from` holds each of `needles` (30 s at most). Only changed
    /// cells are written, so a needle is best one word that is new on the screen.
    fn wait_for(&self, from: usize, needles: &[&str]) -> usize {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let out = self.output();
            let text = String::from_utf8_lossy(&out[from.min(out.len())..]).into_owned();
            if needles.iter().all(|n| text.contains(n)) {
                return out.len();
            }
            assert!(
                Instant::now() < deadline,
                "waiting for {needles:?}; the pty got, at the end:\n{}",
                visible(&out[out.len().saturating_sub(3000)..])
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Types `bytes` as a terminal would send them.
    fn send(&mut self, bytes: &str) {
        self.master.write_all(bytes.as_bytes()).unwrap();
        self.master.flush().unwrap();
        // One key per read: give the reader a moment so that a lone ESC is not taken for alt-.
        std::thread::sleep(Duration::from_millis(60));
    }

    fn signal(&self, signal: i32) {
        // SAFETY: kill with the pid of a child we own.
        let rc = unsafe { libc::kill(self.child.id() as i32, signal) };
        assert_eq!(rc, 0);
    }

    /// Waits for the exit (30 s at most) and returns its status and everything the pty got.
    fn finish(mut self) -> (ExitStatus, Vec<u8>) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("newsgloss did not exit:\n{}", visible(&self.output()));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        (status, self.output())
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if self.reader.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Bytes shown with their controls escaped, for failure messages.
fn visible(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).escape_debug().collect()
}

/// A workspace: one plain article and one hostile one (escape sequences, OSC 52 and OSC 8, a title
/// change, a clear screen, bidi overrides) and a config that points at them.
fn workspace() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let content = root.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("plain.md"),
        "+++\ntitle = \"Plain story\"\nsource = \"Desk\"\npublished = 2024-01-03\n+++\n\n\
         Alpha beta gamma delta. Second sentence here.\n",
    )
    .unwrap();
    std::fs::write(
        content.join("hostile.md"),
        "+++\ntitle = \"Hostile \\u001b]0;pwned\\u0007story \\u202egnp.exe\"\nsource = \"\\u009b2JEvil\"\n\
         published = 2024-01-02\n+++\n\n\
         Copy \x1b]52;c;aGVsbG8=\x07this \x1b]8;;http://evil.example/\x07link\x1b]8;;\x07 \x1b[2Jnow \
         \u{202e}desrever\u{202c} \x1bP1$qm\x1b\\done \x1b_Gf=1;AAAA\x1b\\ \u{9d}0;pwned\u{9c}end.\n",
    )
    .unwrap();
    std::fs::write(
        root.path().join("config.toml"),
        "[paths]\ncontent = \"content\"\nannotations = \"annotations\"\nindex = \"index\"\n",
    )
    .unwrap();
    root
}

/// What the terminal must have been left in, and must never have been sent: the alternate screen left
/// after it was last entered, the cursor shown after it was last hidden, and no string sequence, C1
/// control or bidi/format character anywhere.
fn assert_restored_and_clean(out: &[u8]) {
    let find_last = |needle: &[u8]| out.windows(needle.len()).rposition(|w| w == needle);
    let entered = find_last(b"\x1b[?1049h").expect("the alternate screen was entered");
    let left = find_last(b"\x1b[?1049l").expect("the alternate screen was left");
    assert!(left > entered, "left before entered:\n{}", visible(out));
    let mouse_on = find_last(b"\x1b[?1000h").expect("mouse capture was turned on");
    let mouse_off = find_last(b"\x1b[?1000l").expect("mouse capture was turned off");
    assert!(
        mouse_off > mouse_on,
        "mouse capture left on:\n{}",
        visible(out)
    );
    let shown = find_last(b"\x1b[?25h").expect("the cursor was shown");
    assert!(
        find_last(b"\x1b[?25l").is_none_or(|hidden| shown > hidden),
        "the cursor was left hidden:\n{}",
        visible(&out[entered..])
    );
    for (i, pair) in out.windows(2).enumerate() {
        assert!(
            !(pair[0] == 0x1b && b"]P_^X".contains(&pair[1])),
            "a string sequence ESC {:?} at byte {i}:\n{}",
            pair[1] as char,
            visible(&out[i.saturating_sub(40)..(i + 40).min(out.len())])
        );
    }
    let text = String::from_utf8_lossy(out);
    let bad = text.chars().find(|&c| {
        ('\u{80}'..='\u{9f}').contains(&c)
            || matches!(
                c,
                '\u{61c}' | '\u{200b}' | '\u{200e}' | '\u{200f}' | '\u{feff}'
            )
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    });
    assert_eq!(bad, None, "in:\n{}", visible(out));
    for payload in ["pwned", "aGVsbG8", "evil.example"] {
        assert!(!text.contains(payload), "{payload:?} was written");
    }
}

/// The store file of `plain`, as text (empty when there is none).
fn stored(root: &Path) -> String {
    std::fs::read_to_string(root.join("annotations/plain.toml")).unwrap_or_default()
}

/// Opens the plain article, selects its first sentence and opens the tag picker.
fn open_picker(pty: &mut Pty) -> usize {
    let at = pty.wait_for(0, &["LIBRARY", "Plain story", "Hostile", "indexed 2"]);
    // The library is newest first: the plain story is the first row.
    pty.send("\r");
    let at = pty.wait_for(at, &["gamma"]);
    pty.send("v");
    pty.send(")");
    pty.send("t");
    pty.wait_for(at, &["selection"])
}

#[test]
fn sigterm_saves_the_note_being_typed_and_exits_143() {
    let root = workspace();
    let mut pty = Pty::spawn(root.path(), &[]);
    let at = open_picker(&mut pty);
    for c in "first-claim".chars() {
        pty.send(&c.to_string());
    }
    pty.send("\r");
    let at = pty.wait_for(at, &["Note"]);
    // Each key is drawn in a frame of its own: wait for the last one to be on screen.
    for c in "half type".chars() {
        pty.send(&c.to_string());
    }
    let at = pty.wait_for(at, &["e"]);
    pty.send("d");
    pty.wait_for(at, &["d"]);
    assert_eq!(stored(root.path()), "", "nothing saved before the signal");
    pty.signal(libc::SIGTERM);
    let (status, out) = pty.finish();
    assert_eq!(status.code(), Some(143), "{status:?}\n{}", visible(&out));
    assert_restored_and_clean(&out);
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("stopped by SIGTERM"), "{}", visible(&out));
    let store = stored(root.path());
    assert!(
        store.contains("tags = [\"first-claim\"]") && store.contains("note = \"half typed\""),
        "{store}"
    );
    assert!(
        store.contains("quote = \"Alpha beta gamma delta.\""),
        "{store}"
    );
}

#[test]
fn sigint_saves_the_checked_tags_and_exits_130() {
    let root = workspace();
    let mut pty = Pty::spawn(root.path(), &[]);
    let at = open_picker(&mut pty);
    for c in "chip".chars() {
        pty.send(&c.to_string());
    }
    pty.send(" ");
    pty.wait_for(at, &["✓"]);
    pty.signal(libc::SIGINT);
    let (status, out) = pty.finish();
    assert_eq!(status.code(), Some(130), "{status:?}\n{}", visible(&out));
    assert_restored_and_clean(&out);
    let store = stored(root.path());
    assert!(
        store.contains("tags = [\"chip-restrictions\"]") && !store.contains("note ="),
        "{store}"
    );
}

#[test]
fn sighup_with_a_hostile_article_open_exits_129_and_wrote_nothing_foreign() {
    let root = workspace();
    let mut pty = Pty::spawn(root.path(), &[]);
    let at = pty.wait_for(0, &["LIBRARY", "Hostile", "indexed 2"]);
    pty.send("j");
    pty.send("\r");
    let at = pty.wait_for(at, &["desrever"]);
    pty.send("/");
    let at = pty.wait_for(at, &["Find: "]);
    for c in "link".chars() {
        pty.send(&c.to_string());
    }
    pty.wait_for(at, &["k"]);
    pty.signal(libc::SIGHUP);
    let (status, out) = pty.finish();
    assert_eq!(status.code(), Some(129), "{status:?}\n{}", visible(&out));
    assert_restored_and_clean(&out);
    assert_eq!(
        stored(root.path()),
        "",
        "nothing was pending, nothing was written"
    );
}

#[test]
fn a_panic_restores_the_terminal_and_says_what_happened() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: the forced panic exists in debug builds only");
        return;
    }
    let root = workspace();
    let pty = Pty::spawn(root.path(), &[("NEWSGLOSS_TEST_PANIC", "1")]);
    let (status, out) = pty.finish();
    assert_eq!(status.code(), Some(101), "{status:?} {:?}", status.signal());
    assert_restored_and_clean(&out);
    let text = String::from_utf8_lossy(&out);
    let left = text.rfind("\x1b[?1049l").unwrap();
    let after = &text[left..];
    assert!(
        after.contains("newsgloss: internal error at src/tui.rs:")
            && after.contains("NEWSGLOSS_TEST_PANIC is set")
            && after.contains("please report it"),
        "{}",
        visible(after.as_bytes())
    );
    assert!(
        !after.contains("stack backtrace"),
        "{}",
        visible(after.as_bytes())
    );
}

#[test]
fn a_panic_on_another_thread_restores_the_terminal_and_exits() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: the forced panic exists in debug builds only");
        return;
    }
    let root = workspace();
    let pty = Pty::spawn(root.path(), &[("NEWSGLOSS_TEST_PANIC", "thread")]);
    let (status, out) = pty.finish();
    assert_eq!(status.code(), Some(101), "{status:?} {:?}", status.signal());
    assert_restored_and_clean(&out);
    let text = String::from_utf8_lossy(&out);
    let after = &text[text.rfind("\x1b[?1049l").unwrap()..];
    assert!(
        after.contains("newsgloss: internal error at src/tui.rs:"),
        "{}",
        visible(after.as_bytes())
    );
}

#[test]
fn a_contained_panic_leaves_the_screen_alone() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: the forced panic exists in debug builds only");
        return;
    }
    let root = workspace();
    let pty = Pty::spawn(root.path(), &[("NEWSGLOSS_TEST_PANIC", "contained")]);
    pty.wait_for(0, &["LIBRARY", "Hostile", "indexed 2"]);
    pty.signal(libc::SIGTERM);
    let (status, out) = pty.finish();
    assert_eq!(status.code(), Some(143), "{status:?}\n{}", visible(&out));
    assert_restored_and_clean(&out);
    let left = out.windows(8).filter(|w| w == b"\x1b[?1049l").count();
    assert_eq!(left, 1, "the alternate screen was left only at the end");
    assert!(!String::from_utf8_lossy(&out).contains("internal error"));
}
