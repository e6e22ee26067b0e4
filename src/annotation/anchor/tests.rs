//! Anchoring cases: edits above, inside and around a quote; repeated quotes; CJK and emoji offsets.

use time::macros::datetime;

use super::*;

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// An annotation of the first occurrence of `quote` in `text`.
fn annotate(text: &str, quote: &str) -> Annotation {
    let start = occurrences(&chars(text), &chars(quote))[0];
    let end = start + quote.chars().count();
    let now = datetime!(2026-01-01 00:00:00 UTC);
    Annotation::new("a", text, start, end, vec!["t".into()], None, now)
}

fn quoted(text: &str, a: &Annotation) -> String {
    chars(text)[a.start..a.end].iter().collect()
}

const TEXT: &str = "Alibaba Group has announced its decision to terminate the Alibaba Cloud spin-off.\n\n\
    The US export restrictions on advanced computing chips created uncertainties.\n\n\
    Microsoft incurs a monthly loss of USD 20 per user, and up to USD 80 for some users.";

#[test]
fn unchanged_text_leaves_the_anchor_alone() {
    let mut a = annotate(TEXT, "export restrictions on advanced computing chips");
    let before = a.clone();
    assert_eq!(anchor(&mut a, &chars(TEXT)), Placement::Unchanged);
    assert_eq!(a, before);
}

#[test]
fn a_paragraph_inserted_at_the_top_moves_the_anchor() {
    let mut a = annotate(TEXT, "export restrictions on advanced computing chips");
    let old_start = a.start;
    let edited = format!("A new first paragraph, inserted later.\n\n{TEXT}");
    assert_eq!(anchor(&mut a, &chars(&edited)), Placement::Moved);
    assert_eq!(
        quoted(&edited, &a),
        "export restrictions on advanced computing chips"
    );
    assert_eq!(a.start, old_start + 40);
    assert!(!a.orphaned && a.original_quote.is_none());
}

#[test]
fn a_word_fixed_inside_the_quote_is_found_fuzzily() {
    let typo = TEXT.replace("decision to terminate", "decison to terminate");
    let mut a = annotate(
        &typo,
        "announced its decison to terminate the Alibaba Cloud spin-off",
    );
    assert_eq!(anchor(&mut a, &chars(TEXT)), Placement::Fuzzy);
    assert_eq!(
        a.quote,
        "announced its decision to terminate the Alibaba Cloud spin-off"
    );
    assert_eq!(quoted(TEXT, &a), a.quote);
    assert_eq!(
        a.original_quote.as_deref(),
        Some("announced its decison to terminate the Alibaba Cloud spin-off")
    );
    // Anchoring again is stable.
    assert_eq!(anchor(&mut a, &chars(TEXT)), Placement::Unchanged);
}

#[test]
fn a_deleted_quote_makes_an_orphan_that_keeps_everything() {
    let mut a = annotate(TEXT, "monthly loss of USD 20 per user");
    let edited = TEXT.replace(
        "Microsoft incurs a monthly loss of USD 20 per user, and",
        "",
    );
    let before = a.clone();
    assert_eq!(anchor(&mut a, &chars(&edited)), Placement::Orphaned);
    assert!(a.orphaned);
    assert_eq!(
        (&a.quote, a.start, a.end),
        (&before.quote, before.start, before.end)
    );
    // Restoring the text brings it back.
    assert_eq!(anchor(&mut a, &chars(TEXT)), Placement::Unchanged);
    assert!(!a.orphaned);
}

#[test]
fn a_repeated_quote_goes_where_its_context_matches() {
    let text = "First, the chips were banned outright in October.\n\n\
                Later, the chips were banned outright in November.";
    let second = text.find("the chips were banned outright in Nov").unwrap();
    let second = text[..second].chars().count();
    let now = datetime!(2026-01-01 00:00:00 UTC);
    let mut a = Annotation::new("a", text, second, second + 30, vec!["t".into()], None, now);
    assert_eq!(a.quote, "the chips were banned outright");
    let edited = format!("Intro.\n\n{text}");
    assert_eq!(anchor(&mut a, &chars(&edited)), Placement::Moved);
    assert_eq!(a.start, second + 8);
    assert!(a.prefix.ends_with("Later, "));
}

#[test]
fn a_repeated_quote_without_matching_context_is_an_orphan() {
    let text = "Zeta alpha: the chips were banned outright. Omega.";
    let mut a = annotate(text, "the chips were banned outright");
    let edited = "One: the chips were banned outright? Two: the chips were banned outright!";
    assert_eq!(anchor(&mut a, &chars(edited)), Placement::Orphaned);
    assert!(a.orphaned);
}

#[test]
fn a_quote_found_once_is_placed_even_with_new_context() {
    let mut a = annotate(TEXT, "USD 80 for some users");
    let edited = "Completely different words around it: USD 80 for some users -- and after.";
    assert_eq!(anchor(&mut a, &chars(edited)), Placement::Moved);
    assert_eq!(quoted(edited, &a), "USD 80 for some users");
}

#[test]
fn offsets_count_scalar_values_in_cjk_and_emoji() {
    let text = "阿里云宣布终止分拆 🚫☁️ 计划。美国芯片出口限制 🇺🇸 影响了业务。";
    let mut a = annotate(text, "美国芯片出口限制");
    assert_eq!(a.start, text.chars().position(|c| c == '美').unwrap());
    assert_eq!(a.end - a.start, 8);
    let edited = format!("新段落 👍🏽。\n\n{text}");
    assert_eq!(anchor(&mut a, &chars(&edited)), Placement::Moved);
    assert_eq!(quoted(&edited, &a), "美国芯片出口限制");
    assert_eq!(a.start, edited.chars().position(|c| c == '美').unwrap());
}

#[test]
fn short_quotes_are_never_matched_fuzzily() {
    let mut a = annotate("a chip here", "chip");
    assert_eq!(anchor(&mut a, &chars("a chop here")), Placement::Orphaned);
}
