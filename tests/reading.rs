//! The reading state from the command line: `mark`, the state columns and filters of `list`, a state
//! file that does not parse, and several processes marking at once.

use std::path::PathBuf;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{Workspace, article, stdout_of};

/// A workspace of three articles whose reading state lives in `<root>/state` (`[paths] state`).
fn workspace() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "alpha.md",
        article(
            "Alpha chips",
            "source = \"KrASIA\"\npublished = 2024-01-10\ntags = [\"china\"]\n",
            "Export rules on chips.",
        ),
    );
    ws.write(
        "beta.md",
        article(
            "Beta cloud",
            "source = \"Wire\"\npublished = 2024-02-20\n",
            "A cloud outage, then a long recovery of many words.",
        ),
    );
    ws.write("gamma.md", article("Gamma", "", "No date, no source."));
    std::fs::write(
        ws.root.path().join("config.toml"),
        "[paths]\nstate = \"state\"\n\n[[feeds]]\nname = \"Wire\"\nurl = \"https://wire.example/feed\"\n",
    )
    .unwrap();
    ws
}

fn state_file(ws: &Workspace) -> PathBuf {
    ws.root.path().join("state/reading.toml")
}

fn rows(ws: &Workspace, args: &[&str]) -> Vec<Value> {
    let out = stdout_of(ws.cmd().arg("list").args(args).args(["--format", "json"]));
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn ids(ws: &Workspace, args: &[&str]) -> Vec<String> {
    rows(ws, args)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn mark_changes_what_list_shows() {
    let ws = workspace();
    let first = rows(&ws, &[]);
    assert_eq!(first.len(), 3);
    for row in &first {
        assert_eq!(
            (&row["read"], &row["starred"], &row["new"]),
            (&Value::Bool(false), &Value::Bool(false), &Value::Bool(true))
        );
    }
    let out = stdout_of(ws.cmd().args(["mark", "alpha", "beta", "--read"]));
    assert_eq!(out, "marked 2 articles read\n");
    let out = stdout_of(
        ws.cmd()
            .args(["mark", "alpha", "gamma", "--unread", "--star"]),
    );
    assert_eq!(
        out,
        "marked 1 article unread (1 already was)\nstarred 2 articles\n"
    );
    assert_eq!(ids(&ws, &["--unread"]), ["alpha", "gamma"]);
    assert_eq!(ids(&ws, &["--read"]), ["beta"]);
    assert_eq!(ids(&ws, &["--starred", "--unread"]), ["alpha", "gamma"]);
    let text = stdout_of(ws.cmd().arg("list"));
    assert!(text.lines().next().unwrap().contains("STATE"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("alpha") && l.contains("new *")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("beta") && l.contains("read")),
        "{text}"
    );
    let state = std::fs::read_to_string(state_file(&ws)).unwrap();
    assert!(state.contains("\"beta\" = { seen = "), "{state}");
    // Both flags of a pair, or none at all, are usage errors.
    ws.cmd()
        .args(["mark", "alpha", "--read", "--unread"])
        .assert()
        .code(2);
    ws.cmd().args(["mark", "alpha"]).assert().code(2);
}

#[test]
fn an_unknown_id_is_named_and_the_others_are_still_marked() {
    let ws = workspace();
    ws.cmd()
        .args(["mark", "alpha", "nope", "../etc/passwd", "--star"])
        .assert()
        .code(2)
        .stdout("starred 1 article\n")
        .stderr(predicate::str::contains(
            "no articles with ids \"nope\", \"../etc/passwd\"",
        ));
    assert_eq!(ids(&ws, &["--starred"]), ["alpha"]);
}

#[test]
fn list_filters_combine_and_sort() {
    let ws = workspace();
    stdout_of(ws.cmd().args(["mark", "beta", "--read"]));
    let cases: &[(&[&str], &[&str])] = &[
        (&["--source", "krasia"], &["alpha"]),
        (
            &["--source", "KrASIA", "--source", "wire"],
            &["alpha", "beta"],
        ),
        (&["--feed", "WIRE"], &["beta"]),
        (&["--tag", "china"], &["alpha"]),
        (&["--since", "2024-02-01"], &["beta"]),
        (&["--until", "2024-02-01"], &["alpha"]),
        (&["--unread", "--since", "2024-01-01"], &["alpha"]),
        (&["--new"], &["alpha", "beta", "gamma"]),
        (&["--sort", "date"], &["beta", "alpha", "gamma"]),
        (&["--sort", "length"], &["beta", "alpha", "gamma"]),
        (&["--sort", "title", "--unread"], &["alpha", "gamma"]),
    ];
    for (args, expected) in cases {
        assert_eq!(ids(&ws, args), *expected, "{args:?}");
    }
    let bad = |args: &[&str], says: &str| {
        ws.cmd()
            .arg("list")
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says.to_owned()));
    };
    bad(
        &["--since", "2024-13-01"],
        "`since:2024-13-01` is not a date: write it as YYYY-MM-DD",
    );
    bad(&["--until", "last week"], "is not a date");
    bad(&["--feed", "Nope"], "no feed named \"Nope\" in the config");
    bad(&["--sort", "random"], "is not a sort order");
}

