//! Hypothesis's JSON: the annotation rows of its API, as an array or as the search API's `{ "rows": [...] }`.
//! Each row has `id`, `uri`, `text` (the note), `tags`, `target[].selector` (TextQuoteSelector with
//! `exact`/`prefix`/`suffix`, TextPositionSelector with `start`/`end`), `created`, `updated` and `user`
//! (`acct:ana@hypothes.is`).

use serde_json::Value;

use super::foreign::{Row, RowFailure, instant};
use crate::annotation::Person;

/// The rows of `json` when it is in Hypothesis's shape, each read or why not; `None` when it is not.
pub fn read(json: &Value) -> Option<Vec<Result<Row, RowFailure>>> {
    let rows = match json {
        Value::Object(object) => object.get("rows")?.as_array()?,
        Value::Array(rows) => rows,
        _ => return None,
    };
    let shaped = |row: &Value| row.get("uri").is_some() && row.get("type").is_none();
    if rows.is_empty() || !rows.iter().any(shaped) {
        return json.get("rows").is_some().then(Vec::new);
    }
    Some(
        rows.iter()
            .enumerate()
            .map(|(i, row)| read_row(i + 1, row))
            .collect(),
    )
}

fn read_row(index: usize, value: &Value) -> Result<Row, RowFailure> {
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut row = Row {
        index,
        foreign_id: text("id"),
        uri: text("uri"),
        note: text("text"),
        ..Row::default()
    };
    if !value.is_object() {
        return Err(RowFailure {
            row: row.name(),
            reason: "not an annotation (a JSON object)".into(),
        });
    }
    row.tags = value
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    row.created = text("created").as_deref().and_then(instant);
    row.updated = text("updated").as_deref().and_then(instant);
    row.creator = text("user").and_then(|user| creator(&user));
    let target = value.get("target").and_then(Value::as_array);
    for selector in target
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("selector").and_then(Value::as_array))
        .flatten()
    {
        read_selector(&mut row, selector);
    }
    if row.uri.is_none() {
        row.uri = target
            .and_then(|t| t.first())
            .and_then(|t| t.get("source"))
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    Ok(row)
}

/// Takes the quote and its context from a TextQuoteSelector, the position from a TextPositionSelector.
fn read_selector(row: &mut Row, selector: &Value) {
    let text = |key: &str| selector.get(key).and_then(Value::as_str).unwrap_or("");
    match text("type") {
        "TextQuoteSelector" if row.exact.is_none() => {
            row.exact = Some(text("exact").to_owned());
            row.prefix = text("prefix").to_owned();
            row.suffix = text("suffix").to_owned();
        }
        "TextPositionSelector" if row.position.is_none() => {
            let number = |key: &str| selector.get(key).and_then(Value::as_u64);
            if let (Some(start), Some(end)) = (number("start"), number("end")) {
                row.position = Some((start as usize, end as usize));
            }
        }
        _ => {}
    }
}

/// The person of a Hypothesis account: `acct:ana@hypothes.is` is `ana@hypothes.is`.
fn creator(user: &str) -> Option<Person> {
    Person::new(user.strip_prefix("acct:").unwrap_or(user), None)
}
