//! The annotation itself: a tagged, optionally noted quote of an article, with the context and offsets that
//! anchor it, and the sortable id that names it.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

use time::OffsetDateTime;
use uuid::{ContextV7, Timestamp, Uuid};

use crate::article::clean::clean_text;

/// How many characters of context are kept on each side of a quote.
pub const CONTEXT_CHARS: usize = 32;

/// A unique id that sorts by creation time: a UUIDv7, written hyphenated in lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AnnotationId(Uuid);

/// One context per process keeps ids made in the same millisecond in order.
static ID_CONTEXT: Mutex<ContextV7> = Mutex::new(ContextV7::new());

impl AnnotationId {
    /// A new id for an annotation made at `now`.
    pub fn new(now: OffsetDateTime) -> AnnotationId {
        let nanos = now.unix_timestamp_nanos().max(0) as u128;
        let seconds = (nanos / 1_000_000_000) as u64;
        let subsec = (nanos % 1_000_000_000) as u32;
        let context = ID_CONTEXT.lock().unwrap_or_else(|e| e.into_inner());
        AnnotationId(Uuid::new_v7(Timestamp::from_unix(
            &*context, seconds, subsec,
        )))
    }
}

impl fmt::Display for AnnotationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

impl serde::Serialize for AnnotationId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FromStr for AnnotationId {
    type Err = String;

    fn from_str(text: &str) -> Result<AnnotationId, String> {
        Uuid::try_parse(text.trim()).map(AnnotationId).map_err(|_| {
            format!(
                "{} is not an annotation id (a UUID)",
                crate::article::clean::quoted(text)
            )
        })
    }
}

/// A key claim marked in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub id: AnnotationId,
    /// The id of the annotated article.
    pub article: String,
    /// One or more tag names (lower-case kebab-case), in the order given, without repeats.
    pub tags: Vec<String>,
    /// Why it matters; may span lines.
    pub note: Option<String>,
    /// The quoted text: for an annotation that is not orphaned, exactly the plain text at `start..end`.
    pub quote: String,
    /// Up to [`CONTEXT_CHARS`] characters before the quote.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] characters after the quote.
    pub suffix: String,
    /// Offsets in Unicode scalar values into the article's plain text.
    pub start: usize,
    pub end: usize,
    pub created: OffsetDateTime,
    pub updated: OffsetDateTime,
    /// The quote as first made, when a fuzzy re-anchoring changed it.
    pub original_quote: Option<String>,
    /// Whether the quote could not be found in the current text (kept, never dropped).
    pub orphaned: bool,
    /// Who made it, when known (kept through every edit).
    pub creator: Option<Person>,
    /// Who changed it last, when that was someone other than its creator.
    pub editor: Option<Person>,
    /// Other annotations this one is linked to as evidence, sorted by id, one link per id.
    pub links: Vec<Link>,
}

/// A link from one annotation to another: the same claim made elsewhere, and how it relates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Link {
    pub id: AnnotationId,
    pub rel: Relation,
}

/// How a linked annotation relates to the one that links to it.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[strum(serialize_all = "lowercase")]
pub enum Relation {
    /// It says the same thing and backs it up.
    #[default]
    Supports,
    /// It says otherwise.
    Contradicts,
    /// It is the same statement (a copy, a translation, a repeat).
    Same,
}

/// `links` sorted by id with one link per id (the first given wins) and none to `own` itself.
pub fn tidy_links(links: &mut Vec<Link>, own: AnnotationId) {
    let mut seen = std::collections::HashSet::with_capacity(links.len());
    links.retain(|l| l.id != own && seen.insert(l.id));
    links.sort_by_key(|l| l.id);
}

/// A person who made or changed an annotation: a name, optionally an email.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Person {
    pub name: String,
    pub email: Option<String>,
}

impl Person {
    /// A person named `name`, with `email` when it is not empty; both cleaned to one line of plain text
    /// (no control or format characters) and trimmed. `None` when the name is empty.
    pub fn new(name: &str, email: Option<&str>) -> Option<Person> {
        let clean = |text: &str| crate::article::clean::clean_line(text).trim().to_owned();
        let name = clean(name);
        (!name.is_empty()).then(|| Person {
            name,
            email: email.map(clean).filter(|e| !e.is_empty()),
        })
    }
}

impl fmt::Display for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.email {
            Some(email) => write!(f, "{} <{email}>", self.name),
            None => write!(f, "{}", self.name),
        }
    }
}

impl Annotation {
    /// A new annotation of the characters `start..end` of `text` (scalar-value offsets), made at `now`.
    pub fn new(
        article: &str,
        text: &str,
        start: usize,
        end: usize,
        tags: Vec<String>,
        note: Option<String>,
        now: OffsetDateTime,
    ) -> Annotation {
        let now = to_millis(now);
        let chars: Vec<char> = text.chars().collect();
        let end = end.min(chars.len());
        let start = start.min(end);
        let (prefix, quote, suffix) = context_of(&chars, start, end);
        Annotation {
            id: AnnotationId::new(now),
            article: article.to_owned(),
            tags: dedup(tags),
            note: note.map(|n| clean_text(&n)).filter(|n| !n.is_empty()),
            quote,
            prefix,
            suffix,
            start,
            end,
            created: now,
            updated: now,
            original_quote: None,
            orphaned: false,
            creator: None,
            editor: None,
            links: Vec::new(),
        }
    }

