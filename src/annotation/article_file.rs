//! One store file, `annotations/<article-id>.toml`: the annotations of one article in text order and the
//! tombstones of deleted ones, parsed with `file:line:col` errors and written in one stable layout; and
//! the merge by id that lets two writers combine their work.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::StoreError;
use super::model::{Annotation, AnnotationId, Tombstone};
use super::record::{RawAnnotation, RawTombstone, write_annotation, write_tombstone};
use super::toml_text::TomlWriter;
use crate::article::{Location, Locator};

/// The annotations of one article, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArticleAnnotations {
    /// The article id.
    pub article: String,
    /// Sorted by position, then id.
    pub annotations: Vec<Annotation>,
    /// Deleted annotations, so that an older copy does not bring them back.
    pub tombstones: Vec<Tombstone>,
}

/// What merging one annotation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merged {
    Added,
    Updated,
    Unchanged,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    article: String,
    #[serde(default)]
    annotation: Vec<Spanned<RawAnnotation>>,
    #[serde(default)]
    deleted: Vec<Spanned<RawTombstone>>,
}

impl ArticleAnnotations {
    pub fn new(article: &str) -> ArticleAnnotations {
        ArticleAnnotations {
            article: article.to_owned(),
            ..ArticleAnnotations::default()
        }
    }

    /// Parses the bytes of the store file at `path` for `article`.
    pub fn parse(
        article: &str,
        path: &Path,
        bytes: &[u8],
    ) -> Result<ArticleAnnotations, StoreError> {
        let corrupt = |location, message: String| StoreError::Corrupt {
            path: path.to_owned(),
            location,
            message,
            last_good: None,
        };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            corrupt(
                Location::of_byte(bytes, e.valid_up_to()),
                "not UTF-8".into(),
            )
        })?;
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let at = Location::of_offset(text, e.span().map_or(0, |s| s.start));
            corrupt(at, crate::article::clean::clean_line(e.message()))
        })?;
        if raw.article != article {
            let message = format!(
                "`article` is {}, but the file is for {}",
                crate::article::clean::quoted(&raw.article),
                crate::article::clean::quoted(article)
            );
            return Err(corrupt(Location::START, message));
        }
        let mut file = ArticleAnnotations::new(article);
        let locator = Locator::new(text);
        let mut ids = HashSet::with_capacity(raw.annotation.len());
        for spanned in raw.annotation {
            let at = locator.locate(spanned.span().start);
            let annotation = spanned
                .into_inner()
                .check(article)
                .map_err(|m| corrupt(at, m))?;
            if !ids.insert(annotation.id) {
                let message = format!("annotation {} appears twice", annotation.id);
                return Err(corrupt(at, message));
            }
            file.annotations.push(annotation);
        }
        for spanned in raw.deleted {
            let at = locator.locate(spanned.span().start);
            file.tombstones
                .push(spanned.into_inner().check().map_err(|m| corrupt(at, m))?);
        }
        file.sort();
        Ok(file)
    }

    /// The file's text, in the one stable layout.
    pub fn render(&self) -> String {
        let mut w = TomlWriter::new();
        w.comment("newsgloss annotations of one article. start/end count Unicode scalar values in its")
            .comment("plain text (`newsgloss show ID --plain`). Deleted ones stay as [[deleted]] tombstones.")
            .comment("newsgloss rewrites this file in this layout on every change: comments added by hand are")
            .comment("not kept (put notes in an annotation's `note`).")
            .string("article", &self.article);
        for annotation in &self.annotations {
            w.table_array("annotation");
            write_annotation(&mut w, annotation);
        }
        for tombstone in &self.tombstones {
            w.table_array("deleted");
            write_tombstone(&mut w, tombstone);
        }
        w.finish()
    }

    pub fn get(&self, id: AnnotationId) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.id == id)
    }

    pub fn is_empty(&self) -> bool {
        self.annotations.is_empty() && self.tombstones.is_empty()
    }

    /// Puts annotations in position-then-id order and tombstones in id order.
    pub fn sort(&mut self) {
        self.annotations.sort_by_key(Annotation::position_key);
        self.tombstones.sort_by_key(|t| t.id);
    }

    /// Merges one annotation by id: the newest `updated` wins over an older copy or an older deletion.
    pub fn merge(&mut self, incoming: Annotation) -> Merged {
        if let Some(t) = self.tombstones.iter().find(|t| t.id == incoming.id)
            && t.deleted >= incoming.updated
        {
            return Merged::Unchanged;
        }
        self.tombstones.retain(|t| t.id != incoming.id);
        let outcome = match self.annotations.iter_mut().find(|a| a.id == incoming.id) {
            None => {
                self.annotations.push(incoming);
                Merged::Added
            }
            Some(existing) if incoming.updated > existing.updated && *existing != incoming => {
                *existing = incoming;
                Merged::Updated
            }
            Some(_) => Merged::Unchanged,
        };
        self.sort();
        outcome
    }

    /// Merges a deletion: it removes the annotation unless that was updated after it.
    pub fn merge_tombstone(&mut self, tombstone: Tombstone) {
        if let Some(a) = self.get(tombstone.id)
            && a.updated > tombstone.deleted
        {
            return;
        }
        self.annotations.retain(|a| a.id != tombstone.id);
        match self.tombstones.iter_mut().find(|t| t.id == tombstone.id) {
            Some(t) => t.deleted = t.deleted.max(tombstone.deleted),
            None => self.tombstones.push(tombstone),
        }
        self.sort();
    }

    /// Merges everything `other` holds into this file.
    pub fn merge_all(&mut self, other: ArticleAnnotations) {
        for annotation in other.annotations {
            self.merge(annotation);
        }
        for tombstone in other.tombstones {
            self.merge_tombstone(tombstone);
        }
    }
}

#[cfg(test)]
mod tests;
