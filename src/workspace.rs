//! The workspace a command works in: the config found by the lookup order, and the content, annotation
//! and index directories resolved from flags and config. It resolves and nothing else: the caller gathers
//! what the environment says into a [`Lookup`], and opens or builds the index itself.

use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::content::shown;
use crate::index::SyncOptions;

/// Where the config came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    File(PathBuf),
    BuiltIn,
}

/// What a workspace is resolved from: the flags, and what the environment says (read by the caller).
#[derive(Debug, Clone)]
pub struct Lookup {
    /// `--config`, `--content`, `--annotations`, `--index`.
    pub config: Option<PathBuf>,
    pub content: Option<PathBuf>,
    pub annotations: Option<PathBuf>,
    pub index: Option<PathBuf>,
    /// `$NEWSGLOSS_CONFIG`, when set and not empty.
    pub config_env: Option<PathBuf>,
    /// The current directory: relative flags are resolved from it.
    pub cwd: PathBuf,
    /// The personal config file (`<config dir>/newsgloss/config.toml`), where there is a config dir.
    pub user_config: Option<PathBuf>,
    /// The user cache dir (the default index lives under it), or why there is none.
    pub cache_dir: Result<PathBuf, String>,
    /// The user state dir (the default reading state lives under it), where the platform has one.
    pub state_dir: Option<PathBuf>,
}

impl Default for Lookup {
    /// No flags, nothing in the environment, the current dir `.`.
    fn default() -> Lookup {
        Lookup {
            config: None,
            content: None,
            annotations: None,
            index: None,
            config_env: None,
            cwd: PathBuf::from("."),
            user_config: None,
            cache_dir: Err("no cache dir was given".into()),
            state_dir: None,
        }
    }
}

/// Why a workspace could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkspaceError {
    /// The user's input is wrong: a config file that is missing or does not parse.
    #[error("{0}")]
    BadInput(String),
    /// Nothing the user gave is wrong, but there is nowhere to put the index.
    #[error("{0}")]
    Failed(String),
}

/// A resolved workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub config: Config,
    pub config_source: ConfigSource,
    pub content_dir: PathBuf,
    pub annotations_dir: PathBuf,
    pub index_dir: PathBuf,
    /// The personal reading state file (`reading.toml`).
    pub reading_file: PathBuf,
    /// The current directory and the personal config file it was resolved with.
    pub cwd: PathBuf,
    pub user_config: Option<PathBuf>,
}

impl Workspace {
    /// Finds the config (`--config`, `$NEWSGLOSS_CONFIG`, `./config.toml`, the personal config, then the
    /// built-in defaults) and resolves every directory: flags from the current dir, the config's paths
    /// from the config file's dir.
    pub fn locate(lookup: &Lookup) -> Result<Workspace, WorkspaceError> {
        let (config, config_source) = find_config(lookup)?;
        let cwd = &lookup.cwd;
        let base = match &config_source {
            ConfigSource::File(path) => path.parent().map_or(cwd.clone(), |p| cwd.join(p)),
            ConfigSource::BuiltIn => cwd.clone(),
        };
        let pick = |flag: &Option<PathBuf>, configured: &Path| match flag {
            Some(flag) => config::resolve(cwd, flag),
            None => config::resolve(&base, configured),
        };
        let content_dir = pick(&lookup.content, &config.paths.content);
        let annotations_dir = pick(&lookup.annotations, &config.paths.annotations);
        let index_dir = match (&lookup.index, &config.paths.index) {
            (Some(flag), _) => config::resolve(cwd, flag),
            (None, Some(configured)) => config::resolve(&base, configured),
            (None, None) => default_index_dir(&content_dir, &lookup.cache_dir)?,
        };
        let reading_file = match &config.paths.state {
            Some(dir) => config::resolve(&base, dir).join(crate::reading::FILE),
            None => default_reading_file(&content_dir, lookup)?,
        };
        Ok(Workspace {
            config,
            config_source,
            content_dir,
            annotations_dir,
            index_dir,
            reading_file,
            cwd: cwd.clone(),
            user_config: lookup.user_config.clone(),
        })
    }

    /// The workspace's top dir: where its config file is (unless that is the personal config), else the
    /// current dir.
    pub fn root(&self) -> PathBuf {
        let cwd = &self.cwd;
        match &self.config_source {
            ConfigSource::File(path) if Some(path) != self.user_config.as_ref() => {
                path.parent().map_or(cwd.clone(), |p| cwd.join(p))
            }
            _ => cwd.clone(),
        }
    }

    /// The config file in use, which commands that change the config edit: the one found by the lookup
    /// order, else (on the built-in defaults) the personal one, else `./config.toml`.
    pub fn config_file(&self) -> PathBuf {
        match &self.config_source {
            ConfigSource::File(path) => path.clone(),
            ConfigSource::BuiltIn => self
                .user_config
                .clone()
                .unwrap_or_else(|| self.cwd.join("config.toml")),
        }
    }

