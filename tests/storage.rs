//! Damaged files from the command line: annotation store files that do not parse (reported with
//! `file:line:col`, never written, restorable from a backup), index damage of four kinds (moved aside and
//! rebuilt, the annotations untouched), and a second newsgloss while one holds the index writer.

use std::collections::BTreeMap;
use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{Workspace, article, stdout_of};

const SEED: &str = "alibaba-cloud-spin-off";
const CHIPS: &str = "export restrictions on advanced computing chips";
const COPILOT: &str = "Microsoft incurs a monthly loss of at least USD 20";
const SPIN_OFF: &str = "it has just announced its decision to terminate the Alibaba Cloud spin-off";

fn annotate(ws: &Workspace, id: &str, quote: &str) {
    stdout_of(
        ws.cmd()
            .args(["annotate", id, "--quote", quote, "--tag", "ai"]),
    );
}

/// A workspace with the seed (two annotations) and a second article (one).
fn annotated() -> Workspace {
    let ws = Workspace::with_seed();
    ws.write(
        "other.md",
        article("Other", "", "Cloud outages in Hong Kong."),
    );
    annotate(&ws, SEED, SPIN_OFF);
    annotate(&ws, SEED, CHIPS);
    annotate(&ws, "other", "Cloud outages");
    ws
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(dir).unwrap().display().to_string();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn corruptions(good: &str) -> Vec<(&'static str, Vec<u8>)> {
    let start = good.lines().find(|l| l.starts_with("start = ")).unwrap();
    let mut not_utf8 = good.as_bytes().to_vec();
    not_utf8.insert(good.len() / 2, 0xff);
    vec![
        ("truncated", good.as_bytes()[..good.len() / 2].to_vec()),
        ("not UTF-8", not_utf8),
        (
            "duplicate key",
            good.replacen(start, &format!("{start}\n{start}"), 1)
                .into_bytes(),
        ),
        (
            "wrong type",
            good.replacen(start, "start = [1]", 1).into_bytes(),
        ),
        (
            "20,000 nested [",
            format!("{good}x = {}\n", "[".repeat(20_000)).into_bytes(),
        ),
    ]
}

#[test]
fn a_corrupt_store_file_is_located_left_alone_and_restored_from_its_backup() {
    let template = annotated();
    let path = template
        .root
        .path()
        .join(format!("annotations/{SEED}.toml"));
    let good = std::fs::read_to_string(&path).unwrap();
    for (what, bad) in corruptions(&good) {
        let ws = annotated();
        let path = ws.root.path().join(format!("annotations/{SEED}.toml"));
        std::fs::write(&path, &bad).unwrap();
        let place = predicate::str::is_match(format!("{SEED}\\.toml:\\d+:\\d+: ")).unwrap();
        let restore = format!("newsgloss annotations restore {SEED}");
        let failed = ws
            .cmd()
            .args(["annotate", SEED, "--quote", COPILOT, "--tag", "ai"])
            .assert()
            .code(1)
            .stderr(place.clone())
            .stderr(predicate::str::contains(restore.as_str()));
        assert_eq!(
            String::from_utf8_lossy(&failed.get_output().stderr)
                .lines()
                .count(),
            1,
            "{what}: one sentence"
        );
        // The rest works: the other article's annotation is listed, with a warning about this one.
        let out = ws
            .cmd()
            .args(["annotations", "--format", "json"])
            .assert()
            .success()
            .stderr(place);
        let listed: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 1, "{what}");
        annotate(&ws, "other", "Hong Kong");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bad,
            "{what}: the file changed"
        );
        // Restoring puts back the version before the last save, and keeps the damaged file.
        ws.cmd()
            .args(["annotations", "restore", SEED])
            .assert()
            .success()
            .stdout(predicate::str::contains("restored 1 annotation of"));
        let kept = path.with_file_name(format!("{SEED}.toml.corrupt"));
        assert_eq!(std::fs::read(&kept).unwrap(), bad, "{what}");
        let out = stdout_of(ws.cmd().args(["annotations", SEED, "--format", "json"]));
        let listed: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(listed.as_array().unwrap().len(), 1, "{what}");
        ws.cmd()
            .args(["annotations", "restore", SEED])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("nothing to restore"));
    }
}

