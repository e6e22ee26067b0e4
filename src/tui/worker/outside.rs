//! The worker's side of the sources view, of an article's own tags and of the browser: reading the
//! feeds' articles, rewriting an article's `tags`, and starting the browser
//! detached from the terminal (no stdin, stdout or stderr; its own process group).

use std::process::{Command, Stdio};

use super::*;
use crate::article::link::browsable;
use crate::ingest::state::IngestState;
use crate::reading::FeedArticles;

/// What the sources view counts with, as the files hold it now.
pub fn load_sources(setup: &Setup, send: &dyn Fn(Msg)) {
    let ingest = IngestState::load_feeds(&setup.content_dir).unwrap_or_else(|e| {
        send(Msg::Error(format!("the feeds' records: {e}")));
        IngestState::default()
    });
    let members = FeedArticles::new(&setup.feeds, |url| {
        ingest.feeds.get(url).map(|f| &f.articles)
    });
    send(Msg::SourcesLoaded {
        feeds: setup.feeds.iter().map(|f| f.name.clone()).collect(),
        members,
    });
}

/// Writes article `id`'s own tags to its front matter; true when the file changed (the index then
/// catches up). The reader gets the article as it is now.
pub fn retag(setup: &Setup, id: &str, tags: &[String], send: &dyn Fn(Msg)) -> bool {
    let Some(path) = crate::content::path_of(&setup.content_dir, id) else {
        send(Msg::Error(format!("{id:?} is not an article id")));
        return false;
    };
    match crate::article::retag::retag_file(&path, tags, setup.max_file_bytes) {
        Ok(_) => {
            if let Msg::Opened { article, matches } = open_article(None, setup, id, None) {
                send(Msg::Reloaded { article, matches });
            }
            true
        }
        Err(e) => {
            send(Msg::Error(format!(
                "the article's tags are not changed: {e}"
            )));
            false
        }
    }
}

/// Opens article `id`'s page in the browser, or says why not.
pub fn browse(setup: &Setup, id: &str, send: &dyn Fn(Msg)) {
    let meta = crate::content::path_of(&setup.content_dir, id)
        .ok_or_else(|| format!("{id:?} is not an article id"))
        .and_then(|path| {
            crate::article::load_front_matter(&path, setup.max_file_bytes)
                .map_err(|e| format!("cannot read the article: {e}"))
        });
    let url = match meta.and_then(|m| browsable(m.url.as_deref())) {
        Ok(url) => url,
        Err(why) => return send(Msg::Error(why)),
    };
    match open_url(setup.browser.as_deref(), &url) {
        Ok(how) => send(Msg::Notice(format!("opened {url} {how}"))),
        Err(why) => send(Msg::Error(why)),
    }
}

/// Starts the browser on `url` (already checked): the configured command, `$BROWSER`, or the system's
/// opener. Returns how, for the status bar.
fn open_url(configured: Option<&str>, url: &str) -> Result<String, String> {
    let command = match configured {
        Some(command) => command.trim().to_owned(),
        None => std::env::var("BROWSER")
            .unwrap_or_default()
            .trim()
            .to_owned(),
    };
    if command.is_empty() && configured.is_some() {
        return Err("opening pages is off (`browser = \"\"` under [reader] in config.toml)".into());
    }
    if command.is_empty() {
        return open::that_detached(url)
            .map(|()| "with the system's opener".to_owned())
            .map_err(|e| format!("cannot open the page: {e}"));
    }
    let argv = browser_argv(&command, url)
        .ok_or_else(|| format!("the browser command {command:?} cannot be read"))?;
    spawn_detached(&argv)?;
    Ok(format!(
        "with {}",
        crate::article::clean::clean_line(&argv[0])
    ))
}

/// The browser command's words with `{url}` replaced by the URL, or the URL added at the end when no
/// word has `{url}`; `None` when the command does not split (an unclosed quote) or is empty.
pub fn browser_argv(command: &str, url: &str) -> Option<Vec<String>> {
    let words = shlex::split(command).filter(|w| !w.is_empty())?;
    let placed = words.iter().any(|w| w.contains("{url}"));
    let mut argv: Vec<String> = words.iter().map(|w| w.replace("{url}", url)).collect();
    if !placed {
        argv.push(url.to_owned());
    }
    Some(argv)
}

/// Runs `argv` with no terminal: null stdio, its own process group (keys meant for the reader never
/// reach it), reaped on a thread of its own.
fn spawn_detached(argv: &[String]) -> Result<(), String> {
    let mut command = Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().map_err(|e| {
        format!(
            "cannot start the browser {:?}: {e}",
            crate::article::clean::clean_line(&argv[0])
        )
    })?;
    let _ = std::thread::Builder::new()
        .name("newsgloss-browser".into())
        .spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::browser_argv;

    #[test]
    fn the_url_goes_where_the_command_says() {
        let url = "https://example.com/a?b=c&d";
        assert_eq!(
            browser_argv("firefox --new-tab {url}", url).unwrap(),
            ["firefox", "--new-tab", url]
        );
        assert_eq!(
            browser_argv("'/opt/my browser/run'", url).unwrap(),
            ["/opt/my browser/run", url]
        );
        assert_eq!(
            browser_argv("sh -c 'echo \"$0\"' {url}", url).unwrap(),
            ["sh", "-c", "echo \"$0\"", url]
        );
        assert_eq!(browser_argv("open 'unclosed", url), None);
        assert_eq!(browser_argv("   ", url), None);
    }
}
