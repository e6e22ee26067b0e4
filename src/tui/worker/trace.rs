//! The trace screen's work: tracing a claim through the index, and linking a passage as evidence,
//! written through the store as `newsgloss link` writes it.

use super::*;
use crate::annotation::{AnnotationId, Relation};
use crate::trace::{Passage, Trace, TraceOptions};

/// Trace request `seq`: the passages of articles other than `article` that state `quote`, every string
/// made inert.
pub(super) fn traced(index: &ArticleIndex, seq: u64, article: &str, quote: &str) -> Msg {
    tracing::info!(article = ?article, "trace");
    let result = crate::trace::trace(index, article, quote, &TraceOptions::default())
        .map(inert)
        .map_err(|e| format!("trace failed: {e}"));
    Msg::Traced { seq, result }
}

/// The answer to a trace when there is no index.
pub(super) fn no_index(seq: u64) -> Msg {
    Msg::Traced {
        seq,
        result: Err("trace needs the index, which could not be opened".into()),
    }
}

fn inert(mut trace: Trace) -> Trace {
    let clean = |p: &mut Passage| {
        p.article = clean_line(&p.article);
        p.title = clean_line(&p.title);
        p.source = p.source.as_deref().map(clean_line);
        // One char for one, so that `start..end` still cut the article's text.
        p.text = crate::text::shown_text(&p.text);
    };
    trace.passages.iter_mut().for_each(clean);
    trace.first_report.iter_mut().for_each(clean);
    trace
}

/// What a link joins: the claim traced and the passage to make evidence for it.
struct LinkRequest {
    pub article: String,
    pub id: AnnotationId,
    pub to: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub rel: Relation,
}

/// [`Effect::LinkEvidence`]: makes the passage evidence for the claim and sends both articles'
/// annotations as they are now, then [`Msg::Linked`]; true when it wrote.
pub(super) fn link(setup: &Setup, handles: &Handles, effect: Effect, send: &dyn Fn(Msg)) -> bool {
    let Effect::LinkEvidence {
        article,
        id,
        to,
        start,
        end,
        text,
        rel,
    } = effect
    else {
        return false;
    };
    let request = LinkRequest {
        article,
        id,
        to,
        start,
        end,
        text,
        rel,
    };
    let result = link_in_store(setup, handles, &request);
    let wrote = result.is_ok();
    for article in [&request.article, &request.to] {
        if wrote && let Ok(path) = handles.store.path_of(article) {
            watch::record_own_write(&handles.own, &path);
        }
    }
    for article in [&request.to, &request.article] {
        let result = handles
            .store
            .load(article)
            .map(|f| f.annotations)
            .map_err(|e| e.to_string());
        send(Msg::AnnotationsLoaded {
            article: article.clone(),
            result,
        });
        if request.to == request.article {
            break;
        }
    }
    send(Msg::Linked {
        article: request.to,
        start: request.start,
        end: request.end,
        result,
    });
    wrote
}

fn link_in_store(
    setup: &Setup,
    handles: &Handles,
    request: &LinkRequest,
) -> Result<AnnotationId, String> {
    let store = &handles.store;
    let first = store
        .load(&request.article)
        .map_err(|e| format!("could not link: {e}"))?
        .annotations
        .into_iter()
        .find(|a| a.id == request.id)
        .ok_or("could not link: the claim traced is gone")?;
    let Some(path) = crate::content::path_of(&setup.content_dir, &request.to) else {
        return Err(format!("{:?} is not an article id", request.to));
    };
    let (article, _) = Article::load(&request.to, &path, setup.max_file_bytes)
        .map_err(|e| format!("could not link: {e}"))?;
    let now_text: String = article
        .text
        .chars()
        .skip(request.start)
        .take(request.end.saturating_sub(request.start))
        .collect();
    if crate::text::shown_text(&now_text) != request.text {
        return Err(format!(
            "could not link: {} changed since it was indexed; trace again",
            clean_line(&request.to)
        ));
    }
    let now = time::OffsetDateTime::now_utc();
    let user = setup.team.user.get().clone();
    let range = (request.start, request.end);
    store
        .link_evidence(
            &first,
            &article.id,
            &article.text,
            range,
            request.rel,
            user,
            now,
        )
        .map(|evidence| evidence.id)
        .map_err(|e| format!("could not link: {e}"))
}
