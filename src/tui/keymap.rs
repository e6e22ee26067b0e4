//! Keys: the default bindings per mode (keymap/defaults.rs), the user's `[keys.<mode>]` tables merged
//! over them, chords (`"g g"`), and turning a key press into a [`Command`].

mod defaults;

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use strum::IntoEnumIterator;

use super::command::{Command, Mode};
use crate::article::clean::clean_line;
use defaults::{DEFAULTS, EXTRA};

/// One key with its modifiers (shift only for keys that are not characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    /// A key event as the keymap sees it: `G` is `G`, not shift-`G`.
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut mods =
            event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) {
                    c.to_ascii_lowercase()
                } else {
                    c
                })
            }
            // Two Escs in one read arrive as alt-Esc: it is still Esc.
            KeyCode::Esc => {
                mods.remove(KeyModifiers::ALT);
                KeyCode::Esc
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            code => code,
        };
        Key { code, mods }
    }

    /// Parses one key: `j`, `G`, `?`, `ctrl-d`, `alt-x`, `PageDown`, `Home`, `enter`, `esc`, `space`, `f1`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, m) = if lower.starts_with("ctrl-") && rest.len() > 5 {
                (5, KeyModifiers::CONTROL)
            } else if lower.starts_with("alt-") && rest.len() > 4 {
                (4, KeyModifiers::ALT)
            } else if lower.starts_with("shift-") && rest.len() > 6 {
                (6, KeyModifiers::SHIFT)
            } else {
                break;
            };
            mods |= m;
            rest = &rest[prefix..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => named(&rest.to_ascii_lowercase())
                .ok_or_else(|| format!("unknown key {:?}", clean_line(rest)))?,
        };
        let event = KeyEvent::new(code, mods);
        Ok(Key::from_event(&event))
    }
}

fn named(name: &str) -> Option<KeyCode> {
    Some(match name {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" => KeyCode::Insert,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "space" => KeyCode::Char(' '),
        f if f.starts_with('f') => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
        }
        _ => return None,
    })
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{}", clean_line(&c.to_string())),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::PageUp => f.write_str("PageUp"),
            KeyCode::PageDown => f.write_str("PageDown"),
            code => write!(f, "{code:?}"),
        }
    }
}

/// A chord: one or more keys pressed in turn.
pub type Chord = Vec<Key>;

/// Parses `"g g"` or `"ctrl-d"`.
pub fn parse_chord(text: &str) -> Result<Chord, String> {
    let keys: Vec<Key> = text
        .split(' ')
        .filter(|k| !k.is_empty())
        .map(Key::parse)
        .collect::<Result<_, _>>()?;
    if keys.is_empty() {
        return Err("empty key".into());
    }
    Ok(keys)
}

/// Shows a chord as a binding would name it.
pub fn chord_name(chord: &[Key]) -> String {
    chord
        .iter()
        .map(Key::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a key press came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Command(Command),
    /// The start of a chord: wait for the next key.
    Pending,
    /// Bound to nothing.
    Unbound,
}

/// The bindings of every mode.
#[derive(Debug, Clone)]
pub struct Keymap {
    modes: BTreeMap<Mode, Vec<(Chord, Command)>>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut modes = BTreeMap::new();
        for (mode, bindings) in DEFAULTS {
            let extra = EXTRA.iter().filter(|(m, _)| m == mode);
            let list = bindings
                .iter()
                .chain(extra.flat_map(|(_, keys)| keys.iter()))
                .map(|(keys, command)| (parse_chord(keys).expect("default keys parse"), *command))
                .collect();
            modes.insert(*mode, list);
        }
        Keymap { modes }
    }
}

