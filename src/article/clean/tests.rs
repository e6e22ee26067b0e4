//! Tests of the cleaning: every kind of sequence removed whole, and proptests of its promises.

use super::*;
use proptest::prelude::*;

#[test]
fn sgr_removed_whole() {
    assert_eq!(clean_text("a\x1b[31mred\x1b[0m b"), "ared b");
    assert!(!clean_text("\x1b[1;31mx").contains("[31m"));
    assert_eq!(clean_text("\x1b[1;31mx"), "x");
}

#[test]
fn csi_with_intermediates_and_private_params() {
    assert_eq!(clean_text("a\x1b[?25lb\x1b[2 qc"), "abc");
}

#[test]
fn osc8_hyperlink_with_bel_and_with_st() {
    assert_eq!(
        clean_text("see \x1b]8;;http://evil.example/\x07here\x1b]8;;\x07."),
        "see here."
    );
    assert_eq!(
        clean_text("see \x1b]8;;http://evil.example/\x1b\\here\x1b]8;;\x1b\\."),
        "see here."
    );
    assert_eq!(clean_text("x\u{9d}8;;http://e/\u{9c}y"), "xy");
}

#[test]
fn osc52_clipboard_write_removed() {
    assert_eq!(clean_text("a\x1b]52;c;cm0gLXJmIH4=\x07b"), "ab");
}

#[test]
fn window_title_removed() {
    assert_eq!(clean_text("\x1b]0;pwned\x1b\\title"), "title");
}

#[test]
fn dcs_sos_pm_apc_removed() {
    assert_eq!(clean_text("a\x1bP1$qm\x1b\\b"), "ab");
    assert_eq!(clean_text("a\x1bXsos\x1b\\b"), "ab");
    assert_eq!(clean_text("a\x1b^pm\x1b\\b"), "ab");
    assert_eq!(clean_text("a\x1b_Gf=100;AAAA\x1b\\b"), "ab");
    assert_eq!(clean_text("a\u{90}dcs\u{9c}b\u{9f}apc\u{9c}c"), "abc");
}

#[test]
fn c1_csi_removed_whole() {
    assert_eq!(clean_text("a\u{9b}31mred\u{9b}0m b"), "ared b");
}

#[test]
fn string_ended_by_can_or_sub() {
    assert_eq!(clean_text("a\x1b]0;t\x18b\x1b]0;t\x1ac"), "abc");
}

#[test]
fn other_esc_sequences() {
    // Save cursor, charset designation, reset, keypad mode.
    assert_eq!(clean_text("a\x1b7b\x1b(Bc\x1bcd\x1b=e"), "abcde");
    assert_eq!(clean_text("end\x1b"), "end");
}

#[test]
fn malformed_sequence_ends_at_bad_char() {
    // The newline is outside the CSI ranges: the CSI ends and the newline is kept.
    assert_eq!(clean_text("a\x1b[31\nb"), "a\nb");
    // A parameter after an intermediate is malformed: the sequence ends before it.
    assert_eq!(clean_text("a\x1b[ 1mb"), "a1mb");
    // ESC ESC: the second ESC starts its own sequence.
    assert_eq!(clean_text("a\x1b\x1b[31mb"), "ab");
    // An ESC inside a string that is not ST starts a new sequence.
    assert_eq!(clean_text("a\x1b]0;t\x1b[31mb"), "ab");
    // A non-ASCII char ends an ESC sequence and is kept.
    assert_eq!(clean_text("a\x1bé"), "aé");
}

#[test]
fn unterminated_osc_stops_at_newline() {
    assert_eq!(
        clean_text("intro\x1b]8;;http://x\nrest of the article\nmore"),
        "intro\nrest of the article\nmore"
    );
    assert_eq!(clean_text("a\x1b]0;x\r\nb"), "a\nb");
    assert_eq!(clean_text("a\x1b]0;x\u{2028}b"), "a\nb");
    assert_eq!(clean_text("a\x1b]0;never ends"), "a");
}

