//! The JSON export in the W3C Web Annotation model: an `AnnotationCollection` whose annotations carry
//! their tags and note as `TextualBody`s and target the article with a `TextQuoteSelector` and a
//! `TextPositionSelector` (offsets in Unicode scalar values of the plain text, as stated in each). Links
//! to other annotations are `newsgloss:links`, each `{ "id": "urn:uuid:…", "rel": "supports" }`.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::export::{ExportArticle, OFFSETS};
use super::model::{Annotation, Person};
use super::toml_text::datetime;

/// The collection of every annotation of `articles`, pretty-printed; without `generated` when `exported`
/// is `None` (the same bytes whenever the store is the same).
pub fn web_annotation_json(
    articles: &[ExportArticle],
    exported: impl Into<Option<OffsetDateTime>>,
) -> String {
    let items: Vec<Value> = articles
        .iter()
        .flat_map(|article| article.annotations.iter().map(move |a| item(article, a)))
        .collect();
    let mut collection = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "label": "newsgloss annotations",
        "total": items.len(),
        "first": { "type": "AnnotationPage", "startIndex": 0, "items": items },
    });
    if let Some(exported) = exported.into() {
        collection["generated"] = json!(datetime(exported));
    }
    let mut text = serde_json::to_string_pretty(&collection).expect("JSON values serialise");
    text.push('\n');
    crate::article::clean::inert_json(text)
}

fn item(article: &ExportArticle, a: &Annotation) -> Value {
    let mut body: Vec<Value> = a
        .tags
        .iter()
        .map(|tag| json!({ "type": "TextualBody", "purpose": "tagging", "value": tag }))
        .collect();
    if let Some(note) = &a.note {
        body.push(json!({
            "type": "TextualBody", "purpose": "commenting", "format": "text/plain", "value": note,
        }));
    }
    let mut target = json!({
        "source": article.url.clone().unwrap_or_else(|| format!("newsgloss:article/{}", article.id)),
        "selector": [
            { "type": "TextQuoteSelector", "exact": a.quote, "prefix": a.prefix, "suffix": a.suffix },
            {
                "type": "TextPositionSelector", "start": a.start, "end": a.end,
                "unit": OFFSETS,
                "description": "offsets count Unicode scalar values in the article's plain text",
            },
        ],
    });
    target["newsgloss:article"] = json!(article.id);
    target["title"] = json!(article.title);
    let mut item = json!({
        "id": format!("urn:uuid:{}", a.id),
        "type": "Annotation",
        "motivation": if a.note.is_some() { "commenting" } else { "tagging" },
        "created": datetime(a.created),
        "modified": datetime(a.updated),
        "body": body,
        "target": target,
    });
    if let Some(original) = &a.original_quote {
        item["newsgloss:original_quote"] = json!(original);
    }
    if a.orphaned {
        item["newsgloss:orphaned"] = json!(true);
    }
    if let Some(creator) = &a.creator {
        item["creator"] = person_json(creator);
    }
    if let Some(editor) = &a.editor {
        item["newsgloss:editor"] = person_json(editor);
    }
    if !a.links.is_empty() {
        let links: Vec<Value> = a
            .links
            .iter()
            .map(|l| json!({ "id": format!("urn:uuid:{}", l.id), "rel": l.rel.to_string() }))
            .collect();
        item["newsgloss:links"] = json!(links);
    }
    item
}

/// A person as a W3C Web Annotation agent: a `Person` with a name and, when known, a `mailto:` email.
fn person_json(person: &Person) -> Value {
    let mut agent = json!({ "type": "Person", "name": person.name });
    if let Some(email) = &person.email {
        agent["email"] = json!(format!("mailto:{email}"));
    }
    agent
}
