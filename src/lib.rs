//! newsgloss: a terminal news reader with annotations.
//!
//! Articles are Markdown files with TOML front matter; each reads as one canonical plain text
//! ([`article::Article::text`]). A tantivy index over them ([`index`]) answers ranked searches with snippets.
//! The domain modules here never touch the terminal: the command line lives in `cli`, the reader in `tui`.
//!
//! ```
//! let source = "+++\ntitle = \"Chips\"\n+++\n\nUS *export* restrictions on advanced chips.\n";
//! let (article, _unknown_keys) = newsgloss::article::Article::parse("chips", source).unwrap();
//! assert_eq!(article.text, "US export restrictions on advanced chips.");
//! ```

pub mod annotation;
pub mod article;
pub mod atomic_file;
pub mod cli;
pub mod config;
pub mod contain;
pub mod content;
pub mod feeds;
pub mod index;
pub mod ingest;
pub mod reading;
pub mod team;
pub mod text;
pub mod trace;
pub mod translation;
pub mod tui;
pub mod workspace;
