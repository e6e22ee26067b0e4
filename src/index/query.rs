//! Checking and preparing a user's query before tantivy's parser sees it: length and nesting caps (the
//! parser recurses and has known panics), `published:` dates written the short way, and errors in words.

use std::sync::LazyLock;

use tantivy::TantivyError;
use tantivy::query::{EnableScoring, Query, QueryParser, QueryParserError};
use tantivy::schema::Schema;

use crate::article::clean::clean_line;

pub mod cost;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1024;
/// The deepest nesting of parentheses accepted.
pub const MAX_NESTING: usize = 16;

/// Why a query was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is empty")]
    Empty,
    #[error("the query is too long ({0} characters; at most {MAX_QUERY_CHARS})")]
    TooLong(usize),
    #[error("the query nests parentheses too deeply (at most {MAX_NESTING} levels)")]
    TooDeep,
    #[error("the query has no words to search for")]
    NoWords,
    #[error("the query would cost too much: {0}")]
    TooCostly(String),
    #[error("bad query: {0}")]
    Invalid(String),
}

/// The most terms a query may look up (each word is looked up in every default field, four of them).
pub const MAX_TERMS: usize = 256;
/// The most words in one phrase.
pub const MAX_PHRASE_TERMS: usize = 16;

/// A parsed query and what was ignored in reading it (one line each).
pub struct Parsed {
    pub query: Box<dyn Query>,
    pub notices: Vec<String>,
}

/// The schema of every index newsgloss opens (it refuses any other), for checking parsed queries.
static SCHEMA: LazyLock<Schema> = LazyLock::new(|| super::schema::build().0);

/// Checks `query`, reads it leniently, rewrites its `published:` dates, parses it and checks its cost.
pub fn parse(parser: &QueryParser, query: &str) -> Result<Parsed, QueryError> {
    let lenient = super::lenient::rewrite(&prepare(query)?)?;
    let prepared = rewrite_dates(&lenient.text);
    let parsed = crate::contain::contain(|| {
        parser.parse_query(&prepared).map(|query| {
            (
                refused_by_schema(&*query).or_else(|| too_costly(&*query)),
                query,
            )
        })
    });
    let query = match parsed {
        Ok(Ok((None, query))) => query,
        Ok(Ok((Some(problem), _))) => return Err(problem),
        Ok(Err(e)) => return Err(QueryError::Invalid(describe(&e))),
        Err(_) => return Err(QueryError::Invalid("the query could not be parsed".into())),
    };
    Ok(Parsed {
        query,
        notices: lenient.notices,
    })
}

/// Why running `query` could cost more than a search may: too many terms, or a phrase too long.
fn too_costly(query: &dyn Query) -> Option<QueryError> {
    let mut terms = 0usize;
    query.query_terms(&mut |_, _| terms += 1);
    if terms > MAX_TERMS {
        return Some(QueryError::TooCostly(format!(
            "it looks up {terms} terms in all (at most {MAX_TERMS})"
        )));
    }
    let longest = longest_phrase(query);
    (longest > MAX_PHRASE_TERMS).then(|| {
        QueryError::TooCostly(format!(
            "a phrase has {longest} words (at most {MAX_PHRASE_TERMS})"
        ))
    })
}

/// The most terms in one phrase of `query`, looking into boolean and boosted queries.
fn longest_phrase(query: &dyn Query) -> usize {
    use tantivy::query::{BooleanQuery, BoostQuery, PhrasePrefixQuery, PhraseQuery};
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        return phrase.phrase_terms().len();
    }
    if let Some(phrase) = query.downcast_ref::<PhrasePrefixQuery>() {
        return phrase.phrase_terms().len();
    }
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        return boolean
            .clauses()
            .iter()
            .map(|(_, clause)| longest_phrase(&**clause))
            .max()
            .unwrap_or(0);
    }
    if query.downcast_ref::<BoostQuery>().is_some() {
        // A boost hides its inner query; count its terms as one phrase, which over-counts safely.
        let mut terms = 0usize;
        query.query_terms(&mut |_, _| terms += 1);
        return terms;
    }
    0
}

