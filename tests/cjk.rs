//! Chinese and Japanese search on the shared corpora, when they are there (`../shared/corpus`).
//!
//! Two checks per corpus, on one index:
//! - every article whose plain text or title holds a query as a substring is a hit, and every hit holds it
//!   (CJK text is indexed as character bigrams, so this is exact);
//! - relevance: the articles a person would expect for a query are the substring matches minus those where
//!   the characters only straddle two other words (京都 inside 東京都 is Tokyo, not Kyoto). Those straddling
//!   contexts are written down here, per query, as a reader of the language sees them; recall, precision
//!   and precision among the first hits (ten, or fewer when fewer are expected) are printed, and the README reports them.

use std::collections::BTreeSet;

use crate::corpus::{load_all, ranked_ids};
use crate::support::{Workspace, copy_dir, shared_corpus, stdout_of};

/// A query, and the longer words in which its characters are split between two other words.
struct Query {
    text: &'static str,
    straddles: &'static [&'static str],
}

const fn q(text: &'static str, straddles: &'static [&'static str]) -> Query {
    Query { text, straddles }
}

const CHINESE: &[Query] = &[
    q("芯片", &[]),
    q("出口管制", &[]),
    q("阿里巴巴", &[]),
    q("人工智能", &[]),
    q("美元", &[]),
    q("台湾", &[]),
    // 平台和平台内 (platforms and sellers on them), 和平板电脑 (and tablets): not "peace".
    q("和平", &["和平台", "和平板"]),
    // 联合国会议 (a UN meeting): not "congress".
    q("国会", &["联合国会"]),
];

const JAPANESE: &[Query] = &[
    q("地震", &[]),
    q("選挙", &[]),
    q("首相", &[]),
    q("大阪", &[]),
    // 東京都 (Tokyo Metropolis) is 東京 + 都: not Kyoto.
    q("京都", &["東京都"]),
    // 国会議員, 市議会議員 (members), 県議会議長 (speakers), 議会議事堂 (the chamber): not "a meeting".
    q("会議", &["会議員", "会議長", "議会議事"]),
];

#[test]
fn chinese_queries_find_what_a_reader_expects() {
    check("fuyaonews-zh", CHINESE);
}

#[test]
fn japanese_queries_find_what_a_reader_expects() {
    check("wikinews-ja", JAPANESE);
}

fn check(corpus: &str, queries: &[Query]) {
    let Some(dir) = shared_corpus(corpus) else {
        return;
    };
    let ws = Workspace::new();
    copy_dir(&dir, &ws.content());
    stdout_of(ws.cmd().arg("index"));
    let articles: Vec<(String, String)> = load_all(&ws.content())
        .into_iter()
        .map(|a| (a.id, format!("{}\n{}", a.meta.title, a.text)))
        .collect();
    println!(
        "{corpus}: query | substring matches | expected | hits | recall | precision | precision of the first min(10, expected)"
    );
    for query in queries {
        let substring: BTreeSet<&str> = articles
            .iter()
            .filter(|(_, text)| text.contains(query.text))
            .map(|(id, _)| id.as_str())
            .collect();
        let expected: BTreeSet<&str> = articles
            .iter()
            .filter(|(_, text)| holds_as_word(text, query))
            .map(|(id, _)| id.as_str())
            .collect();
        let ranked = ranked_ids(&ws, query.text);
        let found: BTreeSet<&str> = ranked.iter().map(String::as_str).collect();
        assert!(
            !expected.is_empty(),
            "{corpus}: {} is in the corpus",
            query.text
        );
        assert_eq!(
            substring, found,
            "{corpus}: {}: hits are the substring matches",
            query.text
        );
        let relevant = found.intersection(&expected).count();
        let recall = relevant as f64 / expected.len() as f64;
        let precision = relevant as f64 / found.len() as f64;
        // What a reader sees first: the first ten hits, or as many as there are expected articles.
        let top: Vec<&String> = ranked.iter().take(expected.len().min(10)).collect();
        let top_relevant = top
            .iter()
            .filter(|id| expected.contains(id.as_str()))
            .count();
        let at_top = top_relevant as f64 / top.len() as f64;
        println!(
            "{corpus}: {} | {} | {} | {} | {recall:.2} | {precision:.2} | {at_top:.2}",
            query.text,
            substring.len(),
            expected.len(),
            found.len(),
        );
        assert_eq!(
            recall, 1.0,
            "{corpus}: {}: every expected article is found",
            query.text
        );
        // Articles that hold the word mostly rank above those where its characters only straddle two
        // words (bigrams cannot tell them apart; term frequency and the title mostly do).
        assert!(
            at_top >= 0.75,
            "{corpus}: {}: the first hits should hold the word: {top:?}",
            query.text
        );
    }
}

/// Whether `text` holds the query at least once outside its straddling contexts.
fn holds_as_word(text: &str, query: &Query) -> bool {
    text.match_indices(query.text).any(|(at, _)| {
        !query.straddles.iter().any(|context| {
            let offset = context.find(query.text).expect("a context holds its query");
            at >= offset
                && text
                    .get(at - offset..)
                    .is_some_and(|t| t.starts_with(context))
        })
    })
}
