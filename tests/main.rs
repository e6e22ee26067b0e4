//! Integration tests, one binary (as ripgrep does): the command line on corpora written into temp dirs,
//! the shared corpora when present, and the reader in a real terminal.

mod annotations;
mod cjk;
mod cli;
mod content_files;
mod corpus;
mod crashes;
mod feeds_opml;
mod hostile;
mod ingest;
mod live;
mod query_cost;
mod reading;
mod signals;
mod storage;
mod superlinear;
mod support;
mod team;
mod trace;
mod trade;
mod translations;
mod tui;
mod tui_live;
mod tui_reading;
mod tui_sources;
mod tui_trace;
