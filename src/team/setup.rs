//! What makes a workspace shareable: `.gitattributes` routing store files to the merge driver, and
//! `.gitignore` keeping out what is personal or derived. Files are only ever appended to.

use std::io::Write;
use std::path::Path;

/// What each person keeps for themselves, or newsgloss rebuilds: never committed.
pub const IGNORED: &[&str] = &[
    "# newsgloss: personal or derived, never shared",
    // The store's lock, backups and temp files of interrupted writes.
    "**/.lock",
    "**/.backup/",
    "**/.*.tmp.*",
    // Fetch validators and what each fetch wrote (per person; the kept versions are shared).
    "**/.newsgloss/ingest.json",
    "**/.newsgloss/fetched.json",
    "**/.newsgloss/*.tmp*",
    // The reader's own state.
    "**/.newsgloss/reading*",
];

/// The `.gitattributes` line that sends the store files under `annotations` (relative to the top of the
/// repository, with `/` between parts) to the driver.
pub fn attributes_line(annotations: &str) -> String {
    let dir = annotations.trim_matches('/');
    if dir.is_empty() {
        "*.toml merge=newsgloss".to_owned()
    } else {
        format!("/{dir}/**/*.toml merge=newsgloss")
    }
}

/// The driver as git's config names it: the binary at `exe`, quoted for the shell git runs it with.
pub fn driver_command(exe: &Path) -> String {
    let quoted = exe.to_string_lossy().replace('\'', r"'\''");
    format!("'{quoted}' merge-driver %O %A %B %P")
}

/// Appends to the file at `path` each of `lines` it does not hold yet; whether it wrote.
pub fn ensure_lines(path: &Path, lines: &[&str]) -> std::io::Result<bool> {
    let current = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    let have: Vec<&str> = current.lines().map(str::trim).collect();
    let missing: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !have.contains(l))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let mut text = String::new();
    if !current.is_empty() && !current.ends_with('\n') {
        text.push('\n');
    }
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_added_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".gitignore");
        std::fs::write(&path, "/target").unwrap();
        assert!(ensure_lines(&path, &["/target", "a"]).unwrap());
        assert!(!ensure_lines(&path, &["a"]).unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "/target\na\n");
        assert_eq!(
            attributes_line("annotations/"),
            "/annotations/**/*.toml merge=newsgloss"
        );
        assert_eq!(
            driver_command(Path::new("/a b/it's")),
            r"'/a b/it'\''s' merge-driver %O %A %B %P"
        );
    }
}
