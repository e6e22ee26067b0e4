//! A team's workspace over git: a bare repository and two clones in a temp dir (`file://`, no network),
//! both people tagging claims in the same article, editing and deleting each other's, and syncing in turn —
//! with `newsgloss sync`, and with plain `git pull` and the merge driver alone. git's own configuration on
//! this machine is neither read nor changed: each test has its own global config file and home.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::repo;

const SEED: &str = "alibaba-cloud-spin-off";
const SPIN_OFF: &str = "it has just announced its decision to terminate the Alibaba Cloud spin-off";
const CHIPS: &str = "export restrictions on advanced computing chips";
const PROFIT: &str = "representing a 264% increase";
const CHATGPT: &str = "ChatGPT gained global popularity";
const STEPPING: &str = "with Zhang stepping down";

/// One person's clone, with a home of their own.
struct Clone {
    dir: PathBuf,
    home: PathBuf,
    global: PathBuf,
}

impl Clone {
    fn env(&self, cmd: &mut Command) {
        cmd.current_dir(&self.dir)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("GIT_CONFIG_GLOBAL", &self.global)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("NEWSGLOSS_CONFIG");
    }

    fn newsgloss(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsgloss"));
        self.env(&mut cmd);
        cmd.args(args).output().expect("newsgloss runs")
    }

    /// A newsgloss command that must succeed; its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.newsgloss(args);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "newsgloss {args:?} in {}: {text}{}",
            self.dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        text
    }

    fn git(&self, args: &[&str]) -> String {
        git_in(&self.dir, self, args)
    }

    fn annotate(&self, quote: &str, tag: &str) -> String {
        self.ok(&["annotate", SEED, "--quote", quote, "--tag", tag])
            .trim()
            .to_owned()
    }

    fn claims(&self) -> Vec<Value> {
        let out = self.ok(&["annotations", "--format", "json"]);
        serde_json::from_str::<Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    fn claim(&self, id: &str) -> Option<Value> {
        self.claims().into_iter().find(|c| c["id"] == id)
    }
}

