//! Tags: the vocabulary from config.toml (name, description, colour) and tags made on the spot, which
//! only need a well-formed name (lower-case kebab-case).

use crate::config::{TagDef, is_tag_name};

/// What is known about one tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagInfo {
    pub name: String,
    pub description: String,
    /// A colour name or `#rrggbb` from the config; `None` for a tag outside the vocabulary.
    pub color: Option<String>,
    /// Whether the tag is in the configured vocabulary.
    pub known: bool,
}

impl TagInfo {
    /// A tag outside the vocabulary: its name alone.
    pub fn bare(name: &str) -> TagInfo {
        TagInfo {
            name: name.to_owned(),
            description: String::new(),
            color: None,
            known: false,
        }
    }
}

/// The configured tags, in config order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagVocabulary {
    tags: Vec<TagInfo>,
}

impl TagVocabulary {
    /// The vocabulary of `Config::tags`.
    pub fn new(defs: &[TagDef]) -> TagVocabulary {
        let tags = defs
            .iter()
            .map(|d| TagInfo {
                name: d.name.clone(),
                description: d.description.clone(),
                color: d.color.clone(),
                known: true,
            })
            .collect();
        TagVocabulary { tags }
    }

    /// Every configured tag.
    pub fn tags(&self) -> &[TagInfo] {
        &self.tags
    }

    /// What is known about `name`: its configured entry, or a bare entry for a tag made on the spot.
    pub fn info(&self, name: &str) -> TagInfo {
        self.tags
            .iter()
            .find(|t| t.name == name)
            .cloned()
            .unwrap_or_else(|| TagInfo::bare(name))
    }

    /// Checks a tag someone typed: any well-formed name will do, in the vocabulary or not.
    pub fn check(&self, name: &str) -> Result<(), String> {
        if is_tag_name(name) {
            Ok(())
        } else {
            Err(format!(
                "tag {} is not a tag name (lower-case kebab-case: a-z, 0-9, -)",
                crate::article::clean::quoted(name)
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_and_new_tags() {
        let config = crate::config::Config::embedded();
        let vocabulary = TagVocabulary::new(&config.tags);
        let chips = vocabulary.info("chip-restrictions");
        assert!(chips.known && chips.color.as_deref() == Some("red"));
        let new = vocabulary.info("new-tag");
        assert!(!new.known && new.color.is_none());
        assert!(vocabulary.check("new-tag").is_ok());
        assert!(vocabulary.check("New Tag").is_err());
    }
}
