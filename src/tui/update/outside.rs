//! Leaving newsgloss for a moment: `O` opens the article's page in the browser (the worker checks its
//! URL and runs the browser), `y` copies the selection, or the annotation under the cursor as a quote
//! with its source and URL, to the clipboard through the terminal.

use super::super::clipboard::{osc52, quote_line};
use super::super::effect::Effect;
use super::super::state::State;
use crate::article::link::browsable;

/// `O` in the reader: the article's URL is checked here, so that an article without one says so at
/// once; the worker reads it again from the file before it opens it.
pub fn browse(state: &mut State) -> Vec<Effect> {
    let Some(reader) = state.reader.as_ref() else {
        return Vec::new();
    };
    match browsable(reader.article.meta.url.as_deref()) {
        Ok(_) => vec![Effect::Browse {
            id: reader.article.id.clone(),
        }],
        Err(why) => {
            state.status.error = Some(why);
            Vec::new()
        }
    }
}

/// `y`: what is copied (the selection, else the annotation under the cursor as a quote), or why
/// nothing is.
fn copied_text(state: &State) -> Result<String, String> {
    let reader = state.reader.as_ref().ok_or("nothing to copy")?;
    if let Some(range) = reader.selection().filter(|r| !r.is_empty()) {
        let text: String = reader
            .article
            .text
            .chars()
            .skip(range.start)
            .take(range.len())
            .collect();
        return Ok(text);
    }
    let annotation = reader
        .annotation_at(reader.cursor)
        .ok_or("nothing to copy: select some text (v), or put the cursor on an annotation")?;
    let meta = &reader.article.meta;
    Ok(quote_line(
        &annotation.quote,
        meta.source.as_deref(),
        meta.url.as_deref(),
    ))
}

/// `y`: builds the OSC 52 sequence for the worker-free write to the terminal, and ends the selection.
pub fn copy(state: &mut State) -> Vec<Effect> {
    if !state.osc52 {
        state.status.error =
            Some("copying is off: set `osc52 = true` under [reader] in config.toml".into());
        return Vec::new();
    }
    let built = copied_text(state).and_then(|text| osc52(&text));
    match built {
        Ok((sequence, chars)) => {
            if let Some(reader) = state.reader.as_mut() {
                reader.visual = None;
            }
            state.status.message = Some(format!(
                "copied {}",
                crate::text::plural(chars, "character")
            ));
            vec![Effect::Copy(sequence)]
        }
        Err(why) => {
            state.status.error = Some(why);
            Vec::new()
        }
    }
}
