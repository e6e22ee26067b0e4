//! `trace` and `link` from the command line: a sentence of the seed article placed in other articles
//! verbatim, reworded, reordered and inside a paragraph, among unrelated articles that share some of its
//! words; the same for a Chinese and a Japanese sentence; links made, listed and left dangling; and a
//! smoke run over the shared corpus when it is there.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::{Workspace, article, isolated, shared_corpus, stdout_of};

const SEED: &str = "alibaba-cloud-spin-off";
const CLAIM: &str = "According to a Wall Street Journal report released in October this year, for \
                     every user served by Copilot, Microsoft incurs a monthly loss of at least USD 20, \
                     which can sometimes go as high as USD 80.";
const REWORDED: &str = "According to a Wall Street Journal story published in October, Microsoft \
                        loses at least USD 20 each month on every user Copilot serves, a figure that \
                        can sometimes reach USD 80.";
const REORDERED: &str = "Microsoft incurs a monthly loss of at least USD 20 for every user served by \
                         Copilot, which can sometimes go as high as USD 80, according to a Wall Street \
                         Journal report released in October this year.";

/// Sentences of other news, some sharing a few of the claim's words.
const OTHER: &[&str] = &[
    "Microsoft reported a monthly rise in cloud revenue in October.",
    "The Wall Street Journal said the report would be released this year.",
    "Every user of the new phone can go online at least once a day.",
    "Shares of the chip maker fell as high interest rates bit.",
    "The city council approved a new budget for parks and libraries.",
    "A storm brought heavy rain to the coast on Sunday night.",
    "Copilot, the assistant, is served to users in many countries.",
    "Analysts expect losses to narrow as costs fall next year.",
];

