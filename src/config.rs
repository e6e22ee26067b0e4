//! Configuration: `config.toml` (paths, size cap, index and search settings, the tag vocabulary, the
//! reader's keys and theme). The shipped file is embedded as the defaults; a user's file is merged over it.
//!
//! Finding the file (flags, environment, XDG dirs) is the caller's business: this module only parses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::article::Location;
use crate::article::clean::clean_line;
use crate::content::shown;

/// The shipped `config.toml`, which is also the full set of defaults.
pub const DEFAULT_CONFIG: &str = include_str!("../config.toml");

/// Everything newsgloss can be configured with.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub paths: Paths,
    pub content: ContentSettings,
    pub index: IndexSettings,
    pub search: SearchSettings,
    #[serde(default)]
    pub tags: Vec<TagDef>,
    #[serde(default)]
    pub reader: ReaderSettings,
    /// Colours by role (`title = "yellow"`), read by the reader.
    #[serde(default)]
    pub theme: BTreeMap<String, String>,
    /// Key bindings per mode (`[keys.reader]` `"g g" = "top"`), read by the reader.
    #[serde(default)]
    pub keys: BTreeMap<String, BTreeMap<String, String>>,
    /// The feeds `newsgloss fetch` updates.
    #[serde(default)]
    pub feeds: Vec<FeedDef>,
    /// How feeds and pages are fetched.
    #[serde(default)]
    pub ingest: IngestSettings,
    /// Who you are, recorded as the creator of your annotations; read from the personal config only.
    #[serde(default)]
    pub user: UserSettings,
}

/// `[user]`: the name (and optionally the email) recorded on the annotations one makes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UserSettings {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// One feed to follow: `[[feeds]]` with a name, a URL, and optionally a language and tags for its articles.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedDef {
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Fetching over HTTP: timeouts, retries, a size cap, redirects.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestSettings {
    /// The longest one request may take, in milliseconds (connecting, waiting and reading the body).
    pub timeout_ms: u64,
    /// How many times a request that failed for a passing reason (timeout, 5xx, 429) is tried again.
    pub retries: u32,
    /// The wait before the first retry, in milliseconds; it doubles with each retry.
    pub backoff_ms: u64,
    /// The largest response body read, in bytes.
    pub max_bytes: u64,
    /// How many redirects are followed.
    pub max_redirects: u32,
    /// The largest feed read, in bytes: a feed file given to `add`, or a feed fetched from a URL given to
    /// `add` or from `[[feeds]]` (pages and anything else stay under `max_bytes`).
    pub max_feed_bytes: u64,
    /// How many entry pages are fetched at once, overall.
    pub concurrent_pages: usize,
    /// How many entry pages are fetched at once from one host.
    pub concurrent_pages_per_host: usize,
}

impl Default for IngestSettings {
    fn default() -> Self {
        IngestSettings {
            timeout_ms: 30_000,
            retries: 2,
            backoff_ms: 1_000,
            max_bytes: 10 * 1024 * 1024,
            max_redirects: 5,
            max_feed_bytes: 256 * 1024 * 1024,
            concurrent_pages: 8,
            concurrent_pages_per_host: 2,
        }
    }
}

