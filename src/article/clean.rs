//! Making untrusted text inert before it reaches a terminal.
//!
//! Article bodies and front matter come from anywhere. Before any of it is stored, indexed or drawn, it goes
//! through [`clean_text`] (or [`clean_line`] for one-line fields), which removes everything that could drive a
//! terminal or reorder what the reader sees:
//!
//! 1. CRLF and lone CR become LF.
//! 2. Escape sequences are removed whole, in their 7-bit (`ESC [`, `ESC ]`, ...) and 8-bit C1 forms, so no
//!    `[31m` residue is left behind. A malformed sequence ends at the first character outside its allowed
//!    ranges, and that character is then processed as ordinary input.
//! 3. Every remaining C0 control except `\n` and `\t`, DEL and every C1 control is removed.
//! 4. Every format character (Unicode general category Cf: the bidi controls, zero-width spaces, the BOM, the
//!    soft hyphen, the tag characters U+E0000-U+E007F, the Arabic number signs, ...) and every noncharacter is
//!    removed, decided by the character's Unicode property, not by a list. The two joiners (ZWJ U+200D and
//!    ZWNJ U+200C) are kept only where they join: between two non-ASCII letters, marks or symbols (emoji
//!    sequences, Persian, the Indic scripts); anywhere else they are removed. U+2028 and U+2029 become `\n`.
//! 5. Tabs are expanded to spaces at tab stops every [`TAB_WIDTH`] columns from the start of each line.
//! 6. The result is NFC-normalised.
//!
//! The work is one pass over the input plus the NFC pass (skipped when the text is already NFC), and pure
//! printable ASCII is returned as is. Cleaning is idempotent: the output holds nothing that any step changes.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};
use unicode_width::UnicodeWidthStr;

/// Tab stops are this many columns apart.
pub const TAB_WIDTH: usize = 4;

const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';
const CAN: char = '\u{18}';
const SUB: char = '\u{1a}';
/// The 8-bit String Terminator.
const ST8: char = '\u{9c}';

/// Cleans multi-line text: see the [module documentation](self) for the steps.
///
/// ```
/// use newsgloss::article::clean::clean_text;
/// assert_eq!(clean_text("a\x1b[31mred\x1b[0m b\r\n"), "ared b\n");
/// ```
pub fn clean_text(s: &str) -> String {
    if is_plain_ascii(s) {
        return s.to_owned();
    }
    nfc(strip(s, Tabs::Expand))
}

