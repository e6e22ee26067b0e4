//! The `newsgloss` binary: parse the command line, run it, and turn any failure into one clear sentence
//! and an exit code (2 for the user's own bad input, 1 otherwise, 128 + n after signal n).

use std::process::ExitCode;

use clap::Parser;
use newsgloss::article::clean::clean_line;
use newsgloss::cli::{self, Cli};

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        if newsgloss::contain::is_containing() {
            return;
        }
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .map(|m| format!(" ({})", clean_line(&m)))
            .unwrap_or_default();
        eprintln!(
            "newsgloss: internal error{place}{what}; this is a bug in newsgloss, please report it. \
             Everything saved before it happened is kept."
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            eprintln!("newsgloss: {}", cli::usage_error(&e));
            return ExitCode::from(2);
        }
    };
    match cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("newsgloss: {}", failure.message());
            ExitCode::from(failure.exit_code())
        }
    }
}
