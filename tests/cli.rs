//! The command line, end to end, on corpora written into temp dirs.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{Workspace, article, isolated, repo, stdout_of};

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

#[test]
fn search_finds_the_seed_and_marks_the_matched_words() {
    let ws = Workspace::with_seed();
    let out = stdout_of(
        ws.cmd()
            .args(["search", "chip restrictions", "--format", "json"]),
    );
    let hits = json(&out);
    let hit = &hits[0];
    assert_eq!(hit["id"], "alibaba-cloud-spin-off");
    let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    let marked: Vec<String> = hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            snippet[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize]
                .iter()
                .collect()
        })
        .collect();
    assert!(!marked.is_empty());
    for word in &marked {
        let word = word.to_lowercase();
        assert!(
            word.starts_with("chip") || word.starts_with("restriction"),
            "{word}"
        );
    }
    // Piped text output: the snippet, and no escape sequence at all.
    let text = stdout_of(ws.cmd().args(["search", "chip", "restrictions"]));
    assert!(text.contains("alibaba-cloud-spin-off"));
    assert!(text.contains("export restrictions on advanced computing chips"));
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn show_plain_is_the_seed_paragraphs_joined_by_one_blank_line() {
    let ws = Workspace::with_seed();
    let plain = stdout_of(ws.cmd().args(["show", "alibaba-cloud-spin-off", "--plain"]));
    let golden =
        std::fs::read_to_string(repo().join("src/article/testdata/seed.plain.txt")).unwrap();
    assert_eq!(plain, format!("{}\n", golden.trim_end_matches('\n')));
    assert_eq!(plain.trim_end().split("\n\n").count(), 27);
    let shown = stdout_of(ws.cmd().args(["show", "alibaba-cloud-spin-off"]));
    assert!(shown.starts_with("Alibaba Cloud calls off its spin-off"));
    assert!(shown.contains("Author    Yong Yi"));
    assert!(
        shown.lines().all(|l| l.chars().count() <= 80),
        "wrapped to 80 columns"
    );
}

#[test]
fn the_seed_in_the_repository_matches_the_shared_seed_word_for_word() {
    let Some(seed) = crate::support::shared("seed/alibaba-cloud-spin-off.txt") else {
        return;
    };
    let seed = std::fs::read_to_string(seed).unwrap();
    let ws = Workspace::with_seed();
    let plain = stdout_of(ws.cmd().args(["show", "alibaba-cloud-spin-off", "--plain"]));
    let paragraphs: Vec<&str> = seed.split('\n').collect();
    assert_eq!(paragraphs.len(), 27);
    assert_eq!(plain, format!("{}\n", paragraphs.join("\n\n")));
}

#[test]
fn list_shows_every_article_with_its_metadata() {
    let ws = Workspace::with_seed();
    ws.write(
        "tech/chips.md",
        article(
            "Chips, again",
            "source = \"Wire\"\npublished = 2023-11-20\n",
            "Export rules tighten.",
        ),
    );
    let list = json(&stdout_of(ws.cmd().args(["list", "--format", "json"])));
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["id"], "tech/chips");
    assert_eq!(items[1]["published"], "2023-11-20");
    assert_eq!(items[1]["words"], 3);
    assert_eq!(items[0]["source"], "KrASIA");
    let text = stdout_of(ws.cmd().arg("list"));
    assert!(text.lines().next().unwrap().starts_with("ID"));
    assert!(text.contains("tech/chips"));
}

