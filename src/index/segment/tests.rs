//! The segmenter's decisions: a query's characters as a word, or straddling two words, in the contexts
//! the relevance set writes down.

use super::*;

/// Whether every occurrence of `word` in `text` is a word (true) or straddles (false), one per occurrence.
fn decisions(text: &str, word: &str) -> Vec<bool> {
    assert!(is_chinese(text));
    let mut out = Vec::new();
    for (_, run) in cjk_runs(text) {
        let at = boundaries(run);
        for (byte, _) in run.match_indices(word) {
            let start = run[..byte].chars().count();
            out.push(is_word(&at, start, start + word.chars().count()));
        }
    }
    out
}

/// (text, query, whether its one occurrence there is a word).
const CASES: &[(&str, &str, bool)] = &[
    ("联合国会议在纽约举行", "国会", false),
    ("美国国会通过法案", "国会", true),
    ("电商平台和平台内经营者", "和平", false),
    ("鼠标和平板电脑", "和平", false),
    ("双方签署和平协议", "和平", true),
    ("发展有关税费政策", "关税", false),
    ("美国加征关税", "关税", true),
    ("加强出口管制措施", "出口管制", true),
    ("中国家用电器市场", "国家", false),
    ("保障是美国家庭的", "国家", false),
    ("国家发展改革委", "国家", true),
    ("植物光合作用的生长", "合作", false),
    ("经济合作与发展组织", "合作", true),
    ("欧洲议会议员塞巴", "会议", false),
    ("斯的国会议员", "会议", false),
    ("召开新闻发布会议", "会议", true),
    // Words inside long names and set phrases.
    ("中华人民共和国成立", "人民", true),
    ("全国人民代表大会常务委员会", "大会", true),
    ("国务院发展研究中心", "发展", true),
    ("中国科学技术协会", "技术", true),
];

#[test]
fn straddles_and_words_in_the_written_down_contexts() {
    for &(text, word, expected) in CASES {
        assert_eq!(decisions(text, word), [expected], "{word} in {text}");
    }
}

/// Whether every occurrence of `word` in Japanese `text` begins and ends on a word boundary (true) or
/// not (false), one per occurrence: the ranking signal, as only both ends count in Japanese.
fn japanese_decisions(text: &str, word: &str) -> Vec<bool> {
    assert!(is_japanese(text));
    let mut out = Vec::new();
    for (_, run) in cjk_runs(text) {
        let at = japanese_boundaries(run);
        for (byte, _) in run.match_indices(word) {
            let start = run[..byte].chars().count();
            out.push(at[start] && at[start + word.chars().count()]);
        }
    }
    out
}

/// (text, query, whether its one occurrence there is a word), from the straddling contexts of the
/// Japanese relevance set and the same words standing alone.
const JAPANESE_CASES: &[(&str, &str, bool)] = &[
    ("東京都の知事は", "京都", false),
    ("京都大学の教授", "京都", true),
    ("京都府で地震が", "京都", true),
    ("国会議員の数は", "会議", false),
    ("市議会議員の選挙", "会議", false),
    ("県議会議長は", "会議", false),
    ("首脳会議が開かれた", "会議", true),
    ("全国会議を開いた", "国会", false),
    ("国会で審議された", "国会", true),
    ("評議員会の議長", "議員", false),
    ("国会議員の数は", "議員", true),
    ("日本人の選手が", "本人", false),
    ("本人が確認した", "本人", true),
    ("内閣が発足した", "内閣", true),
    ("首相が辞任した", "首相", true),
];

/// Where ICU's dictionary is wrong on the relevance set's contexts, which is why Japanese hits are ranked,
/// not dropped: `新内|閣` and `元首|相` would lose 内閣 and 首相, and `国会議事堂` is one word to it.
const JAPANESE_ERRORS: &[(&str, &str, bool)] = &[
    ("新内閣が発足した", "内閣", false),
    ("元首相が死去した", "首相", false),
];

