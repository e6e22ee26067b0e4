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

// The kinds of cases Hypothesis's quote matcher is tested on, on a text of our own: a quote repeated in
// the text, placed by an exact or an approximate prefix or suffix; a tie broken by the old position.

const REFRAIN: &str = "In the spring the river rose, in the summer the river fell, and in the winter \
    the river froze. We had boats before the flood, we had nothing after the flood, we had hope before \
    the thaw, and we waited.";

/// An annotation of `quote` whose remembered context is `prefix` and `suffix` and whose old place is
/// `start`, as if the text around it had been rewritten.
fn remembered(quote: &str, prefix: &str, suffix: &str, start: usize) -> Annotation {
    let mut a = annotate(REFRAIN, quote);
    a.prefix = prefix.into();
    a.suffix = suffix.into();
    a.start = start;
    a.end = start;
    a
}

/// Where anchoring `a` in `text` puts it, as the text from there on (up to 24 characters).
fn placed_at(mut a: Annotation, text: &str) -> Option<String> {
    match anchor(&mut a, &chars(text)) {
        Placement::Orphaned => None,
        _ => Some(chars(text)[a.start..].iter().take(24).collect()),
    }
}

#[test]
fn a_repeated_quote_goes_where_its_context_is_closest() {
    let far = REFRAIN.chars().count();
    let cases: [(&str, &str, &str, &str); 10] = [
        // Exact prefixes.
        (
            "the flood",
            "We had boats before ",
            "",
            "the flood, we had nothin",
        ),
        (
            "the flood",
            "we had nothing after ",
            "",
            "the flood, we had hope b",
        ),
        // Approximate prefixes: a letter wrong, a word dropped.
        (
            "the flood",
            "We had boats befor ",
            "",
            "the flood, we had nothin",
        ),
        (
            "the flood",
            "we had nuthing aftr ",
            "",
            "the flood, we had hope b",
        ),
        ("the river", "summer ", "", "the river fell, and in t"),
        // Exact suffixes.
        ("we had", "", " nothing after", "we had nothing after the"),
        ("we had", "", " hope before", "we had hope before the t"),
        // Approximate suffixes.
        ("we had", "", " nuthing aftr", "we had nothing after the"),
        ("we had", "", " hop befor", "we had hope before the t"),
        ("the river", "", " froze!", "the river froze. We had "),
    ];
    for (quote, prefix, suffix, expected) in cases {
        let a = remembered(quote, prefix, suffix, far);
        assert_eq!(
            placed_at(a, REFRAIN).as_deref(),
            Some(expected),
            "{quote:?} after {prefix:?}, before {suffix:?}"
        );
    }
}

#[test]
fn contexts_about_as_close_decide_nothing() {
    let far = REFRAIN.chars().count();
    // Matching neither occurrence's context better than the other's.
    for (quote, prefix, suffix) in [
        ("the flood", "", ""),
        ("the flood", "we had a boat ", ""),
        ("we had", "", " "),
        ("the river", "in the ", ""),
    ] {
        let a = remembered(quote, prefix, suffix, far);
        assert_eq!(placed_at(a, REFRAIN), None, "{quote:?} after {prefix:?}");
    }
}

/// Twenty characters of context, and the same with `edits` letters changed.
fn prefixes(edits: usize) -> (String, String) {
    let exact = "Vote on the motion: ";
    let mut edited: Vec<char> = exact.chars().collect();
    for i in 0..edits {
        edited[2 + 2 * i] = '#';
    }
    (exact.into(), edited.into_iter().collect())
}

#[test]
fn the_closest_context_decides_only_by_the_margin() {
    // One edit in a prefix of 20 costs a twentieth of its weight; the margin is a fifth of it.
    let edits_within_margin = (MARGIN / PREFIX_WEIGHT * 20.0).round() as usize;
    for (edits, decided) in [
        (1, false),
        (edits_within_margin - 1, false),
        (edits_within_margin, true),
        (8, true),
    ] {
        let (exact, edited) = prefixes(edits);
        let text = format!("{edited}the plan; {exact}the plan; done");
        let mut a = annotate(&text, "the plan");
        a.prefix = exact.clone();
        a.suffix = "; ".into();
        a.start = 0;
        a.end = 0;
        let second = chars(&text).len() - "the plan; done".len();
        let expected = decided.then_some(second);
        let placed = (anchor(&mut a, &chars(&text)) != Placement::Orphaned).then_some(a.start);
        assert_eq!(placed, expected, "{edits} edits");
    }
}

/// A passage four times over, long enough that the middle two have the same context.
fn repeated(sentence: &str) -> String {
    sentence.repeat(4)
}

#[test]
fn an_edited_quote_found_twice_goes_to_its_old_position() {
    let before = repeated("Ring the bell twice and wait there for the last ferry to come. ");
    let after = before.replace("last ferry", "last ferries");
    let quote = "wait there for the last ferry";
    let at = |n: usize| occurrences(&chars(&before), &chars(quote))[n];
    // Each "ferries" before it moved it by two characters.
    let now_at = |n: usize| occurrences(&chars(&after), &chars("wait there"))[n];
    for n in [1, 2] {
        let mut a = annotate(&before, quote);
        let (start, end) = (at(n), at(n) + quote.chars().count());
        a = Annotation::new("a", &before, start, end, a.tags.clone(), None, a.created);
        assert_eq!(anchor(&mut a, &chars(&after)), Placement::Fuzzy);
        assert_eq!(a.start, now_at(n), "occurrence {n}");
        assert_eq!(a.original_quote.as_deref(), Some(quote));
    }
    // Moved away from its old position as well, it is an orphan: nothing decides.
    let mut a = annotate(&before, quote);
    let (start, end) = (at(1), at(1) + quote.chars().count());
    a = Annotation::new("a", &before, start, end, a.tags.clone(), None, a.created);
    let shifted = format!("{}{after}", "A new opening paragraph. ".repeat(4));
    assert_eq!(anchor(&mut a, &chars(&shifted)), Placement::Orphaned);
}

#[test]
fn a_passage_repeated_word_for_word_keeps_its_old_position() {
    let text = repeated("Ring the bell twice and wait there for the last ferry to come. ");
    let quote = "wait there for the last ferry";
    let third = occurrences(&chars(&text), &chars(quote))[2];
    let mut a = annotate(&text, quote);
    a = Annotation::new(
        "a",
        &text,
        third,
        third + 29,
        a.tags.clone(),
        None,
        a.created,
    );
    let before = a.clone();
    assert_eq!(anchor(&mut a, &chars(&text)), Placement::Unchanged);
    // Its offsets stale (pointing inside it), the old position still tells the two alike ones apart.
    a.start += 3;
    a.end += 3;
    assert_eq!(anchor(&mut a, &chars(&text)), Placement::Moved);
    assert_eq!(a.start, before.start);
}