#[test]
fn query_syntax_fields_phrases_exclusion_and_dates() {
    let ws = Workspace::new();
    ws.write(
        "a.md",
        article(
            "Chip curbs",
            "source = \"KrASIA\"\npublished = 2023-11-16\ntags = [\"chips\"]\n",
            "US export restrictions on chips.",
        ),
    );
    ws.write(
        "b.md",
        article(
            "Cloud outage",
            "source = \"Wire\"\npublished = 2022-12-18\nlanguage = \"zh\"\n",
            "A cloud outage in Hong Kong, not about export.",
        ),
    );
    let ids = |query: &str| -> Vec<String> {
        let out = stdout_of(ws.cmd().args(["search", "--format", "json", "--", query]));
        let mut ids: Vec<String> = json(&out)
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids("export"), ["a", "b"]);
    assert_eq!(ids("\"export restrictions\""), ["a"]);
    assert_eq!(ids("export -outage"), ["a"]);
    assert_eq!(ids("restrictions OR outage"), ["a", "b"]);
    assert_eq!(ids("title:outage"), ["b"]);
    assert_eq!(ids("source:krasia"), ["a"]);
    assert_eq!(ids("tag:chips"), ["a"]);
    assert_eq!(ids("language:zh"), ["b"]);
    assert_eq!(ids("published:[2023-01-01 TO 2023-12-31]"), ["a"]);
    assert_eq!(ids("published:[2022-12-18 TO 2022-12-18]"), ["b"]);
    assert_eq!(ids("restricted"), ["a"], "English stemming");
}

#[test]
fn queries_as_people_type_them_find_the_seed() {
    let ws = Workspace::with_seed();
    ws.write(
        "china.md",
        article("Chips", "", "China’s chip makers answer the export rules."),
    );
    // (query, the ids expected, whether a notice says what was ignored)
    let cases: &[(&str, &[&str], bool)] = &[
        ("Alibaba's", &["alibaba-cloud-spin-off"], false),
        ("Cloud's", &["alibaba-cloud-spin-off"], false),
        ("China's chip", &["china"], false),
        ("Q2: results", &["alibaba-cloud-spin-off"], false),
        ("\"export restrictions", &["alibaba-cloud-spin-off"], true),
        ("AI (chips", &["alibaba-cloud-spin-off"], true),
        ("chips AND", &["alibaba-cloud-spin-off", "china"], true),
        ("- cloud", &["alibaba-cloud-spin-off"], true),
    ];
    for (query, expected, noticed) in cases {
        let output = ws
            .cmd()
            .args(["search", "--format", "json", "--", query])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{query}: {stderr}");
        let mut ids: Vec<String> = json(&String::from_utf8_lossy(&output.stdout))
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        assert_eq!(&ids, expected, "{query}");
        let notes = stderr
            .lines()
            .filter(|l| l.starts_with("note: query: "))
            .count();
        assert_eq!(notes > 0, *noticed, "{query}: {stderr}");
    }
}

