//! What a commit or a pull changed, counted the way a person reads it: claims added, edited and deleted
//! (with who made or changed them) and articles added, changed and removed.

use std::collections::BTreeMap;

use crate::annotation::{Annotation, ArticleAnnotations};

/// Counts of what changed between two versions of a workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Per person (the creator's name, or "someone" when unknown): claims added.
    pub claims_added: BTreeMap<String, usize>,
    /// Per person (the editor, else the creator): claims edited.
    pub claims_edited: BTreeMap<String, usize>,
    pub claims_deleted: usize,
    pub articles_added: usize,
    pub articles_changed: usize,
    pub articles_removed: usize,
}

const SOMEONE: &str = "someone";

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// A commit message: "3 claims added, 1 edited; 2 articles added".
    pub fn commit_message(&self) -> String {
        let message = self.parts(false);
        if message.is_empty() {
            "Workspace files changed".to_owned()
        } else {
            message
        }
    }

    /// What came in, with who: "2 claims added (ana 2), 1 edited (ben); 1 article changed".
    pub fn summary(&self) -> String {
        self.parts(true)
    }

    fn parts(&self, by_whom: bool) -> String {
        let who = |counts: &BTreeMap<String, usize>| -> String {
            if !by_whom {
                return String::new();
            }
            let names: Vec<String> = counts
                .iter()
                .map(|(name, n)| {
                    if *n == 1 {
                        name.clone()
                    } else {
                        format!("{name} {n}")
                    }
                })
                .collect();
            format!(" ({})", names.join(", "))
        };
        let total = |counts: &BTreeMap<String, usize>| counts.values().sum::<usize>();
        let mut claims = Vec::new();
        let added = total(&self.claims_added);
        if added > 0 {
            let noun = if added == 1 { "claim" } else { "claims" };
            claims.push(format!("{added} {noun} added{}", who(&self.claims_added)));
        }
        let edited = total(&self.claims_edited);
        if edited > 0 {
            claims.push(format!("{edited} edited{}", who(&self.claims_edited)));
        }
        if self.claims_deleted > 0 {
            claims.push(format!("{} deleted", self.claims_deleted));
        }
        if !claims.is_empty() && added == 0 {
            claims[0] = format!("claims: {}", claims[0]);
        }
        let mut articles = Vec::new();
        for (n, what) in [
            (self.articles_added, "added"),
            (self.articles_changed, "changed"),
            (self.articles_removed, "removed"),
        ] {
            if n > 0 {
                let noun = if articles.is_empty() {
                    if n == 1 { " article" } else { " articles" }
                } else {
                    ""
                };
                articles.push(format!("{n}{noun} {what}"));
            }
        }
        [claims.join(", "), articles.join(", ")]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn name_of(a: &Annotation, edited: bool) -> String {
    let person = if edited {
        a.editor.as_ref().or(a.creator.as_ref())
    } else {
        a.creator.as_ref()
    };
    person.map_or_else(|| SOMEONE.to_owned(), |p| p.name.clone())
}

/// Adds to `changes` what changed in one article's store file from `before` to `after` (either may be
/// missing). Moving an anchor alone is not an edit.
pub fn store_changes(
    before: Option<&ArticleAnnotations>,
    after: Option<&ArticleAnnotations>,
    changes: &mut Changes,
) {
    let empty = ArticleAnnotations::default();
    let (before, after) = (before.unwrap_or(&empty), after.unwrap_or(&empty));
    for a in &after.annotations {
        match before.get(a.id) {
            None => *changes.claims_added.entry(name_of(a, false)).or_default() += 1,
            Some(b) if (&b.tags, &b.note) != (&a.tags, &a.note) => {
                *changes.claims_edited.entry(name_of(a, true)).or_default() += 1
            }
            Some(_) => {}
        }
    }
    changes.claims_deleted += before
        .annotations
        .iter()
        .filter(|b| after.get(b.id).is_none())
        .count();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_as_sentences() {
        let mut c = Changes::default();
        assert!(c.is_empty());
        c.claims_added.insert("ana".into(), 2);
        c.claims_added.insert("ben".into(), 1);
        c.claims_edited.insert("ben".into(), 1);
        c.articles_added = 2;
        assert_eq!(
            c.commit_message(),
            "3 claims added, 1 edited; 2 articles added"
        );
        assert_eq!(
            c.summary(),
            "3 claims added (ana 2, ben), 1 edited (ben); 2 articles added"
        );
        let d = Changes {
            claims_deleted: 1,
            articles_changed: 1,
            ..Changes::default()
        };
        assert_eq!(d.commit_message(), "claims: 1 deleted; 1 article changed");
    }
}
