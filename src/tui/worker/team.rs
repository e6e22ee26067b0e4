//! Syncing the workspace through git from the reader, off the worker's thread.

use super::*;
use crate::annotation::Person;

/// What the reader needs to sync and to sign its annotations.
#[derive(Debug, Clone, Default)]
pub struct Team {
    /// How to sync the workspace (`None`: the sync key says why it cannot).
    pub plan: Option<crate::team::Plan>,
    /// Who makes the annotations made here.
    pub user: User,
}

/// Who makes the annotations made here, found when first needed: asking git takes a process or two,
/// which a launch need not wait for.
#[derive(Clone)]
pub struct User(Arc<std::sync::LazyLock<Option<Person>, FindUser>>);

type FindUser = Box<dyn FnOnce() -> Option<Person> + Send>;

impl User {
    /// The user `find` finds, asked the first time it is needed.
    pub fn found_by(find: impl FnOnce() -> Option<Person> + Send + 'static) -> User {
        User(Arc::new(std::sync::LazyLock::new(Box::new(find))))
    }

    /// A user known already (or none).
    pub fn known(user: Option<Person>) -> User {
        User::found_by(move || user)
    }

    pub fn get(&self) -> &Option<Person> {
        &self.0
    }
}

impl Default for User {
    fn default() -> User {
        User::known(None)
    }
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Not asked for here: that would ask git.
        f.write_str("User { .. }")
    }
}

/// The sync job: syncs through git (never asking for credentials on the terminal the reader owns); its
/// steps and its summary go to the status bar, then the index catches up with what came in.
pub(super) fn job(
    setup: &Setup,
    index: Option<&Arc<ArticleIndex>>,
    syncing: &Arc<Mutex<()>>,
    reply: &Reply,
) -> Job<()> {
    let (setup, index, syncing) = (setup.clone(), index.cloned(), Arc::clone(syncing));
    Job::new("sync", reply.clone(), move |(), reply: &Reply| {
        Some(sync(index.as_ref(), &setup, reply, &syncing))
    })
}

/// Runs one sync, then reconciles the index when something came in; the answer is [`Msg::Synced`].
pub(super) fn sync(
    index: Option<&Arc<ArticleIndex>>,
    setup: &Setup,
    reply: &Reply,
    syncing: &Mutex<()>,
) -> Msg {
    let Some(plan) = setup.team.plan.clone() else {
        return Msg::Synced(Err("this workspace cannot be synced".into()));
    };
    let progress = |step: &str| reply.send(Msg::Syncing(step.to_owned()));
    let result = crate::team::sync(&plan, &progress);
    let changed = match &result {
        Ok(synced) => !synced.changed_files.is_empty(),
        Err(crate::team::SyncError::Remote { synced, .. }) => !synced.changed_files.is_empty(),
        Err(_) => false,
    };
    if let (Some(index), true) = (index, changed) {
        reply.send(reconcile_now(index, setup, reply, syncing));
    }
    Msg::Synced(
        result
            .map(|synced| synced.summary())
            .map_err(|e| e.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn the_user_is_found_when_first_asked_for_and_once() {
        let asked = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&asked);
        let user = User::found_by(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Person::new("ana-git", Some("ana@git.example"))
        });
        let team = Team {
            plan: None,
            user: user.clone(),
        };
        assert_eq!(asked.load(Ordering::SeqCst), 0, "not asked at launch");
        assert_eq!(format!("{:?}", team.user), "User { .. }");
        let found = team.user.get().clone().expect("found");
        assert_eq!(
            found,
            Person::new("ana-git", Some("ana@git.example")).unwrap()
        );
        assert_eq!(
            user.get().as_ref(),
            Some(&found),
            "a clone shares what was found"
        );
        assert_eq!(asked.load(Ordering::SeqCst), 1, "asked once");
        assert_eq!(User::default().get(), &None);
    }
}
