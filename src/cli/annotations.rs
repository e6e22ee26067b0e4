//! `newsgloss annotations`: list annotations (anchored in the articles' current text) as lines, JSON or
//! TOML, or delete one by id.

use std::collections::HashSet;
use std::io::Write;

use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

use super::annotate::{open_store, read_store, store_failure};
use super::output::warn;
use super::{Failure, Workspace};
use crate::annotation::{AnnotationId, AnnotationStore, ExportArticle, Person, export_toml};
use crate::article::Article;
use crate::article::clean::clean_line;
use crate::content::shown;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only the annotations of this article.
    pub id: Option<String>,
    /// Only annotations with this tag (repeat for any of several).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only orphans: annotations whose quote is no longer in the text.
    #[arg(long)]
    pub orphans: bool,
    /// Only annotations made by this person (their name, in any case).
    #[arg(long, value_name = "NAME")]
    pub creator: Option<String>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// Delete one annotation (a tombstone stays in the store file so that older copies do not revive it).
    Delete {
        /// The annotation id, as `annotate` printed it.
        annotation_id: String,
    },
    /// Change one annotation's note or tags (it gets a new `updated`; you are recorded as its editor).
    Edit {
        /// The annotation id, as `annotate` printed it.
        annotation_id: String,
        /// The new note (an empty one removes it).
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// A tag to add (repeat for several).
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// A tag to remove (repeat for several).
        #[arg(long = "remove-tag", value_name = "TAG")]
        remove_tags: Vec<String>,
    },
    /// Put back the last good version of an article's annotation file that does not parse (the file is
    /// kept beside it as `.corrupt`).
    Restore {
        /// The article id.
        article: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
    Toml,
}

pub fn run(workspace: &Workspace, action: Option<Action>, list: ListArgs) -> Result<(), Failure> {
    match action {
        Some(Action::Delete { annotation_id }) => delete(workspace, &annotation_id),
        Some(Action::Restore { article }) => restore(workspace, &article),
        Some(Action::Edit {
            annotation_id,
            note,
            tags,
            remove_tags,
        }) => edit(workspace, &annotation_id, note, &tags, &remove_tags),
        None => run_list(workspace, list),
    }
}

fn delete(workspace: &Workspace, annotation_id: &str) -> Result<(), Failure> {
    let id: AnnotationId = annotation_id.parse().map_err(Failure::BadInput)?;
    let store = open_store(workspace)?;
    let (article, _) = store.find(id).map_err(store_failure)?;
    let now = time::OffsetDateTime::now_utc();
    let deleted = store.delete(&article, id, now).map_err(store_failure)?;
    workspace.index_change();
    let _ = writeln!(
        std::io::stdout().lock(),
        "deleted {id} from {}: {}",
        clean_line(&article),
        clean_line(&crate::text::shorten(&deleted.quote, 60))
    );
    Ok(())
}

fn edit(
    workspace: &Workspace,
    annotation_id: &str,
    note: Option<String>,
    add: &[String],
    remove: &[String],
) -> Result<(), Failure> {
    let id: AnnotationId = annotation_id.parse().map_err(Failure::BadInput)?;
    if note.is_none() && add.is_empty() && remove.is_empty() {
        return Err(Failure::BadInput(
            "nothing to change: give --note, --tag or --remove-tag".into(),
        ));
    }
    let vocabulary = crate::annotation::TagVocabulary::new(&workspace.config.tags);
    for tag in add {
        vocabulary.check(tag).map_err(Failure::BadInput)?;
    }
    let store = open_store(workspace)?;
    let (article, current) = store.find(id).map_err(store_failure)?;
    let tags = (!add.is_empty() || !remove.is_empty()).then(|| {
        let mut tags: Vec<String> = current.tags.clone();
        tags.retain(|t| !remove.contains(t));
        tags.extend(add.iter().cloned());
        tags
    });
    let change = crate::annotation::Edit {
        tags,
        note: note.map(Some),
    };
    let now = time::OffsetDateTime::now_utc();
    let edited = store
        .edit_by(&article, id, change, workspace.user(), now)
        .map_err(store_failure)?;
    let _ = writeln!(
        std::io::stdout().lock(),
        "edited {id} in {}: {}",
        clean_line(&article),
        clean_line(&edited.tags.join(","))
    );
    Ok(())
}

fn restore(workspace: &Workspace, article: &str) -> Result<(), Failure> {
    let store = open_store(workspace)?;
    let restored = store.restore_last_good(article).map_err(store_failure)?;
    workspace.index_change();
    let mut out = format!(
        "restored {} of {} from {}",
        super::output::counted(restored.annotations, "annotation"),
        clean_line(article),
        shown(&restored.from)
    );
    if let Some(kept) = &restored.kept {
        out.push_str(&format!("; the damaged file is kept as {}", shown(kept)));
    }
    let _ = writeln!(std::io::stdout().lock(), "{out}");
    Ok(())
}

