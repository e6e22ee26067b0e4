//! Writing TOML by hand, so that files come out byte for byte the same each time: keys in a fixed order,
//! strings as basic strings with every control and every character the cleaner forbids escaped (multi-line ones as `"""` blocks), and
//! date-times as RFC 3339 in UTC.

use std::fmt::Write;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::article::clean::is_forbidden;

/// Builds a TOML document line by line.
#[derive(Debug, Default)]
pub struct TomlWriter {
    out: String,
}

impl TomlWriter {
    pub fn new() -> TomlWriter {
        TomlWriter::default()
    }

    /// A comment line, or a blank line for an empty comment.
    pub fn comment(&mut self, text: &str) -> &mut Self {
        if text.is_empty() {
            self.out.push('\n');
        } else {
            let _ = writeln!(self.out, "# {text}");
        }
        self
    }

    /// `[[name]]`, after a blank line.
    pub fn table_array(&mut self, name: &str) -> &mut Self {
        let _ = write!(self.out, "\n[[{name}]]\n");
        self
    }

    pub fn string(&mut self, key: &str, value: &str) -> &mut Self {
        let _ = writeln!(self.out, "{key} = {}", string(value));
        self
    }

    /// A string that may span lines: written as a `"""` block when it does, so that it diffs by line.
    pub fn text(&mut self, key: &str, value: &str) -> &mut Self {
        let _ = writeln!(self.out, "{key} = {}", text(value));
        self
    }

    pub fn optional(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.string(key, value);
        }
        self
    }

    /// A bare value already in TOML syntax (a number, a boolean, a date-time).
    pub fn raw(&mut self, key: &str, value: &str) -> &mut Self {
        let _ = writeln!(self.out, "{key} = {value}");
        self
    }

    pub fn datetime(&mut self, key: &str, at: OffsetDateTime) -> &mut Self {
        self.raw(key, &datetime(at))
    }

    pub fn strings(&mut self, key: &str, values: &[String]) -> &mut Self {
        let items: Vec<String> = values.iter().map(|v| string(v)).collect();
        self.raw(key, &format!("[{}]", items.join(", ")))
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// `value` as a TOML basic string on one line.
pub fn string(value: &str) -> String {
    quoted(value, false)
}

/// `value` as a TOML string: a basic string, or a multi-line basic string when it holds a line break.
pub fn text(value: &str) -> String {
    quoted(value, value.contains('\n'))
}

fn quoted(value: &str, multi_line: bool) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    out.push_str(if multi_line { "\"\"\"\n" } else { "\"" });
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if multi_line => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || is_forbidden(c) => {
                let _ = match u32::from(c) {
                    n @ 0..=0xffff => write!(out, "\\u{n:04X}"),
                    n => write!(out, "\\U{n:08X}"),
                };
            }
            c => out.push(c),
        }
    }
    out.push_str(if multi_line { "\"\"\"" } else { "\"" });
    out
}

/// `at` in UTC as RFC 3339, with milliseconds only when there are any.
pub fn datetime(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let millis = at.millisecond();
    let at = at.replace_millisecond(millis).unwrap_or(at);
    at.format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

/// A TOML date-time as an instant, to the millisecond, as [`datetime`] writes it; it must have a date, a
/// time and an offset, and fall in the years 0000 to 9999 in UTC (which converting to UTC would panic on
/// and writing fail on).
pub fn instant(value: &toml::value::Datetime) -> Result<OffsetDateTime, String> {
    let text = value.to_string();
    if value.date.is_none() || value.time.is_none() || value.offset.is_none() {
        return Err(format!(
            "{text} is not a date-time with an offset (2026-01-01T00:00:00Z)"
        ));
    }
    let at = OffsetDateTime::parse(&text.replace(' ', "T"), &Rfc3339)
        .map_err(|e| format!("{text}: {e}"))?;
    let at = at
        .checked_to_offset(time::UtcOffset::UTC)
        .filter(|at| (0..=9999).contains(&at.year()))
        .ok_or_else(|| format!("{text} is outside the years 0000 to 9999 in UTC"))?;
    Ok(at.replace_millisecond(at.millisecond()).unwrap_or(at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn parses_back(value: &str) {
        for doc in [
            format!("v = {}\n", string(value)),
            format!("v = {}\n", text(value)),
        ] {
            let table: toml::Table = toml::from_str(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
            assert_eq!(table["v"].as_str(), Some(value), "{doc}");
        }
    }

    #[test]
    fn strings_survive_the_toml_parser() {
        for value in [
            "",
            "plain",
            "say \"hi\"",
            "'''",
            "\"\"\"",
            "a\\b",
            "two\nlines",
            "\nlead",
            "trail\n",
            "\r\n",
            "tab\there",
            "bell\u{7}\u{0}\u{1b}[31m\u{7f}\u{85}",
            "bidi \u{202e} tag \u{e0041} \u{fffe} \u{2028}",
            "芯片 😀 🇺🇸",
            "ends with \"",
            "\"\n\"",
        ] {
            parses_back(value);
        }
    }

    #[test]
    fn datetimes_are_utc_rfc3339() {
        assert_eq!(
            datetime(datetime!(2026-01-01 08:00:00 +08:00)),
            "2026-01-01T00:00:00Z"
        );
        assert_eq!(
            datetime(datetime!(2026-01-01 00:00:00.1234 UTC)),
            "2026-01-01T00:00:00.123Z"
        );
        let parsed: toml::value::Datetime = "2026-01-01T00:00:00.5Z".parse().unwrap();
        assert_eq!(
            instant(&parsed).unwrap(),
            datetime!(2026-01-01 00:00:00.5 UTC)
        );
        let local: toml::value::Datetime = "2026-01-01T00:00:00".parse().unwrap();
        assert!(instant(&local).is_err());
    }

    #[test]
    fn instants_read_are_instants_written() {
        // A store file or export with finer digits, or an offset that takes the instant out of the years
        // RFC 3339 can write in UTC, was read as something that could not be written back (and the
        // second panicked).
        let fine: toml::value::Datetime = "2026-01-01T00:00:00.0005+08:00".parse().unwrap();
        let at = instant(&fine).unwrap();
        assert_eq!(datetime(at), "2025-12-31T16:00:00Z");
        assert_eq!(instant(&datetime(at).parse().unwrap()), Ok(at));
        for edge in ["9999-12-31T23:59:59-01:00", "0000-01-01T00:00:00.5+00:01"] {
            let err = instant(&edge.parse().unwrap()).unwrap_err();
            assert!(err.contains("outside the years 0000 to 9999"), "{err}");
        }
        let last: toml::value::Datetime = "9999-12-31T23:59:59.999Z".parse().unwrap();
        assert_eq!(
            datetime(instant(&last).unwrap()),
            "9999-12-31T23:59:59.999Z"
        );
    }
}
