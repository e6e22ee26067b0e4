//! The workspace as the command line resolves it: the flags and the environment gathered into a
//! [`Lookup`], the config's warnings printed; and the index opened for a command, with its progress bar
//! and warnings on stderr. What a workspace is lives in [`crate::workspace`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::output::warn;
use super::{Cli, Failure};
use crate::config::Config;
use crate::content::shown;
use crate::index::{ArticleIndex, Behind, Opened, RefreshError, Refreshed, Steps, WRITER_PATIENCE};
pub use crate::workspace::Workspace;
use crate::workspace::{ConfigSource, Lookup, WorkspaceError};

impl Workspace {
    /// Finds the config and resolves every directory from the flags and the environment; warns about
    /// the config file's unknown keys and the like.
    pub fn resolve(cli: &Cli) -> Result<Workspace, Failure> {
        let cwd = std::env::current_dir()
            .map_err(|e| Failure::Failed(format!("cannot read the current directory: {e}")))?;
        let lookup = Lookup {
            config: cli.config.clone(),
            content: cli.content.clone(),
            annotations: cli.annotations.clone(),
            index: cli.index.clone(),
            config_env: std::env::var_os("NEWSGLOSS_CONFIG")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            cwd,
            user_config: user_config_file(),
            cache_dir: cache_dir(),
            state_dir: state_dir(),
        };
        let workspace = Workspace::locate(&lookup).map_err(|e| match e {
            WorkspaceError::BadInput(m) => Failure::BadInput(m),
            WorkspaceError::Failed(m) => Failure::Failed(m),
        })?;
        if let ConfigSource::File(path) = &workspace.config_source {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            for warning in super::config_warnings::config_warnings(&text, path, &workspace.config) {
                warn(&warning);
            }
        }
        Ok(workspace)
    }

    /// Who is making annotations: `[user]` of the personal config (even when the workspace has its own
    /// config file, which is shared), else git's `user.name` and `user.email`.
    pub fn user(&self) -> Option<crate::annotation::Person> {
        self.personal_user().or_else(|| git_user(&self.root()))
    }

    /// `[user]` of the personal config, if it names one (a config that cannot be read is said).
    pub fn personal_user(&self) -> Option<crate::annotation::Person> {
        use crate::annotation::Person;
        let personal = self
            .user_config
            .clone()
            .filter(|p| p.is_file())
            .and_then(|path| {
                Config::load(&path)
                    .map_err(|e| warn(&format!("{e} (its [user] is not used)")))
                    .ok()
            });
        if let Some(user) = personal.map(|c| c.user)
            && let Some(person) =
                Person::new(user.name.as_deref().unwrap_or(""), user.email.as_deref())
        {
            return Some(person);
        }
        None
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
        let (index, opened) = ArticleIndex::open_with_steps(&self.index_dir, &creation_steps())
            .map_err(super::output::index_failure)?;
        let needs_build = match &opened {
            Opened::Existing => index.is_empty(),
            Opened::Created => true,
            Opened::Replaced { reason, moved_to } => {
                warn(&format!(
                    "the index could not be used ({reason}); moved it to {} and rebuilding",
                    shown(moved_to)
                ));
                true
            }
        };
        Ok((index, needs_build))
    }
}

/// What making a new index tells of its steps: nothing, except in debug builds (release builds do not
/// have it) with `NEWSGLOSS_TEST_KILL_AT=n` set, where the process kills itself with SIGKILL once the n-th
/// step is done, naming it on stderr, so that a test can check what a run after a kill at every step finds.
fn creation_steps() -> Steps {
    #[cfg(debug_assertions)]
    if let Some(at) = std::env::var("NEWSGLOSS_TEST_KILL_AT")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        let done = std::sync::atomic::AtomicUsize::new(0);
        return Arc::new(move |step: &str| {
            if done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == at {
                eprintln!("newsgloss: killed after step {at} of making the index: {step}");
                #[cfg(unix)]
                // SAFETY: sends this process a signal; nothing of it runs after.
                unsafe {
                    libc::kill(libc::getpid(), libc::SIGKILL);
                }
                std::process::abort();
            }
        });
    }
    Arc::new(|_: &str| {})
}

fn user_config_file() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().ok()?;
    Some(strategy.config_dir().join("newsgloss").join("config.toml"))
}

fn state_dir() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy().ok()?.state_dir()
}

fn cache_dir() -> Result<PathBuf, String> {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .map(|s| s.cache_dir())
        .map_err(|e| e.to_string())
}

/// git's `user.name` and `user.email` for the repository at `root` (or the user's own).
pub fn git_user(root: &Path) -> Option<crate::annotation::Person> {
    let git = crate::team::Git::new(root);
    let name = git.config("user.name").ok().flatten()?;
    let email = git.config("user.email").ok().flatten();
    crate::annotation::Person::new(&name, email.as_deref())
}
