//! The CSV that Readwise imports: `Highlight, Title, Author, URL, Note, Location, Date`, one row per
//! claim. Readwise reads a note that starts with `.word` as tags (its "inline tagging"), so each claim's
//! tags open its note (`.copilot-losses .chip-restrictions`), the note itself on the next line.

use super::export::ExportArticle;
use super::model::Annotation;
use crate::article::clean::{clean_line, clean_text};

/// The columns, in Readwise's order.
pub const COLUMNS: [&str; 7] = [
    "Highlight",
    "Title",
    "Author",
    "URL",
    "Note",
    "Location",
    "Date",
];

/// The CSV of every claim of `articles`, in the order given, each article's claims in text order.
/// `Location` is the claim's place among its article's claims (1, 2, ...), which Readwise sorts by;
/// `Date` is when it was made, `YYYY-MM-DD HH:MM:SS` in UTC.
pub fn readwise_csv(articles: &[ExportArticle]) -> String {
    // Records end in a line feed alone: a carriage return is a control character, which no output holds.
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(COLUMNS).expect("writing to memory");
    for article in articles {
        let mut claims: Vec<&Annotation> = article.annotations.iter().collect();
        claims.sort_by_key(|a| a.position_key());
        for (i, claim) in claims.into_iter().enumerate() {
            writer
                .write_record(record(article, claim, i + 1))
                .expect("writing to memory");
        }
    }
    let bytes = writer.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("the fields are text")
}

fn record(article: &ExportArticle, claim: &Annotation, location: usize) -> [String; 7] {
    let optional = |field: &Option<String>| field.as_deref().map(clean_line).unwrap_or_default();
    [
        clean_text(&claim.quote),
        clean_line(&article.title),
        optional(&article.author),
        optional(&article.url),
        note(claim),
        location.to_string(),
        date(claim),
    ]
}

/// The tags as Readwise's inline tags, then the note.
fn note(claim: &Annotation) -> String {
    let tags: Vec<String> = claim.tags.iter().map(|t| format!(".{t}")).collect();
    let mut note = tags.join(" ");
    if let Some(text) = &claim.note {
        note.push('\n');
        note.push_str(&clean_text(text));
    }
    note
}

fn date(claim: &Annotation) -> String {
    let at = claim.created;
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn quotes_commas_and_newlines_are_quoted_and_tags_open_the_note() {
        let text = "He said \"loss\", then left.";
        let mut claim = Annotation::new(
            "a",
            text,
            0,
            text.chars().count(),
            vec!["copilot-losses".into(), "ai".into()],
            Some("One, \"two\"\nthree".into()),
            datetime!(2026-01-02 03:04:05.678 UTC),
        );
        claim.article = "a".into();
        let mut article = ExportArticle::missing("a", vec![claim]);
        article.title = "T, with comma".into();
        let csv = readwise_csv(&[article]);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(headers, COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][0], text);
        assert_eq!(&rows[0][1], "T, with comma");
        assert_eq!(&rows[0][4], ".copilot-losses .ai\nOne, \"two\"\nthree");
        assert_eq!(&rows[0][5], "1");
        assert_eq!(&rows[0][6], "2026-01-02 03:04:05");
    }

    #[test]
    fn hostile_text_is_inert_in_the_csv() {
        let hostile = "a\u{1b}]52;c;cHduZWQ=\u{7}b\u{202e}c\u{9b}31m\u{0}d";
        let mut claim = Annotation::new(
            "a",
            hostile,
            0,
            3,
            vec!["t".into()],
            Some(hostile.into()),
            datetime!(2026-01-01 00:00:00 UTC),
        );
        claim.quote = hostile.into();
        let mut article = ExportArticle::missing("a", vec![claim]);
        article.title = hostile.into();
        article.url = Some(hostile.into());
        let csv = readwise_csv(&[article]);
        assert!(
            !csv.chars().any(crate::article::clean::is_forbidden),
            "{csv:?}"
        );
        assert!(!csv.contains("]52;"));
    }
}
