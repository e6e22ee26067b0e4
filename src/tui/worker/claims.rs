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
        for a in file.annotations {
            for tag in &a.tags {
                claims.push(Claim {
                    tag: clean_line(tag),
                    article: file.article.clone(),
                    title: String::new(),
                    published: None,
                    id: a.id,
                    quote: clean_line(&a.quote),
                    note: a.note.as_deref().map(crate::article::clean::clean_text),
                    orphaned: a.orphaned,
                    start: a.start,
                    creator: a.creator.as_ref().map(|p| clean_line(&p.name)),
                });
            }
        }
    }
    let errors = corpus
        .errors
        .iter()
        .map(|e| clean_line(&e.to_string()))
        .collect();
    Msg::ClaimsLoaded { claims, errors }
}