fn paragraph(seed: usize, n: usize) -> String {
    (0..n)
        .map(|i| OTHER[(seed + i) % OTHER.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn dated(day: u32) -> String {
    format!("source = \"Wire {day}\"\npublished = 2023-11-{day:02}\n")
}

/// The seed, the four restatements (id, the passage, the file) and 40 unrelated articles.
fn corpus() -> (Workspace, Vec<(&'static str, &'static str)>) {
    let ws = Workspace::with_seed();
    let restated = vec![
        ("verbatim", CLAIM),
        ("reworded", REWORDED),
        ("reordered", REORDERED),
        ("inside", CLAIM),
    ];
    let bodies = [
        format!("{}\n\n{CLAIM}\n\n{}", paragraph(0, 3), paragraph(3, 2)),
        format!("{}\n\n{REWORDED} {}", paragraph(1, 2), paragraph(4, 2)),
        format!("{REORDERED}\n\n{}", paragraph(2, 4)),
        format!("{} {CLAIM} {}", paragraph(5, 3), paragraph(6, 3)),
    ];
    for (i, ((id, _), body)) in restated.iter().zip(&bodies).enumerate() {
        let day = [12, 20, 8, 25][i];
        ws.write(
            &format!("{id}.md"),
            article(&format!("Story {id}"), &dated(day), body),
        );
    }
    for i in 0..40 {
        let body = format!("{}\n\n{}", paragraph(i, 4), paragraph(i + 3, 3));
        ws.write(
            &format!("other-{i:02}.md"),
            article(&format!("Other {i}"), &dated(1), &body),
        );
    }
    (ws, restated)
}

fn annotate(ws: &Workspace, id: &str, quote: &str, tag: &str) -> String {
    stdout_of(
        ws.cmd()
            .args(["annotate", id, "--quote", quote, "--tag", tag]),
    )
    .trim()
    .to_owned()
}

fn traced(ws: &Workspace, id: &str) -> Value {
    let out = stdout_of(ws.cmd().args(["trace", id, "--format", "json"]));
    serde_json::from_str(&out).unwrap()
}

fn plain(ws: &Workspace, id: &str) -> Vec<char> {
    let text = stdout_of(ws.cmd().args(["show", id, "--plain"]));
    text.trim_end_matches('\n').chars().collect()
}

#[test]
fn reworded_a_third_of_its_words_differ() {
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .collect()
    };
    let (claim, reworded) = (words(CLAIM), words(REWORDED));
    let changed = claim.iter().filter(|w| !reworded.contains(w)).count();
    assert!(changed * 3 >= claim.len(), "{changed} of {}", claim.len());
}

#[test]
fn every_restatement_is_listed_above_anything_unrelated_with_exact_offsets() {
    let (ws, restated) = corpus();
    let id = annotate(&ws, SEED, CLAIM, "copilot-losses");
    let trace = traced(&ws, &id);
    let passages = trace["passages"].as_array().unwrap();
    let listed: Vec<&str> = passages
        .iter()
        .map(|p| p["article"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed.len(),
        restated.len(),
        "only the restatements: {trace:#}"
    );
    for (article, passage) in &restated {
        let p = passages
            .iter()
            .find(|p| p["article"] == *article)
            .unwrap_or_else(|| panic!("{article} missing: {trace:#}"));
        assert_eq!(p["text"], *passage);
        let (start, end) = (
            p["start"].as_u64().unwrap() as usize,
            p["end"].as_u64().unwrap() as usize,
        );
        let text = plain(&ws, article);
        assert_eq!(
            text[start..end].iter().collect::<String>(),
            *passage,
            "{article}"
        );
        assert!(p["score"].as_f64().unwrap() >= 0.4, "{p}");
        println!("{article}: {}", p["score"]);
    }
    // The earliest of them (8 November) is the first report; none is the seed itself.
    let firsts: Vec<&str> = passages
        .iter()
        .filter(|p| p["first_report"] == true)
        .map(|p| p["article"].as_str().unwrap())
        .collect();
    assert_eq!(firsts, ["reordered"]);
    assert!(!listed.contains(&SEED));
    assert!(trace["read"].as_u64().unwrap() <= 200);
    // Text: one block per passage, the passage quoted, inert.
    let text = stdout_of(ws.cmd().args(["trace", &id, "--limit", "2"]));
    assert!(text.contains("[first report]") || text.contains("first report (below the limit)"));
    assert!(text.contains(&format!("“{CLAIM}”")), "{text}");
    assert!(text.contains("\n2 of 4 passages stating it ("), "{text}");
}

#[test]
fn a_bad_id_is_named_and_an_orphan_traces_its_quote_as_it_was() {
    let (ws, _) = corpus();
    let missing = "01900000-0000-7000-8000-000000000000";
    ws.cmd()
        .args(["trace", missing])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(missing));
    ws.cmd()
        .args(["trace", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"nope\" is not an annotation id"));
    let id = annotate(&ws, SEED, CLAIM, "copilot-losses");
    let path = ws.content().join(format!("{SEED}.md"));
    let seed = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        seed.replace(CLAIM, "A sentence said something else."),
    )
    .unwrap();
    let out = ws
        .cmd()
        .args(["trace", &id, "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is orphaned") && stderr.contains("as it was"),
        "{stderr}"
    );
    let trace: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(trace["orphaned"], true);
    assert_eq!(trace["passages"].as_array().unwrap().len(), 4);
}

#[test]
fn linking_a_passage_makes_evidence_with_the_same_tags_shown_in_annotations() {
    let (ws, _) = corpus();
    let id = annotate(&ws, SEED, CLAIM, "copilot-losses");
    let out = stdout_of(
        ws.cmd()
            .args(["trace", &id, "--link", "1", "--rel", "same"]),
    );
    assert!(
        out.starts_with("linked ") && out.contains(&format!("to {id} (same)")),
        "{out}"
    );
    let evidence = out.split_whitespace().nth(1).unwrap().to_owned();
    let listed: Value = serde_json::from_str(&stdout_of(ws.cmd().args([
        "annotations",
        "--format",
        "json",
    ])))
    .unwrap();
    let by_id = |want: &str| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == want)
            .unwrap()
            .clone()
    };
    let (first, linked) = (by_id(&id), by_id(&evidence));
    assert_eq!(linked["tags"], first["tags"]);
    assert_eq!(linked["links"][0]["id"], id.as_str());
    assert_eq!(linked["links"][0]["rel"], "same");
    assert_eq!(first["links"][0]["id"], evidence.as_str());
    // `link` by offsets; the plain text says what was linked.
    let start = plain(&ws, "reworded")
        .iter()
        .collect::<String>()
        .find(REWORDED)
        .unwrap();
    let text: String = plain(&ws, "reworded").iter().collect();
    let start = text[..start].chars().count();
    let end = (start + REWORDED.chars().count()).to_string();
    let out = stdout_of(ws.cmd().args([
        "link",
        &id,
        "--to",
        "reworded",
        "--start",
        &start.to_string(),
        "--end",
        &end,
        "--rel",
        "contradicts",
    ]));
    assert!(out.contains("(contradicts)"), "{out}");
    ws.cmd()
        .args([
            "link", &id, "--to", "reworded", "--start", "5", "--end", "999999",
        ])
        .assert()
        .code(2);
    let lines = stdout_of(ws.cmd().args(["annotations", SEED]));
    assert!(lines.contains(&format!("same {evidence}")), "{lines}");
    assert!(lines.contains("contradicts "), "{lines}");
    // Deleting the evidence leaves the link, shown as missing.
    stdout_of(ws.cmd().args(["annotations", "delete", &evidence]));
    let lines = stdout_of(ws.cmd().args(["annotations", SEED]));
    assert!(
        lines.contains(&format!("same {evidence} (missing)")),
        "{lines}"
    );
    // The TOML export carries links.
    let export = stdout_of(ws.cmd().args(["export"]));
    assert!(
        export.contains(&format!(
            "links = [{{ id = \"{evidence}\", rel = \"same\" }}"
        )),
        "{export}"
    );
}

