//! One annotation as a TOML table, read and written the same way in store files and exports: the keys in
//! the order, `original_quote` and `orphaned` only when they apply.

use serde::Deserialize;
use toml::value::Datetime;

use super::model::{Annotation, AnnotationId, Link, Person, Relation, Tombstone};
use super::toml_text::{TomlWriter, instant, string};
use crate::config::is_tag_name;

/// An `[[annotation]]` table as parsed, before it is checked.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnnotation {
    id: String,
    tags: Vec<String>,
    quote: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
    start: usize,
    end: usize,
    note: Option<String>,
    created: Datetime,
    updated: Datetime,
    original_quote: Option<String>,
    #[serde(default)]
    orphaned: bool,
    creator: Option<RawPerson>,
    editor: Option<RawPerson>,
    #[serde(default)]
    links: Vec<RawLink>,
}

/// One of `links`: `{ id = "...", rel = "supports" }` (`rel` defaults to `supports`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    id: String,
    rel: Option<String>,
}

impl RawLink {
    fn check(self) -> Result<Link, String> {
        let id: AnnotationId = self.id.parse().map_err(|e| format!("links: {e}"))?;
        let rel = match self.rel.as_deref() {
            None => Relation::default(),
            Some(rel) => rel.parse().map_err(|_| {
                format!(
                    "links: rel {} is not one of supports, contradicts, same",
                    crate::article::clean::quoted(rel)
                )
            })?,
        };
        Ok(Link { id, rel })
    }
}

/// A `creator` or `editor`: `{ name = "...", email = "..." }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    name: String,
    email: Option<String>,
}

impl RawPerson {
    fn check(self, key: &str) -> Result<Person, String> {
        Person::new(&self.name, self.email.as_deref())
            .ok_or_else(|| format!("{key}: the name is empty"))
    }
}

impl RawAnnotation {
    /// The checked annotation of `article`, or what is wrong with it.
    pub fn check(self, article: &str) -> Result<Annotation, String> {
        let id: AnnotationId = self.id.parse()?;
        check_tags(&self.tags)?;
        if self.start > self.end {
            return Err(format!("start {} is after end {}", self.start, self.end));
        }
        let mut checked = self.checked_annotation(id, article)?;
        checked.make_inert();
        Ok(checked)
    }

    /// The annotation as read, its offsets and times checked.
    fn checked_annotation(self, id: AnnotationId, article: &str) -> Result<Annotation, String> {
        if !self.orphaned && self.quote.chars().count() != self.end - self.start {
            return Err(format!(
                "the quote is {} characters long but start..end is {}..{}",
                self.quote.chars().count(),
                self.start,
                self.end
            ));
        }
        Ok(Annotation {
            id,
            article: article.to_owned(),
            tags: self.tags,
            note: self.note.filter(|n| !n.is_empty()),
            quote: self.quote,
            prefix: self.prefix,
            suffix: self.suffix,
            start: self.start,
            end: self.end,
            created: instant(&self.created).map_err(|e| format!("created: {e}"))?,
            updated: instant(&self.updated).map_err(|e| format!("updated: {e}"))?,
            original_quote: self.original_quote,
            orphaned: self.orphaned,
            creator: self.creator.map(|p| p.check("creator")).transpose()?,
            editor: self.editor.map(|p| p.check("editor")).transpose()?,
            links: self
                .links
                .into_iter()
                .map(RawLink::check)
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Tags must be one or more well-formed names without repeats.
pub fn check_tags(tags: &[String]) -> Result<(), String> {
    if tags.is_empty() {
        return Err("an annotation needs at least one tag".into());
    }
    if let Some(bad) = tags.iter().find(|t| !is_tag_name(t)) {
        return Err(format!(
            "tag {} is not a tag name (lower-case kebab-case: a-z, 0-9, -)",
            crate::article::clean::quoted(bad)
        ));
    }
    Ok(())
}

/// A `[[deleted]]` table as parsed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTombstone {
    id: String,
    deleted: Datetime,
}

impl RawTombstone {
    pub fn check(self) -> Result<Tombstone, String> {
        Ok(Tombstone {
            id: self.id.parse()?,
            deleted: instant(&self.deleted).map_err(|e| format!("deleted: {e}"))?,
        })
    }
}

/// Writes the keys of `annotation` under a table header the caller has written.
pub fn write_annotation(w: &mut TomlWriter, a: &Annotation) {
    w.string("id", &a.id.to_string())
        .strings("tags", &a.tags)
        .string("quote", &a.quote)
        .string("prefix", &a.prefix)
        .string("suffix", &a.suffix)
        .raw("start", &a.start.to_string())
        .raw("end", &a.end.to_string());
    if let Some(note) = &a.note {
        w.text("note", note);
    }
    w.datetime("created", a.created)
        .datetime("updated", a.updated)
        .optional("original_quote", a.original_quote.as_deref());
    if a.orphaned {
        w.raw("orphaned", "true");
    }
    write_person(w, "creator", a.creator.as_ref());
    write_person(w, "editor", a.editor.as_ref());
    write_links(w, &a.links);
}

/// `links = [{ id = "...", rel = "supports" }, ...]`, when there are any.
fn write_links(w: &mut TomlWriter, links: &[Link]) {
    if links.is_empty() {
        return;
    }
    let items: Vec<String> = links
        .iter()
        .map(|l| {
            format!(
                "{{ id = {}, rel = {} }}",
                string(&l.id.to_string()),
                string(l.rel.into())
            )
        })
        .collect();
    w.raw("links", &format!("[{}]", items.join(", ")));
}

/// `key = { name = "...", email = "..." }`, when there is a person.
fn write_person(w: &mut TomlWriter, key: &str, person: Option<&Person>) {
    if let Some(p) = person {
        let mut table = format!("{{ name = {}", string(&p.name));
        if let Some(email) = &p.email {
            table.push_str(&format!(", email = {}", string(email)));
        }
        table.push_str(" }");
        w.raw(key, &table);
    }
}

/// Writes the keys of a tombstone.
pub fn write_tombstone(w: &mut TomlWriter, t: &Tombstone) {
    w.string("id", &t.id.to_string())
        .datetime("deleted", t.deleted);
}
