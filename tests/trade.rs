//! Trading annotations with other tools: Hypothesis rows and W3C Web Annotation JSON imported (the format
//! detected, rows that fit nothing reported), Obsidian notes exported twice around what the user wrote,
//! Readwise's CSV read by Python's `csv` module, the tag vocabulary carried and added to the config, and
//! exports that are the same bytes for the same store.

use std::process::Command as Process;

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::support::{Workspace, article, stdout_of};

const SEED: &str = "alibaba-cloud-spin-off";
const COPILOT: &str = "Microsoft incurs a monthly loss of at least USD 20";
const CHIPS: &str = "export restrictions on advanced computing chips";

const CHIPS_BODY: &str = "Washington tightened its rules again on Tuesday.\n\nThe new export \
    restrictions on advanced chips cover more products, officials said. Vendors in Shenzhen, \
    Taipei and Seoul expect delays.\n\nThe rules take effect in thirty days.";
const CLOUD_BODY: &str = "Cloud providers in China budget their computing power carefully.\n\n\
    Alibaba Cloud reported a 264% increase in profit, while its revenue grew 2%.";

/// A workspace with two articles that have urls, and a config with a comment and one tag.
fn two_articles() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "chips.md",
        article(
            "Chip rules",
            "url = \"https://www.example.com/news/chips\"\nsource = \"Wire\"\n",
            CHIPS_BODY,
        ),
    );
    ws.write(
        "cloud.md",
        article(
            "Cloud profits",
            "url = \"https://example.org/cloud/\"\n",
            CLOUD_BODY,
        ),
    );
    std::fs::write(
        ws.root.path().join("config.toml"),
        "# the desk's config: keep this comment\n\n[[tags]]\nname = \"outage\"\ndescription = \"Failures\"\ncolor = \"red\"\n",
    )
    .unwrap();
    ws
}

/// A Hypothesis API row in its documented shape.
fn row(id: &str, uri: &str, selectors: Value, tags: &[&str], text: &str) -> Value {
    json!({
        "id": id,
        "created": "2026-03-01T10:15:30.123456+00:00",
        "updated": "2026-03-02T08:00:00.654321+00:00",
        "user": "acct:ana@hypothes.is",
        "uri": uri,
        "text": text,
        "tags": tags,
        "group": "__world__",
        "permissions": {
            "read": ["group:__world__"], "admin": ["acct:ana@hypothes.is"],
            "update": ["acct:ana@hypothes.is"], "delete": ["acct:ana@hypothes.is"],
        },
        "target": [{ "source": uri, "selector": selectors }],
        "document": { "title": ["A page"] },
        "links": {
            "html": format!("https://hypothes.is/a/{id}"),
            "incontext": format!("https://hyp.is/{id}/example.com"),
            "json": format!("https://hypothes.is/api/annotations/{id}"),
        },
        "hidden": false,
        "flagged": false,
        "references": [],
        "user_info": { "display_name": "Ana" },
    })
}

