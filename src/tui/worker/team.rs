//! Syncing the workspace through git from the reader, off the worker's thread.

use super::*;

/// What the reader needs to sync and to sign its annotations.
#[derive(Debug, Clone, Default)]
pub struct Team {
    /// How to sync the workspace (`None`: the sync key says why it cannot).
    pub plan: Option<crate::team::Plan>,
    /// Who makes the annotations made here.
    pub user: Option<crate::annotation::Person>,
}

/// Runs one sync on a thread of its own (never asking for credentials on the terminal the reader owns);
/// its steps and its summary go to the status bar, then the index catches up with what came in.
pub(super) fn sync_in_background(
    index: Option<Arc<ArticleIndex>>,
    setup: Setup,
    events: Sender<Event>,
    syncing: Option<Arc<Mutex<()>>>,
) {
    let _ = std::thread::Builder::new()
        .name("newsgloss-sync".into())
        .spawn(move || {
            let send = |action: Msg| {
                let _ = events.send(Event::Msg(action));
            };
            let Some(plan) = setup.team.plan.clone() else {
                send(Msg::Synced(Err("this workspace cannot be synced".into())));
                return;
            };
            let progress = |step: &str| send(Msg::Syncing(step.to_owned()));
            let result = crate::team::sync(&plan, &progress);
            let changed = match &result {
                Ok(synced) => !synced.changed_files.is_empty(),
                Err(crate::team::SyncError::Remote { synced, .. }) => {
                    !synced.changed_files.is_empty()
                }
                Err(_) => false,
            };
            if let (Some(index), Some(syncing), true) = (&index, &syncing, changed) {
                reconcile_now(index, &setup, &events, syncing);
            }
            send(Msg::Synced(
                result
                    .map(|synced| synced.summary())
                    .map_err(|e| e.to_string()),
            ));
        });
}
