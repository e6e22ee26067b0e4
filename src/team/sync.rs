//! One `sync` of a shared workspace: set up the repository, commit the workspace's changes, pull through
//! the merge driver, push, and say what came in. Each step is a git command of its own, so that a sync
//! stopped anywhere leaves a repository git itself can continue from (a commit is whole or absent; a
//! merge stopped half-way is concluded by the next sync, or undone by `git merge --abort`).

use std::path::{Path, PathBuf};

use super::changes::{Changes, store_changes};
use super::git::{Git, GitError};
use super::setup::{IGNORED, attributes_line, driver_command, ensure_lines};
use crate::annotation::ArticleAnnotations;
use crate::article::conflict_marker;
use crate::content::shown;

/// The empty tree, to compare a first commit against.
const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

/// What a sync works on.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The workspace's top dir (where `config.toml` is).
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub annotations_dir: PathBuf,
    /// The running binary, registered as the merge driver.
    pub exe: PathBuf,
    /// Make the workspace a repository when it is not one.
    pub init: bool,
    /// Extra paths to keep out of the repository (an index inside the workspace).
    pub ignore: Vec<PathBuf>,
    /// Whether git may ask for credentials on the terminal (not from the reader, which owns it).
    pub prompts: bool,
}

/// What a sync did.
#[derive(Debug, Clone, Default)]
pub struct Synced {
    /// The local changes committed, when there were any.
    pub committed: Option<Changes>,
    /// What the pull brought in.
    pub came_in: Changes,
    /// The files the pull changed (absolute paths), for the index.
    pub changed_files: Vec<PathBuf>,
    /// Whether there is a remote (and so whether anything was pulled and pushed).
    pub remote: Option<String>,
}

/// Why a sync stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error(
        "{} is not a git repository: `newsgloss sync --init` makes it one (or `git clone` a shared workspace)",
        shown(.0)
    )]
    NotARepository(PathBuf),
    #[error("{0}")]
    Git(String),
    #[error(
        "{}:{line}: unresolved merge conflict: resolve it and remove the markers; nothing was committed",
        shown(file)
    )]
    Markers { file: PathBuf, line: usize },
    #[error(
        "the merge stopped with conflicts in {}: fix them (or take one side: `git checkout --ours FILE` / \
         `--theirs`), `git add` them and run `newsgloss sync` again; `git merge --abort` undoes the pull \
         (your own commit is kept)",
        .0.join(", ")
    )]
    Conflicts(Vec<String>),
    /// Fetching or pushing failed; the local commit (if any) is kept and the next sync pushes it.
    #[error("{message}; your commit is kept and the next `newsgloss sync` pushes it")]
    Remote {
        message: String,
        synced: Box<Synced>,
    },
}

impl Synced {
    /// One line: what was committed and what came in.
    pub fn summary(&self) -> String {
        let committed = match &self.committed {
            Some(changes) => format!("committed {}", changes.commit_message()),
            None => "nothing to commit".to_owned(),
        };
        let came_in = match (&self.remote, self.came_in.is_empty()) {
            (None, _) => "no remote".to_owned(),
            (Some(_), true) => "nothing came in".to_owned(),
            (Some(_), false) => format!("came in: {}", self.came_in.summary()),
        };
        format!("{committed}; {came_in}")
    }
}

impl PartialEq for Synced {
    fn eq(&self, other: &Synced) -> bool {
        self.committed == other.committed && self.came_in == other.came_in
    }
}

impl Eq for Synced {}

fn git_err(git: &Git) -> impl Fn(GitError) -> SyncError + '_ {
    move |e| SyncError::Git(e.in_dir(git.dir()))
}

/// Runs one sync; `progress` hears each step as it starts.
pub fn sync(plan: &Plan, progress: &dyn Fn(&str)) -> Result<Synced, SyncError> {
    let git = open_repository(plan)?;
    let top = git.dir().to_owned();
    progress("setting up the repository");
    set_up(&git, plan)?;
    progress("committing local changes");
    let committed = commit(&git, plan)?;
    let mut synced = Synced {
        committed,
        ..Synced::default()
    };
    let Some(remote) = first_remote(&git)? else {
        return Ok(synced);
    };
    synced.remote = Some(remote.clone());
    progress(&format!("pulling from {remote}"));
    let branch = current_branch(&git)?;
    if let Err(e) = git.run(&["fetch", "--quiet", &remote]) {
        return Err(remote_error(e, &top, synced));
    }
    let upstream = format!("{remote}/{branch}");
    if git
        .check(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("refs/remotes/{upstream}"),
        ])
        .map_err(git_err(&git))?
    {
        let before = head(&git)?;
        merge(&git, &upstream)?;
        let after = head(&git)?;
        if let (Some(before), Some(after)) = (before, after) {
            let (changes, files) = diff(&git, plan, &before, &after)?;
            synced.came_in = changes;
            synced.changed_files = files.iter().map(|f| top.join(f)).collect();
        }
    }
    progress(&format!("pushing to {remote}"));
    if let Err(e) = git.run(&["push", "--quiet", "--set-upstream", &remote, &branch]) {
        return Err(remote_error(e, &top, synced));
    }
    Ok(synced)
}