fn quote(exact: &str, prefix: &str, suffix: &str, start: usize) -> Value {
    json!([
        {
            "type": "RangeSelector", "startContainer": "/main[1]/p[2]", "startOffset": 8,
            "endContainer": "/main[1]/p[2]", "endOffset": 48,
        },
        { "type": "TextPositionSelector", "start": start, "end": start + exact.len() },
        { "type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix },
    ])
}

fn listed(ws: &Workspace) -> Vec<Value> {
    let out = stdout_of(ws.cmd().args(["annotations", "--format", "json"]));
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn hypothesis_rows_are_placed_or_reported_one_line_each() {
    let ws = two_articles();
    let mut reply = row(
        "Reply000000000000000000",
        "https://www.example.com/news/chips",
        json!([]),
        &[],
        "I agree",
    );
    reply["references"] = json!(["Zx1aQ2bR3cS4dT5eU6fV7g"]);
    reply["target"] = json!([{ "source": "https://www.example.com/news/chips" }]);
    let rows = vec![
        row(
            "Zx1aQ2bR3cS4dT5eU6fV7g",
            "https://www.example.com/news/chips",
            quote(
                "export restrictions on advanced chips",
                "The new ",
                " cover more",
                900,
            ),
            &["Chip restrictions"],
            "A note, with \"quotes\",\nand a second line",
        ),
        row(
            "Ab1cD2eF3gH4iJ5kL6mN7o",
            "HTTPS://EXAMPLE.ORG/cloud",
            quote("264% increase in profit", "reported a ", ", while", 3),
            &["cloud", "AI"],
            "",
        ),
        row(
            "Nowhere0000000000000000",
            "https://example.net/elsewhere",
            quote("anything", "", "", 0),
            &["x"],
            "no such page",
        ),
        reply,
        row(
            "Gone0000000000000000000",
            "https://example.org/cloud",
            quote("a sentence that is not there", "", "", 0),
            &["cloud"],
            "",
        ),
    ];
    let rows = json!({ "total": rows.len(), "rows": rows });
    let file = ws.root.path().join("hypothesis.json");
    std::fs::write(&file, serde_json::to_string_pretty(&rows).unwrap()).unwrap();
    let output = ws.cmd().arg("import").arg(&file).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("imported: 2 added, 0 updated, 0 unchanged, 0 orphaned, 3 not imported"),
        "{stdout}"
    );
    for (n, id, why) in [
        (3, "Nowhere0000000000000000", "no article has the url"),
        (4, "Reply000000000000000000", "no usable selector"),
        (
            5,
            "Gone0000000000000000000",
            "the quote is not in article \"cloud\"",
        ),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(&format!("row {n} (id {id}")))
            .unwrap_or_else(|| panic!("{stderr}"));
        assert!(line.contains(why), "{line}");
    }
    assert_eq!(
        stderr.lines().filter(|l| l.contains(": row ")).count(),
        3,
        "{stderr}"
    );

    let claims = listed(&ws);
    assert_eq!(claims.len(), 2);
    let chips = claims.iter().find(|c| c["article"] == "chips").unwrap();
    assert_eq!(chips["quote"], "export restrictions on advanced chips");
    assert_eq!(chips["tags"], json!(["chip-restrictions"]));
    assert_eq!(chips["note"], "A note, with \"quotes\",\nand a second line");
    assert_eq!(chips["orphaned"], false);
    let plain = stdout_of(ws.cmd().args(["show", "chips", "--plain"]));
    let chars: Vec<char> = plain.chars().collect();
    let (start, end) = (
        chips["start"].as_u64().unwrap() as usize,
        chips["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        chars[start..end].iter().collect::<String>(),
        "export restrictions on advanced chips"
    );
    let cloud = claims.iter().find(|c| c["article"] == "cloud").unwrap();
    assert_eq!(cloud["quote"], "264% increase in profit");
    assert_eq!(cloud["tags"], json!(["cloud", "ai"]));
    assert_eq!(cloud["note"], Value::Null);
    let full = stdout_of(ws.cmd().args([
        "annotations",
        "--format",
        "json",
        "--creator",
        "ana@hypothes.is",
    ]));
    assert_eq!(
        serde_json::from_str::<Value>(&full)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The new tags went into the config in use, its comment kept.
    assert!(stdout.contains("added 3 tags to"), "{stdout}");
    assert!(stdout.contains("ai, chip-restrictions, cloud"), "{stdout}");
    let config = std::fs::read_to_string(ws.root.path().join("config.toml")).unwrap();
    assert!(config.starts_with("# the desk's config: keep this comment\n"));
    let parsed: toml::Table = toml::from_str(&config).unwrap();
    let names: Vec<&str> = parsed["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["outage", "ai", "chip-restrictions", "cloud"]);

    // Importing the same rows again finds them: nothing is added twice.
    let again = ws.cmd().arg("import").arg(&file).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 added, 0 updated, 2 unchanged"));
    assert_eq!(listed(&ws).len(), 2);
}

/// The seed with three claims, two with notes.
fn seed_with_claims() -> Workspace {
    let ws = Workspace::with_seed();
    for (quote, tag, note) in [
        (
            COPILOT,
            "copilot-losses",
            "What it costs, per user, a month",
        ),
        (CHIPS, "chip-restrictions", ""),
        (
            "it has just announced its decision to terminate the Alibaba Cloud spin-off",
            "spin-off",
            "Called off, with \"care\"",
        ),
    ] {
        let mut cmd = ws.cmd();
        cmd.args(["annotate", SEED, "--quote", quote, "--tag", tag]);
        if !note.is_empty() {
            cmd.args(["--note", note]);
        }
        stdout_of(&mut cmd);
    }
    ws
}

#[test]
fn a_w3c_export_imported_into_an_empty_store_exports_the_same_bytes() {
    let ws = seed_with_claims();
    // One claim linked to a passage of the same article: evidence made, linked both ways.
    let first = listed(&ws)[0]["id"].as_str().unwrap().to_owned();
    let linked = ws
        .cmd()
        .args(["link", &first, "--to", SEED, "--start", "0", "--end", "12"])
        .args(["--rel", "contradicts"])
        .output()
        .unwrap();
    assert!(linked.status.success(), "{linked:?}");
    for format in ["json", "toml"] {
        let first = stdout_of(
            ws.cmd()
                .args(["export", "--format", format, "--no-timestamp"]),
        );
        assert_eq!(
            first,
            stdout_of(
                ws.cmd()
                    .args(["export", "--format", format, "--no-timestamp"])
            )
        );
        assert!(
            !first.contains("generated") && !first.contains("exported ="),
            "{first}"
        );
        let fresh = Workspace::with_seed();
        let file = fresh.root.path().join(format!("export.{format}"));
        std::fs::write(&file, &first).unwrap();
        let out = stdout_of(fresh.cmd().arg("import").arg(&file));
        assert!(out.contains("imported: 4 added"), "{out}");
        let links = if format == "json" {
            "\"newsgloss:links\""
        } else {
            "links = "
        };
        assert_eq!(first.matches(links).count(), 2, "{format}: {first}");
        assert!(first.contains("contradicts"), "{first}");
        let second = stdout_of(
            fresh
                .cmd()
                .args(["export", "--format", format, "--no-timestamp"]),
        );
        assert_eq!(first, second, "{format}: export, import, export");
    }
}

#[test]
fn others_web_annotations_are_placed_by_their_source_url() {
    let ws = two_articles();
    let one = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.net/anno/1",
        "type": "Annotation",
        "body": [
            { "type": "TextualBody", "value": "Vendors", "purpose": "tagging" },
            { "type": "TextualBody", "value": "Delays ahead", "format": "text/plain" },
        ],
        "target": {
            "source": "https://www.example.com/news/chips/",
            "selector": { "type": "TextQuoteSelector", "exact": "Vendors in Shenzhen, Taipei and Seoul expect delays" },
        },
    });
    let file = ws.root.path().join("one.jsonld");
    std::fs::write(&file, one.to_string()).unwrap();
    let out = stdout_of(ws.cmd().arg("import").arg(&file));
    assert!(out.contains("imported: 1 added"), "{out}");
    let claims = listed(&ws);
    assert_eq!(
        claims[0]["quote"],
        "Vendors in Shenzhen, Taipei and Seoul expect delays"
    );
    assert_eq!(claims[0]["tags"], json!(["vendors"]));
    assert_eq!(claims[0]["note"], "Delays ahead");
}

#[test]
fn a_file_in_no_known_format_is_one_sentence_and_exit_2() {
    let ws = two_articles();
    for (name, text) in [
        ("a.json", "{\"hello\": 1}"),
        ("b.txt", "just some words"),
        ("c.json", "[{\"uri\": "),
    ] {
        let file = ws.root.path().join(name);
        std::fs::write(&file, text).unwrap();
        ws.cmd()
            .arg("import")
            .arg(&file)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "is in no format newsgloss imports",
            ))
            .stderr(predicate::function(|s: &str| s.trim().lines().count() == 1));
    }
}