/// Where things live. Relative paths are resolved against [`Config::base_dir`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paths {
    pub content: PathBuf,
    pub annotations: PathBuf,
    pub index: Option<PathBuf>,
    /// The dir of the personal reading state (`reading.toml`); by default one per content dir in the
    /// user state dir.
    #[serde(default)]
    pub state: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentSettings {
    /// Files larger than this are skipped with a warning.
    pub max_file_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexSettings {
    /// Memory for the index writer, in MiB.
    pub writer_memory_mib: usize,
    /// Indexing threads; 0 picks one per core, at most 4.
    pub threads: usize,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchSettings {
    /// Hits shown unless the command says otherwise.
    pub limit: usize,
    /// The longest snippet, in characters.
    pub snippet_chars: usize,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReaderSettings {
    /// The widest a line of article text is drawn, in columns; the text is centred in wider windows.
    pub max_width: u16,
    /// How `O` opens an article's page: a command (`{url}` is replaced by the URL, or the URL is added
    /// as its last argument); empty turns it off; unset uses `$BROWSER`, else the system's opener.
    pub browser: Option<String>,
    /// Whether `y` copies to the clipboard through the terminal (an OSC 52 sequence).
    pub osc52: bool,
}

impl Default for ReaderSettings {
    fn default() -> Self {
        ReaderSettings {
            max_width: 80,
            browser: None,
            osc52: true,
        }
    }
}

/// One tag of the vocabulary: a kind of key claim.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagDef {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// A colour name or `#rrggbb`, turned into a terminal colour by the reader.
    #[serde(default)]
    pub color: Option<String>,
}

/// A config file that cannot be used; displays as `path:line:col: problem`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}:{location}: {message}", shown(path))]
pub struct ConfigError {
    pub path: PathBuf,
    pub location: Location,
    pub message: String,
}

impl Config {
    /// The built-in defaults (the shipped `config.toml`).
    pub fn embedded() -> Config {
        let table: toml::Table =
            toml::from_str(DEFAULT_CONFIG).expect("the shipped config.toml parses");
        Config::deserialize(toml::Value::Table(table)).expect("the shipped config.toml is complete")
    }

    /// Parses the text of the config file at `path`, merged over the defaults.
    ///
    /// Messages name what a value must be in words (`expected a whole number from 0 to 65535`), never
    /// a Rust type.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let error = |e: toml::de::Error| ConfigError {
            path: path.to_owned(),
            location: Location::of_offset(text, e.span().map_or(0, |s| s.start)),
            message: plain_types(&clean_line(e.message())),
        };
        // First pass on the user's text alone, so that any mistake is reported at its place in the file.
        let table = toml::de::DeTable::parse(text).map_err(error)?;
        PartialConfig::deserialize(toml::Deserializer::from(table)).map_err(error)?;
        let user: toml::Table = toml::from_str(text).map_err(error)?;
        let mut merged: toml::Table =
            toml::from_str(DEFAULT_CONFIG).expect("the shipped config.toml parses");
        merge(&mut merged, user);
        let config = Config::deserialize(toml::Value::Table(merged)).map_err(|e| ConfigError {
            path: path.to_owned(),
            location: Location::START,
            message: plain_types(&clean_line(e.message())),
        })?;
        config.validate(text, path)?;
        Ok(config.made_inert())
    }

    /// Reads and parses the config file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_owned(),
            location: Location::START,
            message: format!("cannot read the config file: {e}"),
        })?;
        Config::parse(&text, path)
    }

    /// The config with the free text that reaches the screen (tag descriptions, feed names) cleaned like
    /// article text: a config file can come from anywhere too.
    fn made_inert(mut self) -> Config {
        for tag in &mut self.tags {
            tag.description = clean_line(&tag.description);
        }
        for feed in &mut self.feeds {
            feed.name = clean_line(&feed.name);
        }
        self
    }

    /// The tag definition named `name`.
    pub fn tag(&self, name: &str) -> Option<&TagDef> {
        self.tags.iter().find(|t| t.name == name)
    }

    /// Every number with the range it must be in: `(table, key, value, min, max)`.
    fn numbers(&self) -> [(&'static str, &'static str, u64, u64, u64); 14] {
        let n = |v: usize| v as u64;
        [
            (
                "content",
                "max_file_bytes",
                self.content.max_file_bytes,
                1,
                1 << 30,
            ),
            (
                "index",
                "writer_memory_mib",
                n(self.index.writer_memory_mib),
                15,
                4000,
            ),
            ("index", "threads", n(self.index.threads), 0, 64),
            ("search", "limit", n(self.search.limit), 1, 100_000),
            (
                "search",
                "snippet_chars",
                n(self.search.snippet_chars),
                1,
                100_000,
            ),
            (
                "reader",
                "max_width",
                u64::from(self.reader.max_width),
                20,
                10_000,
            ),
            ("ingest", "timeout_ms", self.ingest.timeout_ms, 1, 3_600_000),
            ("ingest", "retries", u64::from(self.ingest.retries), 0, 10),
            ("ingest", "backoff_ms", self.ingest.backoff_ms, 0, 600_000),
            ("ingest", "max_bytes", self.ingest.max_bytes, 1, 1 << 30),
            (
                "ingest",
                "max_feed_bytes",
                self.ingest.max_feed_bytes,
                1,
                4 << 30,
            ),
            (
                "ingest",
                "concurrent_pages",
                n(self.ingest.concurrent_pages),
                1,
                64,
            ),
            (
                "ingest",
                "concurrent_pages_per_host",
                n(self.ingest.concurrent_pages_per_host),
                1,
                64,
            ),
            (
                "ingest",
                "max_redirects",
                u64::from(self.ingest.max_redirects),
                0,
                20,
            ),
        ]
    }

    fn validate(&self, text: &str, path: &Path) -> Result<(), ConfigError> {
        let fail = |location: Location, message: String| ConfigError {
            path: path.to_owned(),
            location,
            message,
        };
        for (table, key, value, min, max) in self.numbers() {
            if !(min..=max).contains(&value) {
                let message = format!("`{table}.{key}` is {value}, but must be {min} to {max}");
                return Err(fail(locate_key(text, table, key), message));
            }
        }
        for tag in &self.tags {
            if !is_tag_name(&tag.name) {
                let at = text
                    .find(&format!("\"{}\"", tag.name))
                    .map_or(Location::START, |offset| Location::of_offset(text, offset));
                return Err(fail(
                    at,
                    format!(
                        "tag name {} must be lower-case kebab-case (a-z, 0-9, -)",
                        crate::article::clean::quoted(&tag.name)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Where `key` of `[table]` is set in the user's `text` (its value), or the start when it is not there.
fn locate_key(text: &str, table: &str, key: &str) -> Location {
    let Ok(parsed) = toml::de::DeTable::parse(text) else {
        return Location::START;
    };
    let span = parsed
        .get_ref()
        .get(table)
        .and_then(|t| t.get_ref().as_table())
        .and_then(|t| t.get(key))
        .map(|value| value.span());
    span.map_or(Location::START, |s| Location::of_offset(text, s.start))
}

/// Whether `name` is a well-formed tag name: lower-case words of letters and digits joined by `-`.
pub fn is_tag_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|word| {
            !word.is_empty() && word.chars().all(|c| c.is_lowercase() || c.is_numeric())
        })
}

/// Tables merge key by key; any other value (arrays included) replaces the default.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(base_table)), toml::Value::Table(over_table)) => {
                merge(base_table, over_table);
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// The shape of a user's file: every key optional, unknown keys refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PartialConfig {
    paths: Option<PartialPaths>,
    content: Option<PartialContent>,
    index: Option<PartialIndex>,
    search: Option<PartialSearch>,
    tags: Option<Vec<TagDef>>,
    reader: Option<ReaderSettings>,
    theme: Option<BTreeMap<String, String>>,
    keys: Option<BTreeMap<String, BTreeMap<String, String>>>,
    feeds: Option<Vec<FeedDef>>,
    ingest: Option<IngestSettings>,
    user: Option<UserSettings>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PartialPaths {
    content: Option<PathBuf>,
    annotations: Option<PathBuf>,
    index: Option<PathBuf>,
    state: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PartialContent {
    max_file_bytes: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PartialIndex {
    writer_memory_mib: Option<usize>,
    threads: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct PartialSearch {
    limit: Option<usize>,
    snippet_chars: Option<usize>,
}

/// Resolves a configured path against the directory the config came from.
pub fn resolve(base_dir: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_owned()
    } else {
        base_dir.join(path)
    }
}

/// A deserialiser's message with Rust type names (`expected u16`) said in words.
fn plain_types(message: &str) -> String {
    const TYPES: &[(&str, &str)] = &[
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number from 0 to 65535"),
        (
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        ),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected i64", "expected a whole number"),
        ("expected f32", "expected a number"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
        ("expected a string", "expected a quoted string"),
    ];
    let mut out = message.to_owned();
    for (rust, words) in TYPES {
        out = out.replace(rust, words);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_config_parses_and_holds_the_seed_tags() {
        let config = Config::embedded();
        assert_eq!(
            config,
            Config::parse(DEFAULT_CONFIG, Path::new("config.toml")).unwrap()
        );
        for name in [
            "spin-off",
            "chip-restrictions",
            "copilot-losses",
            "profit-jump",
            "outage",
        ] {
            let tag = config.tag(name).unwrap_or_else(|| panic!("{name} missing"));
            assert!(!tag.description.is_empty());
            assert!(tag.color.is_some());
        }
        assert_eq!(config.paths.content, PathBuf::from("content"));
        assert_eq!(config.content.max_file_bytes, 8 * 1024 * 1024);
    }

    #[test]
    fn value_types_are_said_in_words() {
        let err = Config::parse("[reader]\nmax_width = \"wide\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("a whole number from 0 to 65535"), "{err}");
        assert!(!err.contains("u16"), "{err}");
    }

    #[test]
    fn a_user_file_merges_over_the_defaults() {
        let config = Config::parse("[search]\nlimit = 5\n", Path::new("c.toml")).unwrap();
        assert_eq!(config.search.limit, 5);
        assert_eq!(
            config.search.snippet_chars,
            Config::embedded().search.snippet_chars
        );
        assert_eq!(config.tags, Config::embedded().tags);
        let own = Config::parse("[[tags]]\nname = \"mine\"\n", Path::new("c.toml")).unwrap();
        assert_eq!(own.tags.len(), 1);
    }

    #[test]
    fn mistakes_name_file_line_and_column() {
        let err = |text: &str| {
            Config::parse(text, Path::new("c.toml"))
                .unwrap_err()
                .to_string()
        };
        let syntax = err("[search]\nlimit = \n");
        assert!(syntax.starts_with("c.toml:2:"), "{syntax}");
        let wrong_type = err("[search]\nlimit = \"ten\"\n");
        assert!(wrong_type.starts_with("c.toml:2:9:"), "{wrong_type}");
        let unknown = err("[serch]\nlimit = 3\n");
        assert!(unknown.starts_with("c.toml:1:"), "{unknown}");
        assert!(unknown.contains("serch"), "{unknown}");
        let zero = err("[search]\nlimit = 0\n");
        assert!(zero.starts_with("c.toml:2:9:"), "{zero}");
        let tag = err("[[tags]]\nname = \"Bad Tag\"\n");
        assert!(tag.contains("kebab-case"), "{tag}");
    }

    #[test]
    fn tag_names() {
        assert!(is_tag_name("chip-restrictions"));
        assert!(is_tag_name("q2-2023"));
        assert!(!is_tag_name("Chip"));
        assert!(!is_tag_name("a--b"));
        assert!(!is_tag_name("-a"));
        assert!(!is_tag_name(""));
    }
}
