//! Tracing through a small index: restatements found with their exact sentence, the quote's own
//! article and unrelated ones left out, the first report marked.

use super::*;
use crate::content;
use crate::index::SyncOptions;

const CLAIM: &str = "For every user served by Copilot, Microsoft incurs a monthly loss of at least \
                     USD 20, which can sometimes go as high as USD 80.";

fn index_of(articles: &[(&str, &str, &str)]) -> (tempfile::TempDir, ArticleIndex) {
    let dir = tempfile::tempdir().unwrap();
    for (id, date, body) in articles {
        let text = format!(
            "+++\ntitle = \"About {id}\"\nsource = \"Source {id}\"\npublished = {date}\n+++\n\n{body}\n"
        );
        std::fs::write(dir.path().join(format!("{id}.md")), text).unwrap();
    }
    let index = ArticleIndex::in_ram();
    let scan = content::scan(dir.path()).unwrap();
    index
        .sync(&scan, &SyncOptions::default(), &|_, _| {})
        .unwrap();
    (dir, index)
}

fn padding(n: usize) -> String {
    (0..n)
        .map(|i| format!("Filler sentence number {i} talks about weather and trains."))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn restatements_are_found_with_the_sentence_that_says_it() {
    let inside = format!("{} {CLAIM} {}", padding(3), padding(2));
    let (_dir, index) = index_of(&[
        ("own", "2023-11-14", CLAIM),
        ("copy", "2023-11-10", &inside),
        (
            "far",
            "2023-11-01",
            "Microsoft said every user of its cloud would see a new plan.",
        ),
    ]);
    let trace = trace(&index, "own", CLAIM, &TraceOptions::default()).unwrap();
    assert_eq!(trace.passages.len(), 1, "{:#?}", trace.passages);
    let p = &trace.passages[0];
    assert_eq!((p.article.as_str(), p.text.as_str()), ("copy", CLAIM));
    let chars: Vec<char> = inside.chars().collect();
    assert_eq!(chars[p.start..p.end].iter().collect::<String>(), CLAIM);
    assert!(p.score > 0.9 && p.first_report, "{p:?}");
    assert_eq!(trace.first_report.as_ref(), Some(p));
    assert_eq!(p.source.as_deref(), Some("Source copy"));
}

#[test]
fn a_later_passage_is_not_the_first_report_of_an_earlier_claim() {
    let (_dir, index) = index_of(&[("own", "2023-11-01", CLAIM), ("later", "2023-11-20", CLAIM)]);
    let trace = trace(&index, "own", CLAIM, &TraceOptions::default()).unwrap();
    assert_eq!(trace.passages.len(), 1);
    assert!(!trace.passages[0].first_report);
    assert_eq!(trace.first_report, None);
    let none = super::trace(&index, "own", "", &TraceOptions::default()).unwrap();
    assert!(none.passages.is_empty());
}

#[test]
fn chinese_quotes_are_traced_by_their_bigrams() {
    let quote = "美国对先进芯片的出口限制迫使阿里巴巴取消了云业务的分拆计划。";
    let reordered = "阿里巴巴取消了云业务的分拆计划，原因是美国对先进芯片的出口限制。";
    let body = format!("今天天气很好。{reordered}分析师表示这一决定令人意外。");
    let (_dir, index) = index_of(&[
        ("own", "2023-11-16", quote),
        ("zh", "2023-11-17", &body),
        (
            "other",
            "2023-11-17",
            "今天北京的天气晴朗，适合出游。美国的天气也不错。",
        ),
    ]);
    let trace = trace(&index, "own", quote, &TraceOptions::default()).unwrap();
    assert_eq!(trace.passages.len(), 1, "{:#?}", trace.passages);
    assert_eq!(trace.passages[0].text, reordered);
}
