//! Reading a query as people type it: apostrophes belong to words, a colon after a word that is not a
//! field is text, an unclosed quote, bracket or parenthesis closes at the end, and a stray operator is
//! ignored. The result is a query in tantivy's strict syntax, with one notice for each thing ignored.
//!
//! Whatever the input, the output parses, unless it has no words at all (an error), a `published:` value
//! that is not a date, or a phrase slop over the cap: so a prefix of a valid query is never an error
//! for any other reason, which is what a search box that searches as you type needs.

use super::query::QueryError;

/// The fields a query may name; `word:` for any other word is text.
pub const FIELDS: &[&str] = &[
    "title",
    "body",
    "source",
    "author",
    "tag",
    "language",
    "published",
    "note",
    "quote",
    "creator",
];

/// The largest slop accepted after a phrase (`"a b"~10`): a sloppy phrase's cost grows with it.
pub const MAX_SLOP: u32 = 10;

/// The most words, phrases and ranges in one query.
pub const MAX_WORDS: usize = 64;

/// Characters that tantivy's grammar gives a meaning; in a word they are escaped to stand for themselves.
const SPECIAL: &[char] = &[
    '+', '^', '`', ':', '{', '}', '"', '\'', '[', ']', '(', ')', '!', '\\', '*', '~', '/', '<',
    '>', '=',
];

/// A query rewritten in tantivy's syntax, and what was ignored on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lenient {
    pub text: String,
    pub notices: Vec<String>,
}

/// Rewrites `query` (see the module docs).
pub fn rewrite(query: &str) -> Result<Lenient, QueryError> {
    let mut reader = Reader {
        chars: query.chars().collect(),
        pos: 0,
        notices: Vec::new(),
        words: 0,
    };
    let clauses = reader.group(0)?;
    if reader.words == 0 {
        return Err(QueryError::NoWords);
    }
    if reader.words > MAX_WORDS {
        return Err(QueryError::TooCostly(format!(
            "it has {} words (at most {MAX_WORDS})",
            reader.words
        )));
    }
    let mut notices = reader.notices;
    notices.dedup();
    Ok(Lenient {
        text: clauses.join(" "),
        notices,
    })
}

/// One clause of a group, or a binary operator between clauses.
enum Item {
    Clause(String),
    Op(&'static str),
}

struct Reader {
    chars: Vec<char>,
    pos: usize,
    notices: Vec<String>,
    /// Words, phrases and ranges kept.
    words: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn notice(&mut self, text: &str) {
        self.notices.push(text.to_owned());
    }

    /// The clauses up to the closing parenthesis of this group (or the end), operators tidied.
    fn group(&mut self, depth: usize) -> Result<Vec<String>, QueryError> {
        let mut items = Vec::new();
        loop {
            while self.peek().is_some_and(char::is_whitespace) {
                self.pos += 1;
            }
            match self.peek() {
                None => {
                    if depth > 0 {
                        self.notice("closed an unclosed `(` at the end");
                    }
                    break;
                }
                Some(')') if depth > 0 => {
                    self.pos += 1;
                    break;
                }
                Some(')') => {
                    self.pos += 1;
                    self.notice("ignored an unmatched `)`");
                }
                Some(_) => items.extend(self.item(depth)?),
            }
        }
        Ok(self.tidy(items))
    }

    /// Drops operators with nothing on one side, and joins what is left.
    fn tidy(&mut self, items: Vec<Item>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut pending: Option<&'static str> = None;
        for item in items {
            match item {
                Item::Op(op) if out.is_empty() || pending.is_some() => {
                    self.notice(&format!("ignored `{op}` with nothing before it"));
                }
                Item::Op(op) => pending = Some(op),
                Item::Clause(clause) => {
                    if let Some(op) = pending.take() {
                        out.push(op.to_owned());
                    }
                    out.push(clause);
                }
            }
        }
        if let Some(op) = pending {
            self.notice(&format!("ignored `{op}` with nothing after it"));
        }
        out
    }

    /// One clause (with its `+`/`-`), an operator, or nothing when what was there is ignored.
    fn item(&mut self, depth: usize) -> Result<Option<Item>, QueryError> {
        let mut occur = "";
        if let Some(c @ ('+' | '-')) = self.peek() {
            self.pos += 1;
            if self.at_break() {
                self.notice(&format!("ignored a `{c}` with no word after it"));
                return Ok(None);
            }
            occur = if c == '+' { "+" } else { "-" };
        }
        let leaf = match self.peek() {
            Some('"') => self.phrase()?,
            Some('(') => self.subgroup(depth)?,
            _ => {
                let word = self.word();
                match word.as_str() {
                    "AND" | "OR" if occur.is_empty() => return Ok(Some(Item::Op(op(&word)))),
                    "NOT" if occur.is_empty() => {
                        return Ok(self.negated(depth)?.map(Item::Clause));
                    }
                    _ => self.word_clause(&word)?,
                }
            }
        };
        Ok(leaf.map(|leaf| Item::Clause(format!("{occur}{leaf}"))))
    }

