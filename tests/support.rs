//! Helpers shared by the integration tests: a `newsgloss` command isolated from the user's dirs, article
//! files written into temp dirs, and the shared corpora when they are there.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A temp workspace: a content dir, an index dir, and a home whose config and cache dirs are empty.
pub struct Workspace {
    pub root: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        let root = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(root.path().join("content")).unwrap();
        std::fs::create_dir_all(root.path().join("home")).unwrap();
        Workspace { root }
    }

    /// A workspace holding the repository's own content (the seed article).
    pub fn with_seed() -> Workspace {
        let ws = Workspace::new();
        let seed = repo().join("content/alibaba-cloud-spin-off.md");
        std::fs::copy(seed, ws.content().join("alibaba-cloud-spin-off.md")).unwrap();
        ws
    }

    pub fn content(&self) -> PathBuf {
        self.root.path().join("content")
    }

    pub fn index(&self) -> PathBuf {
        self.root.path().join("index")
    }

    /// Writes an article file under the content dir.
    pub fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.content().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `newsgloss` run in the workspace root with `--content` and `--index` set and no user config.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.process())
    }

    /// The same as a plain process, for a test that spawns it and kills it.
    pub fn process(&self) -> std::process::Command {
        let mut cmd = isolated_process(self.root.path());
        cmd.current_dir(self.root.path())
            .arg("--content")
            .arg(self.content())
            .arg("--index")
            .arg(self.index());
        cmd
    }
}

/// `newsgloss` with HOME and the XDG dirs pointed into `root/home`, and no config from the environment.
pub fn isolated(root: &Path) -> Command {
    Command::from_std(isolated_process(root))
}

fn isolated_process(root: &Path) -> std::process::Command {
    let home = root.join("home");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_newsgloss"));
    cmd.env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env_remove("NEWSGLOSS_CONFIG")
        .env_remove("NO_COLOR");
    cmd
}

/// An article file's text.
pub fn article(title: &str, extra: &str, body: &str) -> String {
    format!("+++\ntitle = {title:?}\n{extra}+++\n\n{body}\n")
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/corpus/<name>` when it is there; otherwise prints a notice and returns `None`.
pub fn shared_corpus(name: &str) -> Option<PathBuf> {
    shared(&format!("corpus/{name}"))
}

/// `../shared/<path>` when it is there; otherwise prints a notice and returns `None`.
pub fn shared(path: &str) -> Option<PathBuf> {
    let dir = repo().join("../shared").join(path);
    if dir.exists() {
        Some(dir)
    } else {
        println!("notice: {} is not here; skipping this test", dir.display());
        None
    }
}

/// Copies every file of `from` into `to` (one level, as the shared corpora are laid out).
pub fn copy_dir(from: &Path, to: &Path) -> usize {
    std::fs::create_dir_all(to).unwrap();
    let mut count = 0;
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            count += 1;
        }
    }
    count
}

/// The standard output of a successful run, as text.
pub fn stdout_of(cmd: &mut Command) -> String {
    let output = cmd.output().expect("runs");
    assert!(
        output.status.success(),
        "failed: {}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}