#[test]
fn controls_removed() {
    assert_eq!(clean_text("a\0b\x07c\x08d\x7fe\u{85}f\u{9c}g"), "abcdefg");
}

#[test]
fn crlf_and_cr() {
    assert_eq!(clean_text("a\r\nb\rc\n\rd\r\r\ne"), "a\nb\nc\n\nd\n\ne");
}

#[test]
fn tabs_expand_to_stops_of_four() {
    assert_eq!(clean_text("\tx"), "    x");
    assert_eq!(clean_text("ab\tc\td"), "ab  c   d");
    assert_eq!(clean_text("abcd\te"), "abcd    e");
    assert_eq!(clean_text("ab\n\tc"), "ab\n    c");
    assert_eq!(clean_text("a\tb\nxyz\tc"), "a   b\nxyz c");
}

#[test]
fn tab_after_wide_char() {
    // 中 is two columns wide.
    assert_eq!(clean_text("中\tx"), "中  x");
    assert_eq!(clean_text("中文\tx"), "中文    x");
    assert_eq!(clean_text("a中\tx"), "a中 x");
}

#[test]
fn tab_column_ignores_removed_chars() {
    assert_eq!(clean_text("a\x1b[31mb\tc"), "ab  c");
}

#[test]
fn bidi_and_invisible_chars_removed() {
    assert_eq!(
        clean_text("a\u{202e}b\u{2066}c\u{2069}d\u{200f}e\u{61c}f\u{200b}g\u{feff}h\u{ad}i"),
        "abcdefghi"
    );
    assert_eq!(
        clean_text("\u{2060}a\u{2064}\u{206a}\u{206f}\u{fff9}\u{fffb}\u{180e}"),
        "a"
    );
}

#[test]
fn every_format_character_removed_by_property() {
    // Characters of category Cf that a list of bidi and zero-width characters misses.
    let smuggled: Vec<char> = "\u{e0001}\u{e0020}\u{e0041}\u{e007f}\u{600}\u{605}\u{6dd}\u{70f}\u{8e2}\
                               \u{110bd}\u{110cd}\u{13430}\u{1343f}\u{1bca0}\u{1bca3}\u{1d173}\u{1d17a}"
        .chars()
        .collect();
    for c in smuggled {
        assert!(is_forbidden(c), "{c:?}");
        assert_eq!(clean_text(&format!("a{c}b")), "ab", "{c:?}");
    }
    // Hidden text in tag characters goes with them.
    let hidden: String = "ignore this"
        .chars()
        .map(|c| char::from_u32(0xe0000 + c as u32).unwrap())
        .collect();
    assert_eq!(
        clean_line(&format!("Markets rise{hidden}.")),
        "Markets rise."
    );
}

#[test]
fn noncharacters_removed() {
    for c in [
        '\u{fdd0}',
        '\u{fdef}',
        '\u{fffe}',
        '\u{ffff}',
        '\u{1fffe}',
        '\u{10ffff}',
    ] {
        assert!(is_forbidden(c), "{c:?}");
        assert_eq!(clean_text(&format!("a{c}b")), "ab", "{c:?}");
    }
    assert!(!is_forbidden('\u{fdcf}') && !is_forbidden('\u{fff0}'));
}

#[test]
fn joiners_kept_only_where_they_join() {
    assert_eq!(clean_text("a\u{200d}b c\u{200c}d"), "ab cd");
    assert_eq!(clean_text("\u{200d}😀\u{200d}"), "😀");
    assert_eq!(clean_text("😀\u{200d}\u{200d}😀"), "😀\u{200d}😀");
    assert_eq!(clean_text("😀\u{200d}\x1b[0m😀"), "😀😀");
    let kiss = "👩\u{200d}❤\u{fe0f}\u{200d}💋\u{200d}👨";
    assert_eq!(clean_text(kiss), kiss);
    assert_eq!(clean_text("क्\u{200d}ष"), "क्\u{200d}ष");
}

