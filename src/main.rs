//! The `newsgloss` binary: parse the command line, run it, and turn any failure into one clear sentence
//! and an exit code (2 for the user's own bad input, 1 otherwise).

use std::process::ExitCode;

use clap::Parser;
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
        eprintln!("newsgloss: internal error{place}; please report it");
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