/// What is wrong with a parsed query that tantivy refuses only when it runs it: `FIELD:*` on a field that
/// does not exist or has no column. Those are the user's to fix, not a damaged index.
fn refused_by_schema(query: &dyn Query) -> Option<QueryError> {
    match query.weight(EnableScoring::disabled_from_schema(&SCHEMA)) {
        Err(TantivyError::FieldNotFound(field)) => Some(QueryError::Invalid(describe(
            &QueryParserError::FieldDoesNotExist(field),
        ))),
        Err(TantivyError::SchemaError(_)) => Some(QueryError::Invalid(
            "`FIELD:*` (articles with any value in a field) works for title, source, author, language and published"
                .into(),
        )),
        _ => None,
    }
}

/// The checks that happen before parsing.
pub fn prepare(query: &str) -> Result<String, QueryError> {
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong(chars));
    }
    let query = query.trim();
    if query.is_empty() {
        return Err(QueryError::Empty);
    }
    if nesting(query) > MAX_NESTING {
        return Err(QueryError::TooDeep);
    }
    Ok(query.to_owned())
}

fn nesting(query: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for c in query.chars() {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// In `published:` terms and ranges, `YYYY-MM-DD` becomes an RFC 3339 instant: the start of the day, or
/// its last instant for the inclusive upper end of a range, so that `[2023-01-01 TO 2023-12-31]` takes
/// in the whole of December 31.
fn rewrite_dates(query: &str) -> String {
    const FIELD: &str = "published:";
    let mut out = String::with_capacity(query.len() + 32);
    let mut rest = query;
    while let Some(at) = rest.find(FIELD) {
        let (before, after) = rest.split_at(at + FIELD.len());
        out.push_str(before);
        let end = clause_end(after);
        out.push_str(&rewrite_clause(&after[..end]));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Where the value after `published:` ends: after the closing bracket of a range, else at white space.
fn clause_end(after: &str) -> usize {
    let close = match after.chars().next() {
        Some('[') | Some('{') => after.find([']', '}']),
        _ => None,
    };
    match close {
        Some(i) => i + 1,
        None => after.find(char::is_whitespace).unwrap_or(after.len()),
    }
}

fn rewrite_clause(clause: &str) -> String {
    // A day on its own is the whole of that day.
    if clause.len() == 10 && is_bare_date(clause.as_bytes()) {
        return format!("[{clause}T00:00:00Z TO {clause}T23:59:59.999999999Z]");
    }
    let inclusive_upper = clause.ends_with(']');
    let mut out = String::with_capacity(clause.len() + 32);
    let mut i = 0;
    let bytes = clause.as_bytes();
    let mut seen_to = false;
    while i < clause.len() {
        if clause[i..].starts_with("TO") {
            seen_to = true;
        }
        if is_bare_date(&bytes[i..]) && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            out.push_str(&clause[i..i + 10]);
            let upper = seen_to && inclusive_upper;
            out.push_str(if upper {
                "T23:59:59.999999999Z"
            } else {
                "T00:00:00Z"
            });
            i += 10;
            continue;
        }
        let c = clause[i..].chars().next().expect("in bounds");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// `YYYY-MM-DD` not followed by a time.
fn is_bare_date(b: &[u8]) -> bool {
    let digits =
        |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && !b.get(10).is_some_and(|c| c.is_ascii_alphanumeric())
}

fn describe(error: &QueryParserError) -> String {
    let text = match error {
        QueryParserError::SyntaxError(detail) => format!("syntax error in {}", quoted(detail)),
        QueryParserError::FieldDoesNotExist(field) => format!(
            "there is no field {} (fields: {})",
            quoted(field),
            super::lenient::FIELDS.join(", ")
        ),
        QueryParserError::AllButQueryForbidden => {
            "a query needs at least one term that is not excluded with `-`".into()
        }
        QueryParserError::DateFormatError(_) => {
            "dates are written YYYY-MM-DD or as RFC 3339 date-times".into()
        }
        other => other.to_string(),
    };
    clean_line(&text)
}

fn quoted(text: &str) -> String {
    let text: String = clean_line(text).chars().take(60).collect();
    format!("`{text}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_length_and_nesting() {
        assert_eq!(prepare("  "), Err(QueryError::Empty));
        assert!(matches!(
            prepare(&"a ".repeat(600)),
            Err(QueryError::TooLong(1200))
        ));
        let deep = format!("{}a{}", "(".repeat(17), ")".repeat(17));
        assert_eq!(prepare(&deep), Err(QueryError::TooDeep));
        assert!(prepare(&format!("{}a{}", "(".repeat(16), ")".repeat(16))).is_ok());
    }

    fn parser() -> QueryParser {
        let (schema, fields) = super::super::schema::build();
        let index = tantivy::Index::create_in_ram(schema);
        super::super::schema::register_tokenizers(index.tokenizers());
        super::super::search::query_parser(&index, &fields)
    }

    #[test]
    fn field_wildcards_on_fields_without_values_are_the_query_s_fault() {
        // Found by fuzzing: these parsed, then failed when run, as if the index were damaged, with the
        // raw field name (NULs included) in the message.
        let parser = parser();
        let err = |q| match parse(&parser, q) {
            Err(QueryError::Invalid(message)) => message,
            other => panic!("{q:?} gave {:?}", other.map(|_| ())),
        };
        assert!(err("body:*").starts_with("`FIELD:*`"));
        for fine in [
            "source:*",
            "title:* -published:*",
            "chips published:[2023-01-01 TO 2023-12-31] \"export restrictions\"~2 clo* 芯片",
            "tag:ai OR note:listing OR quote:\"chips\" OR language:zh",
            // A word before a colon that is not a field is text, NULs and all.
            "\0\0\0\0source:* author:tageage",
            "colour:*",
        ] {
            assert!(parse(&parser, fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn every_prefix_of_a_valid_query_parses_or_waits_for_more() {
        let parser = parser();
        let queries = [
            "chips published:[2023-01-01 TO 2023-12-31] \"export restrictions\"~2 clo* 芯片",
            "title:(cloud OR chips) -outage NOT \"hong kong\" tag:ai quote:\"US export\"",
            "Alibaba's (AI OR \"cloud’s profits\") AND source:krasia published:2023-11-16",
            "\"alibaba clo\"* +chips -author:yong language:zh note:listing",
        ];
        for query in queries {
            assert!(parse(&parser, query).is_ok(), "{query}");
            for (end, _) in query.char_indices().skip(1) {
                let prefix = &query[..end];
                match parse(&parser, prefix) {
                    Ok(_) | Err(QueryError::Empty | QueryError::NoWords) => {}
                    Err(QueryError::Invalid(why)) if why.contains("date") => {}
                    Err(other) => panic!("{prefix:?}: {other}"),
                }
            }
        }
    }

    #[test]
    fn dates_in_published_clauses_become_instants() {
        assert_eq!(
            rewrite_dates("chips published:[2023-01-01 TO 2023-12-31]"),
            "chips published:[2023-01-01T00:00:00Z TO 2023-12-31T23:59:59.999999999Z]"
        );
        assert_eq!(
            rewrite_dates("published:{2023-01-01 TO 2023-12-31}"),
            "published:{2023-01-01T00:00:00Z TO 2023-12-31T00:00:00Z}"
        );
        assert_eq!(
            rewrite_dates("published:2023-11-16"),
            "published:[2023-11-16T00:00:00Z TO 2023-11-16T23:59:59.999999999Z]"
        );
        assert_eq!(
            rewrite_dates("2023-11-16 published:[2023-01-01T10:00:00Z TO *]"),
            "2023-11-16 published:[2023-01-01T10:00:00Z TO *]"
        );
    }
}
