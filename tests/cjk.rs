//! Chinese and Japanese search on the shared corpora, when they are there (`../shared/corpus`).
//!
//! Two checks per corpus, on one index:
//! - every hit holds the query as a substring (CJK text is indexed as character bigrams, so this is exact);
//! - relevance: the articles a person would expect for a query are the substring matches minus those where
//!   the characters only straddle two other words (京都 inside 東京都 is Tokyo, not Kyoto). Those straddling
//!   contexts are written down here, per query, as a reader of the language sees them; recall, precision
//!   and precision among the first hits (ten, or fewer when fewer are expected) are printed, and the README
//!   reports them. Word boundaries drop the hits whose every occurrence straddles. Every expected article
//!   must be found but those whose every occurrence as a word is in a context written down as lost
//!   (延世大学校, Yonsei University, where the cheapest cut and the longest match both put 大 and 学 in two
//!   words: one of 大学's 332 articles, the one the Japanese segmenters lose), with precision at least 0.95
//!   and the first hits all right.

use std::collections::{BTreeMap, BTreeSet};

use crate::corpus::{load_all, ranked_ids};
use crate::support::{Workspace, copy_dir, shared_corpus, stdout_of};

/// A query, the longer words in which its characters are split between two other words, and the
/// contexts where it is a word but the segmenters are known to cut it (each a miss written down, so that
/// any other article lost fails the test).
struct Query {
    text: &'static str,
    straddles: &'static [&'static str],
    lost: &'static [&'static str],
}

const fn q(text: &'static str, straddles: &'static [&'static str]) -> Query {
    Query {
        text,
        straddles,
        lost: &[],
    }
}

impl Query {
    const fn lost(self, lost: &'static [&'static str]) -> Query {
        Query { lost, ..self }
    }
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
    // 有关税费 (related taxes and fees): not "tariffs".
    q("关税", &["有关税费"]),
    // 中国家用电器 (Chinese household appliances), 美国家庭 (American households): not "state".
    q("国家", &["中国家用", "美国家庭"]),
    // 光合作用 (photosynthesis): not "cooperation".
    q("合作", &["光合作用"]),
    // 国会议员, 议会议员 (members of a congress, of a parliament): not "a meeting".
    q("会议", &["国会议员", "议会议员"]),
    // 美国务院 (the US State Department) is 美 + 国务院.
    q("美国", &["美国务院"]),
    // Short words inside long names: 中华人民共和国, 国务院发展研究中心, 科学技术协会, 人民代表大会.
    q("人民", &[]),
    q("发展", &[]),
    q("技术", &[]),
    q("大会", &[]),
    q("华为", &[]),
    q("银行", &[]),
    q("能源", &[]),
];

const JAPANESE: &[Query] = &[
    q("地震", &[]),
    q("選挙", &[]),
    q("首相", &[]),
    q("大阪", &[]),
    // 東京都 (Tokyo Metropolis) is 東京 + 都: not Kyoto.
    q("京都", &["東京都"]),
    // 国会議員, 市議会議員 (members), 県議会議長 (speakers), 議会議事堂, 国会議事堂 (the chamber): not "a
    // meeting".
    q("会議", &["会議員", "会議長", "議会議事", "国会議事"]),
    // 全国会議 (a national council), 合衆国会計 (US accounting), 締約国会議 (a conference of the states
    // parties): not "the Diet".
    q("国会", &["全国会", "衆国会", "締約国会"]),
    // 評議員 (a councillor) is 評議 + 員.
    q("議員", &["評議員"]),
    q("外国", &[]),
    q("政府", &[]),
    q("大統領", &[]),
    q("内閣", &[]),
    // Places in a city whose name begins with 長: 笛吹市, 長野県 (in a list), 勝山市 長尾山, さぬき市 長尾西,
    // 鎌倉市 長谷寺, 神戸市 長田区, 大分市 長浜, 大洲市 長浜, 郡上市 長滝: not "a mayor".
    q(
        "市長",
        &[
            "笛吹市長野",
            "勝山市長尾",
            "さぬき市長尾",
            "鎌倉市長谷",
            "神戸市長田",
            "大分市長浜",
            "大洲市長浜",
            "郡上市長滝",
        ],
    ),
    q("知事", &[]),
    q("警察", &[]),
    q("事故", &[]),
    q("大会", &[]),
    // 延世大学校 (Yonsei University) holds the word, but each segmenter cuts it elsewhere (延|世|大|学校,
    // 延|世大|学校, 延世|大学|校医).
    q("大学", &[]).lost(&["延世大学校"]),
    q("韓国", &[]),
    q("野球", &[]),
    // 日本人 (Japanese people), 松本人志 (Matsumoto Hitoshi, a name): not "the person himself".
    q("本人", &["日本人", "松本人志"]),
];

/// What every query must reach beside recall (every expected article found but those whose every
/// occurrence as a word is in a context written down as lost): the precision of all its hits, and of the
/// first ones.
const PRECISION: f64 = 0.95;
const PRECISION_AT_TOP: f64 = 1.0;

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
    let texts: BTreeMap<&str, &str> = articles
        .iter()
        .map(|(id, text)| (id.as_str(), text.as_str()))
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
            .filter(|(_, text)| occurs_outside(text, query.text, query.straddles))
            .map(|(id, _)| id.as_str())
            .collect();
        let ranked = ranked_ids(&ws, query.text);
        let found: BTreeSet<&str> = ranked.iter().map(String::as_str).collect();
        assert!(
            !expected.is_empty(),
            "{corpus}: {} is in the corpus",
            query.text
        );
        assert!(
            found.is_subset(&substring),
            "{corpus}: {}: every hit holds the query",
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
            "{corpus}: {} | {} | {} | {} | {recall:.3} | {precision:.2} | {at_top:.2}",
            query.text,
            substring.len(),
            expected.len(),
            found.len(),
        );
        for id in expected.difference(&found) {
            let text = &texts[id];
            let known = [query.straddles, query.lost].concat();
            assert!(
                !occurs_outside(text, query.text, &known),
                "{corpus}: {}: {id} holds it as a word and is not found (recall {recall:.3})",
                query.text
            );
        }
        assert!(
            precision >= PRECISION,
            "{corpus}: {}: precision {precision:.2}",
            query.text
        );
        // Articles that hold the word rank above those where its characters only straddle two words.
        assert!(
            at_top >= PRECISION_AT_TOP,
            "{corpus}: {}: the first hits should hold the word: {top:?}",
            query.text
        );
    }
}

/// Whether `text` holds `word` at least once outside these `contexts` (each holding `word`).
fn occurs_outside(text: &str, word: &str, contexts: &[&str]) -> bool {
    text.match_indices(word).any(|(at, _)| {
        !contexts.iter().any(|context| {
            let offset = context.find(word).expect("a context holds its query");
            at >= offset
                && text
                    .get(at - offset..)
                    .is_some_and(|t| t.starts_with(context))
        })
    })
}
