//! The command line: clap definitions and one function per subcommand. No business logic lives here; it
//! resolves the workspace, calls the domain, and prints.

mod add;
mod annotate;
mod annotations;
mod config_warnings;
mod export;
mod feeds;
mod fetch;
mod import;
mod index_cmd;
mod list;
mod log;
mod mark;
mod merge_driver;
mod output;
mod paired;
mod search;
mod shell;
mod show;
mod sync;
mod tag;
mod trace;
mod workspace;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub use workspace::Workspace;

/// How the reader syncs the workspace (as `sync` does, without asking for credentials on its terminal).
pub fn sync_plan(workspace: &Workspace) -> Result<crate::team::Plan, Failure> {
    sync::plan(workspace, false).map(|plan| crate::team::Plan {
        prompts: false,
        ..plan
    })
}

/// newsgloss: read news closely in a terminal, tag key claims, search everything.
#[derive(Debug, Parser)]
#[command(name = "newsgloss", version, about, long_about = None)]
pub struct Cli {
    /// The config file (default: $NEWSGLOSS_CONFIG, ./config.toml, the user config dir, built-in defaults).
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Global options"
    )]
    pub config: Option<PathBuf>,
    /// The directory of article files (default: `paths.content` in the config).
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help_heading = "Global options"
    )]
    pub content: Option<PathBuf>,
    /// The directory of annotation files (default: `paths.annotations` in the config).
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help_heading = "Global options"
    )]
    pub annotations: Option<PathBuf>,
    /// The search index directory (default: the user cache dir, one index per content dir).
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help_heading = "Global options"
    )]
    pub index: Option<PathBuf>,
    /// Log what newsgloss does to FILE (info and above; `NEWSGLOSS_LOG=debug` for more). The reader logs to
    /// the user state dir (`$XDG_STATE_HOME/newsgloss/newsgloss.log`) without it.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        help_heading = "Global options"
    )]
    pub log: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Command {
    /// Bring the search index up to date with the content dir (only changed files are read).
    Index {
        /// Start over: re-read every file.
        #[arg(long)]
        rebuild: bool,
    },
    /// Search the articles: terms are ANDed; "phrases", -exclusion, OR, title:, source:, author:, tag:,
    /// language:, published:[2023-01-01 TO 2023-12-31].
    Search {
        /// The query (several words are joined by spaces; put it after `--` when it starts with `-`).
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        /// How many hits to show (default: `search.limit` in the config).
        #[arg(long, short = 'n', value_name = "N")]
        limit: Option<usize>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List the articles: id, date, source, word count, reading state, title; filtered by the flags
    /// (combined with AND).
    List(list::ListArgs),
    /// Mark articles read or unread, starred or not (the reader's reading state).
    Mark(mark::MarkArgs),
    /// Change an article's own tags (its front matter): `tag ID +world -draft`.
    Tag(tag::TagArgs),
    /// The configured feeds: `feeds list` (last fetch, result, counts), `feeds import FILE.opml`,
    /// `feeds export` (OPML 2.0 on stdout).
    Feeds {
        #[command(subcommand)]
        action: feeds::Action,
    },
    /// Print one article: its title, metadata and text.
    Show {
        /// The article id (its path under the content dir, without `.md`).
        id: String,
        /// Print exactly the canonical plain text (what annotation offsets count in) and a final newline.
        #[arg(long)]
        plain: bool,
        /// Print it beside its original (`translation_of` or `original_url`), or an original beside its
        /// first translation, paragraph by paragraph: two columns on a terminal 60 columns or wider.
        #[arg(long, conflicts_with = "plain")]
        with_original: bool,
    },
    /// Tag a quote of an article as a key claim; prints the new annotation's id.
    Annotate(annotate::AnnotateArgs),
    /// List annotations, anchored in the current text (or `annotations delete ANNOTATION_ID`, `annotations restore ID`).
    #[command(args_conflicts_with_subcommands = true)]
    Annotations {
        #[command(subcommand)]
        action: Option<annotations::Action>,
        #[command(flatten)]
        list: annotations::ListArgs,
    },
    /// Export annotations as TOML (default), W3C Web Annotation JSON, or a Markdown digest.
    Export(export::ExportArgs),
    /// Merge a TOML export into the store: by id, newest wins, re-anchored in the current text.
    Import(import::ImportArgs),
    /// Add articles: local Markdown, text or HTML files, feed files, or http(s) URLs of pages and feeds.
    Add(add::AddArgs),
    /// Fetch every `[[feeds]]` of the config: new stories are added, changed ones updated (the old version
    /// kept, annotations re-anchored), files edited by hand kept, pages of summaries tried again.
    Fetch(fetch::FetchArgs),
    /// Share the workspace through its git repository: commit what changed, pull (annotations merged by
    /// id), push, and say what came in.
    Sync(sync::SyncArgs),
    /// git's merge driver for annotation files (`%O %A %B %P`); `sync` registers it.
    #[command(hide = true)]
    MergeDriver(merge_driver::MergeDriverArgs),
    /// The passages of other articles that state what an annotation quotes, best first, the first report
    /// marked; `--link N` makes the Nth of them evidence for it.
    Trace(trace::TraceArgs),
    /// Make a passage of an article evidence for an annotation: an annotation there with the same tags,
    /// linked to it both ways.
    Link(trace::LinkArgs),
    /// Print a shell completion script: `newsgloss completions bash > ~/.local/share/bash-completion/completions/newsgloss`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `newsgloss man > ~/.local/share/man/man1/newsgloss.1`.
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// A command that did not succeed: bad input of the user's (exit 2), a failure (exit 1), or a signal.
#[derive(Debug)]
pub enum Failure {
    /// The command's own input was wrong: a flag, the config, a query, an id.
    BadInput(String),
    /// Something went wrong doing it.
    Failed(String),
    /// A signal stopped it (after it saved what was pending): exit 128 + the signal, as a shell reports.
    Signal { signal: i32, message: String },
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::BadInput(_) => 2,
            Failure::Failed(_) => 1,
            Failure::Signal { signal, .. } => u8::try_from(128 + signal).unwrap_or(1),
        }
    }

    /// The one sentence shown to the user.
    pub fn message(&self) -> &str {
        match self {
            Failure::BadInput(m) | Failure::Failed(m) | Failure::Signal { message: m, .. } => m,
        }
    }
}