/// Cleans a single-line field (title, source, author, tag, echoed query): [`clean_text`], then every run of
/// whitespace (newlines included) becomes one space, and the ends are trimmed.
pub fn clean_line(s: &str) -> String {
    let text = clean_text(s);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether `c` is a character [`clean_text`] never lets through: every C0 control but `\n` (tab included,
/// since it is expanded), DEL, every C1 control, every format character (category Cf) but the two joiners,
/// every noncharacter, and U+2028/U+2029 (which become `\n`).
pub fn is_forbidden(c: char) -> bool {
    match c {
        '\n' => false,
        '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        _ => is_removed_format(c) || is_line_separator(c) || is_noncharacter(c),
    }
}

/// `text` quoted for an error message, every character [`is_forbidden`] (and any joiner) shown as a visible
/// escape (`\u{1b}`, `\n`, `\t`, `\r`), quotes and backslashes escaped: what the user typed, made inert
/// without making it say something else.
///
/// ```
/// use newsgloss::article::clean::quoted;
/// assert_eq!(quoted("bad\x1b[31mtag"), r#""bad\u{1b}[31mtag""#);
/// ```
pub fn quoted(text: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_forbidden(c) || is_joiner(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Serialised JSON with every character [`is_forbidden`] written as a `\uXXXX` escape (a surrogate pair
/// beyond the BMP). Such characters can only stand inside JSON strings, so the document means the same and
/// parses back to the same values, but no byte of it can drive a terminal or reorder what is shown.
pub fn inert_json(json: String) -> String {
    use std::fmt::Write;
    if !json.chars().any(is_forbidden) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_forbidden(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The escape-sequence and control removal of [`clean_text`] without tab expansion or NFC: CRLF/CR become LF,
/// escape sequences, controls (except `\n` and `\t`) and format characters are removed, U+2028/U+2029 become
/// `\n`. Used before Markdown parsing, where tabs are still syntax.
pub(crate) fn strip_controls(s: &str) -> String {
    if is_plain_ascii(s) {
        return s.to_owned();
    }
    strip(s, Tabs::Keep)
}

/// True if `s` is only printable ASCII and `\n`: such text is already clean (and NFC).
fn is_plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7f).contains(&b) || b == b'\n')
}

/// NFC-normalises `s`, without copying when it is already NFC.
fn nfc(s: String) -> String {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s
    } else {
        s.nfc().collect()
    }
}

/// The format characters that are removed: all of general category Cf, except the joiners, which
/// [`ground`] keeps or removes by what is on each side of them.
fn is_removed_format(c: char) -> bool {
    match c {
        // No format character below the soft hyphen, nor among the CJK blocks (the common non-ASCII text).
        '\0'..='\u{ac}' | '\u{ae}'..='\u{5ff}' | '\u{3000}'..='\u{fdcf}' => false,
        '\u{200c}' | '\u{200d}' => false,
        _ => c.general_category() == GeneralCategory::Format,
    }
}

/// The zero-width non-joiner and joiner.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}')
}

/// Whether a joiner between `before` and `after` joins something: both are non-ASCII letters, marks or
/// symbols (an emoji and the next one, two Persian letters, a Devanagari consonant and its virama).
fn joins(before: Option<char>, after: Option<char>) -> bool {
    let joinable = |c: Option<char>| {
        c.is_some_and(|c| {
            !c.is_ascii()
                && matches!(
                    c.general_category_group(),
                    GeneralCategoryGroup::Letter
                        | GeneralCategoryGroup::Mark
                        | GeneralCategoryGroup::Symbol
                )
        })
    };
    joinable(before) && joinable(after)
}

/// The 66 noncharacters: U+FDD0-U+FDEF and the last two code points of every plane.
fn is_noncharacter(c: char) -> bool {
    let n = u32::from(c);
    (0xfdd0..=0xfdef).contains(&n) || n & 0xfffe == 0xfffe
}

/// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR, which become `\n`.
fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// Whether a character in plain text can be copied through without a look (the common case).
fn is_passthrough(c: char) -> bool {
    c == '\n' || !(is_forbidden(c) || is_joiner(c))
}

/// What [`strip`] does with tabs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tabs {
    Keep,
    Expand,
}

/// Where the escape-sequence recogniser is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    /// Ordinary text.
    Ground,
    /// Just after `ESC`.
    Esc,
    /// In `ESC` + intermediates, waiting for the final byte 0x30-0x7E.
    EscIntermediate,
    /// In a CSI's parameter bytes 0x30-0x3F.
    CsiParam,
    /// In a CSI's intermediate bytes 0x20-0x2F.
    CsiIntermediate,
    /// In the body of an OSC, DCS, SOS, PM or APC string.
    Str,
    /// In such a string, just after `ESC` (which may start the `ESC \` terminator).
    StrEsc,
}

/// What to do with the character just looked at.
enum Step {
    /// It was consumed; move to the given state.
    Consume(State),
    /// It does not belong to the sequence: move to the given state and look at it again there.
    Redo(State),
}

/// The single pass behind [`clean_text`] and [`strip_controls`]: everything but NFC.
fn strip(s: &str, tabs: Tabs) -> String {
    let mut out = Output {
        text: String::with_capacity(s.len()),
        tabs,
        col_base: 0,
        seg_start: 0,
    };
    let mut state = State::Ground;
    let mut i = 0;
    while i < s.len() {
        if state == State::Ground {
            // Skip over pass-through text quickly and copy it in one go.
            let run = i;
            i += s[i..].find(|c| !is_passthrough(c)).unwrap_or(s.len() - i);
            out.text.push_str(&s[run..i]);
            if i == s.len() {
                break;
            }
        }
        let c = s[i..].chars().next().unwrap_or_default();
        i += c.len_utf8();
        state = feed(state, c, &mut out, s, &mut i);
    }
    out.text
}

/// Runs `c` through the recogniser from `state` and returns the next state. A character that ends a malformed
/// sequence is looked at again in the state the sequence falls back to. `i` is the input position after `c`.
fn feed(mut state: State, c: char, out: &mut Output, s: &str, i: &mut usize) -> State {
    loop {
        let step = match state {
            State::Ground => ground(c, out, s, i),
            State::Esc => after_esc(c),
            State::EscIntermediate => esc_intermediate(c),
            State::CsiParam => csi_param(c),
            State::CsiIntermediate => csi_intermediate(c),
            State::Str => in_string(c),
            State::StrEsc => in_string_after_esc(c),
        };
        match step {
            Step::Consume(next) => return next,
            Step::Redo(next) => state = next,
        }
    }
}

/// The output of [`strip`], with what tab expansion needs to know about the current line.
struct Output {
    text: String,
    tabs: Tabs,
    /// The display column at byte `seg_start` of `text` (a tab stop, or 0 at a line start).
    col_base: usize,
    /// Where the text after the last expanded tab starts; no tab follows it in `text`.
    seg_start: usize,
}