    /// The same annotation, made by `creator`.
    pub fn by(mut self, creator: Option<Person>) -> Annotation {
        self.creator = creator;
        self
    }

    /// Records that `person` changed it: the editor, unless that is its creator (then none).
    pub fn edited_by(&mut self, person: Option<Person>) {
        if person.is_some() && person != self.creator {
            self.editor = person;
        } else if person.is_some() {
            self.editor = None;
        }
    }

    /// Makes every text field inert, as the cleaner does for article text: the note by [`clean_text`], the
    /// quote and its context too (they come from clean plain text, so this changes them only when a file
    /// was edited by hand, and a quote that changed length is marked orphaned, to be found again by its
    /// words). Tags are checked, not cleaned: a tag is a name, and one that is not is refused.
    pub fn make_inert(&mut self) {
        let quote = clean_text(&self.quote);
        if quote != self.quote {
            self.orphaned |= quote.chars().count() != self.quote.chars().count();
            self.quote = quote;
        }
        for text in [&mut self.prefix, &mut self.suffix] {
            *text = clean_text(text);
        }
        self.note = self
            .note
            .take()
            .map(|n| clean_text(&n))
            .filter(|n| !n.is_empty());
        self.original_quote = self.original_quote.take().map(|q| clean_text(&q));
        for person in [&mut self.creator, &mut self.editor] {
            *person = person
                .take()
                .and_then(|p| Person::new(&p.name, p.email.as_deref()));
        }
        tidy_links(&mut self.links, self.id);
    }

    /// Links this annotation to `id` with `rel` (replacing the relation of an existing link to it);
    /// whether anything changed.
    pub fn link(&mut self, id: AnnotationId, rel: Relation) -> bool {
        if id == self.id || self.links.contains(&Link { id, rel }) {
            return false;
        }
        self.links.retain(|l| l.id != id);
        self.links.push(Link { id, rel });
        tidy_links(&mut self.links, self.id);
        true
    }

    /// Orders annotations by position, then id (the order of store files and exports).
    pub fn position_key(&self) -> (usize, usize, AnnotationId) {
        (self.start, self.end, self.id)
    }
}

/// A deleted annotation, remembered so that an older copy elsewhere does not bring it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tombstone {
    pub id: AnnotationId,
    pub deleted: OffsetDateTime,
}

/// The prefix, quote and suffix of `start..end` in `chars`.
pub fn context_of(chars: &[char], start: usize, end: usize) -> (String, String, String) {
    let before = start.saturating_sub(CONTEXT_CHARS);
    let after = (end + CONTEXT_CHARS).min(chars.len());
    (
        chars[before..start].iter().collect(),
        chars[start..end].iter().collect(),
        chars[end..after].iter().collect(),
    )
}

/// `at` truncated to whole milliseconds, the precision kept in files.
pub fn to_millis(at: OffsetDateTime) -> OffsetDateTime {
    let millis = at.millisecond();
    at.replace_millisecond(millis).unwrap_or(at)
}

/// `tags` without repeats, first occurrence kept.
pub fn dedup(tags: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tags.len());
    for tag in tags {
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn who_made_it_is_stored_inert_too() {
        let now = datetime!(2026-01-01 00:00:00 UTC);
        let mut a = Annotation::new(
            "a",
            "Export restrictions bite.",
            0,
            6,
            vec!["chips".into()],
            None,
            now,
        );
        a.creator = Some(Person {
            name: "Ana\u{202e}\u{1b}]0;pwned\u{7}".into(),
            email: Some("ana@example.com\u{e0041}".into()),
        });
        a.editor = Some(Person {
            name: "\u{200b}".into(),
            email: None,
        });
        a.make_inert();
        let creator = a.creator.unwrap();
        assert_eq!(creator.name, "Ana");
        assert_eq!(creator.email.as_deref(), Some("ana@example.com"));
        assert_eq!(
            a.editor, None,
            "a name of nothing but invisible characters is no name"
        );
    }

    #[test]
    fn ids_sort_by_creation_and_round_trip() {
        let now = datetime!(2026-01-01 00:00:00 UTC);
        let ids: Vec<AnnotationId> = (0..50).map(|_| AnnotationId::new(now)).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let later = AnnotationId::new(datetime!(2026-01-02 00:00:00 UTC));
        assert!(ids[49] < later);
        assert_eq!(later.to_string().parse::<AnnotationId>(), Ok(later));
        assert!("nope".parse::<AnnotationId>().is_err());
    }

    #[test]
    fn context_counts_scalar_values() {
        let text = "前文 😀 emoji quote 后文";
        let start = text.chars().position(|c| c == 'e').unwrap();
        let a = Annotation::new(
            "a",
            text,
            start,
            start + 5,
            vec!["x".into()],
            None,
            datetime!(2026-01-01 0:00 UTC),
        );
        assert_eq!(a.quote, "emoji");
        assert_eq!(a.prefix, "前文 😀 ");
        assert_eq!(a.suffix, " quote 后文");
    }

    #[test]
    fn times_keep_milliseconds() {
        let at = datetime!(2026-01-01 00:00:00.123456789 UTC);
        assert_eq!(to_millis(at), datetime!(2026-01-01 00:00:00.123 UTC));
    }
}
