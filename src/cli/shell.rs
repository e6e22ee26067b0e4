//! What the command line tells a shell and a manual reader about itself: completion scripts
//! (`newsgloss completions bash|zsh|fish|elvish|powershell`) and the man page (`newsgloss man`), both
//! generated from the clap definitions, so they never drift from the commands.

use std::io::Write;

use clap::CommandFactory;

use super::{Cli, Failure};

/// Prints the completion script for `shell` on stdout.
pub fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "newsgloss", &mut out);
    write_out(&out)
}

/// Prints the man page (roff) on stdout: `newsgloss man > newsgloss.1`.
pub fn man() -> Result<(), Failure> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| Failure::Failed(format!("cannot write the man page: {e}")))?;
    write_out(&out)
}

fn write_out(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Failed(format!("cannot write to stdout: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    fn script(shell: clap_complete::Shell) -> String {
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "newsgloss", &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn bash_completes_subcommands_and_flags() {
        let bash = script(clap_complete::Shell::Bash);
        for word in [
            "search", "annotate", "export", "--limit", "--quote", "--config",
        ] {
            assert!(bash.contains(word), "{word} missing from the bash script");
        }
    }

    #[test]
    fn the_man_page_names_every_subcommand() {
        let mut out = Vec::new();
        clap_mangen::Man::new(Cli::command())
            .render(&mut out)
            .unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(
            page.starts_with(".ie") || page.contains(".TH newsgloss"),
            "{page}"
        );
        for sub in Cli::command()
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
        {
            assert!(page.contains(sub.get_name()), "{} missing", sub.get_name());
        }
    }
}