#[test]
fn obsidian_notes_keep_what_the_user_wrote_and_follow_the_claims() {
    let ws = seed_with_claims();
    let vault = ws.root.path().join("vault");
    let out = stdout_of(
        ws.cmd()
            .args(["export", "--format", "obsidian", "-o"])
            .arg(&vault),
    );
    assert!(out.contains("1 note written"), "{out}");
    let path = vault.join(format!("{SEED}.md"));
    let first = std::fs::read_to_string(&path).unwrap();
    assert!(first.starts_with("---\ntitle: \"Alibaba Cloud calls off its spin-off as US chip export restrictions bite\"\nsource: \"KrASIA\"\nauthor: \"Yong Yi\"\n"), "{first}");
    let claims = listed(&ws);
    for claim in &claims {
        assert!(
            first.contains(&format!(" ^{}\n", claim["id"].as_str().unwrap())),
            "{first}"
        );
    }
    assert!(first.contains("> #copilot-losses\n>\n> What it costs, per user, a month ^"));
    // The user writes around the section; a claim is edited, another deleted.
    let mine = first.replace("---\n\n<!--", "---\n\nMy reading notes.\n\n<!--")
        + "\nSee also: [[Chips]]\n";
    std::fs::write(&path, &mine).unwrap();
    let copilot = claims.iter().find(|c| c["quote"] == COPILOT).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let chips = claims.iter().find(|c| c["quote"] == CHIPS).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    stdout_of(ws.cmd().args([
        "annotations",
        "edit",
        &copilot,
        "--note",
        "Edited: USD 20 at least",
    ]));
    stdout_of(ws.cmd().args(["annotations", "delete", &chips]));
    stdout_of(
        ws.cmd()
            .args(["export", "--format", "obsidian", "-o"])
            .arg(&vault),
    );
    let second = std::fs::read_to_string(&path).unwrap();
    assert!(second.contains("\nMy reading notes.\n"));
    assert!(
        second.ends_with("<!-- newsgloss:end -->\n\nSee also: [[Chips]]\n"),
        "{second}"
    );
    assert!(second.contains(&format!("> Edited: USD 20 at least ^{copilot}\n")));
    assert!(!second.contains("What it costs"));
    assert!(!second.contains(&chips), "the deleted claim left");
    assert_eq!(second.matches(&copilot).count(), 1, "nothing duplicated");
    assert_eq!(second.matches("<!-- newsgloss:begin").count(), 1);
    let third = stdout_of(
        ws.cmd()
            .args(["export", "--format", "obsidian", "-o"])
            .arg(&vault),
    );
    assert!(
        third.contains("0 notes written") && third.contains("1 unchanged"),
        "{third}"
    );

    // A note the user wrote under the same name is never rewritten: ours goes beside it.
    let other = ws.root.path().join("vault2");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join(format!("{SEED}.md")), "# My own note\n").unwrap();
    ws.cmd()
        .args(["export", "--format", "obsidian", "-o"])
        .arg(&other)
        .assert()
        .success()
        .stderr(predicate::str::contains("was not written by newsgloss"));
    assert_eq!(
        std::fs::read_to_string(other.join(format!("{SEED}.md"))).unwrap(),
        "# My own note\n"
    );
    assert!(
        std::fs::read_to_string(other.join(format!("{SEED}.newsgloss.md")))
            .unwrap()
            .contains("^")
    );
}