/// A command-line usage error in one line: clap's first line, and its tip when it has one.
pub fn usage_error(error: &clap::Error) -> String {
    let text = error.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines
        .next()
        .unwrap_or("bad arguments")
        .trim_start_matches("error: ");
    let tip = lines.find_map(|l| l.strip_prefix("tip: "));
    // "the following required arguments were not provided:" lists them on the lines after it.
    let mut first = crate::article::clean::clean_line(first);
    if first.ends_with(':') {
        let listed: Vec<String> = text
            .lines()
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .map(|l| crate::article::clean::clean_line(l.trim()))
            .collect();
        first = format!("{first} {}", listed.join(", "));
    }
    match tip {
        Some(tip) => format!(
            "{first} ({}; see --help)",
            crate::article::clean::clean_line(tip)
        ),
        None => format!("{first} (see --help)"),
    }
}

/// Runs the command line; `None` as the command opens the reader.
pub fn run(cli: Cli) -> Result<(), Failure> {
    // What the command line says about itself needs no workspace (and works with a broken config).
    match cli.command {
        Some(Command::Completions { shell }) => return shell::completions(shell),
        Some(Command::Man) => return shell::man(),
        _ => {}
    }
    start_logging(&cli)?;
    if let Some(Command::MergeDriver(args)) = &cli.command {
        // git runs the driver in the middle of a merge: a workspace that cannot be resolved only means
        // the merge is not re-anchored.
        return merge_driver::run(Workspace::resolve(&cli).ok().as_ref(), args);
    }
    let workspace = Workspace::resolve(&cli)?;
    tracing::info!(command = command_name(&cli), "running");
    match cli.command {
        Some(Command::Index { rebuild }) => index_cmd::run(&workspace, rebuild),
        Some(Command::Search {
            query,
            limit,
            format,
        }) => search::run(&workspace, &query.join(" "), limit, format),
        Some(Command::List(args)) => list::run(&workspace, args),
        Some(Command::Mark(args)) => mark::run(&workspace, args),
        Some(Command::Tag(args)) => tag::run(&workspace, args),
        Some(Command::Feeds { action }) => feeds::run(&workspace, action),
        Some(Command::Show {
            id,
            plain,
            with_original,
        }) => show::run(&workspace, &id, plain, with_original),
        Some(Command::Annotate(args)) => annotate::run(&workspace, args),
        Some(Command::Annotations { action, list }) => annotations::run(&workspace, action, list),
        Some(Command::Export(args)) => export::run(&workspace, args),
        Some(Command::Import(args)) => import::run(&workspace, args),
        Some(Command::Add(args)) => add::run(&workspace, args),
        Some(Command::Fetch(args)) => fetch::run(&workspace, args),
        Some(Command::Sync(args)) => sync::run(&workspace, args),
        Some(Command::MergeDriver(args)) => merge_driver::run(Some(&workspace), &args),
        Some(Command::Trace(args)) => trace::run(&workspace, args),
        Some(Command::Link(args)) => trace::run_link(&workspace, args),
        Some(Command::Completions { .. } | Command::Man) => Ok(()),
        None => reader(&workspace),
    }
}

/// The reader on the workspace; how it ended as an exit: a signal is 128 + it.
fn reader(workspace: &Workspace) -> Result<(), Failure> {
    // The personal config is read now, so that what is wrong with it is said before the screen is
    // taken; git is asked only when an annotation is first made.
    let user = match workspace.personal_user() {
        Some(user) => crate::tui::worker::User::known(Some(user)),
        None => {
            let root = workspace.root();
            crate::tui::worker::User::found_by(move || workspace::git_user(&root))
        }
    };
    let team = crate::tui::worker::Team {
        plan: sync_plan(workspace).ok(),
        user,
    };
    let exit = crate::tui::run(workspace, team).map_err(Failure::Failed)?;
    match (exit, exit.describe()) {
        (crate::tui::Exit::Signal(signal), Some(message)) => {
            Err(Failure::Signal { signal, message })
        }
        _ => Ok(()),
    }
}

/// `--log FILE` for any command; the reader logs to the state dir by default.
fn start_logging(cli: &Cli) -> Result<(), Failure> {
    match (&cli.log, &cli.command) {
        (Some(path), _) => log::start(path, true),
        (None, None) => match log::default_reader_log() {
            Some(path) => log::start(&path, false),
            None => Ok(()),
        },
        (None, Some(_)) => Ok(()),
    }
}

/// The subcommand's name, for the log.
fn command_name(cli: &Cli) -> &'static str {
    cli.command.as_ref().map_or("reader", <&'static str>::from)
}
