//! The reading state in memory: per article when newsgloss first saw it, when it was read, whether it is
//! starred and where the reader left it; and when the reader was last open. Parsed from and written as
//! plain TOML, one line per article, in id order.

use std::collections::BTreeMap;

use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::position::Position;
use crate::article::Location;

/// One reader's state over every article it knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadingState {
    /// When the reader was last closed: articles seen after it are new.
    pub last_visit: Option<OffsetDateTime>,
    pub articles: BTreeMap<String, ArticleState>,
}

/// What one reader knows of one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleState {
    /// The first time newsgloss saw the article (the file's time is not used: git and cp change it).
    pub seen: Option<OffsetDateTime>,
    /// When it was read; `None` while it is unread.
    pub read: Option<OffsetDateTime>,
    pub starred: bool,
    /// Where the reader left it.
    pub position: Option<Position>,
}

impl ArticleState {
    fn is_empty(&self) -> bool {
        *self == ArticleState::default()
    }
}

/// A part of the file that could not be read: where, and why (inert).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseProblem {
    pub location: Location,
    pub message: String,
}

impl ReadingState {
    pub fn is_read(&self, id: &str) -> bool {
        self.articles.get(id).is_some_and(|a| a.read.is_some())
    }

    pub fn is_starred(&self, id: &str) -> bool {
        self.articles.get(id).is_some_and(|a| a.starred)
    }

    /// Whether the article arrived after the reader was last open (every article seen is new before the
    /// first visit ends; one never seen is not known to have arrived yet).
    pub fn is_new(&self, id: &str) -> bool {
        let seen = self.articles.get(id).and_then(|a| a.seen);
        match (seen, self.last_visit) {
            (Some(seen), Some(visit)) => seen > visit,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// How many of `ids` are unread.
    pub fn unread_count<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> usize {
        ids.into_iter().filter(|id| !self.is_read(id)).count()
    }

    /// The article's entry, made when missing.
    pub fn entry(&mut self, id: &str) -> &mut ArticleState {
        self.articles.entry(id.to_owned()).or_default()
    }

    /// Records `when` as the first sight of each of `ids` that has none; returns how many there were.
    /// Entries new to the map are built in one go rather than inserted one by one: a tree built from
    /// sorted entries has full nodes, where ascending inserts leave every node half empty (a first
    /// visit sees every article, and the map is about half the size this way).
    pub fn see<'a>(
        &mut self,
        ids: impl IntoIterator<Item = &'a str>,
        when: OffsetDateTime,
    ) -> usize {
        let mut seen = 0;
        let mut fresh = Vec::new();
        for id in ids {
            match self.articles.get_mut(id) {
                Some(article) if article.seen.is_some() => {}
                Some(article) => {
                    article.seen = Some(when);
                    seen += 1;
                }
                None => fresh.push(id),
            }
        }
        fresh.sort_unstable();
        fresh.dedup();
        seen += fresh.len();
        let mut fresh: BTreeMap<String, ArticleState> = fresh
            .into_iter()
            .map(|id| {
                let article = ArticleState {
                    seen: Some(when),
                    ..ArticleState::default()
                };
                (id.to_owned(), article)
            })
            .collect();
        self.articles.append(&mut fresh);
        seen
    }

    /// Drops the entry of `id` when it holds nothing, so the file does not grow with empty lines.
    pub fn tidy(&mut self, id: &str) {
        if self.articles.get(id).is_some_and(ArticleState::is_empty) {
            self.articles.remove(id);
        }
    }

    /// Reads the TOML text of a state file: everything it can, and the first problem found, if any. A
    /// syntax error gives an empty state; an article entry with a bad value is left out.
    pub fn parse(text: &str) -> (ReadingState, Option<ParseProblem>) {
        if let Some(state) = parse_lines(text) {
            return (state, None);
        }
        let problem = |e: toml::de::Error| ParseProblem {
            location: Location::of_offset(text, e.span().map_or(0, |s| s.start)),
            message: crate::article::clean::clean_line(e.message()),
        };
        let table = match toml::de::DeTable::parse(text) {
            Ok(table) => table,
            Err(e) => return (ReadingState::default(), Some(problem(e))),
        };
        match StateFile::deserialize(toml::Deserializer::from(table)) {
            Ok(file) => (file.into_state(), None),
            Err(e) => (salvage(text), Some(problem(e))),
        }
    }

    /// The state as the TOML text of its file.
    pub fn render(&self) -> String {
        let mut out = String::from(HEADER);
        if let Some(visit) = self.last_visit {
            out.push_str(&format!("last_visit = {}\n", instant(visit)));
        }
        out.push_str("\n[articles]\n");
        for (id, article) in &self.articles {
            if article.is_empty() {
                continue;
            }
            out.push_str(&format!("{} = {{ {} }}\n", string(id), fields(article)));
        }
        out
    }
}

const HEADER: &str = "# newsgloss reading state: personal, never shared by `sync`. One line per article:\n\
# `seen` (when newsgloss first saw it), `read` (when; absent while unread), `starred`,\n\
# `position` (a character offset into its plain text) with `context` (the text there, to find it again).\n";

fn fields(article: &ArticleState) -> String {
    let mut parts = Vec::new();
    if let Some(seen) = article.seen {
        parts.push(format!("seen = {}", instant(seen)));
    }
    if let Some(read) = article.read {
        parts.push(format!("read = {}", instant(read)));
    }
    if article.starred {
        parts.push("starred = true".to_owned());
    }
    if let Some(position) = &article.position {
        parts.push(format!("position = {}", position.offset));
        parts.push(format!("context = {}", string(&position.context)));
    }
    parts.join(", ")
}

/// A TOML basic string (also a quoted key), always on one line: a line break in it is escaped, where
/// the toml crate would write a multi-line string, so that the file stays one line per article.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c <= '\u{1f}' || c == '\u{7f}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An instant as a TOML offset date-time, to the millisecond, in UTC.
fn instant(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let at = at
        .replace_nanosecond(at.nanosecond() / 1_000_000 * 1_000_000)
        .expect("fewer nanoseconds stay in range");
    at.format(&Rfc3339).expect("a year from 0 to 9999 formats")
}

/// The file as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    last_visit: Option<Instant>,
    #[serde(default)]
    articles: BTreeMap<String, FileEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    seen: Option<Instant>,
    read: Option<Instant>,
    #[serde(default)]
    starred: bool,
    position: Option<usize>,
    #[serde(default)]
    context: String,
}