#[test]
fn readwise_csv_parses_with_python_one_row_per_claim() {
    let ws = seed_with_claims();
    let claims = listed(&ws);
    let id = claims.iter().find(|c| c["quote"] == COPILOT).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let note = "Commas, \"quotes\"\nand a new line";
    stdout_of(ws.cmd().args(["annotations", "edit", &id, "--note", note]));
    let csv = stdout_of(ws.cmd().args(["export", "--format", "readwise"]));
    let script = "import csv, io, json, sys\n\
        rows = list(csv.DictReader(io.StringIO(sys.stdin.read(), newline='')))\n\
        print(json.dumps(rows))";
    let mut child = Process::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(csv.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 3, "one row per claim");
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 7);
    for column in [
        "Highlight",
        "Title",
        "Author",
        "URL",
        "Note",
        "Location",
        "Date",
    ] {
        assert!(rows[0].get(column).is_some(), "{column}");
    }
    let copilot = rows.iter().find(|r| r["Highlight"] == COPILOT).unwrap();
    assert_eq!(copilot["Note"], format!(".copilot-losses\n{note}"));
    assert_eq!(
        copilot["Title"],
        "Alibaba Cloud calls off its spin-off as US chip export restrictions bite"
    );
    assert_eq!(copilot["Author"], "Yong Yi");
    let chips = rows.iter().find(|r| r["Highlight"] == CHIPS).unwrap();
    assert_eq!(chips["Note"], ".chip-restrictions");
}

