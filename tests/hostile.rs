//! Hostile input from outside (a note pasted from anywhere, a shared export file, a bad config, an odd
//! file name): stored inert, every output inert, and every error telling the truth about what was given.

use std::path::PathBuf;

use predicates::prelude::*;

use crate::support::{Workspace, stdout_of};

const SEED: &str = "alibaba-cloud-spin-off";
const CHIPS: &str = "export restrictions on advanced computing chips";
/// OSC 52 (set the clipboard), OSC 0 (set the window title), an 8-bit CSI, a bidi override, hidden tag
/// characters and an Arabic number sign: what an attacker puts in a note.
const HOSTILE: &str = "set\x1b]52;c;ZXZpbA==\x07 the\x1b]0;TITLE\x07 clip\u{9b}31m \u{202e}board\u{e0041}\u{e0042} \u{600}";

/// Whether `c` must never appear in anything newsgloss writes.
fn forbidden(c: char) -> bool {
    newsgloss::article::clean::is_forbidden(c)
}

fn assert_inert(what: &str, text: &str) {
    let bad: Vec<char> = text.chars().filter(|&c| forbidden(c)).collect();
    assert!(bad.is_empty(), "{what} carries {bad:?}:\n{text}");
    assert!(
        !text.contains("]52;") && !text.contains("]0;"),
        "{what}: {text}"
    );
}

fn store_file(ws: &Workspace) -> PathBuf {
    ws.root.path().join(format!("annotations/{SEED}.toml"))
}

/// Every format of every command that prints annotations.
fn every_output(ws: &Workspace) -> Vec<(String, String)> {
    let mut outs = Vec::new();
    for format in ["toml", "json", "markdown"] {
        let out = stdout_of(ws.cmd().args(["export", "--format", format]));
        outs.push((format!("export --format {format}"), out));
    }
    for format in ["text", "json", "toml"] {
        let out = stdout_of(ws.cmd().args(["annotations", "--format", format]));
        outs.push((format!("annotations --format {format}"), out));
    }
    outs
}

#[test]
fn a_hostile_note_is_stored_inert_and_no_output_carries_it() {
    let ws = Workspace::with_seed();
    let args = ["annotate", SEED, "--quote", CHIPS, "--tag", "x", "--note"];
    stdout_of(ws.cmd().args(args).arg(HOSTILE));
    let stored = std::fs::read_to_string(store_file(&ws)).unwrap();
    assert_inert("the store file", &stored);
    assert!(stored.contains("set the clip board"), "{stored}");
    for (what, out) in every_output(&ws) {
        assert_inert(&what, &out);
        assert!(out.contains("set the clip board"), "{what}: {out}");
    }
}

/// An export file whose note, title and context carry what TOML lets be written as escapes.
fn hostile_export(ws: &Workspace) -> PathBuf {
    stdout_of(
        ws.cmd()
            .args(["annotate", SEED, "--quote", CHIPS, "--tag", "x"]),
    );
    let export = stdout_of(ws.cmd().arg("export"));
    std::fs::remove_dir_all(ws.root.path().join("annotations")).unwrap();
    let escaped = "\\u001b]52;c;ZXZpbA==\\u0007\\u009b31m\\u202e\\U000E0041";
    let export = export
        .replace(
            "tags = [\"x\"]",
            &format!("tags = [\"x\"]\nnote = \"n{escaped}ote\""),
        )
        .replace("title = \"", &format!("title = \"{escaped}"))
        .replace("prefix = \"", &format!("prefix = \"{escaped}"));
    let file = ws.root.path().join("shared.toml");
    std::fs::write(&file, export).unwrap();
    file
}

#[test]
fn an_imported_export_is_stored_inert_and_no_output_carries_it() {
    let ws = Workspace::with_seed();
    let file = hostile_export(&ws);
    let out = stdout_of(ws.cmd().arg("import").arg(&file));
    assert!(out.contains("1 added"), "{out}");
    let stored = std::fs::read_to_string(store_file(&ws)).unwrap();
    assert_inert("the store file", &stored);
    assert!(stored.contains("note = \"note\""), "{stored}");
    for (what, out) in every_output(&ws) {
        assert_inert(&what, &out);
    }
}

#[test]
fn json_and_toml_escape_what_a_hand_edited_store_file_holds() {
    let ws = Workspace::with_seed();
    stdout_of(
        ws.cmd()
            .args(["annotate", SEED, "--quote", CHIPS, "--tag", "x"]),
    );
    let path = store_file(&ws);
    let stored = std::fs::read_to_string(&path).unwrap();
    let edited = stored.replace(
        "tags = [\"x\"]",
        "tags = [\"x\"]\nnote = \"a\u{202e}b\u{e0041}c\"",
    );
    std::fs::write(&path, edited).unwrap();
    for (what, out) in every_output(&ws) {
        assert_inert(&what, &out);
    }
}