impl StateFile {
    fn into_state(self) -> ReadingState {
        ReadingState {
            last_visit: self.last_visit.map(|i| i.0),
            articles: self
                .articles
                .into_iter()
                .map(|(id, entry)| (id, entry.into_state()))
                .collect(),
        }
    }
}

impl FileEntry {
    fn into_state(self) -> ArticleState {
        ArticleState {
            seen: self.seen.map(|i| i.0),
            read: self.read.map(|i| i.0),
            starred: self.starred,
            position: self.position.map(|offset| Position {
                offset,
                context: self.context,
            }),
        }
    }
}

/// An offset date-time read from TOML; a local time or a bare date is refused where it stands.
struct Instant(OffsetDateTime);

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Instant, D::Error> {
        let value = toml::value::Datetime::deserialize(d)?;
        OffsetDateTime::parse(&value.to_string(), &Rfc3339)
            .map(Instant)
            .map_err(|_| {
                serde::de::Error::custom(format!(
                    "{value} is not a date and time with an offset (like 2026-01-02T03:04:05Z)"
                ))
            })
    }
}

/// The state of a file laid out as [`ReadingState::render`] writes it, read one line at a time: the
/// whole file as one TOML document holds every entry's table and spans at once (at 100,000 articles,
/// about 200 MB for a moment, at every start). `None` when the file is laid out otherwise or anything in
/// it does not read (a table spread over lines, a header, a dotted key, a duplicate, a bad value): the
/// whole-file parse then reads it, and says where it is wrong. Each line read alone means what it means
/// in the whole file, since a line that starts no construct of several lines stands on its own.
fn parse_lines(text: &str) -> Option<ReadingState> {
    let mut last_visit = None;
    let mut lines = text.lines().map(str::trim);
    for line in lines.by_ref() {
        if line == "[articles]" {
            break;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let top: Top = toml::from_str(line).ok()?;
        if last_visit.replace(top.last_visit.0).is_some() {
            return None;
        }
    }
    let mut articles = Vec::new();
    for line in lines {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            return None;
        }
        let entry: BTreeMap<String, FileEntry> = toml::from_str(line).ok()?;
        let mut entry = entry.into_iter();
        let (id, article) = entry.next()?;
        if entry.next().is_some() {
            return None;
        }
        articles.push((id, article.into_state()));
    }
    articles.sort_by(|a, b| a.0.cmp(&b.0));
    let len = articles.len();
    articles.dedup_by(|a, b| a.0 == b.0);
    // A key twice is an error of the whole file: that parse says where.
    (articles.len() == len).then(|| ReadingState {
        last_visit,
        articles: articles.into_iter().collect(),
    })
}

