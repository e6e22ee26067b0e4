//! Integration tests, one binary (as ripgrep does): the command line on corpora written into temp dirs,
//! the shared corpora when present, and the reader in a real terminal.

mod annotations;
mod cli;
mod corpus;
mod ingest;
mod support;
mod tui;
