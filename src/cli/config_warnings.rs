//! The reader's part of a config file checked on every command: colours in `[theme]` and `[[tags]]` and the
//! bindings in `[keys.*]`, each problem a warning with `file:line:col` (the reader goes on with the
//! defaults for them, as the command does).

use std::collections::BTreeMap;
use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::article::Location;
use crate::config::{Config, TagDef};
use crate::content::shown;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;

/// The warnings for the user's config `text` at `path`, as parsed into `config`, in file order.
pub fn config_warnings(text: &str, path: &Path, config: &Config) -> Vec<String> {
    let Ok(table) = DeTable::parse(text) else {
        return Vec::new();
    };
    let table = table.get_ref();
    let mut found: Vec<(Location, String)> = Vec::new();
    let at = |span: std::ops::Range<usize>| Location::of_offset(text, span.start);
    if let Some(theme) = table.get("theme").and_then(|t| t.get_ref().as_table()) {
        for (role, value) in theme {
            let Some(colour) = config.theme.get(role.get_ref().as_ref()) else {
                continue;
            };
            let one = BTreeMap::from([(role.get_ref().to_string(), colour.clone())]);
            for problem in Theme::from_config(&one, false).1 {
                found.push((at(value.span()), problem));
            }
        }
    }
    if let Some(tags) = table.get("tags").and_then(|t| t.get_ref().as_array()) {
        for (entry, def) in tags.iter().zip(&config.tags) {
            found.extend(tag_colour_problem(entry, def).map(|(span, p)| (at(span), p)));
        }
    }
    if let Some(keys) = table.get("keys").and_then(|t| t.get_ref().as_table()) {
        for (mode, bindings) in keys {
            found.extend(
                key_problems(mode, bindings)
                    .into_iter()
                    .map(|(span, p)| (at(span), p)),
            );
        }
    }
    found.sort_by_key(|(location, _)| (location.line, location.col));
    found
        .into_iter()
        .map(|(location, problem)| {
            format!(
                "{}:{location}: {problem} (the default is used)",
                shown(path)
            )
        })
        .collect()
}

/// The problem with one `[[tags]]` entry's colour, at its value.
fn tag_colour_problem(
    entry: &Spanned<DeValue<'_>>,
    def: &TagDef,
) -> Option<(std::ops::Range<usize>, String)> {
    let colour = entry.get_ref().as_table()?.get("color")?;
    let problem = Theme::default()
        .with_tags(std::slice::from_ref(def))
        .1
        .pop()?;
    Some((colour.span(), problem))
}

/// The problems of one `[keys.<mode>]` table: the mode itself, or each binding on its own.
fn key_problems(
    mode: &Spanned<std::borrow::Cow<'_, str>>,
    bindings: &Spanned<DeValue<'_>>,
) -> Vec<(std::ops::Range<usize>, String)> {
    let mode_name = mode.get_ref().to_string();
    let Some(table) = bindings.get_ref().as_table() else {
        return Vec::new();
    };
    let check = |keys: &str, action: &str| {
        let one = BTreeMap::from([(
            mode_name.clone(),
            BTreeMap::from([(keys.to_owned(), action.to_owned())]),
        )]);
        Keymap::from_config(&one).1
    };
    // An unknown mode is one problem, however many bindings it has.
    let mode_problems = check("x", "none");
    if !mode_problems.is_empty() {
        return mode_problems
            .into_iter()
            .map(|p| (mode.span(), p))
            .collect();
    }
    let mut out = Vec::new();
    for (keys, action) in table {
        let Some(name) = action.get_ref().as_str() else {
            continue;
        };
        for problem in check(keys.get_ref(), name) {
            out.push((keys.span(), problem));
        }
    }
    out
}