/// The one line above the articles that is not a comment.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Top {
    last_visit: Instant,
}

/// The entries of a file that parses as TOML but not as a state file: each one that reads on its own.
fn salvage(text: &str) -> ReadingState {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return ReadingState::default();
    };
    let last_visit = table
        .get("last_visit")
        .and_then(|v| Instant::deserialize(v.clone()).ok())
        .map(|i| i.0);
    let articles = table
        .get("articles")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
        .filter_map(|(id, value)| {
            let entry = FileEntry::deserialize(value.clone()).ok()?;
            Some((id.clone(), entry.into_state()))
        })
        .collect();
    ReadingState {
        last_visit,
        articles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn sample() -> ReadingState {
        let mut state = ReadingState {
            last_visit: Some(datetime!(2026-01-02 03:04:05.678 UTC)),
            ..ReadingState::default()
        };
        let a = state.entry("a \"quoted\" id");
        a.seen = Some(datetime!(2026-01-01 00:00 UTC));
        a.read = Some(datetime!(2026-01-02 00:00 +02:00));
        a.starred = true;
        a.position = Some(Position {
            offset: 42,
            context: "line\nwith \\ and \"".into(),
        });
        state.entry("b").seen = Some(datetime!(2026-01-03 00:00 UTC));
        state
    }

    #[test]
    fn see_records_first_sights_only_and_keeps_what_entries_hold() {
        let (earlier, now) = (
            datetime!(2026-01-01 00:00 UTC),
            datetime!(2026-02-01 00:00 UTC),
        );
        let mut state = ReadingState::default();
        state.entry("b").seen = Some(earlier);
        state.entry("d").starred = true;
        let ids = ["e", "b", "a", "d", "c", "a"];
        assert_eq!(state.see(ids, now), 4, "a, c, d and e; b was seen before");
        assert_eq!(state.articles["b"].seen, Some(earlier));
        assert!(state.articles["d"].starred && state.articles["d"].seen == Some(now));
        let ids: Vec<&str> = state.articles.keys().map(String::as_str).collect();
        assert_eq!(ids, ["a", "b", "c", "d", "e"]);
        assert_eq!(state.see(["a", "e"], now), 0);
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let state = sample();
        let text = state.render();
        assert_eq!(ReadingState::parse(&text), (state.clone(), None));
        assert!(text.starts_with("# newsgloss reading state"), "{text}");
        assert!(
            text.contains("\"b\" = { seen = 2026-01-03T00:00:00Z }\n"),
            "{text}"
        );
        assert!(text.contains("read = 2026-01-01T22:00:00Z"), "{text}");
        assert_eq!(ReadingState::parse(&text).0.render(), text);
    }

    #[test]
    fn new_read_and_starred() {
        let state = sample();
        assert!(state.is_read("a \"quoted\" id") && state.is_starred("a \"quoted\" id"));
        assert!(!state.is_read("b") && !state.is_starred("b") && !state.is_read("none"));
        assert!(
            !state.is_new("a \"quoted\" id"),
            "seen before the last visit"
        );
        assert!(state.is_new("b"));
        assert!(!state.is_new("never-seen"));
        let first = ReadingState {
            last_visit: None,
            ..sample()
        };
        assert!(
            first.is_new("a \"quoted\" id"),
            "no visit yet: all seen is new"
        );
        assert_eq!(state.unread_count(["a \"quoted\" id", "b", "c"]), 2);
    }

    /// The whole-file parse alone (what every file read before the line-by-line one).
    fn whole(text: &str) -> (ReadingState, Option<ParseProblem>) {
        let table = toml::de::DeTable::parse(text).unwrap();
        let file = StateFile::deserialize(toml::Deserializer::from(table)).unwrap();
        (file.into_state(), None)
    }

    #[test]
    fn a_file_read_line_by_line_reads_as_the_whole_file_does() {
        let mut state = sample();
        let context = "a \"line\"\r\n\tthen \\ \u{0}\u{1b}\u{7f}\u{85} 日本 '''".to_owned();
        state.entry("c").position = Some(Position { offset: 7, context });
        let written = state.render();
        assert_eq!(
            written.lines().count(),
            9,
            "one line per article: {written}"
        );
        assert_eq!(parse_lines(&written), Some(state.clone()));
        assert_eq!(whole(&written).0, state);
        let by_hand = [
            written.clone(),
            "last_visit = 2026-01-02T03:04:05Z\n[articles]\n\"b\" = { seen = 2026-01-03T00:00:00Z }\n\
             a = { starred = true } # a comment\n  'c d' = {read=2026-01-01T00:00:00+02:00}\n"
                .to_owned(),
            "[articles]\na.starred = true\n".to_owned(),
            "[articles]\n".to_owned(),
            "# nothing but a comment\n".to_owned(),
            String::new(),
        ];
        for text in &by_hand {
            let lines = parse_lines(text).unwrap_or_else(|| panic!("read line by line: {text}"));
            assert_eq!(lines, whole(text).0, "{text}");
        }
        // Laid out otherwise: left to the whole-file parse, which reads them or says where they break.
        let otherwise = [
            "[articles]\na = { seen = 2026-01-03T00:00:00Z }\na = { starred = true }\n",
            "[articles]\n[articles.a]\nstarred = true\n",
            "[articles]\na.starred = true\na.seen = 2026-01-03T00:00:00Z\n",
            "[articles]\na = { starred = true, context = \"\"\"x\ny\"\"\" }\n",
            "last_visit = 2026-01-02T03:04:05Z\nlast_visit = 2026-01-02T03:04:05Z\n",
            "[articles]\na = { read = 2026-01-01 }\n",
            "last_visit = 2026-01-02T03:04:05Z\nother = 1\n",
            "[articles]\na = { position = 1, context = '''x\ny''' }\n",
        ];
        for text in otherwise {
            assert_eq!(parse_lines(text), None, "{text}");
        }
        let (state, problem) = ReadingState::parse(otherwise[1]);
        assert!(problem.is_none() && state.is_starred("a"), "{problem:?}");
        let (_, problem) = ReadingState::parse(otherwise[0]);
        assert_eq!(problem.unwrap().location.line, 3);
    }

    proptest::proptest! {
        /// Any id and any context, written and read back line by line, are what they were, and what
        /// the whole-file parse reads.
        #[test]
        fn any_text_is_written_on_one_line_and_read_back(
            id in proptest::prelude::any::<String>(),
            context in proptest::prelude::any::<String>(),
        ) {
            let mut state = sample();
            state.entry(&id).position = Some(Position { offset: 3, context });
            let written = state.render();
            proptest::prop_assert_eq!(parse_lines(&written), Some(state.clone()));
            proptest::prop_assert_eq!(whole(&written).0, state);
        }
    }

    #[test]
    fn a_bad_file_gives_what_it_can_and_where_it_is_wrong() {
        let (state, problem) =
            ReadingState::parse("last_visit = 2026-01-01T00:00:00Z\n[articles\n");
        assert_eq!(state, ReadingState::default());
        assert_eq!(problem.unwrap().location.line, 2);
        let text = "[articles]\ngood = { read = 2026-01-01T00:00:00Z }\nbad = { read = 2026-01-01 }\n\
                    worse = { starred = \"yes\" }\n";
        let (state, problem) = ReadingState::parse(text);
        assert!(state.is_read("good"));
        assert_eq!(state.articles.len(), 1);
        let problem = problem.unwrap();
        assert_eq!(
            (problem.location.line, problem.location.col),
            (3, 16),
            "{problem:?}"
        );
        assert!(problem.message.contains("with an offset"), "{problem:?}");
    }
}
