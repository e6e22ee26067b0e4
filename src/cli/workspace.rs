//! The workspace a command works in: the config found by the lookup order, and the content, annotation and
//! index directories resolved from flags and config. This is the one place that reads the environment.

use std::path::{Path, PathBuf};

use super::{Cli, Failure};
use crate::config::{self, Config};
use crate::content::shown;
use crate::index::{ArticleIndex, Opened, SyncOptions};

/// Where the config came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    File(PathBuf),
    BuiltIn,
}

/// A resolved workspace.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub config: Config,
    pub config_source: ConfigSource,
    pub content_dir: PathBuf,
    pub annotations_dir: PathBuf,
    pub index_dir: PathBuf,
}

impl Workspace {
    /// Finds the config and resolves every directory.
    pub fn resolve(cli: &Cli) -> Result<Workspace, Failure> {
        let (config, config_source) = find_config(cli.config.as_deref())?;
        let cwd = std::env::current_dir()
            .map_err(|e| Failure::Failed(format!("cannot read the current directory: {e}")))?;
        let base = match &config_source {
            ConfigSource::File(path) => path.parent().map_or(cwd.clone(), |p| cwd.join(p)),
            ConfigSource::BuiltIn => cwd.clone(),
        };
        let pick = |flag: &Option<PathBuf>, configured: &Path| match flag {
            Some(flag) => config::resolve(&cwd, flag),
            None => config::resolve(&base, configured),
        };
        let content_dir = pick(&cli.content, &config.paths.content);
        let annotations_dir = pick(&cli.annotations, &config.paths.annotations);
        let index_dir = match (&cli.index, &config.paths.index) {
            (Some(flag), _) => config::resolve(&cwd, flag),
            (None, Some(configured)) => config::resolve(&base, configured),
            (None, None) => default_index_dir(&content_dir)?,
        };
        Ok(Workspace {
            config,
            config_source,
            content_dir,
            annotations_dir,
            index_dir,
        })
    }

    /// Options for syncing the index, from the config.
    pub fn sync_options(&self, rebuild: bool) -> SyncOptions {
        SyncOptions {
            rebuild,
            max_file_bytes: self.config.content.max_file_bytes,
            writer_memory_mib: self.config.index.writer_memory_mib,
            threads: self.config.index.threads,
            annotations_dir: Some(self.annotations_dir.clone()),
        }
    }

    /// Opens the index as it stands, building it first when it is missing or could not be used.
    pub fn open_index(&self) -> Result<ArticleIndex, Failure> {
        let (index, needs_build) = self.open_index_unsynced()?;
        if index.writer_busy() {
            super::output::warn(
                "another newsgloss is updating the index: reading it read-only, as last committed",
            );
        } else if needs_build {
            super::index_cmd::sync(self, &index, false)?;
        }
        Ok(index)
    }

    /// Opens the index, saying once when an old one had to be moved aside; also whether it needs a build.
    pub fn open_index_unsynced(&self) -> Result<(ArticleIndex, bool), Failure> {
        let (index, opened) =
            ArticleIndex::open(&self.index_dir).map_err(super::output::index_failure)?;
        let needs_build = match &opened {
            Opened::Existing => index.is_empty(),
            Opened::Created => true,
            Opened::Replaced { reason, moved_to } => {
                super::output::warn(&format!(
                    "the index could not be used ({reason}); moved it to {} and rebuilding",
                    shown(moved_to)
                ));
                true
            }
        };
        Ok((index, needs_build))
    }
}

/// `--config`, `$NEWSGLOSS_CONFIG`, `./config.toml`, the XDG config dir, then the built-in defaults.
fn find_config(flag: Option<&Path>) -> Result<(Config, ConfigSource), Failure> {
    let from_env = std::env::var_os("NEWSGLOSS_CONFIG").filter(|v| !v.is_empty());
    let named = flag.map(Path::to_owned).or(from_env.map(PathBuf::from));
    let path = match named {
        Some(path) if !path.is_file() => {
            return Err(Failure::BadInput(format!(
                "config file {} does not exist",
                shown(&path)
            )));
        }
        Some(path) => Some(path),
        None => [Some(PathBuf::from("config.toml")), user_config_file()]
            .into_iter()
            .flatten()
            .find(|p| p.is_file()),
    };
    match path {
        Some(path) => {
            let config = Config::load(&path).map_err(|e| Failure::BadInput(e.to_string()))?;
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for warning in super::config_warnings::config_warnings(&text, &path, &config) {
                super::output::warn(&warning);
            }
            Ok((config, ConfigSource::File(path)))
        }
        None => Ok((Config::embedded(), ConfigSource::BuiltIn)),
    }
}

fn user_config_file() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().ok()?;
    Some(strategy.config_dir().join("newsgloss").join("config.toml"))
}

/// `<cache dir>/newsgloss/<content dir name>-<hash of its full path>`.
fn default_index_dir(content_dir: &Path) -> Result<PathBuf, Failure> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().map_err(|e| {
        Failure::Failed(format!(
            "cannot find the user cache dir ({e}); set --index or paths.index"
        ))
    })?;
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
    Ok(strategy
        .cache_dir()
        .join("newsgloss")
        .join(format!("{name}-{}", &hash[..16])))
}
