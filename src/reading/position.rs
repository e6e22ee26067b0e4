//! Where the reader left an article: a character offset into its plain text (so it survives a resize),
//! kept with the text that starts there, so that after an edit of the article the place is found again.

/// How many characters of text are kept with an offset.
pub const CONTEXT_CHARS: usize = 32;

/// A place in an article's plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    /// Unicode scalar values from the start of the plain text.
    pub offset: usize,
    /// The text from `offset` on, at most [`CONTEXT_CHARS`] characters.
    pub context: String,
}

impl Position {
    /// The place `offset` of `text` (clamped to its end).
    pub fn at(text: &[char], offset: usize) -> Position {
        let offset = offset.min(text.len());
        let end = (offset + CONTEXT_CHARS).min(text.len());
        Position {
            offset,
            context: text[offset..end].iter().collect(),
        }
    }

    /// Where this place is in `text`, which may have been edited since: at the offset when its context
    /// is still there; else where the context (or one half of it) occurs, the nearest to the old offset;
    /// else the old offset, clamped to the text.
    pub fn find(&self, text: &[char]) -> usize {
        let context: Vec<char> = self.context.chars().collect();
        let clamped = self.offset.min(text.len());
        if context.is_empty() {
            return clamped;
        }
        if text.get(self.offset..self.offset + context.len()) == Some(&context[..]) {
            return self.offset;
        }
        let half = context.len() / 2;
        let tries: [(&[char], usize); 3] = [
            (&context, 0),
            (&context[..half], 0),
            (&context[half..], half),
        ];
        for (piece, shift) in tries {
            if piece.len() < 4 {
                continue;
            }
            let starts = crate::annotation::occurrences(text, piece);
            let nearest = starts
                .into_iter()
                .map(|start| start.saturating_sub(shift))
                .min_by_key(|start| start.abs_diff(self.offset));
            if let Some(start) = nearest {
                return start;
            }
        }
        clamped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    const TEXT: &str = "The first paragraph says little.\n\nThe second one is where the reader stopped, \
                        in the middle of a long sentence about chips.\n\nThe end.";

    #[test]
    fn a_place_is_found_again_after_edits() {
        let text = chars(TEXT);
        let offset = TEXT.find("where the reader").unwrap();
        let offset = TEXT[..offset].chars().count();
        let place = Position::at(&text, offset);
        assert_eq!(place.context.chars().count(), CONTEXT_CHARS);
        let cases = [
            // (the edited text, where the place must be found, in the edited text)
            (TEXT.to_owned(), "where the reader"),
            (
                format!("A new lead paragraph.\n\n{TEXT}"),
                "where the reader",
            ),
            (TEXT.replace("first", "very first"), "where the reader"),
            // An edit inside the context itself: one half still places it.
            (
                TEXT.replace("reader stopped", "reader paused"),
                "where the reader",
            ),
            (TEXT.replace("where the", "at which the"), "which the"),
        ];
        for (edited, expected) in cases {
            let found = place.find(&chars(&edited));
            let at = edited.find(expected).unwrap();
            assert_eq!(found, edited[..at].chars().count(), "{edited}");
        }
    }

    #[test]
    fn a_place_lost_keeps_its_offset_within_the_text() {
        let place = Position::at(&chars(TEXT), 40);
        assert_eq!(
            place.find(&chars("Something else entirely, and long enough.")),
            40
        );
        assert_eq!(place.find(&chars("Short.")), 6);
        let end = Position::at(&chars("abc"), 10);
        assert_eq!((end.offset, end.context.as_str()), (3, ""));
        assert_eq!(end.find(&chars("ab")), 2);
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let text = chars("阿里云取消分拆。美国的芯片限制影响了阿里云。");
        let place = Position::at(&text, 8);
        assert_eq!(place.context, "美国的芯片限制影响了阿里云。");
        let edited = chars("新闻：阿里云取消分拆。美国的芯片限制影响了阿里云。");
        assert_eq!(place.find(&edited), 11);
    }
}