#[test]
fn hostile_queries_get_one_clear_line_and_exit_2() {
    let ws = Workspace::with_seed();
    stdout_of(ws.cmd().arg("index"));
    let nested = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    let long = "chip ".repeat(100 * 1024 / 5);
    for query in [
        "- *",
        "",
        "   ",
        "AND",
        "\"",
        "published:[soon TO *]",
        "\"the of to and a in is for\"~1000",
        nested.as_str(),
        long.as_str(),
    ] {
        let output = ws.cmd().args(["search", "--", query]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{query:.40}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{query:.40}: {stderr}");
        assert!(stderr.starts_with("newsgloss: "), "{stderr}");
        assert!(!stderr.contains("panic"), "{stderr}");
        assert!(stderr.len() < 300, "{stderr}");
    }
    // A query starting with `-` without `--` is still a query, not a flag.
    ws.cmd().args(["search", "- *"]).assert().code(2);
}

#[test]
fn bad_files_are_skipped_with_one_warning_each_and_the_rest_loads() {
    let ws = Workspace::with_seed();
    ws.write("no-front-matter.md", "Just text.\n");
    ws.write("unterminated.md", "+++\ntitle = \"x\"\n\nbody\n");
    ws.write("bad-toml.md", "+++\ntitle = \"x\"\npublished = [\n+++\n");
    ws.write("no-title.md", "+++\nsource = \"x\"\n+++\nBody.\n");
    ws.write(
        "not-utf8.md",
        b"+++\ntitle = \"\xff\xfe\"\n+++\n".as_slice(),
    );
    ws.write("big.md", article("Big", "", &"word ".repeat(3000)));
    let config = ws.root.path().join("small.toml");
    std::fs::write(&config, "[content]\nmax_file_bytes = 10000\n").unwrap();
    let output = ws
        .cmd()
        .arg("--config")
        .arg(&config)
        .arg("index")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 6, "{stderr}");
    for (name, place) in [
        ("no-front-matter.md", ":1:1: no front matter"),
        ("unterminated.md", ":1:1: front matter is not closed"),
        ("bad-toml.md", ":3:"),
        ("no-title.md", "no `title`"),
        ("not-utf8.md", ":2:10: not UTF-8"),
        ("big.md", "over the size cap"),
    ] {
        let line = warnings
            .iter()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name}: {stderr}"));
        assert!(line.starts_with("warning: "), "{line}");
        assert!(
            line.contains(&format!("{name}{place}")) || line.contains(place),
            "{line}"
        );
    }
    let list = json(&stdout_of(
        ws.cmd()
            .arg("--config")
            .arg(&config)
            .args(["list", "--format", "json"]),
    ));
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn index_is_incremental_and_writes_nothing_when_nothing_changed() {
    let ws = Workspace::with_seed();
    for i in 0..20 {
        ws.write(
            &format!("n{i:02}.md"),
            article(&format!("Note {i}"), "", &format!("Body number {i}.")),
        );
    }
    let first = stdout_of(ws.cmd().arg("index"));
    assert!(first.contains("21 added"), "{first}");
    let before = snapshot(&ws.index());
    let second = stdout_of(ws.cmd().arg("index"));
    assert!(
        second.contains("0 added, 0 updated, 0 removed, 21 unchanged"),
        "{second}"
    );
    assert!(second.contains("nothing to write"), "{second}");
    assert_eq!(
        before,
        snapshot(&ws.index()),
        "a second index rewrote files"
    );
    // One changed file, one removed, one added.
    ws.write("n03.md", article("Note 3", "", "A new body about chips."));
    std::fs::remove_file(ws.content().join("n04.md")).unwrap();
    ws.write("n99.md", article("Note 99", "", "Fresh."));
    let third = stdout_of(ws.cmd().arg("index"));
    assert!(
        third.contains("1 added, 1 updated, 1 removed, 19 unchanged"),
        "{third}"
    );
    let hits = json(&stdout_of(
        ws.cmd().args(["search", "--format", "json", "chips"]),
    ));
    assert!(hits.as_array().unwrap().iter().any(|h| h["id"] == "n03"));
    let rebuilt = stdout_of(ws.cmd().args(["index", "--rebuild"]));
    assert!(rebuilt.contains("21 added"), "{rebuilt}");
}

/// Every file in `dir` with its size and modification time.
fn snapshot(dir: &std::path::Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                meta.len(),
                meta.modified().unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_damaged_index_is_moved_aside_and_rebuilt() {
    let ws = Workspace::with_seed();
    stdout_of(ws.cmd().arg("index"));
    std::fs::remove_file(ws.index().join("meta.json")).unwrap();
    let output = ws.cmd().args(["search", "copilot"]).output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("moved it to"));
    assert!(String::from_utf8_lossy(&output.stdout).contains("alibaba-cloud-spin-off"));
    // Garbage in a segment file.
    for entry in std::fs::read_dir(ws.index()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "idx" || e == "fast") {
            std::fs::write(&path, b"garbage").unwrap();
        }
    }
    let output = ws.cmd().args(["search", "copilot"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("alibaba-cloud-spin-off"));
}

