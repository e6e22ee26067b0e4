use super::*;

/// A Chinese original and its English translation, as a newsroom would file them: the translation
/// splits the original's long second paragraph in two.
const ORIGINAL: &str = "+++\ntitle = \"阿里云取消分拆上市\"\nurl = \"https://example.cn/news/aliyun\"\nlanguage = \"zh\"\n+++\n\n\
阿里巴巴集团宣布，不再推进阿里云的完全分拆。\n\n\
公司表示，美国扩大对先进计算芯片的出口限制，给云业务带来了不确定性。这些限制可能影响其提供计算租赁服务和升级技术的能力，因此分拆未必能提升股东价值。集团将继续专注于云业务本身的增长。\n\n\
分析人士认为，人工智能的算力需求仍在上升。\n";

const TRANSLATION: &str = "+++\ntitle = \"Alibaba Cloud calls off its spin-off\"\noriginal_url = \"HTTPS://Example.cn/news/aliyun/\"\n+++\n\n\
Alibaba Group said it will no longer pursue the full spin-off of Alibaba Cloud.\n\n\
The company said the expanded US restrictions on exports of advanced computing chips have created uncertainty for the cloud business.\n\n\
These restrictions may affect its ability to offer computing rental services and to upgrade its technology, so a spin-off might not raise shareholder value. The group will keep its focus on growing the cloud business itself.\n\n\
Analysts believe that demand for AI computing power is still rising.\n";

fn article(id: &str, source: &str) -> Article {
    Article::parse(id, source).unwrap().0
}

fn link(id: &str, url: Option<&str>, original_url: Option<&str>, of: Option<&str>) -> Link {
    Link {
        id: id.into(),
        url: url.map(Into::into),
        original_url: original_url.map(Into::into),
        translation_of: of.map(Into::into),
    }
}

#[test]
fn urls_compare_without_trailing_slash_or_scheme_case() {
    assert_eq!(
        normalise_url(" HTTPS://Example.CN/News/a/ "),
        "https://example.cn/News/a"
    );
    assert_eq!(normalise_url("x/"), "x");
}

#[test]
fn translation_of_wins_over_original_url() {
    let all = [
        link("a", Some("https://e.com/a"), None, None),
        link("b", Some("https://e.com/b"), None, None),
        link("t", None, Some("https://e.com/a"), Some("b")),
    ];
    assert_eq!(original_of(&all[2], &all).unwrap().unwrap().id, "b");
    assert_eq!(translations_of(&all[1], &all)[0].id, "t");
    // `t` names `b` by id, so its original_url does not make it a translation of `a`.
    assert!(translations_of(&all[0], &all).is_empty());
}

#[test]
fn an_original_finds_its_translations_by_url_and_by_id() {
    let all = [
        link("zh", Some("http://e.cn/x"), None, None),
        link("en-2", None, None, Some("zh")),
        link("en-1", None, Some("HTTP://E.CN/x/"), None),
    ];
    let ids: Vec<_> = translations_of(&all[0], &all)
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(ids, ["en-1", "en-2"]);
    assert_eq!(
        counterpart(&all[0], &all).unwrap(),
        Counterpart::Translation(&all[2])
    );
}

#[test]
fn unknown_or_missing_originals_are_clear_errors() {
    let all = [
        link("t", None, None, Some("gone")),
        link("u", None, Some("https://elsewhere.com/x"), None),
        link("alone", Some("https://e.com/alone"), None, None),
        link("me", None, None, Some("me")),
    ];
    let message = |i: usize| counterpart(&all[i], &all).unwrap_err().to_string();
    assert_eq!(
        message(0),
        "article \"t\" names its original \"gone\" (translation_of), but there is no article with that id"
    );
    assert!(message(1).contains("no article in the content dir has that url"));
    assert!(message(2).contains("has no original and no translation"));
    assert!(message(3).contains("names itself"));
}

#[test]
fn paragraphs_count_in_chars() {
    let text = "一二三\n\nab\ncd\n\n四";
    let p = paragraphs(text);
    assert_eq!(p.len(), 3);
    assert_eq!(p[1].chars, 5..10);
    assert_eq!(&text[p[1].bytes.clone()], "ab\ncd");
    assert_eq!(p[2].chars, 12..13);
    assert!(paragraphs("").is_empty());
}

#[test]
fn a_chinese_original_pairs_with_its_english_translation() {
    let zh = article("zh/aliyun", ORIGINAL);
    let en = article("aliyun", TRANSLATION);
    let all = [Link::of(&zh.id, &zh.meta), Link::of(&en.id, &en.meta)];
    assert_eq!(
        counterpart(&all[1], &all).unwrap(),
        Counterpart::Original(&all[0])
    );
    let pair = Pair::new(en, zh, Role::Original);
    let beads: Vec<_> = pair
        .beads
        .iter()
        .map(|b| (b.left.clone(), b.right.clone()))
        .collect();
    assert_eq!(beads, [(0..1, 0..1), (1..3, 1..2), (3..4, 2..3)]);
}

#[test]
fn loading_a_pair_reads_the_content_dir() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("zh")).unwrap();
    std::fs::write(dir.path().join("zh/aliyun.md"), ORIGINAL).unwrap();
    std::fs::write(dir.path().join("aliyun.md"), TRANSLATION).unwrap();
    std::fs::write(dir.path().join("broken.md"), "no front matter").unwrap();
    let en = article("aliyun", TRANSLATION);
    let pair = Pair::load(dir.path(), en, 1 << 20).unwrap();
    assert_eq!(pair.other.id, "zh/aliyun");
    assert_eq!(pair.role, Role::Original);
    let zh = article("zh/aliyun", ORIGINAL);
    let back = Pair::load(dir.path(), zh, 1 << 20).unwrap();
    assert_eq!(
        (back.other.id.as_str(), back.role),
        ("aliyun", Role::Translation)
    );
    assert_eq!(back.beads[1].left, 1..2);
    assert_eq!(back.beads[1].right, 1..3);
}
