//! Colours by role: the defaults (named ANSI colours, readable on 16-colour terminals), the user's
//! `[theme]` table over them, and `NO_COLOR` (bold, reverse and underline only).

use std::collections::BTreeMap;

use ratatui::style::{Color, Modifier, Style};

use crate::article::clean::clean_line;

/// The roles a theme colours, with their default colour.
pub const ROLES: [(&str, &str); 16] = [
    ("title", "yellow"),
    ("source", "cyan"),
    ("date", "green"),
    ("dim", "gray"),
    ("heading", "blue"),
    ("selection", "blue"),
    ("match", "yellow"),
    ("current_match", "magenta"),
    ("status", "blue"),
    ("error", "red"),
    ("notice", "green"),
    ("key", "cyan"),
    ("annotation", "light-magenta"),
    ("removed", "red"),
    ("added", "green"),
    ("pair", "dark-gray"),
];

/// The styles the view draws with.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub title: Style,
    pub source: Style,
    pub date: Style,
    pub dim: Style,
    pub heading: Style,
    pub selection: Style,
    pub matched: Style,
    pub current_match: Style,
    pub status: Style,
    pub error: Style,
    pub notice: Style,
    pub key: Style,
    /// Annotated text whose tag has no colour of its own.
    pub annotation: Style,
    /// The reader's cursor.
    pub cursor: Style,
    /// Paragraphs removed and added since an article's previous version.
    pub removed: Style,
    pub added: Style,
    /// Side by side: the paragraphs paired with the one the cursor or the selection is in (background).
    pub pair: Style,
    /// Annotated text by tag (from the config's `[[tags]]` colours).
    pub tags: BTreeMap<String, Style>,
    pub no_color: bool,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::from_config(&BTreeMap::new(), false).0
    }
}

impl Theme {
    /// The theme from the config's `[theme]` table; bad roles and colours are reported and the default kept.
    pub fn from_config(config: &BTreeMap<String, String>, no_color: bool) -> (Theme, Vec<String>) {
        let mut problems = Vec::new();
        for (role, value) in config {
            if !ROLES.iter().any(|(r, _)| r == role) {
                let known: Vec<_> = ROLES.iter().map(|(r, _)| *r).collect();
                problems.push(format!(
                    "[theme] {}: unknown role (known: {})",
                    clean_line(role),
                    known.join(", ")
                ));
            } else if parse_color(value).is_none() {
                problems.push(format!(
                    "[theme] {role} = {:?}: not a colour",
                    clean_line(value)
                ));
            }
        }
        let color = |role: &str| -> Option<Color> {
            if no_color {
                return None;
            }
            let default = ROLES
                .iter()
                .find(|(r, _)| *r == role)
                .map_or("reset", |(_, c)| c);
            config
                .get(role)
                .and_then(|v| parse_color(v))
                .or_else(|| parse_color(default))
        };
        let fg = |role: &str| color(role).map_or(Style::new(), |c| Style::new().fg(c));
        let bold = Modifier::BOLD;
        let inverse = |role: &str| match color(role) {
            Some(c) => Style::new().bg(c).fg(Color::Black),
            None => Style::new().add_modifier(Modifier::REVERSED),
        };
        let theme = Theme {
            title: fg("title").add_modifier(bold),
            source: fg("source"),
            date: fg("date"),
            dim: fg("dim"),
            heading: fg("heading").add_modifier(bold),
            selection: inverse("selection").add_modifier(bold),
            matched: inverse("match"),
            current_match: inverse("current_match").add_modifier(bold | Modifier::UNDERLINED),
            status: inverse("status"),
            error: fg("error").add_modifier(bold),
            notice: fg("notice"),
            key: fg("key").add_modifier(bold),
            annotation: if no_color {
                Style::new().add_modifier(Modifier::UNDERLINED)
            } else {
                fg("annotation")
            },
            cursor: Style::new().add_modifier(Modifier::REVERSED),
            removed: if no_color {
                Style::new().add_modifier(Modifier::CROSSED_OUT)
            } else {
                fg("removed")
            },
            added: if no_color {
                Style::new().add_modifier(bold)
            } else {
                fg("added")
            },
            pair: match color("pair") {
                Some(c) if !no_color => Style::new().bg(c),
                _ => Style::new().add_modifier(bold),
            },
            tags: BTreeMap::new(),
            no_color,
        };
        (theme, problems)
    }
}

impl Theme {
    /// The theme with the tags' colours; a tag whose colour does not parse is reported and drawn in the
    /// `annotation` colour.
    pub fn with_tags(mut self, defs: &[crate::config::TagDef]) -> (Theme, Vec<String>) {
        let mut problems = Vec::new();
        for def in defs {
            let Some(name) = def.color.as_deref() else {
                continue;
            };
            match parse_color(name) {
                Some(color) if !self.no_color => {
                    self.tags.insert(def.name.clone(), Style::new().fg(color));
                }
                Some(_) => {}
                None => problems.push(format!(
                    "[[tags]] {}: colour {:?} is not a colour",
                    clean_line(&def.name),
                    clean_line(name)
                )),
            }
        }
        (self, problems)
    }

    /// How text annotated with `tag` is drawn (underlined only, under NO_COLOR).
    pub fn tag(&self, tag: &str) -> Style {
        self.tags.get(tag).copied().unwrap_or(self.annotation)
    }
}

/// A colour name (`light-red`, `dark-gray`, `reset`) or `#rrggbb`.
pub fn parse_color(text: &str) -> Option<Color> {
    let name = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
    if let Some(hex) = name.strip_prefix('#') {
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let n = u32::from_str_radix(hex, 16).ok()?;
        return Some(Color::Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8));
    }
    Some(match name.as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "dark-gray" | "dark-grey" => Color::DarkGray,
        "light-red" => Color::LightRed,
        "light-green" => Color::LightGreen,
        "light-yellow" => Color::LightYellow,
        "light-blue" => Color::LightBlue,
        "light-magenta" => Color::LightMagenta,
        "light-cyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_bad_ones_are_reported() {
        assert_eq!(parse_color("light-red"), Some(Color::LightRed));
        assert_eq!(parse_color("#ff0080"), Some(Color::Rgb(255, 0, 128)));
        assert_eq!(parse_color("#ff00"), None);
        let config = [("title", "red"), ("source", "mauve"), ("bogus", "red")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into_iter()
            .collect();
        let (theme, problems) = Theme::from_config(&config, false);
        assert_eq!(theme.title.fg, Some(Color::Red));
        assert_eq!(theme.source.fg, Some(Color::Cyan));
        assert_eq!(problems.len(), 2);
    }

    #[test]
    fn no_color_uses_no_colours() {
        let (theme, _) = Theme::from_config(&BTreeMap::new(), true);
        for style in [
            theme.title,
            theme.selection,
            theme.matched,
            theme.status,
            theme.error,
        ] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
        assert!(theme.selection.add_modifier.contains(Modifier::REVERSED));
    }
}
