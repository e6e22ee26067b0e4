use std::collections::BTreeSet;

use time::macros::{date, datetime};

use super::*;
use crate::article::Published;

fn summary(id: &str, source: &str, day: Option<Date>, tags: &[&str], claims: &[&str]) -> Summary {
    Summary {
        id: id.into(),
        title: format!("The {id} story"),
        source: (!source.is_empty()).then(|| source.to_owned()),
        author: None,
        published: day.map(Published::date),
        language: "en".into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        words: id.len() as u64 * 100,
        claims: claims.len() as u64,
        claim_tags: claims.iter().map(|t| t.to_string()).collect(),
        summary_only: false,
    }
}

fn library() -> Vec<Summary> {
    vec![
        summary(
            "alibaba",
            "KrASIA",
            Some(date!(2023 - 11 - 20)),
            &["china"],
            &["spin-off"],
        ),
        summary(
            "bbc",
            "BBC News",
            Some(date!(2024 - 01 - 05)),
            &["uk", "china"],
            &[],
        ),
        summary(
            "chips",
            "krasia",
            Some(date!(2024 - 02 - 01)),
            &[],
            &["spin-off", "chips"],
        ),
        summary("undated", "", None, &["china"], &[]),
        summary("feedless", "Blog", Some(date!(2024 - 03 - 01)), &[], &[]),
    ]
}

fn reading() -> ReadingState {
    let mut state = ReadingState {
        last_visit: Some(datetime!(2024-03-01 00:00 UTC)),
        ..ReadingState::default()
    };
    state.entry("alibaba").read = Some(datetime!(2024-01-01 00:00 UTC));
    state.entry("bbc").starred = true;
    state.entry("chips").seen = Some(datetime!(2024-03-02 00:00 UTC));
    state.entry("undated").seen = Some(datetime!(2024-02-02 00:00 UTC));
    state
}

fn feeds() -> FeedArticles {
    let defs = [
        FeedDef {
            name: "Tech Feed".into(),
            url: "https://example.com/tech.xml".into(),
            language: None,
            tags: vec![],
        },
        FeedDef {
            name: "KrASIA".into(),
            url: "https://example.com/krasia.xml".into(),
            language: None,
            tags: vec![],
        },
    ];
    let tech: BTreeSet<String> = ["bbc".to_owned()].into();
    let leaked: &'static BTreeSet<String> = Box::leak(Box::new(tech));
    FeedArticles::new(&defs, |url| url.ends_with("tech.xml").then_some(leaked))
}

fn ids(line: &str) -> Vec<String> {
    let filter = LibraryFilter::parse(line).unwrap();
    filter
        .apply(library(), &reading(), &feeds())
        .into_iter()
        .map(|s| s.id)
        .collect()
}

#[test]
fn filter_words_combine_with_and() {
    let cases: &[(&str, &[&str])] = &[
        ("", &["feedless", "chips", "bbc", "alibaba", "undated"]),
        ("unread", &["feedless", "chips", "bbc", "undated"]),
        ("read", &["alibaba"]),
        ("starred", &["bbc"]),
        ("new", &["chips"]),
        ("source:KRASIA", &["chips", "alibaba"]),
        ("source:\"BBC News\"", &["bbc"]),
        ("source:krasia unread", &["chips"]),
        ("feed:tech\u{20}feed", &[]),
        ("feed:\"tech feed\"", &["bbc"]),
        ("feed:krasia", &["chips", "alibaba"]),
        ("tag:china", &["bbc", "alibaba", "undated"]),
        ("tag:china tag:uk", &["bbc"]),
        ("claim:spin-off", &["chips", "alibaba"]),
        ("claim:spin-off claim:chips", &["chips"]),
        ("since:2024-01-05", &["feedless", "chips", "bbc"]),
        ("until:2024-01-05", &["bbc", "alibaba"]),
        ("since:2024-01-01 until:2024-02-01", &["chips", "bbc"]),
        ("story chips", &["chips"]),
        ("Unread STARRED", &["bbc"]),
        ("nope:thing", &[]),
    ];
    for (line, expected) in cases {
        assert_eq!(ids(line), *expected, "{line}");
    }
}

#[test]
fn sort_orders() {
    let cases: &[(&str, &[&str])] = &[
        (
            "sort:date",
            &["feedless", "chips", "bbc", "alibaba", "undated"],
        ),
        (
            "sort:title",
            &["alibaba", "bbc", "chips", "feedless", "undated"],
        ),
        (
            "sort:source",
            &["bbc", "feedless", "chips", "alibaba", "undated"],
        ),
        (
            "sort:length",
            &["feedless", "alibaba", "undated", "chips", "bbc"],
        ),
        (
            "sort:claims",
            &["chips", "alibaba", "bbc", "feedless", "undated"],
        ),
        ("sort:CLAIMS tag:china", &["alibaba", "bbc", "undated"]),
    ];
    for (line, expected) in cases {
        assert_eq!(ids(line), *expected, "{line}");
    }
}

#[test]
fn bad_words_are_one_sentence() {
    let err = |line: &str| LibraryFilter::parse(line).unwrap_err().to_string();
    assert_eq!(
        err("since:2024-13-01"),
        "`since:2024-13-01` is not a date: write it as YYYY-MM-DD, like since:2024-01-31"
    );
    assert!(err("until:yesterday").contains("until:yesterday"));
    assert!(err("source:").contains("`source:` needs a value"));
    assert!(err("sort:random").contains("date, title, source, length or claims"));
    assert!(!err("since:\u{1b}[31m").contains('\u{1b}'));
    assert!(feeds().knows("tech FEED") && !feeds().knows("other"));
}

#[test]
fn a_line_being_typed_keeps_the_words_it_can_read() {
    let (filter, problem) = LibraryFilter::read("unread since:2024-0 source:KrASIA sort:nope");
    assert!(filter.unread);
    assert_eq!(filter.sources, ["KrASIA"]);
    assert_eq!(filter.since, None);
    assert_eq!(filter.sort, SortKey::Date);
    let problem = problem.unwrap().to_string();
    assert!(problem.contains("since:2024-0"), "{problem}");
    assert_eq!(
        LibraryFilter::read("starred chips"),
        (LibraryFilter::parse("starred chips").unwrap(), None)
    );
    assert!(LibraryFilter::names_order("tag:x SORT:title"));
    assert!(!LibraryFilter::names_order("tag:sort:title"));
}

#[test]
fn a_filter_reads_back_from_its_words() {
    let lines = [
        "",
        "unread",
        "read starred new",
        "source:\"South China Morning Post\" feed:tech tag:uk tag:china claim:spin-off",
        "since:2024-01-05 until:2024-02-01 sort:length",
        "unread chips story",
    ];
    for line in lines {
        let filter = LibraryFilter::parse(line).unwrap();
        let words = filter.to_string();
        assert_eq!(
            LibraryFilter::parse(&words).unwrap(),
            filter,
            "{line} -> {words}"
        );
    }
    let filter = LibraryFilter {
        sources: vec!["The \"Quoted\" Times".into()],
        ..LibraryFilter::default()
    };
    assert_eq!(filter.to_string(), "source:\"The Quoted Times\"");
    assert_eq!(
        LibraryFilter::parse("sort:date unread")
            .unwrap()
            .to_string(),
        "unread"
    );
}

#[test]
fn the_orders_go_round() {
    let mut key = SortKey::Date;
    let mut seen = Vec::new();
    for _ in 0..5 {
        seen.push(key.to_string());
        key = key.next();
    }
    assert_eq!(key, SortKey::Date);
    assert_eq!(seen, ["date", "title", "source", "length", "claims"]);
}
