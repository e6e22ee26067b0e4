//! Adding the tags an import brought to the vocabulary in use: the config file, edited in place with
//! `toml_edit`, so that its comments and layout stay as they were.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};

use crate::annotation::TagInfo;
use crate::config::TagDef;

/// `text` (a config file) with a `[[tags]]` table for each of `new`. A file without a `[[tags]]` list of
/// its own uses the built-in vocabulary, which a list would replace: `current` (the vocabulary in use)
/// is written first then, so that no tag is lost.
pub fn with_tags(text: &str, current: &[TagDef], new: &[TagInfo]) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    if doc.get("tags").is_none() {
        let mut tables = ArrayOfTables::new();
        for def in current {
            tables.push(table(&def.name, &def.description, def.color.as_deref()));
        }
        doc.insert("tags", Item::ArrayOfTables(tables));
    }
    let tables = doc
        .get_mut("tags")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or("its `tags` is not a list of [[tags]] tables")?;
    for tag in new {
        tables.push(table(&tag.name, &tag.description, tag.color.as_deref()));
    }
    Ok(doc.to_string())
}

fn table(name: &str, description: &str, color: Option<&str>) -> Table {
    let mut table = Table::new();
    table.insert("name", value(name));
    if !description.is_empty() {
        table.insert("description", value(description));
    }
    if let Some(color) = color {
        table.insert("color", value(color));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(name: &str, description: &str, color: Option<&str>) -> TagInfo {
        TagInfo {
            name: name.into(),
            description: description.into(),
            color: color.map(Into::into),
            known: false,
        }
    }

    #[test]
    fn adds_tables_and_keeps_comments() {
        let text = "# my config\n[[tags]]\nname = \"a\" # first\n\n[reader]\nmax_width = 70\n";
        let out = with_tags(text, &[], &[info("b", "Bee", Some("red"))]).unwrap();
        assert!(out.starts_with("# my config\n[[tags]]\nname = \"a\" # first\n"));
        assert!(out.contains("max_width = 70"));
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        let tags = parsed["tags"].as_array().unwrap();
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[1]["description"].as_str(), Some("Bee"));
        assert_eq!(tags[1]["color"].as_str(), Some("red"));
    }

    #[test]
    fn a_file_without_tags_keeps_the_vocabulary_in_use() {
        let current = [TagDef {
            name: "spin-off".into(),
            description: "d".into(),
            color: Some("yellow".into()),
        }];
        let out = with_tags(
            "[reader]\nmax_width = 70\n",
            &current,
            &[info("new", "", None)],
        )
        .unwrap();
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        let names: Vec<&str> = parsed["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["spin-off", "new"]);
    }
}