#[test]
fn japanese_words_and_straddles_in_the_written_down_contexts() {
    for &(text, word, expected) in JAPANESE_CASES.iter().chain(JAPANESE_ERRORS) {
        assert_eq!(
            japanese_decisions(text, word),
            [expected],
            "{word} in {text}"
        );
    }
}

#[test]
fn chinese_is_told_from_japanese_by_kana() {
    assert!(is_chinese("东京都知事"));
    assert!(!is_chinese("東京都の知事"));
    assert!(is_japanese("東京都の知事"));
    assert!(!is_chinese("no CJK here"));
    assert!(!is_japanese("东京都知事"));
}

#[test]
fn japanese_bigrams_stay_hits_and_are_marked_at_both_ends_only() {
    // 京都|大学 (in text with kana, so Japanese; the lone `の` is no run): `*` first (every bigram match stays a hit), then the run from the next slot, without
    // `=ab` (only both ends make a word in Japanese).
    let marked = tokens("の。京都大学");
    assert_eq!(marked[0], (0, UNSEGMENTED.to_owned()));
    let expected = [
        (4, "<京都"),
        (5, "京都"),
        (7, "京都>"),
        (9, "都大"),
        (12, "<大学"),
        (13, "大学"),
        (15, "大学>"),
    ];
    let expected: Vec<(usize, String)> = expected.iter().map(|&(p, t)| (p, t.to_owned())).collect();
    assert_eq!(marked[1..], expected);
    assert_eq!(tokens("한국어"), [(0, UNSEGMENTED.to_owned())]);
}

#[test]
fn text_without_a_dictionary_has_a_boundary_everywhere() {
    assert_eq!(boundaries("한국어"), [true; 4]);
}

#[test]
fn words_and_compounds() {
    // 国際|会議: begins and ends on boundaries. 首脳会議 as one word: ends it.
    assert!(is_word(&[true, false, true, false, true], 2, 4));
    assert!(is_word(&[true, false, false, false, true], 2, 4));
    // Inside a longer word, touching neither end: straddles.
    assert!(!is_word(&[true, false, false, false, true], 1, 3));
    // Across a boundary, from inside one word into another: straddles.
    assert!(!is_word(&[true, false, true, false, true], 1, 3));
}

fn tokens(text: &str) -> Vec<(usize, String)> {
    let mut tokenizer = WordBoundaries::default();
    let mut stream = tokenizer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push((stream.token().position, stream.token().text.clone()));
    }
    out
}

#[test]
fn each_bigram_is_marked_with_its_boundaries() {
    // 平台|和|平台: four positions per bigram, `<ab` `ab` `=ab` `ab>`.
    let expected = [
        (0, "<平台"),
        (1, "平台"),
        (2, "=平台"),
        (3, "平台>"),
        (5, "台和"),
        (7, "台和>"),
        (8, "<和平"),
        (9, "和平"),
        (12, "<平台"),
        (13, "平台"),
        (14, "=平台"),
        (15, "平台>"),
    ];
    let expected: Vec<(usize, String)> = expected.iter().map(|&(p, t)| (p, t.to_owned())).collect();
    assert_eq!(tokens("平台和平台"), expected);
    // A second run starts past a gap, so that no phrase reaches across.
    let second = tokens("芯片。美元").into_iter().find(|(_, t)| t == "美元");
    assert_eq!(second, Some((9, "美元".to_owned())));
}

#[test]
fn plain_queries_are_narrowed_and_others_are_not() {
    assert_eq!(plain_terms("京都 大学"), Some(vec!["京都", "大学"]));
    assert_eq!(plain_terms("京都 OR 大阪"), None);
    assert_eq!(plain_terms("title:京都"), None);
    assert_eq!(plain_terms("\"京都 大学\""), None);
    assert_eq!(plain_terms("-京都"), None);
}
