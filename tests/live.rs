//! One live workspace from the command line: what a command changes is in the index before it returns,
//! what is changed by hand is found without `newsgloss index`, a change made while another process holds
//! the index writer lands once it is released, and reading works on a read-only file system.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{Workspace, article, stdout_of};

const SEED: &str = "alibaba-cloud-spin-off";
const CHIPS: &str = "export restrictions on advanced computing chips";

fn ids(ws: &Workspace, query: &str) -> Vec<String> {
    let out = stdout_of(ws.cmd().args(["search", "--format", "json", "--", query]));
    let hits: Value = serde_json::from_str(&out).unwrap();
    let mut ids: Vec<String> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

fn claims(ws: &Workspace, id: &str) -> u64 {
    let out = stdout_of(ws.cmd().args(["list", "--format", "json"]));
    let list: Value = serde_json::from_str(&out).unwrap();
    let row = list.as_array().unwrap().iter().find(|r| r["id"] == id);
    row.unwrap()["claims"].as_u64().unwrap()
}

#[test]
fn what_annotate_and_delete_change_is_searchable_at_once() {
    let ws = Workspace::with_seed();
    stdout_of(ws.cmd().arg("index"));
    let id = stdout_of(ws.cmd().args([
        "annotate", SEED, "--quote", CHIPS, "--tag", "outage", "--tag", "ai",
    ]));
    assert_eq!(ids(&ws, "tag:outage"), [SEED]);
    // Two tags, one claim.
    assert_eq!(claims(&ws, SEED), 1);
    stdout_of(ws.cmd().args(["annotations", "delete", id.trim()]));
    assert!(ids(&ws, "tag:outage").is_empty());
    assert_eq!(claims(&ws, SEED), 0);
}

#[test]
fn hand_edits_new_and_deleted_files_are_found_without_index() {
    let ws = Workspace::with_seed();
    ws.write("a.md", article("A", "", "Nothing of note."));
    ws.write("b.md", article("B", "", "Gone soon."));
    stdout_of(ws.cmd().arg("index"));
    assert!(ids(&ws, "gallium").is_empty());
    // An edit in place (the directory's time unchanged), a new file and a deleted one.
    std::fs::write(
        ws.content().join("a.md"),
        article("A", "", "Gallium curbs."),
    )
    .unwrap();
    ws.write("c.md", article("C", "", "More gallium."));
    std::fs::remove_file(ws.content().join("b.md")).unwrap();
    assert_eq!(ids(&ws, "gallium"), ["a", "c"]);
    let out = stdout_of(ws.cmd().args(["list", "--format", "json"]));
    assert!(!out.contains("\"b\""), "{out}");
}

#[test]
fn a_change_made_while_another_process_holds_the_writer_lands_when_it_is_released() {
    let ws = Workspace::with_seed();
    stdout_of(ws.cmd().arg("index"));
    // Another process's writer, as tantivy sees it: the same directory, its lock held.
    let other = tantivy::Index::open_in_dir(ws.index()).unwrap();
    let writer: tantivy::IndexWriter = other.writer(50_000_000).unwrap();
    ws.cmd()
        .args(["annotate", SEED, "--quote", CHIPS, "--tag", "outage"])
        .assert()
        .success()
        .stderr(predicate::str::contains("the change is saved"));
    ws.write("new.md", article("New", "", "Gallium curbs."));
    ws.cmd()
        .args(["search", "gallium"])
        .assert()
        .success()
        .stderr(predicate::str::contains("may be behind"));
    drop(writer);
    assert_eq!(ids(&ws, "tag:outage"), [SEED]);
    assert_eq!(ids(&ws, "gallium"), ["new"]);
}

#[test]
fn a_refresh_that_finds_nothing_to_write_still_answers_from_what_another_process_committed() {
    use newsgloss::index::{ArticleIndex, Refreshed, SyncOptions, WRITER_PATIENCE};
    let ws = Workspace::with_seed();
    stdout_of(ws.cmd().arg("index"));
    // A long-lived process (a reader) with the index open at the first commit.
    let (index, _) = ArticleIndex::open(&ws.index()).unwrap();
    let found = |index: &ArticleIndex| -> Vec<String> {
        let results = index.search("gallium", 10, 80).unwrap();
        results.hits.into_iter().map(|h| h.id).collect()
    };
    assert!(found(&index).is_empty());
    // Another process indexes a new file, so nothing is left for this one to write.
    ws.write("new.md", article("New", "", "Gallium curbs."));
    assert_eq!(ids(&ws, "gallium"), ["new"]);
    let options = SyncOptions {
        annotations_dir: Some(ws.root.path().join("annotations")),
        ..SyncOptions::default()
    };
    let refreshed = index
        .refresh(&ws.content(), &options, WRITER_PATIENCE, &|_, _| {})
        .unwrap();
    let Refreshed::Current(report) = refreshed else {
        panic!("the writer was free: {refreshed:?}");
    };
    assert!(!report.committed, "the other process wrote it: {report:?}");
    assert_eq!(found(&index), ["new"]);
    // Another commit, then a file no one has indexed while another process holds the writer: this
    // refresh cannot write, and answers from the other process's last commit.
    ws.write("newer.md", article("Newer", "", "Gallium again."));
    assert_eq!(ids(&ws, "gallium"), ["new", "newer"]);
    ws.write("third.md", article("Third", "", "Gallium once more."));
    let other = tantivy::Index::open_in_dir(ws.index()).unwrap();
    let writer: tantivy::IndexWriter = other.writer(50_000_000).unwrap();
    let refreshed = index
        .refresh(&ws.content(), &options, WRITER_PATIENCE / 10, &|_, _| {})
        .unwrap();
    drop(writer);
    assert!(
        matches!(refreshed, Refreshed::Behind { .. }),
        "{refreshed:?}"
    );
    let mut hits = found(&index);
    hits.sort();
    assert_eq!(hits, ["new", "newer"]);
}

/// Mounts `dir` read-only on itself (a bind mount, which needs root); `None` with a notice otherwise.
fn read_only(dir: &std::path::Path) -> Option<ReadOnly> {
    let status = std::process::Command::new("mount")
        .args(["--bind", "-o", "ro"])
        .arg(dir)
        .arg(dir)
        .stderr(std::process::Stdio::null())
        .status();
    if !status.is_ok_and(|s| s.success()) {
        println!(
            "notice: cannot bind-mount {} read-only (not root?); skipping",
            dir.display()
        );
        return None;
    }
    Some(ReadOnly(dir.to_owned()))
}

struct ReadOnly(std::path::PathBuf);

impl Drop for ReadOnly {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn reading_works_on_a_read_only_file_system() {
    let ws = Workspace::with_seed();
    stdout_of(
        ws.cmd()
            .args(["annotate", SEED, "--quote", CHIPS, "--tag", "ai"]),
    );
    stdout_of(ws.cmd().arg("index"));
    let Some(_index) = read_only(&ws.index()) else {
        return;
    };
    let Some(_annotations) = read_only(&ws.root.path().join("annotations")) else {
        return;
    };
    assert!(
        std::fs::write(ws.index().join("probe"), "x").is_err(),
        "read-only"
    );
    for args in [
        &["search", "restrictions"][..],
        &["list"],
        &["annotations"],
        &["export"],
        &["export", "--format", "json"],
    ] {
        ws.cmd()
            .args(args)
            .assert()
            .success()
            .stderr(predicate::str::is_empty());
    }
    // With the index behind, search still answers, and says so.
    ws.write("new.md", article("New", "", "Export restrictions again."));
    ws.cmd()
        .args(["search", "restrictions"])
        .assert()
        .success()
        .stdout(predicate::str::contains(SEED))
        .stderr(predicate::str::contains("may be behind"));
}

#[test]
fn small_ones_missing_arguments_closest_passage_and_plurals() {
    let ws = Workspace::with_seed();
    let output = ws.cmd().arg("annotate").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains("<ID>") && stderr.contains("--quote <TEXT>"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // Straight quotes and a double space where the text has a curly apostrophe and one space.
    let output = ws
        .cmd()
        .args([
            "annotate",
            SEED,
            "--quote",
            "Alibaba Cloud's  profits surged",
            "--tag",
            "ai",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr.contains("--quote 'Alibaba Cloud’s profits surged'"),
        "{stderr}"
    );
    // The suggested quote works.
    stdout_of(ws.cmd().args([
        "annotate",
        SEED,
        "--quote",
        "Alibaba Cloud’s profits surged",
        "--tag",
        "ai",
    ]));
    let output = ws
        .cmd()
        .args([
            "annotate",
            SEED,
            "--quote",
            "Tsai",
            "--occurrence",
            "9",
            "--tag",
            "ai",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("occurs 2 times"), "{stderr}");
    assert!(!stderr.contains("(s)"), "{stderr}");
    let one = stdout_of(ws.cmd().args(["search", "profits", "surged"]));
    assert!(one.contains("1 matching article\n"), "{one}");
}

#[test]
fn a_cjk_query_is_highlighted_as_the_whole_term() {
    let ws = Workspace::new();
    ws.write(
        "zh.md",
        article(
            "出口",
            "language = \"zh\"\n",
            "出口增长。美国的出口管制收紧了，出口管制影响芯片。",
        ),
    );
    let out = stdout_of(ws.cmd().args(["search", "--format", "json", "出口管制"]));
    let hits: Value = serde_json::from_str(&out).unwrap();
    let snippet: Vec<char> = hits[0]["snippet"].as_str().unwrap().chars().collect();
    let marked: Vec<String> = hits[0]["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            snippet[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize]
                .iter()
                .collect()
        })
        .collect();
    assert_eq!(marked, ["出口管制", "出口管制"], "{out}");
}
