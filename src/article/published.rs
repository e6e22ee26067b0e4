//! When an article was published: a TOML date or date-time from the front matter.

use std::fmt;

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A publication date, or a date and time. Local date-times (no offset) are taken as UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Published {
    /// The instant, in UTC (midnight for a date alone).
    pub at: OffsetDateTime,
    /// Whether only a date was given.
    pub date_only: bool,
}

impl Published {
    /// A date alone.
    pub fn date(date: Date) -> Published {
        Published {
            at: PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc(),
            date_only: true,
        }
    }

    /// From a TOML datetime value; a time without a date is refused.
    pub fn from_toml(value: &toml::value::Datetime) -> Result<Published, String> {
        let Some(d) = value.date else {
            return Err("`published` must be a date or a date-time, not a time alone".into());
        };
        let month = Month::try_from(d.month).map_err(|e| e.to_string())?;
        let date = Date::from_calendar_date(i32::from(d.year), month, d.day)
            .map_err(|e| format!("`published`: {e}"))?;
        let Some(t) = value.time else {
            return Ok(Published::date(date));
        };
        let time = Time::from_hms_nano(
            t.hour,
            t.minute,
            t.second.unwrap_or(0),
            t.nanosecond.unwrap_or(0),
        )
        .map_err(|e| format!("`published`: {e}"))?;
        let offset = match value.offset {
            None | Some(toml::value::Offset::Z) => UtcOffset::UTC,
            Some(toml::value::Offset::Custom { minutes }) => {
                UtcOffset::from_whole_seconds(i32::from(minutes) * 60)
                    .map_err(|e| format!("`published`: {e}"))?
            }
        };
        let at = in_utc(PrimitiveDateTime::new(date, time).assume_offset(offset))?;
        Ok(Published {
            at,
            date_only: false,
        })
    }

    /// Parses `YYYY-MM-DD` or an RFC 3339 date-time (what a string `published` may hold).
    pub fn parse(text: &str) -> Result<Published, String> {
        let text = text.trim();
        if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
            return Ok(Published {
                at: in_utc(at)?,
                date_only: false,
            });
        }
        let format = time::macros::format_description!("[year]-[month]-[day]");
        Date::parse(text, &format)
            .map(Published::date)
            .map_err(|_| {
                format!(
                    "`published` = {text:?} is not a date (YYYY-MM-DD) or an RFC 3339 date-time"
                )
            })
    }

    /// The date as `YYYY-MM-DD`.
    pub fn date_string(&self) -> String {
        let d = self.at.date();
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }

    /// Seconds since the Unix epoch.
    pub fn timestamp(&self) -> i64 {
        self.at.unix_timestamp()
    }
}

/// `at` in UTC, if it falls in the years RFC 3339 can write there (0000 to 9999): an offset can take a
/// date-time at either end outside them, which converting would panic on and displaying fail on.
fn in_utc(at: OffsetDateTime) -> Result<OffsetDateTime, String> {
    at.checked_to_offset(UtcOffset::UTC)
        .filter(|at| (0..=9999).contains(&at.year()))
        .ok_or_else(|| "`published`: the date-time is outside the years 0000 to 9999 in UTC".into())
}

impl fmt::Display for Published {
    /// `YYYY-MM-DD` for a date, RFC 3339 for a date-time.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.date_only {
            f.write_str(&self.date_string())
        } else {
            let text = self.at.format(&Rfc3339).map_err(|_| fmt::Error)?;
            f.write_str(&text)
        }
    }
}

impl serde::Serialize for Published {
    /// As its [`Display`](fmt::Display) text.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml_datetime(text: &str) -> toml::value::Datetime {
        text.parse().unwrap()
    }

    #[test]
    fn dates_and_date_times() {
        let d = Published::from_toml(&toml_datetime("2023-11-16")).unwrap();
        assert!(d.date_only);
        assert_eq!(d.to_string(), "2023-11-16");
        let dt = Published::from_toml(&toml_datetime("2023-11-16T10:30:00+08:00")).unwrap();
        assert_eq!(dt.to_string(), "2023-11-16T02:30:00Z");
        let local = Published::from_toml(&toml_datetime("2023-11-16T10:30:00")).unwrap();
        assert_eq!(local.to_string(), "2023-11-16T10:30:00Z");
        assert!(Published::from_toml(&toml_datetime("10:30:00")).is_err());
    }

    #[test]
    fn strings_parse_too() {
        assert_eq!(
            Published::parse("2015-09-01").unwrap().to_string(),
            "2015-09-01"
        );
        assert!(Published::parse("2015-09-01T00:00:00Z").is_ok());
        assert!(Published::parse("yesterday").is_err());
    }
}
