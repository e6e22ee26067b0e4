//! `newsgloss merge-driver BASE OURS THEIRS PATH`: git's merge driver for annotation store files (`%O %A
//! %B %P`). It merges the three versions by annotation id, re-anchors the result in the article's text
//! as OURS has it, and leaves it in OURS, written whole. It never writes conflict markers: when a version
//! does not parse it exits non-zero, so that git keeps its conflict, and says how to recover.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{Failure, Workspace};
use crate::annotation::{ArticleAnnotations, anchor_all, merge_three};
use crate::article::Article;
use crate::article::clean::clean_line;
use crate::content::shown;
use crate::team::{Git, relative};

#[derive(Debug, Args)]
pub struct MergeDriverArgs {
    /// The common ancestor's version (git's %O; empty when there is none).
    pub base: PathBuf,
    /// Our version (git's %A); the merge is written here.
    pub ours: PathBuf,
    /// Their version (git's %B).
    pub theirs: PathBuf,
    /// The file's path in the repository (git's %P), named in messages.
    pub path: String,
}

pub fn run(workspace: Option<&Workspace>, args: &MergeDriverArgs) -> Result<(), Failure> {
    let shown_path = clean_line(&args.path);
    let read = |path: &Path| {
        std::fs::read(path)
            .map_err(|e| Failure::Failed(format!("{shown_path}: cannot read {}: {e}", shown(path))))
    };
    let (base, ours, theirs) = (read(&args.base)?, read(&args.ours)?, read(&args.theirs)?);
    let article = article_id(&ours)
        .or_else(|| article_id(&theirs))
        .ok_or_else(|| unparsable(&shown_path, "neither side names its `article`"))?;
    let parse = |bytes: &[u8], side: &str| {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(ArticleAnnotations::new(&article));
        }
        ArticleAnnotations::parse(&article, Path::new(&args.path), bytes)
            .map_err(|e| unparsable(&shown_path, &format!("{side} does not parse ({e})")))
    };
    let base = parse(&base, "the common ancestor")?;
    let (ours, theirs) = (
        parse(&ours, "our version")?,
        parse(&theirs, "their version")?,
    );
    let mut merged = merge_three(&base, &ours, &theirs);
    if let Some(text) = workspace.and_then(|w| ours_text(w, &article)) {
        let chars: Vec<char> = text.chars().collect();
        anchor_all(&mut merged, &chars);
    }
    write_whole(&args.ours, merged.render().as_bytes())
        .map_err(|e| Failure::Failed(format!("{shown_path}: cannot write the merge: {e}")))
}

/// What a driver that cannot merge says: which file, why, and how to go on.
fn unparsable(path: &str, why: &str) -> Failure {
    Failure::Failed(format!(
        "{path}: {why}; git keeps the conflict: fix the file (or take one side whole with \
         `git checkout --ours {path}` or `--theirs`), then `git add {path}` and `newsgloss sync`"
    ))
}

/// The `article` key of a store file, when it has one.
fn article_id(bytes: &[u8]) -> Option<String> {
    let table: toml::Table = toml::from_str(std::str::from_utf8(bytes).ok()?).ok()?;
    table.get("article")?.as_str().map(str::to_owned)
}

/// The article's plain text in OURS' tree (the commit being merged into), else as its file reads now.
fn ours_text(workspace: &Workspace, article: &str) -> Option<String> {
    let path = crate::content::path_of(&workspace.content_dir, article)?;
    let top = Git::toplevel(&workspace.root()).ok().flatten();
    let committed = top.and_then(|top| {
        let rel = relative(&top, &path)?;
        Git::new(top).show("HEAD", &rel).ok().flatten()
    });
    let bytes = match committed {
        Some(bytes) => bytes,
        None => std::fs::read(&path).ok()?,
    };
    Article::from_bytes(article, &path, &bytes)
        .ok()
        .map(|(article, _)| article.text)
}

/// Replaces the file at `path` with `bytes` by renaming a complete temp file over it.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".newsgloss-merge");
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, bytes)?;
    std::fs::File::open(&temp)?.sync_all()?;
    std::fs::rename(&temp, path)
}
