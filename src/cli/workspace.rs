//! The workspace a command works in: the config found by the lookup order, and the content, annotation and
//! index directories resolved from flags and config. This is the one place that reads the environment.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::output::warn;
use super::{Cli, Failure};
use crate::config::{self, Config};
use crate::content::shown;
use crate::index::{
    ArticleIndex, Behind, Opened, RefreshError, Refreshed, SyncOptions, WRITER_PATIENCE,
};

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
    /// The personal reading state file (`reading.toml`).
    pub reading_file: PathBuf,
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
        let reading_file = match &config.paths.state {
            Some(dir) => config::resolve(&base, dir).join(crate::reading::FILE),
            None => default_reading_file(&content_dir)?,
        };
        Ok(Workspace {
            config,
            config_source,
            content_dir,
            annotations_dir,
            index_dir,
            reading_file,
        })
    }

    /// The workspace's top dir: where its config file is, else the current dir.
    pub fn root(&self) -> PathBuf {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        match &self.config_source {
            ConfigSource::File(path) if Some(path) != user_config_file().as_ref() => {
                path.parent().map_or(cwd.clone(), |p| cwd.join(p))
            }
            _ => cwd,
        }
    }

    /// The config file in use, which commands that change the config edit: the one found by the lookup
    /// order, else (on the built-in defaults) the personal one in the user config dir, else
    /// `./config.toml`.
    pub fn config_file(&self) -> PathBuf {
        match &self.config_source {
            ConfigSource::File(path) => path.clone(),
            ConfigSource::BuiltIn => {
                user_config_file().unwrap_or_else(|| PathBuf::from("config.toml"))
            }
        }
    }

    /// Who is making annotations: `[user]` of the personal config (even when the workspace has its own
    /// config file, which is shared), else git's `user.name` and `user.email`.
    pub fn user(&self) -> Option<crate::annotation::Person> {
        use crate::annotation::Person;
        let personal = user_config_file().filter(|p| p.is_file()).and_then(|path| {
            Config::load(&path)
                .map_err(|e| super::output::warn(&format!("{e} (its [user] is not used)")))
                .ok()
        });
        if let Some(user) = personal.map(|c| c.user)
            && let Some(person) =
                Person::new(user.name.as_deref().unwrap_or(""), user.email.as_deref())
        {
            return Some(person);
        }
        let git = crate::team::Git::new(self.root());
        let name = git.config("user.name").ok().flatten()?;
        let email = git.config("user.email").ok().flatten();
        Person::new(&name, email.as_deref())
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

    /// Opens the index brought up to date with the files (built first when it is missing or could not be
    /// used). When it cannot be written, it is used as it is, with one line saying it may be behind.
    pub fn open_index(&self) -> Result<ArticleIndex, Failure> {
        let (index, _) = self.open_index_unsynced()?;
        if let Some(why) = self.refresh_index(&index, WRITER_PATIENCE / 5)? {
            warn(&format!(
                "the index may be behind the files ({why}): answering from it as last committed, read-only"
            ));
        }
        Ok(index)
    }

    /// Brings `index` up to date with the content and annotation files (a `stat` of each; nothing is
    /// read or written when nothing changed), waiting up to `patience` for another process's writer.
    /// Warnings about files are printed when files were read. Returns why the index may be behind, if
    /// it may.
    pub fn refresh_index(
        &self,
        index: &ArticleIndex,
        patience: Duration,
    ) -> Result<Option<Behind>, Failure> {
        let bar = super::output::progress_bar("indexing");
        let progress = |done: usize, total: usize| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        };
        let refreshed = index
            .refresh(
                &self.content_dir,
                &self.sync_options(false),
                patience,
                &progress,
            )
            .map_err(|e| match e {
                RefreshError::Content(e) => super::output::content_failure(e),
                RefreshError::Index(e) => super::output::index_failure(e),
            })?;
        bar.finish_and_clear();
        Ok(match refreshed {
            Refreshed::Current(report) => {
                if report.committed {
                    report.warnings.iter().for_each(|w| warn(&w.to_string()));
                }
                None
            }
            Refreshed::Behind { why, .. } => Some(why),
        })
    }

    /// After a command changed articles or annotations: the change into the index before the command
    /// returns, or, when another process holds the writer for more than a second, one line saying who
    /// will apply it. Never fails the command, whose change is already safe in its files.
    pub fn index_change(&self) {
        let result = self
            .open_index_unsynced()
            .and_then(|(index, _)| self.refresh_index(&index, WRITER_PATIENCE));
        match result {
            Ok(None) => {}
            Ok(Some(why)) => warn(&format!(
                "the change is saved, but the index could not take it yet ({why}); a running reader \
                 applies it at once, and the next search or list does too"
            )),
            Err(failure) => warn(&format!(
                "the change is saved, but the index was not updated ({}); the next search or list will",
                failure.message()
            )),
        }
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
    Ok(strategy
        .cache_dir()
        .join("newsgloss")
        .join(content_key(content_dir)))
}

/// `<state dir>/newsgloss/<content dir name>-<hash of its full path>/reading.toml` (the cache dir when
/// the platform has no state dir).
fn default_reading_file(content_dir: &Path) -> Result<PathBuf, Failure> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().map_err(|e| {
        Failure::Failed(format!(
            "cannot find the user state dir ({e}); set paths.state in the config"
        ))
    })?;
    let dir = strategy.state_dir().unwrap_or_else(|| strategy.cache_dir());
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