#[test]
fn a_directory_that_is_not_an_index_is_left_alone() {
    let ws = Workspace::with_seed();
    let precious = ws.root.path().join("precious");
    std::fs::create_dir_all(&precious).unwrap();
    std::fs::write(precious.join("thesis.txt"), "mine").unwrap();
    let mut cmd = isolated(ws.root.path());
    cmd.arg("--content")
        .arg(ws.content())
        .arg("--index")
        .arg(&precious)
        .arg("index");
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a newsgloss index"));
    assert_eq!(
        std::fs::read_to_string(precious.join("thesis.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_bad_config_names_file_line_and_column_and_exits_2() {
    let ws = Workspace::with_seed();
    let config = ws.root.path().join("bad.toml");
    std::fs::write(&config, "[search]\nlimit = \"many\"\n").unwrap();
    let output = ws
        .cmd()
        .arg("--config")
        .arg(&config)
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.toml:2:9:"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // The same through the environment, and a config file that does not exist.
    let mut cmd = ws.cmd();
    cmd.env("NEWSGLOSS_CONFIG", &config).arg("list");
    cmd.assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:2:9:"));
    ws.cmd()
        .args(["--config", "/nonexistent/config.toml", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
}

#[test]
fn config_paths_are_relative_to_the_config_file() {
    let ws = Workspace::with_seed();
    let dir = ws.root.path().join("elsewhere");
    std::fs::create_dir_all(dir.join("articles")).unwrap();
    std::fs::write(
        dir.join("articles/only.md"),
        article("Only one", "", "Text."),
    )
    .unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "[paths]\ncontent = \"articles\"\nindex = \"idx\"\n",
    )
    .unwrap();
    let mut cmd = isolated(ws.root.path());
    cmd.current_dir(&dir).args(["list", "--format", "json"]);
    let list = json(&stdout_of(&mut cmd));
    assert_eq!(list[0]["id"], "only");
    assert!(dir.join("idx/meta.json").exists());
}

#[test]
fn unknown_ids_and_missing_dirs_are_bad_input() {
    let ws = Workspace::with_seed();
    ws.cmd()
        .args(["show", "no-such-article"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no article"));
    ws.cmd().args(["show", "../etc/passwd"]).assert().code(2);
    let mut cmd = isolated(ws.root.path());
    cmd.args(["--content", "/nonexistent/content", "--index"])
        .arg(ws.index())
        .arg("list");
    cmd.assert()
        .code(2)
        .stderr(predicate::str::contains("does not exist"));
    ws.cmd()
        .args(["search", "--limit", "0", "x"])
        .assert()
        .code(2);
    ws.cmd()
        .args(["search", "--format", "yaml", "x"])
        .assert()
        .code(2);
}

#[test]
fn an_empty_content_dir_is_said_not_crashed() {
    let ws = Workspace::new();
    let output = ws.cmd().arg("index").output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no articles"));
    ws.cmd()
        .args(["search", "anything"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no articles match"));
}

#[test]
fn hostile_text_never_reaches_the_output_raw() {
    let ws = Workspace::new();
    ws.write(
        "evil.md",
        "+++\ntitle = \"Evil\\u001b]52;c;aGk=\\u0007 title\\u202e\"\nsource = \"S\\u009b31m\"\n+++\n\nBody \u{1b}[31mred\u{1b}[0m and \u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{7} text.\n",
    );
    for args in [
        &["list"][..],
        &["search", "body"],
        &["show", "evil"],
        &["show", "evil", "--plain"],
    ] {
        let out = stdout_of(ws.cmd().args(args));
        assert!(
            !out.chars()
                .any(|c| c != '\n' && newsgloss::article::clean::is_forbidden(c)),
            "{args:?}: {out:?}"
        );
        assert!(
            !out.contains("[31m") && !out.contains("52;c"),
            "{args:?}: {out:?}"
        );
    }
}

/// The temp files in the index dir: ours (`.<name>.tmp.<pid>.<n>`) and tantivy's (`.tmp` and six
/// letters or digits).
fn index_temp_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp.") || (n.len() == 10 && n.starts_with(".tmp")))
        .collect()
}

/// The next run after a kill: indexes all `articles` with no warning (nothing moved aside) and finds
/// `title:<n>`.
fn next_run_indexes(ws: &Workspace, articles: usize, after: &str) {
    let out = ws.cmd().arg("index").output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        out.status.success(),
        "{after}: the next run failed: {stderr}"
    );
    assert!(
        stdout.starts_with(&format!("{articles} articles indexed")),
        "{after}: {stdout}"
    );
    assert!(!stderr.contains("moved it"), "{after}: {stderr}");
    let last = articles - 1;
    let hits = json(&stdout_of(ws.cmd().args([
        "search",
        "--format",
        "json",
        &format!("title:{last}"),
    ])));
    assert_eq!(hits[0]["id"], format!("a{last:04}"), "{after}");
}

fn write_articles(ws: &Workspace, count: usize) {
    let words = [
        "chip", "cloud", "export", "spin-off", "profit", "outage", "model", "market", "copilot",
    ];
    for i in 0..count {
        let body: Vec<&str> = (0..800)
            .map(|j| words[(i * 7 + j * 13) % words.len()])
            .collect();
        ws.write(
            &format!("a{i:04}.md"),
            article(&format!("Article {i}"), "", &body.join(" ")),
        );
    }
}

/// `newsgloss index` on a new index dir, killed (SIGKILL) after each step of making the index in turn:
/// the debug binary kills itself there when `NEWSGLOSS_TEST_KILL_AT` names the step, so every step is hit,
/// however loaded the machine. (A kill while tantivy's temp file for `.managed.json` was the only file in
/// the directory once made the next run refuse it as "not a newsgloss index and not empty".)
#[test]
fn after_kill_9_during_index_the_next_run_works_without_clean_up() {
    use std::os::unix::process::ExitStatusExt;
    let ws = Workspace::new();
    write_articles(&ws, 30);
    let mut steps = Vec::new();
    for at in 1.. {
        std::fs::remove_dir_all(ws.index()).ok();
        let out = ws
            .process()
            .env("NEWSGLOSS_TEST_KILL_AT", at.to_string())
            .arg("index")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            break;
        }
        assert_eq!(out.status.signal(), Some(9), "step {at}: {stderr}");
        let step = stderr
            .lines()
            .find_map(|l| l.split_once("of making the index: "))
            .map(|(_, step)| step.to_owned())
            .unwrap_or_else(|| panic!("step {at} is not named: {stderr}"));
        let after = format!("killed after {step}");
        next_run_indexes(&ws, 30, &after);
        // What the killed run left half-made is gone.
        assert_eq!(
            index_temp_files(&ws.index()),
            Vec::<String>::new(),
            "{after}"
        );
        steps.push(step);
    }
    // Every step of the making, from the lock to the index's first meta.json.
    assert_eq!(steps.len(), 8, "{steps:?}");
    assert_eq!(steps.first().map(String::as_str), Some("writer lock taken"));
    assert_eq!(steps.last().map(String::as_str), Some("index made"));
}

/// `newsgloss index` killed while it writes the first segments of a new index (once a segment file is
/// there): the next run indexes everything with no clean-up.
#[test]
fn after_kill_9_while_the_first_index_is_written_the_next_run_works() {
    let ws = Workspace::new();
    write_articles(&ws, 1500);
    let mut child = ws
        .process()
        .arg("index")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let segment = |dir: &std::path::Path| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".idx"))
        })
    };
    while matches!(child.try_wait(), Ok(None)) {
        if segment(&ws.index()) {
            child.kill().unwrap(); // SIGKILL
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let status = child.wait().unwrap();
    println!("the first index run ended: {status}");
    next_run_indexes(&ws, 1500, "killed while writing segments");
}

#[test]
fn a_command_logs_to_the_named_file_and_never_to_the_screen() {
    let ws = Workspace::with_seed();
    let log = ws.root.path().join("logs").join("newsgloss.log");
    let out = ws
        .cmd()
        .args(["--log", log.to_str().unwrap(), "search", "chips"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("INFO"));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("newsgloss started"), "{text}");
    assert!(text.contains("command=\"search\""), "{text}");
    // A level that is not one is the user's mistake, in one sentence.
    ws.cmd()
        .env("NEWSGLOSS_LOG", "[nonsense")
        .args(["--log", log.to_str().unwrap(), "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NEWSGLOSS_LOG"));
}

#[test]
fn completions_and_the_man_page_come_from_the_command_definitions() {
    let ws = Workspace::with_seed();
    let bash = stdout_of(ws.cmd().args(["completions", "bash"]));
    assert!(bash.contains("complete -F _newsgloss"), "{bash}");
    for word in ["annotate", "annotations", "--format", "--tag"] {
        assert!(bash.contains(word), "{word}");
    }
    let man = stdout_of(ws.cmd().arg("man"));
    assert!(man.contains(".TH newsgloss 1"), "{man}");
    ws.cmd().args(["completions", "tcsh"]).assert().code(2);
}