#[test]
fn a_state_file_that_does_not_parse_is_never_overwritten() {
    let ws = workspace();
    stdout_of(ws.cmd().args(["mark", "alpha", "--read"]));
    let damaged = "[articles]\nalpha = { read = 2024-01-01T00:00:00Z }\nbeta = { starred = yes }\n";
    std::fs::write(state_file(&ws), damaged).unwrap();
    ws.cmd()
        .args(["mark", "beta", "--read"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("reading.toml:3:").and(predicate::str::contains(
                "not changed until the file is fixed or moved aside",
            )),
        );
    // `list` still answers, says where the file is wrong, and writes nothing either.
    ws.cmd()
        .args(["list", "--format", "json"])
        .assert()
        .success()
        .stderr(predicate::str::contains("reading.toml:3:"));
    assert_eq!(std::fs::read_to_string(state_file(&ws)).unwrap(), damaged);
    // Fixed by hand: marks go on.
    std::fs::write(
        state_file(&ws),
        "[articles]\nalpha = { read = 2024-01-01T00:00:00Z }\n",
    )
    .unwrap();
    stdout_of(ws.cmd().args(["mark", "beta", "--read"]));
    assert_eq!(ids(&ws, &["--read"]), ["alpha", "beta"]);
}

#[test]
fn mark_waits_for_another_process_and_concurrent_marks_are_all_kept() {
    let ws = workspace();
    for i in 0..12 {
        ws.write(
            &format!("n{i:02}.md"),
            article(&format!("N {i}"), "", "Text."),
        );
    }
    stdout_of(ws.cmd().args(["list"]));
    // Another process holds the state's lock: `mark` waits for it, then marks.
    let lock_path = ws.root.path().join("state/.reading.toml.lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap();
    lock.lock().unwrap();
    let mut waiting = ws
        .process()
        .args(["mark", "alpha", "--star"])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        waiting.try_wait().unwrap().is_none(),
        "mark must wait for the lock"
    );
    lock.unlock().unwrap();
    assert!(waiting.wait().unwrap().success());
    // Four processes at once, three articles each: nothing lost.
    let children: Vec<_> = (0..4)
        .map(|p| {
            let ids: Vec<String> = (0..3).map(|i| format!("n{:02}", p * 3 + i)).collect();
            ws.process()
                .arg("mark")
                .args(&ids)
                .arg("--read")
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let read = ids(&ws, &["--read"]);
    assert_eq!(read.len(), 12, "{read:?}");
    assert_eq!(ids(&ws, &["--starred"]), ["alpha"]);
}
