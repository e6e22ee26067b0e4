//! Logging: `tracing` events go to a file, never to the screen. `--log FILE` logs a command (or the reader)
//! to FILE; the reader logs to `$XDG_STATE_HOME/newsgloss/newsgloss.log` by default. `NEWSGLOSS_LOG` sets the
//! level or an env-filter (`debug`, `newsgloss::index=debug,info`); the default is `info`.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

use super::Failure;
use crate::content::shown;

/// The environment variable that sets the log level or filter.
pub const LEVEL_VAR: &str = "NEWSGLOSS_LOG";

/// Where the reader logs when no `--log` is given: the user's state dir.
pub fn default_reader_log() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().ok()?;
    let state = strategy.state_dir().unwrap_or_else(|| strategy.cache_dir());
    Some(state.join("newsgloss").join("newsgloss.log"))
}

/// Starts logging to `path` (appending), at the level `NEWSGLOSS_LOG` names or `info`. A log that cannot
/// be opened is an error only when the user named it; the default one is given up quietly.
pub fn start(path: &Path, named: bool) -> Result<(), Failure> {
    let file = match open(path) {
        Ok(file) => file,
        Err(e) if named => {
            return Err(Failure::BadInput(format!(
                "cannot open the log file {}: {e}",
                shown(path)
            )));
        }
        Err(_) => return Ok(()),
    };
    let filter = filter(std::env::var(LEVEL_VAR).ok().as_deref())?;
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_target(true)
        .with_thread_names(true)
        .with_writer(Mutex::new(file))
        .finish();
    // A second start in one process (tests) keeps the first subscriber.
    let _ = tracing::subscriber::set_global_default(subscriber);
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "newsgloss started");
    Ok(())
}

fn open(path: &Path) -> std::io::Result<File> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    OpenOptions::new().create(true).append(true).open(path)
}

/// The filter for `NEWSGLOSS_LOG`'s value: a level, or an env-filter directive list.
fn filter(value: Option<&str>) -> Result<EnvFilter, Failure> {
    let value = value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or("info");
    EnvFilter::try_new(value).map_err(|e| {
        Failure::BadInput(format!(
            "{LEVEL_VAR}={}: not a log level or filter ({e}); use error, warn, info, debug or trace",
            crate::article::clean::clean_line(value)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::filter;

    #[test]
    fn levels_and_directives_are_filters_and_nonsense_is_an_error() {
        assert!(filter(None).is_ok());
        assert!(filter(Some("debug")).is_ok());
        assert!(filter(Some("newsgloss::index=debug,info")).is_ok());
        assert!(filter(Some("not a [level")).is_err());
    }
}