impl Keymap {
    /// The defaults with the user's `[keys.<mode>]` tables over them; each bad entry is skipped and
    /// described in the returned list. A binding to `"none"` removes the key.
    pub fn from_config(
        config: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> (Keymap, Vec<String>) {
        let mut keymap = Keymap::default();
        let mut problems = Vec::new();
        for (mode, table) in config {
            let Some(list) = mode
                .parse::<Mode>()
                .ok()
                .and_then(|m| keymap.modes.get_mut(&m))
            else {
                let known: Vec<&str> = Mode::iter().map(Mode::name).collect();
                problems.push(format!(
                    "[keys.{}]: unknown mode (known: {})",
                    clean_line(mode),
                    known.join(", ")
                ));
                continue;
            };
            for (keys, name) in table {
                let chord = match parse_chord(keys) {
                    Ok(chord) => chord,
                    Err(e) => {
                        problems.push(format!("[keys.{mode}] {:?}: {e}", clean_line(keys)));
                        continue;
                    }
                };
                list.retain(|(c, _)| *c != chord);
                if name == "none" {
                    continue;
                }
                match name.parse::<Command>() {
                    Ok(command) => list.push((chord, command)),
                    Err(_) => problems.push(format!(
                        "[keys.{mode}] {:?}: unknown action {:?}",
                        clean_line(keys),
                        clean_line(name)
                    )),
                }
            }
        }
        (keymap, problems)
    }

    /// What `key`, after the keys `pending` of a chord, does in `mode`.
    pub fn resolve(&self, mode: Mode, pending: &[Key], key: Key) -> Resolved {
        let Some(list) = self.modes.get(&mode) else {
            return Resolved::Unbound;
        };
        let mut typed = pending.to_vec();
        typed.push(key);
        if let Some((_, command)) = list.iter().find(|(c, _)| *c == typed) {
            return Resolved::Command(*command);
        }
        if list
            .iter()
            .any(|(c, _)| c.len() > typed.len() && c.starts_with(&typed))
        {
            return Resolved::Pending;
        }
        Resolved::Unbound
    }

    /// The bindings of `mode`, grouped by command in help order: (keys, command).
    pub fn help(&self, mode: Mode) -> Vec<(String, Command)> {
        let list = self.modes.get(&mode).map(Vec::as_slice).unwrap_or_default();
        Command::iter()
            .filter_map(|command| {
                let keys: Vec<String> = list
                    .iter()
                    .filter(|(_, c)| *c == command)
                    .map(|(c, _)| chord_name(c))
                    .collect();
                (!keys.is_empty()).then(|| (keys.join(", "), command))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Key {
        Key::parse(text).unwrap()
    }

    #[test]
    fn keys_parse_and_show() {
        assert_eq!(key("ctrl-d").to_string(), "ctrl-d");
        assert_eq!(key("G").to_string(), "G");
        assert_eq!(key("pagedown").to_string(), "PageDown");
        assert_eq!(key("-").code, KeyCode::Char('-'));
        assert!(Key::parse("hyper-x").is_err());
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&shifted), key("G"));
    }

    #[test]
    fn chords_wait_for_their_second_key() {
        let map = Keymap::default();
        assert_eq!(map.resolve(Mode::Reader, &[], key("g")), Resolved::Pending);
        assert_eq!(
            map.resolve(Mode::Reader, &[key("g")], key("g")),
            Resolved::Command(Command::Top)
        );
        assert_eq!(map.resolve(Mode::Reader, &[], key("x")), Resolved::Unbound);
    }

    #[test]
    fn user_bindings_merge_and_bad_ones_are_reported() {
        let mut config = BTreeMap::new();
        let table = [("x", "top"), ("j", "none"), ("z z", "fly"), ("ctrl-", "up")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()));
        config.insert("reader".to_owned(), table.into_iter().collect());
        config.insert("nowhere".to_owned(), BTreeMap::new());
        let (map, problems) = Keymap::from_config(&config);
        assert_eq!(
            map.resolve(Mode::Reader, &[], key("x")),
            Resolved::Command(Command::Top)
        );
        assert_eq!(map.resolve(Mode::Reader, &[], key("j")), Resolved::Unbound);
        assert_eq!(
            map.resolve(Mode::Reader, &[], key("k")),
            Resolved::Command(Command::Up)
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("fly")));
        assert!(problems.iter().any(|p| p.contains("nowhere")));
    }

    #[test]
    fn every_command_is_named_described_bound_and_documented() {
        let config = include_str!("../../config.toml");
        let map = Keymap::default();
        for command in Command::iter() {
            let name = command.name();
            assert_eq!(name.parse::<Command>(), Ok(command));
            assert!(!command.help().is_empty(), "{name}");
            assert!(!command.help().ends_with('.'), "{name}");
            assert!(config.contains(name), "config.toml does not list {name}");
            let bound = Mode::iter().any(|m| map.help(m).iter().any(|(_, c)| *c == command));
            assert!(bound, "{name} has no default key");
        }
        assert_eq!(Command::HalfPageDown.name(), "half_page_down");
        assert_eq!(Command::Quit.help(), "Quit newsgloss");
        for mode in Mode::iter() {
            assert_eq!(mode.name().parse::<Mode>(), Ok(mode));
            assert!(
                config.contains(mode.name()),
                "config.toml does not list mode {}",
                mode.name()
            );
        }
        assert_eq!(Mode::Panel.name(), "annotations");
    }
}