#[test]
fn quoted_shows_what_was_removed() {
    assert_eq!(quoted("bad\x1b[31mtag"), r#""bad\u{1b}[31mtag""#);
    assert_eq!(quoted("a\u{202e}b\nc\"d\\"), r#""a\u{202e}b\nc\"d\\""#);
    assert_eq!(quoted("x\u{200d}y\u{e0041}"), r#""x\u{200d}y\u{e0041}""#);
    assert_eq!(quoted("中文 é"), "\"中文 é\"");
}

#[test]
fn inert_json_escapes_and_parses_back() {
    let value = "a\u{202e}b\u{85}c\u{e0041}d\u{1b}";
    let json = inert_json(serde_json::to_string(&value).unwrap());
    assert!(!json.chars().any(is_forbidden), "{json}");
    assert_eq!(json, r#""a\u202eb\u0085c\udb40\udc41d\u001b""#);
    assert_eq!(serde_json::from_str::<String>(&json).unwrap(), value);
}

#[test]
fn zwj_and_zwnj_kept() {
    let family = "👨\u{200d}👩\u{200d}👧";
    assert_eq!(clean_text(family), family);
    assert_eq!(clean_text("می\u{200c}خواهم"), "می\u{200c}خواهم");
}

#[test]
fn line_and_paragraph_separators_become_newlines() {
    assert_eq!(clean_text("a\u{2028}b\u{2029}c"), "a\nb\nc");
}

#[test]
fn nfc() {
    assert_eq!(clean_text("e\u{301}"), "é");
    assert_eq!(clean_text("Cafe\u{301}!"), "Café!");
}

#[test]
fn format_char_between_base_and_combining_mark() {
    assert_eq!(clean_text("e\u{200b}\u{301}"), "é");
    assert_eq!(clean_text("e\x1b[0m\u{301}"), "é");
}

#[test]
fn clean_line_collapses_whitespace() {
    assert_eq!(
        clean_line("  Big\tnews:\r\n\x1b[1mmarkets\x1b[0m  fall \n"),
        "Big news: markets fall"
    );
    assert_eq!(clean_line("\u{2028}a\u{3000}b"), "a b");
    assert_eq!(clean_line(""), "");
}

#[test]
fn is_forbidden_classes() {
    for c in [
        '\0', '\t', '\r', '\x1b', '\x7f', '\u{80}', '\u{9b}', '\u{9f}', '\u{202e}', '\u{2028}',
    ] {
        assert!(is_forbidden(c), "{c:?}");
    }
    for c in ['\n', ' ', 'a', 'é', '中', '\u{200c}', '\u{200d}', '\u{a0}'] {
        assert!(!is_forbidden(c), "{c:?}");
    }
}

#[test]
fn plain_text_unchanged() {
    let s = "Hello, world!\n\nA second paragraph: “quoted” — 中文 😀.";
    assert_eq!(clean_text(s), s);
}

#[test]
fn strip_controls_keeps_tabs() {
    assert_eq!(strip_controls("a\tb\x1b[31m\r\nc"), "a\tb\nc");
}

/// Printable text, already NFC, with no tabs: clean_text leaves it alone.
fn printable() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z0-9 ]{1,8}",
        "[!-/:-@\\[-`{-~]{1,3}",
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        "[\u{4e00}-\u{9fff}]{1,4}",
        "[\u{ac00}-\u{d7a3}]{1,3}",
        prop::sample::select(vec![
            "é",
            "ß",
            "“",
            "—",
            "😀",
            "👍🏽",
            "👨\u{200d}👩\u{200d}👧",
            "❤\u{fe0f}"
        ])
        .prop_map(str::to_owned),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

/// Printable text mixed with escape sequences, controls, bidi characters and combining marks.
fn hostile() -> impl Strategy<Value = String> {
    let nasty = prop::sample::select(vec![
        "\x1b",
        "\x1b[",
        "\x1b[31m",
        "\x1b[0m",
        "\x1b[?25l",
        "\x1b]",
        "\x1b]8;;http://x/\x07",
        "\x1b]52;c;",
        "\x1b\\",
        "\x1bP",
        "\x1b_",
        "\x1b^",
        "\x1bX",
        "\x1b(B",
        "\x07",
        "\u{9b}",
        "\u{9d}",
        "\u{9c}",
        "\u{90}",
        "\x18",
        "\x1a",
        "\r",
        "\r\n",
        "\n",
        "\t",
        "\x00",
        "\x7f",
        "\u{85}",
        "\u{202e}",
        "\u{2066}",
        "\u{200b}",
        "\u{feff}",
        "\u{ad}",
        "\u{2028}",
        "\u{2029}",
        "\u{301}",
        "\u{308}",
        "\u{200d}",
        "[",
        "31m",
        ";",
        "\\",
        "e",
        "中",
        "\u{1100}",
        "\u{1161}",
        "\u{11a8}",
    ])
    .prop_map(str::to_owned);
    let piece = prop_oneof![printable(), nasty];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// Complete, well-formed escape sequences and lone controls, each of which must go without a trace.
fn whole_sequence() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "\x1b[31m",
        "\x1b[0m",
        "\x1b[1;38;5;196m",
        "\x1b[?25l",
        "\x1b[2 q",
        "\x1b]8;;http://evil.example/\x07",
        "\x1b]52;c;cm0gLXJmIH4=\x1b\\",
        "\x1b]0;title\u{9c}",
        "\x1b]0;t\x18",
        "\x1b]0;t\x1a",
        "\x1bP1$qm\x1b\\",
        "\x1b_Gf=100;AAAA\x1b\\",
        "\x1bXsos\x1b\\",
        "\x1b^pm\x1b\\",
        "\x1b(B",
        "\x1b7",
        "\x1bc",
        "\x1b=",
        "\u{9b}31m",
        "\u{9b}?1049h",
        "\u{9d}8;;http://x/\u{9c}",
        "\u{90}q\u{9c}",
        "\x07",
        "\x00",
        "\x7f",
        "\u{85}",
        "\u{202e}",
        "\u{2066}",
        "\u{200b}",
        "\u{feff}",
    ])
    .prop_map(str::to_owned)
}

fn check(s: &str) -> Result<(), TestCaseError> {
    let text = clean_text(s);
    prop_assert_eq!(&clean_text(&text), &text);
    prop_assert!(
        !text.chars().any(is_forbidden),
        "forbidden char in {:?}",
        text
    );
    let line = clean_line(s);
    prop_assert_eq!(&clean_line(&line), &line);
    prop_assert!(!line.chars().any(is_forbidden));
    prop_assert!(!line.contains('\n'));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn arbitrary_strings_clean_and_idempotent(s in any::<String>()) {
        check(&s)?;
    }

    #[test]
    fn hostile_strings_clean_and_idempotent(s in hostile()) {
        check(&s)?;
    }

    #[test]
    fn printable_text_passes_through(s in printable()) {
        prop_assert_eq!(clean_text(&s), s);
    }

    /// Whole sequences between pieces of printable text go without a trace: no `[31m` or `8;;http`
    /// residue, and the printable text around them is kept as it is (composed where a removed sequence
    /// stood between a letter and its accent).
    #[test]
    fn whole_sequences_are_removed_without_residue(
        parts in prop::collection::vec((printable(), whole_sequence()), 0..8),
        last in printable(),
    ) {
        let mut hostile = String::new();
        let mut text = String::new();
        for (printable, sequence) in &parts {
            hostile.push_str(printable);
            hostile.push_str(sequence);
            text.push_str(printable);
        }
        hostile.push_str(&last);
        text.push_str(&last);
        prop_assert_eq!(clean_text(&hostile), clean_text(&text));
    }
}
