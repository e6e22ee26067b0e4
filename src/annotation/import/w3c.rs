//! W3C Web Annotation JSON: one `Annotation`, an array of them, an `AnnotationPage` (`items`) or an
//! `AnnotationCollection` whose pages are in the file (`first`, then each `next`). Tags are the bodies
//! whose `purpose` is `tagging`, the note the other textual bodies (or `bodyValue`); the quote comes from a
//! TextQuoteSelector, its place hinted by a TextPositionSelector. The
//! `newsgloss:` keys of newsgloss's own export (article id, original quote, orphaned, editor, links) are
//! read back.

use serde_json::Value;

use super::foreign::{Row, RowFailure, instant};
use crate::annotation::{Link, Person};

/// The annotations of `json` when it is in the W3C shape, each read or why not; `None` when it is not.
pub fn read(json: &Value) -> Option<Vec<Result<Row, RowFailure>>> {
    let items: Vec<&Value> = match json {
        Value::Array(items) if items.iter().any(is_annotation) => items.iter().collect(),
        Value::Object(_) if is_annotation(json) => vec![json],
        Value::Object(_) if has_type(json, "AnnotationPage") => page_items(json),
        Value::Object(_) if has_type(json, "AnnotationCollection") => {
            let mut items = Vec::new();
            let mut page = json.get("first");
            while let Some(p) = page.filter(|p| p.is_object()) {
                items.extend(page_items(p));
                page = p.get("next");
            }
            items
        }
        _ => return None,
    };
    Some(
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| read_item(i + 1, item))
            .collect(),
    )
}

fn page_items(page: &Value) -> Vec<&Value> {
    page.get("items")
        .and_then(Value::as_array)
        .map(|items| items.iter().collect())
        .unwrap_or_default()
}

/// Whether `value`'s `type` (a string or a list of them) is `wanted`.
fn has_type(value: &Value, wanted: &str) -> bool {
    match value.get("type") {
        Some(Value::String(t)) => t == wanted,
        Some(Value::Array(types)) => types.iter().any(|t| t.as_str() == Some(wanted)),
        _ => false,
    }
}

fn is_annotation(value: &Value) -> bool {
    has_type(value, "Annotation")
}

/// `value` as a list: itself when it is one, else a list of one (or none for `null`).
fn many(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one],
    }
}

fn read_item(index: usize, item: &Value) -> Result<Row, RowFailure> {
    let text = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_owned);
    let foreign_id = text("id");
    let mut row = Row {
        index,
        id: foreign_id
            .as_deref()
            .and_then(|id| id.strip_prefix("urn:uuid:"))
            .and_then(|id| id.parse().ok()),
        foreign_id,
        created: text("created").as_deref().and_then(instant),
        updated: text("modified").as_deref().and_then(instant),
        original_quote: text("newsgloss:original_quote"),
        orphaned: item.get("newsgloss:orphaned").and_then(Value::as_bool) == Some(true),
        creator: person(item.get("creator")),
        editor: person(item.get("newsgloss:editor")),
        links: links(item.get("newsgloss:links")),
        ..Row::default()
    };
    if !is_annotation(item) {
        return Err(RowFailure {
            row: row.name(),
            reason: "not an Annotation".into(),
        });
    }
    read_bodies(&mut row, item);
    for target in many(item.get("target")) {
        read_target(&mut row, target);
        if row.exact.is_some() {
            break;
        }
    }
    Ok(row)
}

/// `newsgloss:links`: `[{ "id": "urn:uuid:…", "rel": "supports" }, …]`; a link whose id or relation
/// does not read is left out.
fn links(value: Option<&Value>) -> Vec<Link> {
    many(value)
        .into_iter()
        .filter_map(|link| {
            let id = link.get("id")?.as_str()?;
            let id = id.strip_prefix("urn:uuid:").unwrap_or(id).parse().ok()?;
            let rel = match link.get("rel") {
                None => Default::default(),
                Some(rel) => rel.as_str()?.parse().ok()?,
            };
            Some(Link { id, rel })
        })
        .collect()
}

/// Tags from the `tagging` bodies, the note from the other textual ones (and `bodyValue`).
fn read_bodies(row: &mut Row, item: &Value) {
    let mut notes: Vec<String> = Vec::new();
    if let Some(value) = item.get("bodyValue").and_then(Value::as_str) {
        notes.push(value.to_owned());
    }
    for body in many(item.get("body")) {
        let Some(value) = body.get("value").and_then(Value::as_str) else {
            continue;
        };
        let purposes = many(body.get("purpose"));
        if purposes.iter().any(|p| p.as_str() == Some("tagging")) {
            row.tags.push(value.to_owned());
        } else {
            notes.push(value.to_owned());
        }
    }
    row.note = (!notes.is_empty()).then(|| notes.join("\n\n"));
}

/// The document, article, quote and position of one target.
fn read_target(row: &mut Row, target: &Value) {
    let source = match target {
        Value::String(source) => Some(source.as_str()),
        _ => target.get("source").and_then(Value::as_str),
    };
    if let Some(source) = source {
        match source.strip_prefix("newsgloss:article/") {
            Some(id) => row.article = Some(id.to_owned()),
            None => row.uri = Some(source.to_owned()),
        }
    }
    if let Some(id) = target.get("newsgloss:article").and_then(Value::as_str) {
        row.article = Some(id.to_owned());
    }
    for selector in many(target.get("selector")) {
        let text = |key: &str| selector.get(key).and_then(Value::as_str).unwrap_or("");
        if has_type(selector, "TextQuoteSelector") && row.exact.is_none() {
            row.exact = Some(text("exact").to_owned());
            row.prefix = text("prefix").to_owned();
            row.suffix = text("suffix").to_owned();
        }
        let number = |key: &str| selector.get(key).and_then(Value::as_u64);
        if has_type(selector, "TextPositionSelector")
            && let (Some(start), Some(end)) = (number("start"), number("end"))
        {
            // A hint: anchoring checks the quote is there (another tool's offsets may count UTF-16
            // units of a page, newsgloss's count Unicode scalar values of the plain text).
            row.position = Some((start as usize, end as usize));
        }
    }
}

/// A W3C agent as a person: its `name` (or `nickname`), and its `email` without `mailto:`.
fn person(agent: Option<&Value>) -> Option<Person> {
    let agent = agent?;
    if let Value::String(name) = agent {
        return Person::new(name, None);
    }
    let text = |key: &str| agent.get(key).and_then(Value::as_str);
    let email = text("email").map(|e| e.strip_prefix("mailto:").unwrap_or(e));
    Person::new(text("name").or(text("nickname"))?, email)
}