    /// After `NOT`: the next clause, excluded.
    fn negated(&mut self, depth: usize) -> Result<Option<String>, QueryError> {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
        if self.at_break() {
            self.notice("ignored `NOT` with nothing after it");
            return Ok(None);
        }
        Ok(match self.item(depth)? {
            Some(Item::Clause(clause)) => {
                Some(format!("-{}", clause.trim_start_matches(['+', '-'])))
            }
            Some(Item::Op(op)) => {
                self.notice(&format!("ignored `NOT` before `{op}`"));
                None
            }
            None => None,
        })
    }

    /// Whether the next character ends a clause: white space, a closing parenthesis or the end.
    fn at_break(&self) -> bool {
        self.peek().is_none_or(|c| c.is_whitespace() || c == ')')
    }

    fn subgroup(&mut self, depth: usize) -> Result<Option<String>, QueryError> {
        self.pos += 1;
        let inner = self.group(depth + 1)?;
        Ok((!inner.is_empty()).then(|| format!("({})", inner.join(" "))))
    }

    /// Characters up to white space, a quote or a parenthesis.
    fn word(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, '"' | '(' | ')'))
        {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// A word: `field:value` when it names a field, else text.
    fn word_clause(&mut self, word: &str) -> Result<Option<String>, QueryError> {
        if let Some((field, rest)) = word.split_once(':')
            && FIELDS.contains(&field)
        {
            return self.field_clause(field, rest);
        }
        Ok(self.text_word(word))
    }

    /// The value after `field:`: what follows the colon in the word, or the phrase, group or range
    /// right after it.
    fn field_clause(&mut self, field: &str, rest: &str) -> Result<Option<String>, QueryError> {
        let value = if let Some(open @ ('[' | '{')) = rest.chars().next() {
            // The word stopped at white space; a range reads on to its closing bracket.
            self.pos -= rest.chars().count() - 1;
            Some(self.range(open))
        } else if rest == "*" {
            self.words += 1;
            Some("*".to_owned())
        } else if !rest.is_empty() {
            self.text_word(rest)
        } else {
            match self.peek() {
                Some('"') => self.phrase()?,
                Some('(') => self.field_group()?,
                _ => {
                    self.notice(&format!("ignored `{field}:` with nothing after it"));
                    None
                }
            }
        };
        Ok(value.map(|value| format!("{field}:{value}")))
    }

    /// `field:(a b)`: the group, written as tantivy takes it.
    fn field_group(&mut self) -> Result<Option<String>, QueryError> {
        self.pos += 1;
        let inner = self.group(1)?;
        Ok((!inner.is_empty()).then(|| format!("({})", inner.join(" "))))
    }

    /// A range from its opening bracket to its closing one, closed at the end when it is not.
    fn range(&mut self, open: char) -> String {
        let start = self.pos;
        while self.peek().is_some_and(|c| c != ']' && c != '}') {
            self.pos += 1;
        }
        let mut inner: String = self.chars[start..self.pos].iter().collect();
        let close = match self.peek() {
            Some(close) => {
                self.pos += 1;
                close
            }
            None => {
                self.notice(&format!("closed an unclosed `{open}` at the end"));
                if open == '[' { ']' } else { '}' }
            }
        };
        // `TO` half typed (`[2023-01-01 T`) is `TO` with an open end.
        if let Some(start) = inner.trim_end().strip_suffix(" T") {
            inner = format!("{start} TO");
        }
        let trimmed = inner.trim_end();
        if trimmed.is_empty() || trimmed.ends_with(" TO") || trimmed == "TO" {
            inner = format!("{} *", trimmed);
        }
        if !inner.contains(" TO ") {
            inner = format!("{} TO *", inner.trim());
        }
        self.words += 1;
        format!("{open}{}{close}", inner.trim())
    }

    /// A quoted phrase (closed at the end when it is not), with its `~slop`.
    fn phrase(&mut self) -> Result<Option<String>, QueryError> {
        self.pos += 1;
        let mut text = String::new();
        let mut closed = false;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                '"' => {
                    closed = true;
                    break;
                }
                '\\' => {
                    if let Some(next) = self.peek() {
                        self.pos += 1;
                        text.push(next);
                    }
                }
                c => text.push(c),
            }
        }
        if !closed {
            self.notice("closed an unclosed quote at the end");
        }
        let slop = self.slop()?;
        if !text.chars().any(char::is_alphanumeric) {
            self.notice("ignored a phrase with no words in it");
            return Ok(None);
        }
        self.words += 1;
        let escaped = text.replace('\\', "\\\\").replace('"', "\\\"");
        Ok(Some(match slop {
            Some(slop) => format!("\"{escaped}\"~{slop}"),
            None => format!("\"{escaped}\""),
        }))
    }

    /// `~N` right after a phrase; a `~` with no number is ignored.
    fn slop(&mut self) -> Result<Option<u32>, QueryError> {
        if self.peek() != Some('~') {
            return Ok(None);
        }
        self.pos += 1;
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        if digits.is_empty() {
            self.notice("ignored a `~` with no number after it");
            return Ok(None);
        }
        match digits.parse::<u32>() {
            Ok(slop) if slop <= MAX_SLOP => Ok(Some(slop)),
            _ => Err(QueryError::TooCostly(format!(
                "a phrase's slop (`~{digits}`) is at most {MAX_SLOP}"
            ))),
        }
    }

    /// A word as text: a possessive `'s` dropped (as English stemming does), a trailing `*` kept as a
    /// prefix search, every other special character escaped.
    fn text_word(&mut self, word: &str) -> Option<String> {
        let word = word.trim_start_matches(['-', '+', '/', '!']);
        let word = strip_possessive(word);
        let (stem, prefix) = match word.strip_suffix('*') {
            Some(stem) if stem.chars().any(char::is_alphanumeric) => (stem, true),
            _ => (word, false),
        };
        if !stem.chars().any(char::is_alphanumeric) {
            if !word.is_empty() {
                self.notice(&format!("ignored `{word}`, which has no letters or digits"));
            }
            return None;
        }
        let mut out = String::with_capacity(stem.len() + 4);
        for c in stem.chars() {
            if SPECIAL.contains(&c) {
                out.push('\\');
            }
            out.push(c);
        }
        if prefix {
            out.push('*');
        }
        self.words += 1;
        Some(out)
    }
}