#[test]
fn an_error_quoting_a_bad_tag_shows_what_was_removed() {
    let ws = Workspace::with_seed();
    ws.cmd()
        .args([
            "annotate",
            SEED,
            "--quote",
            CHIPS,
            "--tag",
            "bad\x1b[31mtag",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            r#"tag "bad\u{1b}[31mtag" is not a tag name"#,
        ))
        .stderr(predicate::str::contains("\x1b").not());
    ws.cmd()
        .args(["annotations", "no\u{202e}such"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            r#"no article with id "no\u{202e}such""#,
        ));
}

#[test]
fn add_of_a_source_that_is_neither_file_nor_url_exits_2() {
    let ws = Workspace::new();
    ws.cmd()
        .args(["add", "/nonexistent/article.html"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/article.html"));
}

#[test]
fn import_names_duplicate_ids_and_counts_orphans_of_missing_articles() {
    let ws = Workspace::with_seed();
    let id = stdout_of(
        ws.cmd()
            .args(["annotate", SEED, "--quote", CHIPS, "--tag", "x"]),
    );
    let export = stdout_of(ws.cmd().arg("export"));
    let table = &export[export.find("[[article.annotation]]").unwrap()..];
    let twice = format!(
        "{export}\n{}",
        table.replace("tags = [\"x\"]", "tags = [\"y\"]")
    );
    let file = ws.root.path().join("twice.toml");
    std::fs::write(&file, &twice).unwrap();
    let line = twice[..twice.rfind("[[article.annotation]]").unwrap()]
        .lines()
        .count()
        + 1;
    ws.cmd()
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "twice.toml:{line}:1: annotation {} appears again",
            id.trim()
        )))
        .stdout(predicate::str::contains(
            "1 with an id repeated in the file",
        ))
        .stdout(predicate::str::contains(
            "1 unchanged, 1 not newer than a different stored copy (that one kept), 1 with an id repeated",
        ));
    // Two articles not in the content dir: both annotations are added, and both are orphans.
    let three = format!(
        "{}{}",
        export.replace(SEED, "gone-1"),
        export[export.find("[[article]]").unwrap()..].replace(SEED, "gone-2")
    );
    std::fs::write(&file, three).unwrap();
    let out = stdout_of(ws.cmd().arg("import").arg(&file));
    assert!(
        out.starts_with("imported: 2 added,") && out.contains(", 2 orphaned"),
        "{out}"
    );
}

