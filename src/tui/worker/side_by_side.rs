//! The article to read beside another: its original or a translation, with its annotations.

use super::*;

/// The counterpart job: looks for the original or a translation of an article (the lookup may read the
/// front matter of every article, so searches go on meanwhile); the answer comes as
/// [`Msg::SideBySideLoaded`].
pub(super) fn job(setup: &Setup, store: &AnnotationStore, reply: &Reply) -> Job<String> {
    let (setup, store) = (setup.clone(), store.clone());
    Job::new(
        "counterpart",
        reply.clone(),
        move |id: String, _: &Reply| Some(counterpart(&setup, &store, &id)),
    )
}

/// The original or a translation of article `id` (see [`crate::translation`]), with its annotations
/// placed in its text.
pub(super) fn counterpart(setup: &Setup, store: &AnnotationStore, id: &str) -> Msg {
    let result = (|| {
        let path = crate::content::path_of(&setup.content_dir, id)
            .ok_or_else(|| format!("{id:?} is not an article id"))?;
        let (article, _) =
            Article::load(id, &path, setup.max_file_bytes).map_err(|e| e.to_string())?;
        let pair =
            crate::translation::Pair::load(&setup.content_dir, article, setup.max_file_bytes)
                .map_err(|e| e.to_string())?;
        let annotations = store
            .anchored(&pair.other.id, &pair.other.text)
            .map(|anchored| anchored.file.annotations)
            .map_err(|e| e.to_string());
        Ok(Box::new(OtherText {
            article: pair.other,
            role: pair.role,
            annotations,
        }))
    })();
    Msg::SideBySideLoaded {
        article: id.to_owned(),
        result,
    }
}
