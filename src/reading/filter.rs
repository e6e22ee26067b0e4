//! Which articles the library shows and in what order: a filter read from words (`unread`, `starred`,
//! `new`, `read`, `source:KrASIA`, `feed:NAME`, `tag:T`, `claim:T`, `since:DATE`, `until:DATE`,
//! `sort:KEY`, the same words the search uses where they overlap; any other word must be in the title),
//! all of them combined with AND. The command line's flags and the reader's filter line build the same.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use time::Date;
use time::macros::format_description;

use super::ReadingState;
use crate::article::Published;
use crate::config::FeedDef;
use crate::index::Summary;

/// The orders the library can be sorted in.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    strum::EnumString,
    strum::Display,
    strum::VariantNames,
)]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum SortKey {
    /// Newest first (undated last), then by id.
    #[default]
    Date,
    /// By title, A to Z (case-insensitive).
    Title,
    /// By source, A to Z, then newest first.
    Source,
    /// Longest first (by word count).
    Length,
    /// Most annotated first.
    Claims,
}

impl SortKey {
    /// The order after this one, round: date, title, source, length, claims, date.
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Date => SortKey::Title,
            SortKey::Title => SortKey::Source,
            SortKey::Source => SortKey::Length,
            SortKey::Length => SortKey::Claims,
            SortKey::Claims => SortKey::Date,
        }
    }
}

/// What a filter and an order look at in an article (borrowed, so that a list of any kind of row can be
/// filtered without copying it).
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub source: Option<&'a str>,
    pub published: Option<Published>,
    pub tags: &'a [String],
    pub claim_tags: &'a [String],
    pub words: u64,
    pub claims: u64,
}

impl<'a> Facts<'a> {
    pub fn of(summary: &'a Summary) -> Facts<'a> {
        Facts {
            id: &summary.id,
            title: &summary.title,
            source: summary.source.as_deref(),
            published: summary.published,
            tags: &summary.tags,
            claim_tags: &summary.claim_tags,
            words: summary.words,
            claims: summary.claims,
        }
    }
}

/// A filter word that cannot be read: one sentence, inert.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("`{word}` is not a date: write it as YYYY-MM-DD, like {field}:2024-01-31")]
    BadDate { field: String, word: String },
    #[error("`{0}:` needs a value, like {0}:NAME")]
    Empty(String),
    #[error("`sort:{0}` is not a sort order: use date, title, source, length or claims")]
    BadSort(String),
}

/// What the library shows: every condition set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LibraryFilter {
    pub unread: bool,
    pub read: bool,
    pub starred: bool,
    pub new: bool,
    /// Front matter sources, any of them (compared without case).
    pub sources: Vec<String>,
    /// Configured feed names, any of them (compared without case).
    pub feeds: Vec<String>,
    /// Article-level tags, all of them.
    pub tags: Vec<String>,
    /// Claim (annotation) tags, all of them.
    pub claims: Vec<String>,
    /// Published on or after this day.
    pub since: Option<Date>,
    /// Published on or before this day.
    pub until: Option<Date>,
    /// Words that must all be in the title (compared without case).
    pub words: Vec<String>,
    pub sort: SortKey,
}

/// Which articles came from each configured feed: those ingest recorded under the feed's URL, and those
/// whose source is the feed's name (what `fetch` labels them with).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedArticles {
    feeds: BTreeMap<String, (String, BTreeSet<String>)>,
}

impl FeedArticles {
    /// `recorded` gives the article ids stored for a feed URL.
    pub fn new<'a>(
        feeds: &[FeedDef],
        recorded: impl Fn(&str) -> Option<&'a BTreeSet<String>>,
    ) -> FeedArticles {
        let feeds = feeds
            .iter()
            .map(|def| {
                let ids = recorded(&def.url).cloned().unwrap_or_default();
                (def.name.to_lowercase(), (def.name.to_lowercase(), ids))
            })
            .collect();
        FeedArticles { feeds }
    }

    /// Whether a feed of that name (any case) is configured.
    pub fn knows(&self, name: &str) -> bool {
        self.feeds.contains_key(&name.to_lowercase())
    }

    /// Whether the article came from the feed named `name` (any case).
    pub fn contains(&self, name: &str, article: &Summary) -> bool {
        self.holds(name, &article.id, article.source.as_deref())
    }

    /// Whether the article `id`, whose source is `source`, came from the feed named `name` (any case).
    pub fn holds(&self, name: &str, id: &str, source: Option<&str>) -> bool {
        self.feeds
            .get(&name.to_lowercase())
            .is_some_and(|(feed, ids)| {
                ids.contains(id) || source.is_some_and(|s| s.to_lowercase() == *feed)
            })
    }
}