#[test]
fn the_toml_export_carries_the_vocabulary_and_import_adds_it() {
    let ws = seed_with_claims();
    let export = stdout_of(ws.cmd().args(["export", "--no-timestamp"]));
    let parsed: toml::Table = toml::from_str(&export).unwrap();
    let tags = parsed["tags"].as_array().unwrap();
    let names: Vec<&str> = tags.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["chip-restrictions", "copilot-losses", "spin-off"]);
    assert!(
        tags.iter()
            .all(|t| t.get("description").is_some() && t.get("color").is_some())
    );
    // A colleague whose config knows none of them imports it.
    let colleague = Workspace::with_seed();
    std::fs::write(
        colleague.root.path().join("config.toml"),
        "# mine\n[[tags]]\nname = \"outage\"\n",
    )
    .unwrap();
    let file = colleague.root.path().join("shared.toml");
    std::fs::write(&file, &export).unwrap();
    let out = stdout_of(colleague.cmd().arg("import").arg(&file));
    assert!(out.contains("added 3 tags to"), "{out}");
    let config: toml::Table = toml::from_str(
        &std::fs::read_to_string(colleague.root.path().join("config.toml")).unwrap(),
    )
    .unwrap();
    let copilot = config["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"].as_str() == Some("copilot-losses"))
        .unwrap();
    assert_eq!(
        copilot["description"].as_str(),
        tags.iter()
            .find(|t| t["name"].as_str() == Some("copilot-losses"))
            .unwrap()["description"]
            .as_str()
    );
    assert!(copilot.get("color").is_some());
}

#[test]
fn a_tag_or_article_that_does_not_exist_names_the_closest() {
    let ws = seed_with_claims();
    ws.cmd()
        .args(["export", "--tag", "copilot-loses"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no tag \"copilot-loses\"; the closest is \"copilot-losses\"",
        ));
    ws.cmd()
        .args(["export", "--article", "alibaba-cloud-spinoff"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "no article \"alibaba-cloud-spinoff\"; the closest is \"{SEED}\""
        )));
}

#[test]
fn the_markdown_digest_shows_source_and_date_not_offsets() {
    let ws = seed_with_claims();
    let digest = stdout_of(ws.cmd().args(["export", "--format", "markdown"]));
    assert!(
        digest.contains(
            "— Alibaba Cloud calls off its spin-off as US chip export restrictions bite · KrASIA\n"
        ),
        "{digest}"
    );
    assert!(!digest.contains(".."), "no offsets: {digest}");
}
