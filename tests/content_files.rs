//! Hostile article files: front matter of 1 MiB, 10,000 nested tables, a 1 MiB single line, a
//! 100,000-line article, a FIFO and a symlink loop. `index`, `list` and `search` skip or handle each with
//! a warning naming the file, and never hang (a watchdog kills a run after 60 s and fails the test).

#![cfg(unix)]

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Workspace, article};

/// Runs `newsgloss ARGS` in `ws`, killing it and failing when it takes over 60 s.
fn run_with_watchdog(ws: &Workspace, args: &[&str]) -> Output {
    let mut child = ws
        .process()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain both pipes on threads so that a full pipe never stalls the child.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        out_pipe.read_to_end(&mut buf).map(|_| buf)
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        err_pipe.read_to_end(&mut buf).map(|_| buf)
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`newsgloss {}` hung: killed after 60 s", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap().unwrap(),
        stderr: err.join().unwrap().unwrap(),
    }
}

fn hostile_workspace() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "ok.md",
        article("Fine", "", "Export restrictions on chips."),
    );
    let keys: String = (0..11_000)
        .map(|i| format!("k{i:05} = \"{}\"\n", "x".repeat(90)))
        .collect();
    ws.write("big-front-matter.md", article("Big", &keys, "Chips too."));
    let nested = format!("x = {}1{}\n", "{a = ".repeat(10_000), "}".repeat(10_000));
    ws.write("nested-tables.md", article("Nested", &nested, "Chips."));
    let header = format!("[{}]\nb = 1\n", vec!["a"; 10_000].join("."));
    ws.write(
        "nested-header.md",
        article("Nested header", &header, "Chips."),
    );
    ws.write(
        "one-line.md",
        article("One line", "", &"chips ".repeat((1 << 20) / 6)),
    );
    let lines: String = (0..100_000).map(|i| format!("line {i} chips\n")).collect();
    ws.write("many-lines.md", article("Many lines", "", &lines));
    let fifo = ws.content().join("fifo.md");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo failed");
    std::os::unix::fs::symlink("loop.md", ws.content().join("loop.md")).unwrap();
    ws
}

#[test]
fn hostile_content_files_are_skipped_or_handled_with_a_warning_and_never_hang() {
    let ws = hostile_workspace();
    let index = run_with_watchdog(&ws, &["index"]);
    let stderr = String::from_utf8_lossy(&index.stderr);
    assert!(index.status.success(), "{stderr}");
    for (file, why) in [
        ("fifo.md", "a FIFO"),
        ("loop.md", "a symbolic link"),
        ("nested-tables.md:3:", "recurse"),
        ("nested-header.md:", "recursion"),
    ] {
        let line = stderr.lines().find(|l| l.contains(file));
        assert!(
            line.is_some_and(|l| l.contains(why) && l.contains("skipped")),
            "{file}: {line:?}"
        );
    }
    // 11,000 unknown keys are five warnings and a count, not 11,000 lines.
    let big: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("big-front-matter.md"))
        .collect();
    assert_eq!(big.len(), 6, "{big:?}");
    assert!(big[5].contains("10995 more unknown front-matter keys"));
    let stdout = String::from_utf8_lossy(&index.stdout);
    assert!(stdout.starts_with("4 articles indexed"), "{stdout}");
    let list = run_with_watchdog(&ws, &["list", "--format", "json"]);
    assert!(list.status.success());
    let listed: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let mut ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, ["big-front-matter", "many-lines", "ok", "one-line"]);
    let search = run_with_watchdog(&ws, &["search", "chips", "--format", "json"]);
    assert!(search.status.success());
    let hits: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 4);
    // Asking for the FIFO or the loop by id is an answer, not a hang.
    for id in ["fifo", "loop"] {
        let show = run_with_watchdog(&ws, &["show", id]);
        assert_eq!(show.status.code(), Some(2), "show {id}");
    }
}