fn git_in(dir: &Path, who: &Clone, args: &[&str]) -> String {
    let mut cmd = Command::new("git");
    who.env(&mut cmd);
    let out = cmd.current_dir(dir).args(args).output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A bare repository and two clones of it, A (Ana, named in her personal config) and B (Ben, named only
/// in git's config); A has pushed the workspace and B has synced once.
fn team(root: &Path) -> (Clone, Clone) {
    let global = root.join("gitconfig");
    std::fs::write(&global, "[init]\n\tdefaultBranch = main\n").unwrap();
    let person = |name: &str| Clone {
        dir: root.join(name),
        home: root.join(format!("home-{name}")),
        global: global.clone(),
    };
    let (a, b) = (person("a"), person("b"));
    let remote = root.join("remote.git");
    git_in(
        root,
        &a,
        &["init", "--quiet", "--bare", remote.to_str().unwrap()],
    );
    let url = format!("file://{}", remote.display());
    git_in(root, &a, &["clone", "--quiet", &url, "a"]);
    a.git(&["config", "user.name", "ana-git"]);
    a.git(&["config", "user.email", "ana@git.example"]);
    let personal = a.home.join(".config/newsgloss");
    std::fs::create_dir_all(&personal).unwrap();
    std::fs::write(
        personal.join("config.toml"),
        "[user]\nname = \"Ana\"\nemail = \"ana@example.com\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(a.dir.join("content")).unwrap();
    std::fs::copy(
        repo().join("content").join(format!("{SEED}.md")),
        a.dir.join("content").join(format!("{SEED}.md")),
    )
    .unwrap();
    std::fs::write(a.dir.join("config.toml"), "[search]\nlimit = 20\n").unwrap();
    let first = a.ok(&["sync"]);
    assert!(first.contains("committed: 1 article added"), "{first}");
    git_in(root, &b, &["clone", "--quiet", &url, "b"]);
    b.git(&["config", "user.name", "Ben"]);
    b.git(&["config", "user.email", "ben@example.com"]);
    b.ok(&["sync"]);
    (a, b)
}

/// Every tracked file of a clone, with its bytes.
fn tracked(c: &Clone) -> Vec<(String, Vec<u8>)> {
    c.git(&["ls-files"])
        .lines()
        .map(|f| (f.to_owned(), std::fs::read(c.dir.join(f)).unwrap()))
        .collect()
}

/// The claims both people make and change, then `exchange` run to bring the clones together; checks the
/// outcome.
fn the_team_works(exchange: impl Fn(&Clone, &Clone)) {
    let root = tempfile::tempdir().unwrap();
    let (a, b) = team(root.path());
    // Two claims both clones hold before they part ways.
    let x = a.annotate(SPIN_OFF, "spin-off");
    let y = a.annotate(CHIPS, "chip-restrictions");
    exchange(&a, &b);
    assert!(b.claim(&x).is_some() && b.claim(&y).is_some());
    // Apart: each adds a claim; A edits x's note, which B deletes later; A edits y, B retags it later.
    let from_a = a.annotate(PROFIT, "profit-jump");
    let from_b = b.annotate(CHATGPT, "ai-compute");
    let also_b = b.annotate(STEPPING, "org-restructuring");
    a.ok(&["annotations", "edit", &x, "--note", "the spin-off is off"]);
    a.ok(&["annotations", "edit", &y, "--note", "the reason given"]);
    b.ok(&["annotations", "delete", &x]);
    b.ok(&[
        "annotations",
        "edit",
        &y,
        "--tag",
        "ai-compute",
        "--remove-tag",
        "chip-restrictions",
    ]);
    exchange(&a, &b);
    for c in [&a, &b] {
        assert!(
            c.claim(&x).is_none(),
            "the later delete wins in {}",
            c.dir.display()
        );
        let y = c.claim(&y).expect("y is kept");
        assert_eq!(y["note"], "the reason given");
        assert_eq!(y["tags"], serde_json::json!(["ai-compute"]));
        assert_eq!(y["creator"]["name"], "Ana");
        assert_eq!(y["creator"]["email"], "ana@example.com");
        assert_eq!(y["editor"]["name"], "Ben");
        assert_eq!(c.claim(&from_a).unwrap()["creator"]["name"], "Ana");
        assert_eq!(c.claim(&from_b).unwrap()["creator"]["name"], "Ben");
        assert_eq!(
            c.claim(&also_b).unwrap()["creator"]["email"],
            "ben@example.com"
        );
        assert_eq!(c.claims().len(), 4);
        assert_eq!(
            c.git(&["status", "--porcelain"]),
            "",
            "{} is clean",
            c.dir.display()
        );
        for (file, bytes) in tracked(c) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("<<<<<<<") && !text.contains(">>>>>>>"),
                "{file} has conflict markers"
            );
        }
    }
    assert_eq!(
        tracked(&a),
        tracked(&b),
        "both clones hold the same files, byte for byte"
    );
    let store = format!("annotations/{SEED}.toml");
    for c in [&a, &b] {
        let attr = c.git(&["check-attr", "merge", "--", &store]);
        assert!(attr.trim_end().ends_with("merge: newsgloss"), "{attr}");
        let driver = c.git(&["config", "merge.newsgloss.driver"]);
        assert!(driver.contains("merge-driver %O %A %B %P"), "{driver}");
    }
    assert_eq!(a.git(&["rev-parse", "HEAD"]), b.git(&["rev-parse", "HEAD"]));
}

#[test]
fn two_clones_syncing_in_turn_end_the_same() {
    the_team_works(|a, b| {
        for _ in 0..2 {
            a.ok(&["sync"]);
            b.ok(&["sync"]);
        }
    });
}

#[test]
fn sync_commits_say_what_changed_and_refuse_conflicted_articles() {
    let root = tempfile::tempdir().unwrap();
    let (a, b) = team(root.path());
    a.annotate(SPIN_OFF, "spin-off");
    a.annotate(CHIPS, "chip-restrictions");
    a.ok(&["sync"]);
    assert_eq!(
        a.git(&["log", "-1", "--format=%s"]).trim(),
        "2 claims added"
    );
    let came_in = b.ok(&["sync"]);
    assert!(
        came_in.contains("came in: 2 claims added (Ana 2)"),
        "{came_in}"
    );
    let hits = b.ok(&["search", "creator:ana"]);
    assert!(hits.contains(SEED), "{hits}");
    let article = b.dir.join("content").join(format!("{SEED}.md"));
    let text = std::fs::read_to_string(&article).unwrap();
    let conflicted = text
        .replacen(
            "\nOn November 16",
            "\n<<<<<<< ours\nOn November 15\n=======\nOn November 16",
            1,
        )
        .replacen("year.\n", "year.\n>>>>>>> theirs\n", 1);
    std::fs::write(&article, conflicted).unwrap();
    let out = b.newsgloss(&["sync"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("{SEED}.md:10: unresolved merge conflict")),
        "{stderr}"
    );
    let listed = b.newsgloss(&["index"]);
    assert!(String::from_utf8_lossy(&listed.stderr).contains("unresolved merge conflict"));
    // Not a repository: one sentence saying how to make it one.
    let global = root.path().join("gitconfig-lone");
    std::fs::write(
        &global,
        "[user]\n\tname = Lone\n\temail = lone@example.com\n",
    )
    .unwrap();
    let lone = Clone {
        dir: root.path().join("lone"),
        global,
        ..b
    };
    std::fs::create_dir_all(&lone.dir).unwrap();
    let out = lone.newsgloss(&["sync"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`newsgloss sync --init` makes it one"));
    assert!(lone.newsgloss(&["sync", "--init"]).status.success());
    assert!(lone.dir.join(".git").is_dir() && lone.dir.join(".gitattributes").is_file());
}

#[test]
fn a_refused_push_keeps_the_commit_for_the_next_sync() {
    let root = tempfile::tempdir().unwrap();
    let (a, _b) = team(root.path());
    let remote = root.path().join("remote.git");
    let moved = root.path().join("elsewhere.git");
    std::fs::rename(&remote, &moved).unwrap();
    let id = a.annotate(SPIN_OFF, "spin-off");
    let out = a.newsgloss(&["sync"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("your commit is kept"), "{stderr}");
    assert_eq!(a.git(&["log", "-1", "--format=%s"]).trim(), "1 claim added");
    std::fs::rename(&moved, &remote).unwrap();
    a.ok(&["sync"]);
    assert_eq!(
        a.git(&["rev-parse", "HEAD"]),
        a.git(&["rev-parse", "origin/main"])
    );
    assert!(a.claim(&id).is_some());
}

#[test]
fn plain_git_pull_merges_through_the_driver_alone() {
    the_team_works(|a, b| {
        for _ in 0..2 {
            for c in [a, b] {
                c.git(&["add", "--all"]);
                if !c.git(&["status", "--porcelain"]).is_empty() {
                    c.git(&["commit", "--quiet", "-m", "claims"]);
                }
                c.git(&["pull", "--quiet", "--no-rebase", "--no-edit"]);
                c.git(&["push", "--quiet"]);
            }
        }
    });
}

/// The reader open in A: its sync key brings B's claim, which the claims view shows with B's name. (The
/// sync runs from the reader's own key, so this does not depend on watching the workspace's files.)
#[test]
fn the_readers_sync_key_brings_a_teammates_claim_into_the_claims_view() {
    use crate::tui::{Tmux, have_tmux};
    if !have_tmux() {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let (a, b) = team(root.path());
    b.annotate(CHATGPT, "ai-compute");
    b.ok(&["sync"]);
    let tmux = Tmux::start(100, 30, &a.dir);
    tmux.text(&format!(
        "env -u NEWSGLOSS_CONFIG -u NO_COLOR HOME='{home}' XDG_CONFIG_HOME='{home}/.config' \
         XDG_CACHE_HOME='{home}/.cache' GIT_CONFIG_GLOBAL='{global}' GIT_CONFIG_NOSYSTEM=1 '{bin}'; \
         echo EXITED $?",
        home = a.home.display(),
        global = a.global.display(),
        bin = env!("CARGO_BIN_EXE_newsgloss"),
    ));
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["LIBRARY", "Alibaba Cloud calls off"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for(&["READER"]);
    tmux.text("S");
    tmux.wait_for(&["synced: nothing to commit; came in: 1 claim added (Ben)"]);
    tmux.text("c");
    tmux.wait_for(&["CLAIMS", "ChatGPT gained global popularity", "· by Ben"]);
    tmux.keys(&["C-c"]);
    tmux.wait_for(&["EXITED 0"]);
    assert_eq!(a.claims().len(), 1);
}

/// `sync` killed with SIGKILL at points through its run (committing, merging, pushing) leaves a
/// repository that the next `sync` carries on from, with every claim saved before it.
#[test]
fn a_sync_killed_anywhere_is_carried_on_by_the_next() {
    let root = tempfile::tempdir().unwrap();
    let (a, b) = team(root.path());
    let mut expected = Vec::new();
    for (round, delay) in [5u64, 40, 90, 150, 250].into_iter().enumerate() {
        let quote = [SPIN_OFF, CHIPS, PROFIT, CHATGPT, STEPPING][round];
        expected.push(a.annotate(quote, "spin-off"));
        a.ok(&["sync"]);
        expected.push(b.annotate(quote, "ai-compute"));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsgloss"));
        b.env(&mut cmd);
        let mut child = cmd
            .arg("sync")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        // A git command it had started finishes on its own; wait until none holds the index.
        let lock = b.dir.join(".git/index.lock");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while lock.exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        b.ok(&["sync"]);
        a.ok(&["sync"]);
        for c in [&a, &b] {
            for id in &expected {
                assert!(
                    c.claim(id).is_some(),
                    "round {round}: {id} lost in {}",
                    c.dir.display()
                );
            }
            assert_eq!(c.git(&["status", "--porcelain"]), "");
        }
        b.git(&["fsck", "--no-progress"]);
    }
    assert_eq!(tracked(&a), tracked(&b));
}