fn remote_error(e: GitError, top: &Path, synced: Synced) -> SyncError {
    SyncError::Remote {
        message: e.in_dir(top),
        synced: Box::new(synced),
    }
}

/// The repository the workspace is in, made first with `--init`.
fn open_repository(plan: &Plan) -> Result<Git, SyncError> {
    let fail = |e: GitError| SyncError::Git(e.in_dir(&plan.root));
    let git = |top: PathBuf| match plan.prompts {
        true => Git::new(top),
        false => Git::new(top).without_prompts(),
    };
    if let Some(top) = Git::toplevel(&plan.root).map_err(fail)? {
        return Ok(git(top));
    }
    if !plan.init {
        return Err(SyncError::NotARepository(plan.root.clone()));
    }
    Git::new(&plan.root)
        .run(&["init", "--quiet"])
        .map_err(fail)?;
    Git::toplevel(&plan.root)
        .map_err(fail)?
        .map(git)
        .ok_or_else(|| SyncError::NotARepository(plan.root.clone()))
}

/// `path` relative to the top of the repository, with `/`, when it is inside it.
pub fn relative(top: &Path, path: &Path) -> Option<String> {
    let top = std::fs::canonicalize(top).unwrap_or_else(|_| top.to_owned());
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let rel = full.strip_prefix(&top).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Routes store files to the driver and keeps personal and derived files out.
fn set_up(git: &Git, plan: &Plan) -> Result<(), SyncError> {
    let top = git.dir();
    let io = |path: &Path| {
        let path = path.to_owned();
        move |e: std::io::Error| SyncError::Git(format!("cannot write {}: {e}", shown(&path)))
    };
    let annotations = relative(top, &plan.annotations_dir).unwrap_or_else(|| "annotations".into());
    let attributes = top.join(".gitattributes");
    ensure_lines(&attributes, &[&attributes_line(&annotations)]).map_err(io(&attributes))?;
    let mut ignored: Vec<String> = IGNORED.iter().map(|s| (*s).to_owned()).collect();
    ignored.extend(
        plan.ignore
            .iter()
            .filter_map(|p| relative(top, p))
            .map(|p| format!("/{p}/")),
    );
    let ignore_file = top.join(".gitignore");
    let lines: Vec<&str> = ignored.iter().map(String::as_str).collect();
    ensure_lines(&ignore_file, &lines).map_err(io(&ignore_file))?;
    let driver = driver_command(&plan.exe);
    for (key, value) in [
        (
            "merge.newsgloss.name",
            "newsgloss annotations, merged by id",
        ),
        ("merge.newsgloss.driver", driver.as_str()),
    ] {
        if git.config(key).map_err(git_err(git))?.as_deref() != Some(value) {
            git.run(&["config", key, value]).map_err(git_err(git))?;
        }
    }
    Ok(())
}

/// Stages everything and commits it with a message that says what changed; refuses articles with
/// conflict markers, and concludes a merge that an earlier sync left stopped.
fn commit(git: &Git, plan: &Plan) -> Result<Option<Changes>, SyncError> {
    let unmerged = unmerged(git)?;
    if !unmerged.is_empty() {
        return Err(SyncError::Conflicts(unmerged));
    }
    check_markers(git, plan)?;
    git.run(&["add", "--all"]).map_err(git_err(git))?;
    let merging = git
        .git_dir()
        .map_err(git_err(git))?
        .join("MERGE_HEAD")
        .exists();
    let base = head(git)?.unwrap_or_else(|| EMPTY_TREE.to_owned());
    let staged = git
        .run(&["diff", "--cached", "--name-only", "-z", &base])
        .map_err(git_err(git))?;
    if staged.is_empty() && !merging {
        return Ok(None);
    }
    let (changes, _) = diff_staged(git, plan, &base)?;
    let message = if merging {
        format!("Merge shared changes; {}", changes.commit_message())
    } else {
        changes.commit_message()
    };
    git.run(&["commit", "--quiet", "--no-verify", "-m", &message])
        .map_err(git_err(git))?;
    Ok(Some(changes))
}

/// Article files about to be committed must not hold conflict markers.
fn check_markers(git: &Git, plan: &Plan) -> Result<(), SyncError> {
    let listed = git
        .run(&[
            "ls-files",
            "-z",
            "--modified",
            "--others",
            "--exclude-standard",
        ])
        .map_err(git_err(git))?;
    let content = relative(git.dir(), &plan.content_dir).unwrap_or_default();
    for file in listed.split('\0').filter(|f| f.ends_with(".md")) {
        if !content.is_empty() && !file.starts_with(&format!("{content}/")) {
            continue;
        }
        let path = git.dir().join(file);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if let Some(at) = conflict_marker(&text) {
            return Err(SyncError::Markers {
                file: path,
                line: at.line,
            });
        }
    }
    Ok(())
}

fn unmerged(git: &Git) -> Result<Vec<String>, SyncError> {
    let text = git
        .run(&["diff", "--name-only", "--diff-filter=U", "-z"])
        .map_err(git_err(git))?;
    Ok(text
        .split('\0')
        .filter(|f| !f.is_empty())
        .map(crate::article::clean::clean_line)
        .collect())
}

fn head(git: &Git) -> Result<Option<String>, SyncError> {
    let out = git
        .output(&["rev-parse", "--verify", "--quiet", "HEAD"])
        .map_err(git_err(git))?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    Ok((out.status.success() && !text.is_empty()).then_some(text))
}

fn first_remote(git: &Git) -> Result<Option<String>, SyncError> {
    let remotes = git.run(&["remote"]).map_err(git_err(git))?;
    Ok(remotes
        .lines()
        .map(str::trim)
        .find(|r| !r.is_empty())
        .map(str::to_owned))
}

fn current_branch(git: &Git) -> Result<String, SyncError> {
    let name = git
        .run(&["symbolic-ref", "--short", "HEAD"])
        .map_err(git_err(git))?;
    Ok(name.trim().to_owned())
}

/// Merges `upstream` into the current branch through the driver; a stopped merge names its files.
fn merge(git: &Git, upstream: &str) -> Result<(), SyncError> {
    let has_head = head(git)?.is_some();
    let args: &[&str] = if has_head {
        &["merge", "--quiet", "--no-edit", upstream]
    } else {
        &["reset", "--quiet", "--hard", upstream]
    };
    match git.run(args) {
        Ok(_) => Ok(()),
        Err(e) => {
            let files = unmerged(git)?;
            if files.is_empty() {
                Err(git_err(git)(e))
            } else {
                Err(SyncError::Conflicts(files))
            }
        }
    }
}

/// What changed from commit `before` to `after`, and the files that did.
fn diff(
    git: &Git,
    plan: &Plan,
    before: &str,
    after: &str,
) -> Result<(Changes, Vec<String>), SyncError> {
    let listed = git
        .run(&["diff", "--name-status", "-z", "--no-renames", before, after])
        .map_err(git_err(git))?;
    count(git, plan, &listed, before, Some(after))
}

/// What the staged changes change from commit (or tree) `base`.
fn diff_staged(git: &Git, plan: &Plan, base: &str) -> Result<(Changes, Vec<String>), SyncError> {
    let listed = git
        .run(&[
            "diff",
            "--cached",
            "--name-status",
            "-z",
            "--no-renames",
            base,
        ])
        .map_err(git_err(git))?;
    count(git, plan, &listed, base, None)
}

/// Counts a `--name-status -z` listing: store files by their claims, article files by status. `after`
/// `None` means the staged version.
fn count(
    git: &Git,
    plan: &Plan,
    listed: &str,
    before: &str,
    after: Option<&str>,
) -> Result<(Changes, Vec<String>), SyncError> {
    let content = relative(git.dir(), &plan.content_dir).unwrap_or_default();
    let annotations = relative(git.dir(), &plan.annotations_dir).unwrap_or_default();
    let mut changes = Changes::default();
    let mut files = Vec::new();
    let mut fields = listed.split('\0').filter(|f| !f.is_empty());
    while let (Some(status), Some(file)) = (fields.next(), fields.next()) {
        files.push(file.to_owned());
        if let Some(id) = under(file, &annotations, ".toml") {
            let read = |rev: &str| load_store(git, rev, file, &id);
            let after_version = match after {
                Some(rev) => read(rev),
                None => read(""),
            };
            store_changes(read(before).as_ref(), after_version.as_ref(), &mut changes);
        } else if under(file, &content, ".md").is_some() {
            match status {
                "A" => changes.articles_added += 1,
                "D" => changes.articles_removed += 1,
                _ => changes.articles_changed += 1,
            }
        }
    }
    Ok((changes, files))
}

/// The article id of `file` when it is a `suffix` file under `dir` (relative to the top).
fn under(file: &str, dir: &str, suffix: &str) -> Option<String> {
    let rest = if dir.is_empty() {
        file
    } else {
        file.strip_prefix(dir)?.strip_prefix('/')?
    };
    let id = rest.strip_suffix(suffix)?;
    (!id.split('/').any(|part| part.starts_with('.'))).then(|| id.to_owned())
}

/// A store file at `rev` (`""`: as staged), when it is there and parses.
fn load_store(git: &Git, rev: &str, file: &str, id: &str) -> Option<ArticleAnnotations> {
    let bytes = git.show(rev, file).ok()??;
    ArticleAnnotations::parse(id, Path::new(file), &bytes).ok()
}