impl LibraryFilter {
    /// Reads a filter line: words separated by spaces, a value in double quotes may hold spaces
    /// (`source:"South China Morning Post"`).
    pub fn parse(line: &str) -> Result<LibraryFilter, FilterError> {
        let mut filter = LibraryFilter::default();
        for word in words(line) {
            filter.add(&word)?;
        }
        Ok(filter)
    }

    /// Reads a filter line as far as it can: the words that can be read, and the first that cannot
    /// (left out), for a line being typed.
    pub fn read(line: &str) -> (LibraryFilter, Option<FilterError>) {
        let mut filter = LibraryFilter::default();
        let mut problem = None;
        for word in words(line) {
            if let Err(e) = filter.add(&word) {
                problem.get_or_insert(e);
            }
        }
        (filter, problem)
    }

    /// Whether `line` names an order (`sort:KEY`).
    pub fn names_order(line: &str) -> bool {
        words(line)
            .iter()
            .any(|w| w.to_lowercase().starts_with("sort:"))
    }

    /// Adds one filter word.
    pub fn add(&mut self, word: &str) -> Result<(), FilterError> {
        match word.to_lowercase().as_str() {
            "unread" => self.unread = true,
            "read" => self.read = true,
            "starred" => self.starred = true,
            "new" => self.new = true,
            _ => return self.add_field(word),
        }
        Ok(())
    }

    fn add_field(&mut self, word: &str) -> Result<(), FilterError> {
        let Some((field, value)) = word.split_once(':') else {
            self.words.push(word.to_lowercase());
            return Ok(());
        };
        let field = field.to_lowercase();
        let list = match field.as_str() {
            "source" => &mut self.sources,
            "feed" => &mut self.feeds,
            "tag" => &mut self.tags,
            "claim" => &mut self.claims,
            "since" | "until" | "sort" => return self.add_setting(&field, value),
            _ => {
                self.words.push(word.to_lowercase());
                return Ok(());
            }
        };
        if value.is_empty() {
            return Err(FilterError::Empty(field));
        }
        list.push(value.to_owned());
        Ok(())
    }

    fn add_setting(&mut self, field: &str, value: &str) -> Result<(), FilterError> {
        if value.is_empty() {
            return Err(FilterError::Empty(field.to_owned()));
        }
        match field {
            "sort" => {
                self.sort = value
                    .parse()
                    .map_err(|_| FilterError::BadSort(crate::article::clean::clean_line(value)))?;
            }
            "since" => self.since = Some(parse_date(field, value)?),
            _ => self.until = Some(parse_date(field, value)?),
        }
        Ok(())
    }

    /// Whether the article passes every condition.
    pub fn matches(&self, article: &Summary, reading: &ReadingState, feeds: &FeedArticles) -> bool {
        self.admits(&Facts::of(article), reading, feeds)
    }

