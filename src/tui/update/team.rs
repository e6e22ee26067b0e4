//! Syncing the workspace through git from the reader: the key starts it in the background, its steps
//! show in the status bar, and its summary when it ends; what came in is re-read at once.

use super::super::effect::Effect;
use super::super::state::{Screen, State};
use crate::article::clean::clean_line;

/// The sync key: ask the worker to sync, unless a sync is running.
pub fn start(state: &mut State) -> Vec<Effect> {
    if state.status.syncing.is_some() {
        state.status.message = Some("already syncing".into());
        return Vec::new();
    }
    state.status.syncing = Some("starting".into());
    vec![Effect::Sync]
}

/// A step of the sync under way.
pub fn progress(state: &mut State, step: &str) {
    state.status.syncing = Some(clean_line(step));
}

/// The sync finished: its summary (or why it stopped) in the status bar; the claims and the article
/// being read are read again, so that what came in shows at once.
pub fn finished(state: &mut State, result: Result<String, String>) -> Vec<Effect> {
    state.status.syncing = None;
    match result {
        Ok(summary) => state.status.message = Some(format!("synced: {}", clean_line(&summary))),
        Err(e) => state.status.error = Some(format!("sync: {}", clean_line(&e))),
    }
    let mut effects = Vec::new();
    if state.claims.loaded || state.screen == Screen::Claims {
        state.claims.loading = true;
        effects.push(Effect::LoadClaims);
    }
    if let Some(reader) = &state.reader {
        effects.push(Effect::Open {
            id: reader.article.id.clone(),
            query: None,
        });
    }
    effects
}