    /// Options for syncing the index, from the config.
    pub fn sync_options(&self, rebuild: bool) -> SyncOptions {
        SyncOptions {
            rebuild,
            max_file_bytes: self.config.content.max_file_bytes,
            writer_memory_mib: self.config.index.writer_memory_mib,
            threads: self.config.index.threads,
            annotations_dir: Some(self.annotations_dir.clone()),
            pass_known_bad: false,
        }
    }
}

/// The config file named by the flag or the environment, else the first of `./config.toml` and the
/// personal config that exists, else the built-in defaults.
fn find_config(lookup: &Lookup) -> Result<(Config, ConfigSource), WorkspaceError> {
    let named = lookup.config.clone().or(lookup.config_env.clone());
    let path = match named {
        Some(path) if !path.is_file() => {
            return Err(WorkspaceError::BadInput(format!(
                "config file {} does not exist",
                shown(&path)
            )));
        }
        Some(path) => Some(path),
        None => [
            Some(PathBuf::from("config.toml")),
            lookup.user_config.clone(),
        ]
        .into_iter()
        .flatten()
        .find(|p| p.is_file()),
    };
    match path {
        Some(path) => {
            let config =
                Config::load(&path).map_err(|e| WorkspaceError::BadInput(e.to_string()))?;
            Ok((config, ConfigSource::File(path)))
        }
        None => Ok((Config::embedded(), ConfigSource::BuiltIn)),
    }
}

/// `<cache dir>/newsgloss/<content dir name>-<hash of its full path>`.
fn default_index_dir(
    content_dir: &Path,
    cache_dir: &Result<PathBuf, String>,
) -> Result<PathBuf, WorkspaceError> {
    let cache_dir = cache_dir.as_ref().map_err(|e| {
        WorkspaceError::Failed(format!(
            "cannot find the user cache dir ({e}); set --index or paths.index"
        ))
    })?;
    Ok(cache_dir.join("newsgloss").join(content_key(content_dir)))
}

/// `<state dir>/newsgloss/<content dir name>-<hash of its full path>/reading.toml` (under the cache dir
/// when the platform has no state dir).
fn default_reading_file(content_dir: &Path, lookup: &Lookup) -> Result<PathBuf, WorkspaceError> {
    let dir = match (&lookup.state_dir, &lookup.cache_dir) {
        (Some(dir), _) | (None, Ok(dir)) => dir,
        (None, Err(e)) => {
            return Err(WorkspaceError::Failed(format!(
                "cannot find the user state dir ({e}); set paths.state in the config"
            )));
        }
    };
    Ok(crate::reading::state_file(
        &dir.join("newsgloss"),
        &content_key(content_dir),
    ))
}

/// The name that keeps one content dir's cache and state apart from another's: its dir name and a hash
/// of its full path.
fn content_key(content_dir: &Path) -> String {
    let full = std::fs::canonicalize(content_dir).unwrap_or_else(|_| content_dir.to_owned());
    let hash = blake3::hash(full.as_os_str().as_encoded_bytes()).to_hex();
    let name: String = full
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .take(32)
        .collect();
    format!("{name}-{}", &hash[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(cwd: &Path) -> Lookup {
        Lookup {
            cwd: cwd.to_owned(),
            cache_dir: Ok(cwd.join("cache")),
            ..Lookup::default()
        }
    }

    #[test]
    fn the_config_file_is_the_base_of_its_paths_and_flags_of_the_cwd() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("ws")).unwrap();
        let file = dir.path().join("ws/config.toml");
        std::fs::write(&file, "[paths]\ncontent = \"articles\"\n").unwrap();
        let mut lookup = lookup(dir.path());
        lookup.config_env = Some(file.clone());
        lookup.annotations = Some("notes".into());
        let ws = Workspace::locate(&lookup).unwrap();
        assert_eq!(ws.config_source, ConfigSource::File(file));
        assert_eq!(ws.content_dir, dir.path().join("ws/articles"));
        assert_eq!(ws.annotations_dir, dir.path().join("notes"));
        assert!(ws.index_dir.starts_with(dir.path().join("cache/newsgloss")));
        assert_eq!(ws.root(), dir.path().join("ws"));
    }

    #[test]
    fn a_missing_config_is_bad_input_and_no_cache_dir_a_failure() {
        let dir = tempfile::tempdir().unwrap();
        let mut missing = lookup(dir.path());
        missing.config = Some(dir.path().join("nope.toml"));
        let err = Workspace::locate(&missing).unwrap_err();
        assert!(matches!(err, WorkspaceError::BadInput(m) if m.contains("does not exist")));
        let empty = dir.path().join("empty.toml");
        std::fs::write(&empty, "").unwrap();
        let mut no_cache = lookup(dir.path());
        no_cache.config = Some(empty);
        no_cache.cache_dir = Err("no home".into());
        let err = Workspace::locate(&no_cache).unwrap_err();
        assert!(matches!(err, WorkspaceError::Failed(m) if m.contains("no home")));
    }
}