fn with_config(ws: &Workspace, text: &str) -> PathBuf {
    let path = ws.root.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn every_numeric_bound_of_the_config_is_checked_with_its_place() {
    let ws = Workspace::with_seed();
    for (text, says) in [
        (
            "[index]\nwriter_memory_mib = 1000000\n",
            "config.toml:2:21: `index.writer_memory_mib` is 1000000, but must be 15 to 4000",
        ),
        (
            "[index]\nwriter_memory_mib = 3\n",
            "config.toml:2:21: `index.writer_memory_mib` is 3, but must be 15 to 4000",
        ),
        (
            "[search]\nlimit = 0\n",
            "config.toml:2:9: `search.limit` is 0",
        ),
        (
            "# a comment\n[ingest]\nretries = 1000\n",
            "config.toml:3:11: `ingest.retries` is 1000",
        ),
        (
            "[content]\nmax_file_bytes = 0\n",
            "config.toml:2:18: `content.max_file_bytes` is 0",
        ),
        (
            "[reader]\nmax_width = 2\n",
            "config.toml:2:13: `reader.max_width` is 2",
        ),
    ] {
        let config = with_config(&ws, text);
        ws.cmd()
            .arg("--config")
            .arg(&config)
            .arg("list")
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn bad_colours_and_keys_are_warned_on_every_command_with_their_place() {
    let ws = Workspace::with_seed();
    let text = "[theme]\ntitle = \"chartreuse-ish\"\n\n[[tags]]\nname = \"x\"\ncolor = \"#12345\"\n\n\
                [keys.reader]\n\"ctrl+nope\" = \"top\"\nq = \"fly\"\n\n[keys.nowhere]\nq = \"quit\"\n";
    let config = with_config(&ws, text);
    for command in [vec!["list"], vec!["annotations"], vec!["search", "chips"]] {
        let out = ws
            .cmd()
            .arg("--config")
            .arg(&config)
            .args(&command)
            .output()
            .unwrap();
        assert!(out.status.success(), "{command:?}: {out:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        for place in [
            "config.toml:2:9: [theme]",
            "config.toml:6:9: [[tags]]",
            "config.toml:9:1: [keys.reader]",
            "config.toml:10:1: [keys.reader]",
            "config.toml:12:7: [keys.nowhere]",
        ] {
            assert!(
                stderr.contains(place),
                "{command:?}: {place} not in {stderr}"
            );
        }
    }
}

#[test]
fn a_file_named_with_a_line_break_is_refused_like_other_controls() {
    let ws = Workspace::new();
    let body = "+++\ntitle = \"T\"\n+++\nText.\n";
    ws.write("bad\nname.md", body);
    ws.write("bad\x1bname.md", body);
    ws.write("good.md", body);
    let out = ws
        .cmd()
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    let refusals: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("file name holds control or format characters"))
        .collect();
    assert_eq!(refusals.len(), 2, "{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("\"good\"") && !stdout.contains("bad"),
        "{stdout}"
    );
}

/// Text for any field: printable words mixed with escape sequences, controls, C1, bidi, format, tag and
/// noncharacters, and arbitrary strings.
fn field() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let nasty = prop::sample::select(vec![
        "\x1b]52;c;ZXZpbA==\x07",
        "\x1b]0;TITLE\x07",
        "\x1b[31m",
        "\u{9b}31m",
        "\u{9d}0;t\u{9c}",
        "\x07",
        "\r",
        "\n",
        "\t",
        "\u{85}",
        "\u{202e}",
        "\u{2066}",
        "\u{200b}",
        "\u{feff}",
        "\u{e0041}",
        "\u{600}",
        "\u{fffe}",
        "\u{2028}",
        "\u{200d}",
        "\"",
        "\\",
        "'''",
        "\"\"\"",
        "芯片",
        "😀",
    ])
    .prop_map(str::to_owned);
    let piece = prop_oneof![3 => "[a-z ]{1,6}", 3 => nasty, 1 => any::<String>()];
    prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// The property of the `outputs` fuzz target, run by `cargo test`: every export format (TOML, W3C
    /// JSON with links, the Markdown digest, the Obsidian note, the Readwise CSV) and the store file are
    /// inert whatever the fields hold, the data formats parse, and the store keeps an inert note.
    #[test]
    fn every_output_format_is_inert(
        quote in field(), prefix in field(), suffix in field(), note in field(),
        title in field(), url in field(), author in field(),
    ) {
        use newsgloss::annotation::{Annotation, AnnotationId, AnnotationStore, ExportArticle, Relation, export_toml, markdown_digest, obsidian_note, readwise_csv, web_annotation_json};
        let now = time::OffsetDateTime::UNIX_EPOCH;
        let n = quote.chars().count();
        let mut a = Annotation::new("a", &quote, 0, n, vec!["t".into()], None, now);
        (a.quote, a.prefix, a.suffix, a.note) = (quote, prefix, suffix, Some(note.clone()));
        a.original_quote = Some(note);
        a.link(AnnotationId::new(now), Relation::Contradicts);
        let mut article = ExportArticle::missing("a", vec![a.clone()]);
        (article.title, article.url, article.author) = (title, Some(url), Some(author));
        let articles = [article];
        let toml = export_toml(&articles, now);
        let json = web_annotation_json(&articles, now);
        let csv = readwise_csv(&articles);
        let outputs = [
            ("toml", &toml),
            ("json", &json),
            ("markdown", &markdown_digest(&articles)),
            ("obsidian", &obsidian_note(&articles[0])),
            ("readwise", &csv),
        ];
        for (what, out) in outputs {
            proptest::prop_assert!(!out.chars().any(forbidden), "{}: {:?}", what, out);
        }
        proptest::prop_assert!(toml.parse::<toml::Table>().is_ok(), "{}", toml);
        let parsed = serde_json::from_str::<serde_json::Value>(&json);
        proptest::prop_assert!(parsed.is_ok(), "{}", json);
        let links = &parsed.unwrap()["first"]["items"][0]["newsgloss:links"][0];
        proptest::prop_assert_eq!(&links["rel"], "contradicts");
        let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .collect::<Result<_, _>>()
            .unwrap();
        proptest::prop_assert_eq!(rows.len(), 1, "{}", csv);
        proptest::prop_assert_eq!(rows[0].len(), 7);
        let dir = tempfile::tempdir().unwrap();
        let store = AnnotationStore::new(dir.path());
        store.add(a).unwrap();
        let file = std::fs::read_to_string(dir.path().join("a.toml")).unwrap();
        proptest::prop_assert!(!file.chars().any(forbidden), "{:?}", file);
        let stored = store.load("a").unwrap();
        let kept = stored.annotations[0].note.clone().unwrap_or_default();
        proptest::prop_assert!(!kept.chars().any(forbidden), "{:?}", kept);
    }
}
