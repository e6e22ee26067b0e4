//! The segmenters' decisions: a query's characters as a word, or straddling two words, in the contexts
//! the relevance set writes down; and the index's marks and phrases that carry them.

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

/// Whether every occurrence of `word` in Japanese `text` is a word (true) or straddles (false), one per
/// occurrence, by the three segmenters together.
fn japanese_decisions(text: &str, word: &str) -> Vec<bool> {
    assert!(is_japanese(text));
    let mut out = Vec::new();
    for (from, run) in cjk_runs(text) {
        let at = JapaneseBoundaries::of(run, follows_number(text, from));
        for (byte, _) in run.match_indices(word) {
            let start = run[..byte].chars().count();
            out.push(at.is_word(start, start + word.chars().count()));
        }
    }
    out
}

/// (text, query, whether its one occurrence there is a word), from the straddling contexts of the
/// Japanese relevance set and the same words standing alone.
const JAPANESE_CASES: &[(&str, &str, bool)] = &[
    ("東京都の知事は", "京都", false),
    ("東京都内で開かれた", "京都", false),
    ("京都大学の教授", "京都", true),
    ("京都府で地震が", "京都", true),
    ("国会議員の数は", "会議", false),
    ("市議会議員の選挙", "会議", false),
    ("県議会議長は", "会議", false),
    ("首脳会議が開かれた", "会議", true),
    ("本会議で可決された", "会議", true),
    ("全国会議を開いた", "国会", false),
    ("国会で審議された", "国会", true),
    ("国会議員の数は", "議員", true),
    ("衆議院議員の選挙", "議員", true),
    // The costs barely prefer 評|議員; the longest match and TinySegmenter both cut 評議|員.
    ("評議員会で決定した", "議員", false),
    ("協会の評議員による投票", "議員", false),
    // After a number, 回 is its counter: 第170回|国会, though the other two read 回国 (returning home).
    ("第170回国会本会議で", "国会", true),
    ("日本人の選手が", "本人", false),
    // The longest match cuts `った日|本人` and `ず日|本人`; TinySegmenter only ends `日本人` with it.
    ("観光客となった日本人は", "本人", false),
    ("批判をかかさず日本人を愚弄し", "本人", false),
    ("本人が確認した", "本人", true),
    ("内閣が発足した", "内閣", true),
    ("新内閣が発足した", "内閣", true),
    ("安倍晋三内閣総理大臣は", "内閣", true),
    ("首相が辞任した", "首相", true),
    ("元首相が死去した", "首相", true),
    ("大阪府警察本部は", "警察", true),
    ("外国籍の選手が", "外国", true),
    ("大学生の男性が", "大学", true),
    ("新大阪駅から", "大阪", true),
    ("県知事の許可が", "知事", true),
];

#[test]
fn japanese_words_and_straddles_in_the_written_down_contexts() {
    for &(text, word, expected) in JAPANESE_CASES {
        assert_eq!(
            japanese_decisions(text, word),
            [expected],
            "{word} in {text}"
        );
    }
}

/// A segmenter: a run's boundary flags.
type Segmenter = fn(&str) -> Vec<bool>;

/// Each segmenter alone, on runs where it is wrong and the others make up for it, as `a|b` words.
const SEGMENTATIONS: &[(Segmenter, &str)] = &[
    // ICU's longest match takes `新内` and `元首`, which lose 内閣 and 首相; the cheapest cut does not.
    (longest_match_boundaries, "新内|閣|が"),
    (longest_match_boundaries, "元首|相|が"),
    (lattice::boundaries, "新|内閣|が"),
    (lattice::boundaries, "元|首相|が"),
    // Long dictionary words are cut into their cheapest parts, keeping the most frequent word whole.
    (lattice::boundaries, "日本|人|の"),
    (lattice::boundaries, "大学|生|の"),
    (lattice::boundaries, "東京|都|の"),
    // The cheapest cut gives `外|国籍`; the longest match and TinySegmenter have `外国` whole.
    (lattice::boundaries, "外|国籍|の"),
    (longest_match_boundaries, "外国|籍|の"),
];

