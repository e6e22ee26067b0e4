//! `newsgloss sync`: share the workspace through its git repository — commit what changed here, pull
//! (merging store files by id through the driver), push, say what came in, and update the index.

use std::io::Write;

use clap::Args;

use super::output::warn;
use super::{Failure, Workspace};
use crate::article::clean::clean_line;
use crate::team::{Plan, SyncError, Synced};

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Make the workspace a git repository first, when it is not one.
    #[arg(long)]
    pub init: bool,
}

/// What a sync of `workspace` works on.
pub fn plan(workspace: &Workspace, init: bool) -> Result<Plan, Failure> {
    let exe = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map_err(|e| Failure::Failed(format!("cannot find the running newsgloss binary: {e}")))?;
    Ok(Plan {
        root: workspace.root(),
        content_dir: workspace.content_dir.clone(),
        annotations_dir: workspace.annotations_dir.clone(),
        exe,
        init,
        ignore: vec![workspace.index_dir.clone()],
        prompts: true,
    })
}

pub fn run(workspace: &Workspace, args: SyncArgs) -> Result<(), Failure> {
    let plan = plan(workspace, args.init)?;
    let progress = |step: &str| {
        if super::output::stderr_is_terminal() {
            eprintln!("{step}…");
        }
    };
    let result = crate::team::sync(&plan, &progress);
    let synced = match result {
        Ok(synced) => synced,
        Err(SyncError::Remote { message, synced }) => {
            report(&synced);
            return Err(Failure::Failed(format!(
                "{message}; your commit is kept and the next `newsgloss sync` pushes it"
            )));
        }
        Err(e @ SyncError::NotARepository(_)) => return Err(Failure::BadInput(e.to_string())),
        Err(e) => return Err(Failure::Failed(e.to_string())),
    };
    report(&synced);
    if !synced.changed_files.is_empty() {
        let (index, _) = workspace.open_index_unsynced()?;
        if index.writer_busy() {
            warn("another newsgloss is updating the index: it picks up these changes itself");
        } else {
            super::index_cmd::sync(workspace, &index, false)?;
        }
    }
    Ok(())
}

/// Prints what was committed and what came in.
fn report(synced: &Synced) {
    let mut out = std::io::stdout().lock();
    match &synced.committed {
        Some(changes) => {
            let _ = writeln!(out, "committed: {}", clean_line(&changes.commit_message()));
        }
        None => {
            let _ = writeln!(out, "nothing to commit");
        }
    }
    match &synced.remote {
        None => {
            let _ = writeln!(
                out,
                "no remote to pull from or push to (add one with `git remote add`)"
            );
        }
        Some(_) if synced.came_in.is_empty() => {
            let _ = writeln!(out, "nothing came in");
        }
        Some(_) => {
            let _ = writeln!(out, "came in: {}", clean_line(&synced.came_in.summary()));
        }
    }
}
