//! A team's workspace over git: running the git command line, routing store files to the merge driver,
//! and telling what a commit or a pull changed (claims added, edited and deleted, by whom; articles).
//!
//! The three-way merge itself is [`crate::annotation::merge_three`]; this module only talks to git.

mod changes;
mod git;
mod setup;
mod sync;

pub use changes::{Changes, store_changes};
pub use git::{Git, GitError};
pub use setup::{IGNORED, attributes_line, driver_command, ensure_lines};
pub use sync::{Plan, SyncError, Synced, relative, sync};
