//! The article files the last sync could not index, with the size and time they had, kept beside the
//! index: a freshness check passes over a bad file until it changes, instead of reading it (and taking
//! the index writer) before every search.

use std::collections::HashMap;
use std::path::Path;

/// The file beside the index that lists them.
const FILE: &str = "newsgloss-skipped.json";

/// A skipped file as it was: size, modification time, and its annotation file's size and time.
pub type Stamp = (u64, i64, (u64, i64));

/// The skipped files of the index in `dir`, by article id (none when the list is missing or unreadable:
/// then they are read again, which costs time, never correctness).
pub fn load(dir: Option<&Path>) -> HashMap<String, Stamp> {
    dir.and_then(|dir| std::fs::read(dir.join(FILE)).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Replaces the list (written whole to a temp file and renamed, so a reader never sees half of it).
pub fn save(dir: Option<&Path>, skipped: &HashMap<String, Stamp>) -> std::io::Result<()> {
    let Some(dir) = dir else {
        return Ok(());
    };
    let path = dir.join(FILE);
    if skipped.is_empty() {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    let temp = dir.join(format!("{FILE}.tmp"));
    std::fs::write(
        &temp,
        serde_json::to_vec(skipped).expect("a map of stamps serialises"),
    )?;
    std::fs::rename(temp, path)
}