const ZH: &str = "美国对先进计算芯片的出口限制给阿里云的分拆计划带来了不确定性。";
const ZH_REWORDED: &str = "美国对先进芯片的出口管制给阿里云的拆分计划带来了不确定性。";
const ZH_REORDERED: &str = "阿里云的分拆计划因美国对先进计算芯片的出口限制而面临不确定性。";
const JA: &str = "米国の先端半導体の輸出規制により、アリババはクラウド事業の分社化を中止した。";

#[test]
fn chinese_and_japanese_sentences_are_traced_in_their_articles() {
    let ws = Workspace::new();
    let zh = |body: &str| article("芯片", "language = \"zh\"\n", body);
    ws.write(
        "zh-own.md",
        zh(&format!("阿里巴巴发布了财报。{ZH}投资者感到担忧。")),
    );
    ws.write("zh-verbatim.md", zh(&format!("{ZH}\n\n今天天气很好。")));
    ws.write(
        "zh-reworded.md",
        zh(&format!("分析师表示担忧。{ZH_REWORDED}股价下跌。")),
    );
    ws.write("zh-reordered.md", zh(ZH_REORDERED));
    ws.write(
        "zh-inside.md",
        zh(&format!("今天北京下雨了。{ZH}公司没有回应。市场反应平淡。")),
    );
    for i in 0..10 {
        let body = format!("第{i}篇：美国的天气很好。芯片公司的股价上涨了。云计算市场继续增长。");
        ws.write(&format!("zh-other-{i}.md"), zh(&body));
    }
    let ja = |body: &str| article("半導体", "language = \"ja\"\n", body);
    ws.write(
        "ja-own.md",
        ja(&format!("決算が発表された。{JA}投資家は驚いた。")),
    );
    ws.write("ja-copy.md", ja(&format!("東京で会見が開かれた。{JA}")));
    ws.write(
        "ja-other.md",
        ja("米国の天気は晴れです。半導体の株価が上がった。"),
    );
    let id = annotate(&ws, "zh-own", ZH, "chip-restrictions");
    let trace = traced(&ws, &id);
    let found: Vec<(&str, &str)> = trace["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["article"].as_str().unwrap(), p["text"].as_str().unwrap()))
        .collect();
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            ("zh-inside", ZH),
            ("zh-reordered", ZH_REORDERED),
            ("zh-reworded", ZH_REWORDED),
            ("zh-verbatim", ZH)
        ],
        "{trace:#}"
    );
    let id = annotate(&ws, "ja-own", JA, "chip-restrictions");
    let trace = traced(&ws, &id);
    let passages = trace["passages"].as_array().unwrap();
    assert_eq!(passages.len(), 1, "{trace:#}");
    assert_eq!(
        (
            passages[0]["article"].as_str(),
            passages[0]["text"].as_str()
        ),
        (Some("ja-copy"), Some(JA))
    );
}

#[test]
fn tracing_over_the_shared_corpus_answers_within_its_bounds() {
    let Some(bbc) = shared_corpus("bbc") else {
        return;
    };
    let ws = Workspace::new();
    let run = |args: &[&str]| {
        let mut cmd = isolated(ws.root.path());
        cmd.current_dir(ws.root.path())
            .arg("--content")
            .arg(&bbc)
            .arg("--index")
            .arg(ws.index());
        stdout_of(cmd.args(args))
    };
    let first = std::fs::read_dir(&bbc)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .min()
        .unwrap();
    let id = first.file_stem().unwrap().to_str().unwrap().to_owned();
    let text = run(&["show", &id, "--plain"]);
    let sentence = text
        .split(". ")
        .find(|s| s.chars().count() > 60 && !s.contains('\n'))
        .expect("a long sentence")
        .to_owned();
    let claim = run(&["annotate", &id, "--quote", &sentence, "--tag", "smoke"]);
    let out = run(&["trace", claim.trim(), "--format", "json"]);
    let trace: Value = serde_json::from_str(&out).unwrap();
    assert!(trace["read"].as_u64().unwrap() <= 200, "{trace:#}");
    for p in trace["passages"].as_array().unwrap() {
        assert!(p["article"] != id.as_str());
        assert!(p["score"].as_f64().unwrap() >= 0.4);
    }
    println!(
        "trace over bbc: {} passages from {} candidate articles",
        trace["total"], trace["read"]
    );
}
