//! Reading every claim of the corpus for the claims view, off the worker's thread.

use super::*;

/// The claims job: reads every claim of the corpus (parsing every store file takes a while on a large
/// corpus, and searches go on meanwhile); the answer comes as [`Msg::ClaimsLoaded`].
pub(super) fn job(store: &AnnotationStore, reply: &Reply) -> Job<()> {
    let store = store.clone();
    Job::new("claims", reply.clone(), move |(), _: &Reply| {
        Some(load_claims(&store))
    })
}

/// Every claim of the corpus (an annotation under each of its tags); the reader adds each article's title
/// and date from its library.
pub(super) fn load_claims(store: &AnnotationStore) -> Msg {
    let corpus = store.load_all();
    let mut claims = Vec::new();
    for file in corpus.articles {
        for a in &file.annotations {
            claims.extend(Claim::of(a));
        }
    }
    let errors = corpus
        .errors
        .iter()
        .map(|e| clean_line(&e.to_string()))
        .collect();
    Msg::ClaimsLoaded { claims, errors }
}