/// The four kinds of index damage, each done to a fresh index in `dir`.
fn damage(kind: &str, dir: &Path) {
    match kind {
        "meta.json deleted" => std::fs::remove_file(dir.join("meta.json")).unwrap(),
        ".managed.json garbled" => std::fs::write(dir.join(".managed.json"), "{[}").unwrap(),
        "schema version changed" => {
            let marker = dir.join("newsgloss-index.toml");
            let text = std::fs::read_to_string(&marker).unwrap();
            let changed: String = text
                .lines()
                .map(|l| match l.starts_with("schema_version") {
                    true => "schema_version = 1\n".to_owned(),
                    false => format!("{l}\n"),
                })
                .collect();
            assert_ne!(changed, text);
            std::fs::write(&marker, changed).unwrap();
        }
        segment => {
            let ext = segment.trim_start_matches("truncated .");
            let file = std::fs::read_dir(dir)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == ext))
                .unwrap_or_else(|| panic!("no .{ext} file"));
            let len = std::fs::metadata(&file).unwrap().len();
            let f = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
            f.set_len(len / 2).unwrap();
        }
    }
}

#[test]
fn a_damaged_index_is_moved_aside_and_rebuilt_and_the_annotations_untouched() {
    let ws = annotated();
    let annotations = ws.root.path().join("annotations");
    let kinds = [
        "meta.json deleted",
        ".managed.json garbled",
        "schema version changed",
        "truncated .idx",
        "truncated .term",
        "truncated .pos",
        "truncated .store",
        "truncated .fast",
        "truncated .fieldnorm",
    ];
    for kind in kinds {
        stdout_of(ws.cmd().args(["index", "--rebuild"]));
        let before = snapshot(&annotations);
        damage(kind, &ws.index());
        let out = ws
            .cmd()
            .args(["search", "restrictions", "--format", "json"])
            .assert()
            .success()
            .stderr(
                predicate::str::contains("could not be used")
                    .and(predicate::str::contains("moved it to")),
            );
        let hits: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(hits[0]["id"], SEED, "{kind}");
        let old = ws.root.path().join("index.old");
        assert!(old.is_dir(), "{kind}: not moved aside");
        assert_eq!(
            snapshot(&annotations),
            before,
            "{kind}: annotations changed"
        );
        // The rebuilt index is whole: the next run has nothing to do.
        let out = stdout_of(ws.cmd().arg("index"));
        assert!(out.contains("nothing to write"), "{kind}: {out}");
    }
}

#[test]
fn a_second_newsgloss_reads_while_another_holds_the_index_writer() {
    let ws = annotated();
    stdout_of(ws.cmd().arg("index"));
    // Another process's writer, as tantivy sees it: the same directory, its lock held.
    let other = tantivy::Index::open_in_dir(ws.index()).unwrap();
    let writer: tantivy::IndexWriter = other.writer(50_000_000).unwrap();
    // Up to date: nothing to write, so nothing to say.
    ws.cmd()
        .args(["search", "restrictions"])
        .assert()
        .success()
        .stdout(predicate::str::contains(SEED))
        .stderr(predicate::str::is_empty());
    ws.cmd().arg("list").assert().success();
    ws.write("new.md", article("New", "", "Chips again."));
    ws.cmd()
        .args(["search", "restrictions"])
        .assert()
        .success()
        .stdout(predicate::str::contains(SEED))
        .stderr(predicate::str::contains("read-only"));
    ws.cmd()
        .arg("index")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("busy"));
    // Annotating needs no index writer.
    annotate(&ws, SEED, COPILOT);
    drop(writer);
    ws.cmd()
        .args(["search", "chips"])
        .assert()
        .success()
        .stdout(predicate::str::contains("new"))
        .stderr(predicate::str::contains("read-only").not());
}
