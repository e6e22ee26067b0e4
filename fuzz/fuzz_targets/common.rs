//! What the fuzz targets share: the property that nothing shown to a person holds a character that could
//! drive a terminal, and a short article text to anchor annotations in.

#![allow(dead_code)]

use newsgloss::article::clean::is_forbidden;

/// A plain text with repeats, CJK and emoji, for anchoring fuzzed annotations (short, so that each run of
/// the fuzzy search stays cheap).
pub const TEXT: &str = "Alibaba Group called off the spin-off of Alibaba Cloud. US export restrictions on \
advanced computing chips bite: the restrictions created uncertainties.\n\nAlibaba Cloud said the spin-off \
was off. 芯片出口限制 hit 阿里云; 東京都 too. 😀 Copilot loses USD 20 a month per user.";

/// Panics when `shown` (an error message or a field a person reads) holds a forbidden character.
pub fn assert_inert(what: &str, shown: &str) {
    assert!(
        !shown.chars().any(is_forbidden),
        "{what} holds a forbidden character: {shown:?}"
    );
}

/// Panics when `line` is not one inert line without leading or trailing white space.
pub fn assert_one_line(what: &str, line: &str) {
    assert_inert(what, line);
    assert!(!line.contains('\n'), "{what} is not one line: {line:?}");
    assert_eq!(line.trim(), line, "{what} is not trimmed");
}