#[test]
fn each_segmenter_cuts_these_runs_so() {
    for &(segment, expected) in SEGMENTATIONS {
        let run = expected.replace('|', "");
        let at = segment(&run);
        let mut cut = String::new();
        for (i, c) in run.chars().enumerate() {
            if i > 0 && at[i] {
                cut.push('|');
            }
            cut.push(c);
        }
        assert_eq!(cut, expected);
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
fn japanese_bigrams_are_marked_by_each_segmenter() {
    // 京都|大学 (in text with kana, so Japanese; the lone `の` is no run), by all three segmenters: the
    // cheapest cut's marks, then `{ab` where the longest match and TinySegmenter both begin a word, `~ab`
    // where TinySegmenter has no boundary inside, the longest match's `ab]` and with TinySegmenter `ab}`.
    let marked = tokens("の。京都大学");
    let kyoto: Vec<&str> = marked
        .iter()
        .filter(|(p, _)| *p < SLOTS)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(
        kyoto,
        [
            "<京都", "京都", "=京都", "京都>", "{京都", "~京都", "京都]", "京都}"
        ]
    );
    let across: Vec<&str> = marked
        .iter()
        .filter(|(p, _)| (SLOTS..2 * SLOTS).contains(p))
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(across, ["都大"]);
    assert!(!marked.iter().any(|(_, t)| t == UNSEGMENTED));
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
    // 平台|和|平台: eight positions per bigram, of which Chinese has `<ab` `ab` `=ab` `ab>`.
    let expected = [
        (0, "<平台"),
        (1, "平台"),
        (2, "=平台"),
        (3, "平台>"),
        (9, "台和"),
        (11, "台和>"),
        (16, "<和平"),
        (17, "和平"),
        (24, "<平台"),
        (25, "平台"),
        (26, "=平台"),
        (27, "平台>"),
    ];
    let expected: Vec<(usize, String)> = expected.iter().map(|&(p, t)| (p, t.to_owned())).collect();
    assert_eq!(tokens("平台和平台"), expected);
    // A second run starts past a gap, so that no phrase reaches across.
    let second = tokens("芯片。美元").into_iter().find(|(_, t)| t == "美元");
    assert_eq!(second, Some((2 * SLOTS + 1, "美元".to_owned())));
}

#[test]
fn plain_queries_are_narrowed_and_others_are_not() {
    assert_eq!(plain_terms("京都 大学"), Some(vec!["京都", "大学"]));
    assert_eq!(plain_terms("京都 OR 大阪"), None);
    assert_eq!(plain_terms("title:京都"), None);
    assert_eq!(plain_terms("\"京都 大学\""), None);
    assert_eq!(plain_terms("-京都"), None);
}

/// Whether an index of `text` alone finds it for `word` as a word (the phrases of [`word_query`]).
fn found_as_word(text: &str, word: &str) -> bool {
    use tantivy::collector::Count;
    use tantivy::{Index, IndexWriter, TantivyDocument};
    let (schema, fields) = crate::index::schema::build();
    let index = Index::create_in_ram(schema);
    crate::index::schema::register_tokenizers(index.tokenizers());
    let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.cjk_words, text);
    writer.add_document(doc).unwrap();
    writer.commit().unwrap();
    let searcher = index.reader().unwrap().searcher();
    let query = word_query(fields.cjk_words, word).unwrap();
    searcher.search(&*query, &Count).unwrap() == 1
}

#[test]
fn the_index_finds_what_the_segmenters_decide() {
    for &(text, word, expected) in CASES.iter().chain(JAPANESE_CASES) {
        assert_eq!(found_as_word(text, word), expected, "{word} in {text}");
    }
}

#[test]
fn a_boundary_the_costs_barely_decide_is_left_to_the_other_segmenters() {
    // 評|議員 costs 16 less than 評議|員: a close call, which the longest match and TinySegmenter decide.
    let (at, margins) = lattice::cut_with_margins("評議員会");
    assert_eq!(at, [true, true, false, true, true]);
    assert!(
        margins[1] < CLOSE_CALL && margins[2] < CLOSE_CALL,
        "{margins:?}"
    );
    assert_eq!(
        JapaneseBoundaries::of("評議員会", false).cheapest,
        [true, false, true, true, true]
    );
    // 本|会議 is clearly cheaper than 本会|議, which the other two read: it stays.
    let (at, margins) = lattice::cut_with_margins("本会議で");
    assert_eq!(at, [true, true, false, true, true]);
    assert!(margins[1] >= CLOSE_CALL, "{margins:?}");
    assert_eq!(JapaneseBoundaries::of("本会議で", false).cheapest, at);
    // After a number, the boundary after the counter is not moved.
    let (at, _) = lattice::cut_with_margins("回国会本会議");
    assert!(at[1]);
    assert!(!JapaneseBoundaries::of("回国会本会議", false).cheapest[1]);
    assert!(JapaneseBoundaries::of("回国会本会議", true).cheapest[1]);
}
