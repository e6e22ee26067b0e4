//! How the command line prints: warnings on stderr, bold highlights only on a terminal that wants colour,
//! a progress bar only on a terminal, and every piece of article text made inert before it is written.

use std::io::IsTerminal;
use std::ops::Range;

use super::Failure;
use crate::article::clean::clean_line;
use crate::content::ContentError;
use crate::index::IndexError;

/// Prints one warning line on stderr.
pub fn warn(message: &str) {
    eprintln!("warning: {}", clean_line(message));
}

/// Prints one line of information on stderr (something the user should know, not a problem).
pub fn note(message: &str) {
    eprintln!("note: {}", clean_line(message));
}

/// `1 article`, `2 articles`: a count and its noun, plural when it is not one.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Whether stdout is a terminal.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Whether stderr is a terminal (progress bars go there).
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// Whether to use bold and colour on stdout: a terminal, and `NO_COLOR` unset or empty.
pub fn styled() -> bool {
    stdout_is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `text` with the scalar-value `ranges` in bold when `styled`; the text is inert either way.
pub fn emphasise(text: &str, ranges: &[Range<usize>], styled: bool) -> String {
    let text = clean_line(text);
    if !styled || ranges.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len() + ranges.len() * 9);
    let mut ranges = ranges.iter().peekable();
    for (i, c) in text.chars().enumerate() {
        if ranges.peek().is_some_and(|r| r.start == i) {
            out.push_str("\x1b[1m");
        }
        out.push(c);
        if let Some(r) = ranges.peek()
            && i + 1 == r.end
        {
            out.push_str("\x1b[22m");
            ranges.next();
        }
    }
    out
}

/// An index problem as a command failure.
pub fn index_failure(error: IndexError) -> Failure {
    match error {
        IndexError::NotAnIndex(_) => Failure::BadInput(error.to_string()),
        _ => Failure::Failed(error.to_string()),
    }
}

/// A content dir problem as a command failure: a missing or wrong dir is the user's to fix.
pub fn content_failure(error: ContentError) -> Failure {
    match error {
        ContentError::Missing(_) | ContentError::NotADirectory(_) => {
            Failure::BadInput(error.to_string())
        }
        ContentError::Io { .. } => Failure::Failed(error.to_string()),
    }
}

/// A progress bar on stderr when it is a terminal, hidden otherwise.
pub fn progress_bar(what: &str) -> indicatif::ProgressBar {
    if !stderr_is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(0);
    let style =
        indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} files, {eta} left")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(what.to_owned());
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_marks_ranges_and_cleans() {
        assert_eq!(
            emphasise("US chips\x1b[31m", &[3..8, 9..9], true),
            "US \x1b[1mchips\x1b[22m"
        );
        assert_eq!(emphasise("US chips", &[3..8, 9..9], false), "US chips");
        assert_eq!(
            emphasise("芯片 chips", &[0..2, 9..9], true),
            "\x1b[1m芯片\x1b[22m chips"
        );
    }
}