fn op(word: &str) -> &'static str {
    if word == "AND" { "AND" } else { "OR" }
}

/// `Alibaba's` and `Alibaba’s` as `Alibaba`.
fn strip_possessive(word: &str) -> &str {
    for suffix in ["'s", "’s", "'S", "’S"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && stem.chars().any(char::is_alphanumeric)
        {
            return stem;
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(query: &str) -> String {
        rewrite(query).unwrap().text
    }

    fn notices(query: &str) -> Vec<String> {
        rewrite(query).unwrap().notices
    }

    #[test]
    fn every_searchable_field_of_the_schema_can_be_named() {
        let (schema, _) = crate::index::schema::build();
        let searchable: Vec<&str> = schema
            .fields()
            .filter(|(_, entry)| entry.is_indexed() && !entry.is_fast())
            .map(|(_, entry)| entry.name())
            .filter(|name| !matches!(*name, "id" | "claim" | "cjk_words"))
            .collect();
        for name in &searchable {
            assert!(FIELDS.contains(name), "`{name}:` would be read as text");
        }
        for name in FIELDS {
            assert!(
                schema.get_field(name).is_ok(),
                "{name} is not in the schema"
            );
        }
    }

    #[test]
    fn news_queries_become_text() {
        let cases = [
            ("Alibaba's", "Alibaba"),
            ("Cloud’s outage", "Cloud outage"),
            ("don't", "don\\'t"),
            ("Q2: results", "Q2\\: results"),
            ("colour:red", "colour\\:red"),
            ("title:alibaba tag:ai", "title:alibaba tag:ai"),
            (
                "quote:\"export restrictions\"",
                "quote:\"export restrictions\"",
            ),
            ("clo* -outage", "clo* -outage"),
            ("copilot OR azure", "copilot OR azure"),
            ("NOT outage cloud", "-outage cloud"),
            ("\"export restrictions\"~2", "\"export restrictions\"~2"),
            ("title:(cloud chips)", "title:(cloud chips)"),
            ("source:*", "source:*"),
        ];
        for (query, expected) in cases {
            assert_eq!(text(query), expected, "{query}");
            assert!(notices(query).is_empty(), "{query}: {:?}", notices(query));
        }
    }

    #[test]
    fn what_is_unfinished_closes_and_what_is_stray_is_said() {
        let cases = [
            (
                "\"export restrictions",
                "\"export restrictions\"",
                "unclosed quote",
            ),
            ("AI (chips", "AI (chips)", "unclosed `(`"),
            ("chips AND", "chips", "`AND` with nothing after"),
            ("OR chips", "chips", "`OR` with nothing before"),
            ("- cloud", "cloud", "`-` with no word"),
            ("chips)", "chips", "unmatched `)`"),
            ("title: cloud", "cloud", "`title:` with nothing"),
            (
                "published:[2023-01-01 TO",
                "published:[2023-01-01 TO *]",
                "unclosed `[`",
            ),
            (
                "published:[2023-01-01",
                "published:[2023-01-01 TO *]",
                "unclosed `[`",
            ),
            (
                "published:[2023-01-01 T",
                "published:[2023-01-01 TO *]",
                "unclosed `[`",
            ),
        ];
        for (query, expected, notice) in cases {
            let rewritten = rewrite(query).unwrap();
            assert_eq!(rewritten.text, expected, "{query}");
            assert!(
                rewritten.notices.iter().any(|n| n.contains(notice)),
                "{query}: {:?}",
                rewritten.notices
            );
        }
    }

    #[test]
    fn no_words_and_costly_slop_are_errors() {
        for query in ["AND", "\"", "( )", "-", "\"\"", "OR AND", "…"] {
            assert_eq!(rewrite(query), Err(QueryError::NoWords), "{query}");
        }
        assert!(matches!(
            rewrite("\"the of to and\"~1000"),
            Err(QueryError::TooCostly(_))
        ));
    }
}