    /// Whether an article with these facts passes every condition.
    pub fn admits(
        &self,
        article: &Facts<'_>,
        reading: &ReadingState,
        feeds: &FeedArticles,
    ) -> bool {
        let id = article.id;
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
        let day = article.published.map(|p| p.at.date());
        let dated = |bound: Option<Date>, keep: fn(Date, Date) -> bool| {
            bound.is_none_or(|bound| day.is_some_and(|day| keep(day, bound)))
        };
        let title = article.title.to_lowercase();
        (!self.unread || !reading.is_read(id))
            && (!self.read || reading.is_read(id))
            && (!self.starred || reading.is_starred(id))
            && (!self.new || reading.is_new(id))
            && (self.sources.is_empty()
                || self
                    .sources
                    .iter()
                    .any(|s| article.source.is_some_and(|a| same(a, s))))
            && (self.feeds.is_empty()
                || self
                    .feeds
                    .iter()
                    .any(|f| feeds.holds(f, id, article.source)))
            && self
                .tags
                .iter()
                .all(|t| article.tags.iter().any(|a| same(a, t)))
            && self
                .claims
                .iter()
                .all(|t| article.claim_tags.iter().any(|a| same(a, t)))
            && dated(self.since, |day, bound| day >= bound)
            && dated(self.until, |day, bound| day <= bound)
            && self.words.iter().all(|w| title.contains(w.as_str()))
    }

    /// The articles of `all` that pass, in the filter's order.
    pub fn apply(
        &self,
        all: Vec<Summary>,
        reading: &ReadingState,
        feeds: &FeedArticles,
    ) -> Vec<Summary> {
        let mut shown: Vec<Summary> = all
            .into_iter()
            .filter(|a| self.matches(a, reading, feeds))
            .collect();
        sort(&mut shown, self.sort);
        shown
    }
}

/// The filter as the words that read back as it (`unread source:"South China Morning Post"`); the
/// order only when it is not the default.
impl fmt::Display for LibraryFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flags = [
            (self.unread, "unread"),
            (self.read, "read"),
            (self.starred, "starred"),
            (self.new, "new"),
        ];
        let mut out: Vec<String> = flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, word)| word.to_string())
            .collect();
        let lists = [
            ("source", &self.sources),
            ("feed", &self.feeds),
            ("tag", &self.tags),
            ("claim", &self.claims),
        ];
        for (field, values) in lists {
            out.extend(values.iter().map(|v| format!("{field}:{}", quote(v))));
        }
        let days = [("since", self.since), ("until", self.until)];
        for (field, day) in days {
            if let Some(day) = day {
                out.push(format!("{field}:{day}"));
            }
        }
        if self.sort != SortKey::Date {
            out.push(format!("sort:{}", self.sort));
        }
        out.extend(self.words.iter().map(|w| quote(w)));
        f.write_str(&out.join(" "))
    }
}

/// A value as one word: in double quotes when it holds a space (a double quote cannot be written, so it
/// is left out).
fn quote(value: &str) -> String {
    let value = value.replace('"', "");
    match value.chars().any(char::is_whitespace) {
        true => format!("\"{value}\""),
        false => value,
    }
}

/// Sorts articles by `key`, ties broken by id so the order is stable.
pub fn sort(articles: &mut [Summary], key: SortKey) {
    articles.sort_by(|a, b| order(key, &Facts::of(a), &Facts::of(b)));
}

/// How two articles compare in the order `key`, ties broken by id.
pub fn order(key: SortKey, a: &Facts<'_>, b: &Facts<'_>) -> Ordering {
    let newest = |a: &Facts, b: &Facts| {
        let stamp = |s: &Facts| s.published.map(|p| p.timestamp());
        stamp(b).cmp(&stamp(a))
    };
    let order = match key {
        SortKey::Date => newest(a, b),
        SortKey::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
        SortKey::Source => {
            let source = |s: &Facts| s.source.map(str::to_lowercase);
            // Articles without a source go last.
            (source(a).is_none(), source(a))
                .cmp(&(source(b).is_none(), source(b)))
                .then_with(|| newest(a, b))
        }
        SortKey::Length => b.words.cmp(&a.words),
        SortKey::Claims => b.claims.cmp(&a.claims),
    };
    order.then_with(|| a.id.cmp(b.id))
}

/// `YYYY-MM-DD`.
pub fn parse_date(field: &str, value: &str) -> Result<Date, FilterError> {
    Date::parse(value, format_description!("[year]-[month]-[day]")).map_err(|_| {
        FilterError::BadDate {
            field: field.to_owned(),
            word: crate::article::clean::clean_line(&format!("{field}:{value}")),
        }
    })
}

/// The words of a filter line; double quotes group (and are dropped).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests;
