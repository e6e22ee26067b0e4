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

#[test]
fn the_index_positions_of_terms_find_the_paragraphs_that_analysis_finds_them_in() {
    let bodies = [
        "Restricted chips.\n\nWeather and trains. Copilot users.\n\n\n\nNothing here.\n\nMicrosoft's Copilot restrictions.",
        "天气很好。\n\n美国限制芯片出口，华为Mate60发布。\n\n没有。\n\nA word, then 芯片 again.",
        "No seed at all.\n\nStill none.",
    ];
    let (_dir, index) = index_of(&[
        ("en", "2023-11-01", bodies[0]),
        ("zh", "2023-11-02", bodies[1]),
        ("none", "2023-11-03", bodies[2]),
    ]);
    let searcher = index.searcher();
    let fields = index.fields();
    let seeds = ["copilot", "restrict", "芯片", "mate60"];
    let found: Vec<DocAddress> = ["en", "zh", "none"]
        .iter()
        .map(|id| {
            let term = tantivy::Term::from_field_text(fields.id, id);
            let query =
                tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
            let top = tantivy::collector::TopDocs::with_limit(1).order_by_score();
            searcher.search(&query, &top).unwrap()[0].1
        })
        .collect();
    let held = positions::positions(&searcher, fields, &seeds, &found).unwrap();
    let mut analyzer = Analyzer::default();
    for (body, positions) in bodies.iter().zip(&held) {
        let expected: Vec<&str> = paragraphs(body)
            .map(|p| &body[p])
            .filter(|p| {
                let terms = analyzer.terms(p);
                terms.iter().any(|t| seeds.contains(&analyzer.text_of(t.1)))
            })
            .collect();
        let by_positions: Vec<&str> = positions::paragraphs_at(body, paragraphs(body), positions)
            .expect("positions within the body")
            .into_iter()
            .map(|held| &body[held.bytes])
            .collect();
        assert_eq!(by_positions, expected, "{body}");
    }
    assert_eq!(held[2], Vec::<u32>::new());
    assert!(held[0].len() >= 4, "{:?}", held[0]);
}

#[test]
fn reading_only_the_sentences_the_positions_point_to_finds_the_window_reading_all_finds() {
    let quote =
        "Microsoft incurs a monthly loss on every Copilot user, 芯片出口限制使阿里云取消分拆。";
    let long_run = format!("{}芯片出口{}", "天".repeat(700), "云".repeat(300));
    let bodies = [
        format!(
            "{} Copilot users cost money. {CLAIM} {}\n\nMicrosoft said so.",
            padding(2),
            padding(4)
        ),
        format!(
            "Loss.\n\n{} Every Copilot user. A monthly loss. {} Microsoft incurs it.",
            padding(1),
            padding(1)
        ),
        format!("今天天气很好。美国的芯片出口限制使阿里云取消了分拆。\n\n{long_run}。阿里云说。"),
        "Nothing of it here.\n\nNor here.".to_owned(),
        "Microsoft incurs it. On every user, monthly. A Copilot loss.".to_owned(),
    ];
    let articles: Vec<(String, &str)> = bodies
        .iter()
        .enumerate()
        .map(|(i, b)| (format!("b{i}"), b.as_str()))
        .collect();
    let listed: Vec<(&str, &str, &str)> = articles
        .iter()
        .map(|(id, b)| (id.as_str(), "2023-11-01", *b))
        .collect();
    let (_dir, index) = index_of(&listed);
    let searcher = index.searcher();
    let fields = index.fields();
    let mut analyzer = Analyzer::default();
    let q = Quote::new(&mut analyzer, quote, |_| 1.0);
    let seed_texts = ["copilot", "microsoft", "loss", "芯片", "分拆"];
    let mut seeds = HashSet::new();
    for (_, id) in analyzer.terms(quote) {
        if seed_texts.contains(&analyzer.text_of(id)) {
            seeds.insert(id);
        }
    }
    let scoring = Scoring {
        quote: &q,
        seeds: &seeds,
        threshold: 0.0,
    };
    for (id, body) in &articles {
        let term = tantivy::Term::from_field_text(fields.id, id);
        let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
        let top = tantivy::collector::TopDocs::with_limit(1).order_by_score();
        let address = searcher.search(&query, &top).unwrap()[0].1;
        let held = positions::positions(&searcher, fields, &seed_texts, &[address]).unwrap();
        let all = best_window(body, &mut analyzer, &scoring);
        let read = best_window_at(body, &held[0], &mut analyzer, &scoring);
        assert_eq!(read, all, "{id}");
        assert_eq!(all.is_some(), id != "b3", "{id}");
        if id == "b4" {
            let (range, _) = all.unwrap();
            assert_eq!(
                &body[range], *body,
                "the best window spans a sentence with no seed"
            );
        }
    }
    let second = bodies[2].find("\n\n").unwrap() + 2;
    assert!(!cut_between_tokens(
        &bodies[2],
        &sentences_of(&bodies[2], &(second..bodies[2].len()))
    ));
}