fn run_list(workspace: &Workspace, args: ListArgs) -> Result<(), Failure> {
    let store = read_store(workspace);
    let ids = match &args.id {
        Some(id) => {
            let known =
                current_article(workspace, id).is_some() || store.article_ids().contains(id);
            if !known {
                return Err(Failure::BadInput(format!(
                    "no article with id {}",
                    crate::article::clean::quoted(id)
                )));
            }
            vec![id.clone()]
        }
        None => store.article_ids(),
    };
    let mut articles = collect(workspace, &store, &ids)?;
    for article in &mut articles {
        article.annotations.retain(|a| {
            (args.tags.is_empty() || a.tags.iter().any(|t| args.tags.contains(t)))
                && (!args.orphans || a.orphaned)
                && args.creator.as_deref().is_none_or(|name| made_by(a, name))
        });
    }
    articles.retain(|a| !a.annotations.is_empty());
    let known = known_ids(&store, &articles);
    let text = match args.format {
        ListFormat::Text => lines(&articles, &known),
        ListFormat::Json => json_list(&articles, &known),
        ListFormat::Toml => export_toml(&articles, time::OffsetDateTime::now_utc()),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// The annotations of `ids`, each article's anchored in its current text (moved anchors are saved).
/// An article no longer in the content dir keeps its annotations, shown as orphans; a store file that
/// does not parse is reported and skipped, or fails the command when it is the only one asked for.
pub fn collect(
    workspace: &Workspace,
    store: &AnnotationStore,
    ids: &[String],
) -> Result<Vec<ExportArticle>, Failure> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let article = current_article(workspace, id);
        let anchored = match &article {
            Some(article) => store.anchored(id, &article.text).map(|a| a.file),
            None => store.load(id),
        };
        let mut file = match anchored {
            Ok(file) => file,
            Err(e) if ids.len() == 1 => return Err(store_failure(e)),
            Err(e) => {
                warn(&e.to_string());
                continue;
            }
        };
        match article {
            Some(article) => out.push(ExportArticle::of(&article, file.annotations)),
            None => {
                file.annotations.iter_mut().for_each(|a| a.orphaned = true);
                out.push(ExportArticle::missing(id, file.annotations));
            }
        }
    }
    Ok(out)
}

/// The ids of every annotation in the store, when any of `articles` has links (to tell the links to
/// deleted annotations, which are shown as missing).
fn known_ids(store: &AnnotationStore, articles: &[ExportArticle]) -> HashSet<AnnotationId> {
    let linked = articles
        .iter()
        .any(|a| a.annotations.iter().any(|a| !a.links.is_empty()));
    if !linked {
        return HashSet::new();
    }
    let corpus = store.load_all();
    corpus
        .articles
        .iter()
        .flat_map(|f| f.annotations.iter().map(|a| a.id))
        .collect()
}

/// `    links: supports ID, contradicts ID (missing)`: an annotation's links, those to annotations no
/// longer in the store marked.
fn links_line(a: &crate::annotation::Annotation, known: &HashSet<AnnotationId>) -> Option<String> {
    if a.links.is_empty() {
        return None;
    }
    let links: Vec<String> = a
        .links
        .iter()
        .map(|l| {
            let missing = if known.contains(&l.id) {
                ""
            } else {
                " (missing)"
            };
            format!("{} {}{missing}", l.rel, l.id)
        })
        .collect();
    Some(format!("    links: {}\n", links.join(", ")))
}

/// The article `id` as its file reads now, if it is there and readable.
fn current_article(workspace: &Workspace, id: &str) -> Option<Article> {
    let path = crate::content::path_of(&workspace.content_dir, id)?;
    let max = workspace.config.content.max_file_bytes;
    Article::load(id, &path, max)
        .ok()
        .map(|(article, _)| article)
}

fn lines(articles: &[ExportArticle], known: &HashSet<AnnotationId>) -> String {
    let mut out = String::new();
    for article in articles {
        for a in &article.annotations {
            let orphan = if a.orphaned { "  (orphaned)" } else { "" };
            out.push_str(&format!(
                "{}  {}  {}..{}  {}  \"{}\"{orphan}\n",
                a.id,
                clean_line(&article.id),
                a.start,
                a.end,
                clean_line(&a.tags.join(",")),
                clean_line(&crate::text::shorten(&a.quote, 72)),
            ));
            if let Some(note) = &a.note {
                out.push_str(&format!(
                    "    note: {}\n",
                    clean_line(&crate::text::shorten(note, 100))
                ));
            }
            if let Some(creator) = &a.creator {
                let edited = a.editor.as_ref().map(|e| format!(", edited by {}", e.name));
                let line = format!("by {}{}", creator.name, edited.unwrap_or_default());
                out.push_str(&format!("    {}\n", clean_line(&line)));
            }
            out.extend(links_line(a, known));
        }
    }
    out
}

fn json_list(articles: &[ExportArticle], known: &HashSet<AnnotationId>) -> String {
    let items: Vec<serde_json::Value> = articles
        .iter()
        .flat_map(|article| {
            article.annotations.iter().map(|a| {
                json!({
                    "id": a.id.to_string(), "article": article.id, "tags": a.tags, "quote": a.quote,
                    "start": a.start, "end": a.end, "note": a.note, "orphaned": a.orphaned,
                    "prefix": a.prefix, "suffix": a.suffix, "original_quote": a.original_quote,
                    "creator": a.creator.as_ref().map(person_json),
                    "editor": a.editor.as_ref().map(person_json),
                    "links": a.links.iter().map(|l| json!({
                        "id": l.id.to_string(), "rel": l.rel.to_string(), "missing": !known.contains(&l.id),
                    })).collect::<Vec<_>>(),
                })
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).expect("JSON values serialise");
    text.push('\n');
    crate::article::clean::inert_json(text)
}

/// Whether `a` was made by the person named `name` (any case).
pub fn made_by(a: &crate::annotation::Annotation, name: &str) -> bool {
    a.creator
        .as_ref()
        .is_some_and(|c| c.name.to_lowercase() == name.trim().to_lowercase())
}

/// A person as `{"name": ..., "email": ...}`.
fn person_json(person: &Person) -> serde_json::Value {
    json!({ "name": person.name, "email": person.email })
}