impl Output {
    /// Appends a tab, expanded to spaces up to the next tab stop when asked to.
    fn push_tab(&mut self) {
        if self.tabs == Tabs::Keep {
            self.text.push('\t');
            return;
        }
        // Only the part after the last line break counts.
        let tail = &self.text[self.seg_start..];
        let col = match tail.rfind('\n') {
            Some(nl) => tail[nl + 1..].width(),
            None => self.col_base + tail.width(),
        };
        let next_stop = (col / TAB_WIDTH + 1) * TAB_WIDTH;
        self.text.extend(std::iter::repeat_n(' ', next_stop - col));
        self.col_base = next_stop;
        self.seg_start = self.text.len();
    }
}

/// Handles a character of ordinary text: line ends, tabs, sequence introducers and characters to remove (and
/// ordinary characters handed back by a malformed sequence). `i` is the input position after `c`; a CR swallows the LF right after it.
fn ground(c: char, out: &mut Output, s: &str, i: &mut usize) -> Step {
    match c {
        '\r' => {
            if s.as_bytes().get(*i) == Some(&b'\n') {
                *i += 1;
            }
            out.text.push('\n');
        }
        '\n' => out.text.push('\n'),
        '\t' => out.push_tab(),
        ESC => return Step::Consume(State::Esc),
        '\u{9b}' => return Step::Consume(State::CsiParam),
        '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => return Step::Consume(State::Str),
        c if is_line_separator(c) => out.text.push('\n'),
        // A joiner that joins is kept; one that does not falls through and is dropped.
        c if is_joiner(c) && joins(out.text.chars().next_back(), s[*i..].chars().next()) => {
            out.text.push(c)
        }
        // Ordinary text that ended a malformed sequence.
        c if is_passthrough(c) => out.text.push(c),
        // Any other control or format character is dropped.
        _ => {}
    }
    Step::Consume(State::Ground)
}

/// After `ESC`: `[` starts a CSI; `]`, `P`, `X`, `^`, `_` start a string (OSC, DCS, SOS, PM, APC); anything
/// else is `ESC` + intermediates 0x20-0x2F + one final 0x30-0x7E.
fn after_esc(c: char) -> Step {
    match c {
        '[' => Step::Consume(State::CsiParam),
        ']' | 'P' | 'X' | '^' | '_' => Step::Consume(State::Str),
        ' '..='/' => Step::Consume(State::EscIntermediate),
        '0'..='~' => Step::Consume(State::Ground),
        _ => Step::Redo(State::Ground),
    }
}

/// In `ESC` + intermediates: more intermediates, or the final character.
fn esc_intermediate(c: char) -> Step {
    match c {
        ' '..='/' => Step::Consume(State::EscIntermediate),
        '0'..='~' => Step::Consume(State::Ground),
        _ => Step::Redo(State::Ground),
    }
}

/// In a CSI's parameters: more parameters, intermediates, or the final character.
fn csi_param(c: char) -> Step {
    match c {
        '0'..='?' => Step::Consume(State::CsiParam),
        ' '..='/' => Step::Consume(State::CsiIntermediate),
        '@'..='~' => Step::Consume(State::Ground),
        _ => Step::Redo(State::Ground),
    }
}

/// In a CSI's intermediates: more intermediates or the final character (parameters may not come back).
fn csi_intermediate(c: char) -> Step {
    match c {
        ' '..='/' => Step::Consume(State::CsiIntermediate),
        '@'..='~' => Step::Consume(State::Ground),
        _ => Step::Redo(State::Ground),
    }
}

/// In an OSC/DCS/SOS/PM/APC string. It ends at BEL, ST (`ESC \` or U+009C), CAN or SUB, all removed with it,
/// or at a line end (`\n`, CR, U+2028, U+2029), which is kept: text after a line end is content, so a stray
/// introducer never swallows the rest of an article.
fn in_string(c: char) -> Step {
    match c {
        BEL | ST8 | CAN | SUB => Step::Consume(State::Ground),
        ESC => Step::Consume(State::StrEsc),
        '\n' | '\r' => Step::Redo(State::Ground),
        c if is_line_separator(c) => Step::Redo(State::Ground),
        _ => Step::Consume(State::Str),
    }
}

/// In a string just after `ESC`: `\` completes ST; anything else means the string was cut short, and the
/// `ESC` starts a new sequence with this character.
fn in_string_after_esc(c: char) -> Step {
    match c {
        '\\' => Step::Consume(State::Ground),
        _ => Step::Redo(State::Esc),
    }
}

#[cfg(test)]
mod tests;
