//! Whether the text a feed gives for an entry is the article itself or only a teaser of it, so that the
//! entry's page is fetched only when it is needed.
//!
//! The rule, on the entry's text as plain text:
//! - a summary (RSS `<description>`, Atom `<summary>`, JSON Feed `summary`) is the article when it has at
//!   least [`MIN_PARAGRAPHS`] paragraphs of at least [`PARAGRAPH_WORDS`] words, or at least
//!   [`MIN_WORDS`] words in all (CJK text counts one word per two characters), and it does not end like a
//!   teaser;
//! - full content (RSS `content:encoded`, Atom `<content>`, JSON Feed `content_html`/`content_text`) is
//!   the article unless it is short (under [`MIN_WORDS`] words) and ends like a teaser;
//! - a text ends like a teaser when one of its last two paragraphs ends with an ellipsis (`…`, `...`,
//!   `[…]`, `[...]`) or with "read more", "continue reading", "more…" (WordPress puts "The post … appeared
//!   first on …" after the ellipsis, hence the last two).

/// Paragraphs that make a summary an article.
pub const MIN_PARAGRAPHS: usize = 3;
/// Words a paragraph needs to count.
pub const PARAGRAPH_WORDS: usize = 10;
/// Words that make a summary an article whatever its paragraphs.
pub const MIN_WORDS: usize = 150;

/// Where an entry's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    Content,
    Summary,
}

/// Whether `plain` (the entry's text as plain text, paragraphs separated by blank lines) is the whole
/// article, given where it came from.
pub fn is_article(plain: &str, given: Given) -> bool {
    let paragraphs: Vec<&str> = plain
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    // Only whether the counts reach their bounds matters: counting stops there.
    let mut total = 0;
    for paragraph in &paragraphs {
        total += words(paragraph, MIN_WORDS - total);
        if total >= MIN_WORDS {
            break;
        }
    }
    let teaser_end = paragraphs.iter().rev().take(2).any(|p| ends_like_teaser(p));
    match given {
        Given::Content => !(teaser_end && total < MIN_WORDS),
        Given::Summary => {
            let long = paragraphs
                .iter()
                .filter(|p| words(p, PARAGRAPH_WORDS) >= PARAGRAPH_WORDS)
                .take(MIN_PARAGRAPHS)
                .count();
            (long >= MIN_PARAGRAPHS || total >= MIN_WORDS) && !teaser_end
        }
    }
}

/// Words in a text, counted until there are `enough`: whitespace-separated tokens with a letter or digit
/// that is not CJK, and CJK characters one word per two (wherever they are).
fn words(text: &str, enough: usize) -> usize {
    let (mut others, mut cjk) = (0usize, 0usize);
    for token in text.split_whitespace() {
        let mut other = false;
        for c in token.chars() {
            if is_cjk(c) {
                cjk += 1;
            } else if c.is_alphanumeric() {
                other = true;
            }
        }
        others += usize::from(other);
        if others + cjk.div_ceil(2) >= enough {
            break;
        }
    }
    others + cjk.div_ceil(2)
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff)
}

fn ends_like_teaser(paragraph: &str) -> bool {
    let end = paragraph.to_lowercase();
    let end = end.trim_end_matches(|c: char| c.is_whitespace() || "»›→>:!".contains(c));
    let words = end.trim_end_matches(['.', ' ']);
    ["…", "...", "[…]", "[...]", "(…)", "(...)"]
        .iter()
        .any(|mark| end.ends_with(mark))
        || [
            "read more",
            "continue reading",
            "keep reading",
            "read the full story",
            "read the full article",
        ]
        .iter()
        .any(|mark| {
            words.ends_with(mark) && (words.len() == mark.len() || !is_word_end(words, mark))
        })
}

/// Whether the text before `mark` at the end of `text` ends inside a word ("evermore" is not "more").
fn is_word_end(text: &str, mark: &str) -> bool {
    text[..text.len() - mark.len()]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(words: usize) -> String {
        (0..words)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ")
            + "."
    }

    #[test]
    fn summaries_are_articles_when_long_or_in_paragraphs() {
        let one_line =
            "Police say a man has been arrested after a car hit pedestrians in the city centre.";
        assert!(!is_article(one_line, Given::Summary));
        let three = [paragraph(12), paragraph(12), paragraph(12)].join("\n\n");
        assert!(is_article(&three, Given::Summary));
        let two_and_a_byline = [paragraph(12), paragraph(12), "By A. Writer".into()].join("\n\n");
        assert!(!is_article(&two_and_a_byline, Given::Summary));
        assert!(is_article(&paragraph(160), Given::Summary));
        assert!(!is_article(&paragraph(140), Given::Summary));
    }

    #[test]
    fn teaser_endings() {
        let wordpress = format!(
            "{}\n\n{} [&hellip;]\n\nThe post Chips appeared first on Example.",
            paragraph(12),
            paragraph(40).trim_end_matches('.')
        )
        .replace("[&hellip;]", "[…]");
        assert!(!is_article(
            &format!("{}\n\n{wordpress}", paragraph(12)),
            Given::Summary
        ));
        for end in ["Read more »", "Continue reading →", "more...", "and then…"] {
            let text = format!(
                "{}\n\n{}\n\n{} {end}",
                paragraph(12),
                paragraph(12),
                paragraph(12)
            );
            assert!(!is_article(&text, Given::Summary), "{end}");
            assert!(!is_article(&text, Given::Content), "{end}");
        }
        let long = format!("{} Read more", paragraph(200));
        assert!(is_article(&long, Given::Content));
        assert!(is_article("A one-line note.", Given::Content));
    }

    #[test]
    fn cjk_words_are_counted_by_characters() {
        let chinese = "中国科技公司".repeat(50);
        assert_eq!(words(&chinese, usize::MAX), 150);
        assert!(words(&chinese, MIN_WORDS) >= MIN_WORDS);
        // A token with Latin letters is a word, and its CJK characters count as well; punctuation alone
        // is none.
        assert_eq!(words("AI芯片 出口 — 2023 ...", usize::MAX), 1 + 2 + 1);
        // Counting stops once there are enough.
        assert_eq!(words(&paragraph(40), 10), 10);
        assert_eq!(words(&paragraph(40), usize::MAX), 40);
        assert!(is_article(&chinese, Given::Summary));
        assert!(!is_article("阿里巴巴取消云业务分拆。", Given::Summary));
    }
}
