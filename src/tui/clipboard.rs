//! Copying to the clipboard through the terminal: an OSC 52 sequence (`ESC ] 52 ; c ; BASE64 BEL`)
//! that newsgloss builds itself. What is copied is made inert first (the article cleaner's rule: no
//! escape sequences, no C0/C1 controls, no bidi or other format characters) and then base64-encoded, so
//! the sequence holds nothing but its fixed frame and base64 characters. A terminal that does not take
//! OSC 52 ignores it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::article::clean::clean_text;

/// The most bytes (UTF-8) copied at once: their base64 is 100,000 bytes, which the terminals that take
/// OSC 52 accept (tmux and some others drop longer ones without a word). Longer text is not copied.
pub const MAX_COPY_BYTES: usize = 75_000;

/// The sequence that puts `text` (made inert) on the clipboard, and how many characters it copies; or
/// why nothing is copied (one sentence).
///
/// ```
/// use newsgloss::tui::clipboard::osc52;
/// assert_eq!(osc52("hi").unwrap(), ("\x1b]52;c;aGk=\x07".to_owned(), 2));
/// ```
pub fn osc52(text: &str) -> Result<(String, usize), String> {
    let inert = clean_text(text);
    if inert.trim().is_empty() {
        return Err("nothing to copy".into());
    }
    if inert.len() > MAX_COPY_BYTES {
        return Err(format!(
            "not copied: {} characters is over what the clipboard takes through the terminal \
             ({MAX_COPY_BYTES} bytes)",
            inert.chars().count()
        ));
    }
    let chars = inert.chars().count();
    Ok((format!("\x1b]52;c;{}\x07", STANDARD.encode(inert)), chars))
}

/// An annotation's quote as it is copied: `“quote” — Source, URL` (the parts the article has).
pub fn quote_line(quote: &str, source: Option<&str>, url: Option<&str>) -> String {
    let mut out = format!("“{}”", crate::article::clean::clean_line(quote));
    let from: Vec<&str> = [source, url]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect();
    if !from.is_empty() {
        out.push_str(" — ");
        out.push_str(&from.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The base64 payload of a sequence, checking its frame and that nothing else is in it.
    fn payload(sequence: &str) -> String {
        let body = sequence
            .strip_prefix("\x1b]52;c;")
            .and_then(|s| s.strip_suffix('\x07'))
            .expect("an OSC 52 frame");
        assert!(
            body.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)),
            "{body:?}"
        );
        let bytes = STANDARD.decode(body).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn hostile_text_becomes_base64_of_inert_text() {
        let hostile =
            "a\x1b]52;c;ZXZpbA==\x07b\x1b[31mred\u{9b}2J\u{202e}rtl\u{200b}\x00\rend\n\tx";
        let (sequence, chars) = osc52(hostile).unwrap();
        let copied = payload(&sequence);
        assert_eq!(copied, clean_text(hostile));
        assert!(
            !copied.chars().any(crate::article::clean::is_forbidden),
            "{copied:?}"
        );
        assert_eq!(chars, copied.chars().count());
        // The only ESC and BEL are the frame's own.
        assert_eq!(sequence.matches('\x1b').count(), 1);
        assert_eq!(sequence.matches('\x07').count(), 1);
    }

    #[test]
    fn cjk_and_emoji_are_copied_whole() {
        let (sequence, chars) = osc52("阿里云 😀").unwrap();
        assert_eq!(payload(&sequence), "阿里云 😀");
        assert_eq!(chars, 5);
    }

    #[test]
    fn nothing_and_too_much_are_refused() {
        assert_eq!(osc52(" \x1b[0m\n").unwrap_err(), "nothing to copy");
        let long = "x".repeat(MAX_COPY_BYTES + 1);
        let err = osc52(&long).unwrap_err();
        assert!(err.contains("75001 characters"), "{err}");
        assert!(osc52(&"x".repeat(MAX_COPY_BYTES)).is_ok());
    }

    #[test]
    fn quotes_name_their_source_and_url() {
        assert_eq!(
            quote_line("a\nquote", Some("KrASIA"), Some("https://kr-asia.com/a")),
            "“a quote” — KrASIA, https://kr-asia.com/a"
        );
        assert_eq!(quote_line("q", None, None), "“q”");
        assert_eq!(
            quote_line("q", None, Some("https://x.y")),
            "“q” — https://x.y"
        );
    }
}
