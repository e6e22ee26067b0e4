//! Translations beside their originals on the command line: `show ID --with-original` on a temp
//! workspace holding a Chinese original and an English translation of it.

use crate::support::{Workspace, article, stdout_of};
use crate::tui::{Tmux, have_tmux};

const ZH: &str = "阿里巴巴集团宣布，不再推进阿里云的完全分拆。\n\n\
公司表示，美国扩大对先进计算芯片的出口限制，给云业务带来了不确定性。这些限制可能影响其提供计算租赁服务和升级技术的能力，因此分拆未必能提升股东价值。\n\n\
分析人士认为，人工智能的算力需求仍在上升。";

const EN: &str = "Alibaba Group said it will no longer pursue the full spin-off of Alibaba Cloud.\n\n\
The company said the expanded US restrictions on exports of advanced computing chips have created uncertainty for the cloud business.\n\n\
These restrictions may affect its ability to offer computing rental services and to upgrade its technology, so a spin-off might not raise shareholder value.\n\n\
Analysts believe that demand for AI computing power is still rising.";

/// A workspace with the original at `zh/aliyun` and the translation at `aliyun`, which names it by
/// `original_url` (a different scheme case and a trailing slash).
fn workspace() -> Workspace {
    let ws = Workspace::new();
    ws.write(
        "zh/aliyun.md",
        article(
            "阿里云取消分拆上市",
            "language = \"zh\"\nurl = \"https://example.cn/aliyun\"\n",
            ZH,
        ),
    );
    ws.write(
        "aliyun.md",
        article(
            "Alibaba Cloud calls off its spin-off",
            "original_url = \"HTTPS://example.cn/aliyun/\"\n",
            EN,
        ),
    );
    ws
}

#[test]
fn piped_it_prints_each_pair_one_after_the_other() {
    let ws = workspace();
    let out = stdout_of(ws.cmd().args(["show", "aliyun", "--with-original"]));
    let expected_order = [
        "Alibaba Cloud calls off its spin-off",
        "阿里云取消分拆上市",
        "── 1/3 · aliyun ─",
        "Alibaba Group said",
        "── 1/3 · zh/aliyun (original) ─",
        "阿里巴巴集团宣布",
        "── 2/3 · aliyun ─",
        "The company said",
        "These restrictions",
        "── 2/3 · zh/aliyun (original) ─",
        "公司表示",
        "── 3/3 · aliyun ─",
        "Analysts believe",
        "── 3/3 · zh/aliyun (original) ─",
        "分析人士认为",
    ];
    let mut at = 0;
    for piece in expected_order {
        let found = out[at..]
            .find(piece)
            .unwrap_or_else(|| panic!("{piece:?} not after byte {at}:\n{out}"));
        at += found + piece.len();
    }
    assert!(
        out.lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80)
    );
}

#[test]
fn an_original_is_shown_with_its_translation() {
    let ws = workspace();
    let out = stdout_of(ws.cmd().args(["show", "zh/aliyun", "--with-original"]));
    assert!(out.contains("── 2/3 · aliyun (translation) ─"), "{out}");
    let zh = out.find("公司表示").unwrap();
    let en = out.find("These restrictions").unwrap();
    assert!(zh < en, "{out}");
}

#[test]
fn translation_of_names_the_original_by_id() {
    let ws = workspace();
    ws.write(
        "by-id.md",
        article("By id", "translation_of = \"zh/aliyun\"\n", EN),
    );
    let out = stdout_of(ws.cmd().args(["show", "by-id", "--with-original"]));
    assert!(out.contains("── 1/3 · zh/aliyun (original) ─"), "{out}");
}

#[test]
fn a_missing_original_is_one_sentence_and_exit_2() {
    let ws = workspace();
    ws.write(
        "orphan.md",
        article("Orphan", "translation_of = \"zh/gone\"\n", EN),
    );
    ws.write("alone.md", article("Alone", "", EN));
    for (id, says) in [
        (
            "orphan",
            "names its original \"zh/gone\" (translation_of), but there is no article with that id",
        ),
        ("alone", "has no original and no translation"),
        ("nope", "no article with id \"nope\""),
    ] {
        let output = ws
            .cmd()
            .args(["show", id, "--with-original"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{id}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{id}: {stderr}");
        assert!(stderr.contains(says), "{id}: {stderr}");
        assert!(output.stdout.is_empty());
    }
    ws.cmd()
        .args(["show", "aliyun", "--with-original", "--plain"])
        .assert()
        .code(2);
}

/// Polls the pane until `ready` holds (10 s at most).
fn wait_until(tmux: &Tmux, ready: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let screen = tmux.capture();
        if ready(&screen) {
            return screen;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out; the screen:\n{screen}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The gutter's display column on every row of a side-by-side screen that has one.
fn gutter_columns(screen: &str) -> Vec<usize> {
    screen
        .lines()
        .filter_map(|line| {
            let at = line.find(['│', '┃', '┼'])?;
            Some(unicode_width::UnicodeWidthStr::width(&line[..at]))
        })
        .collect()
}

#[test]
fn side_by_side_in_a_real_terminal_at_80_and_120_columns() {
    if !have_tmux() {
        return;
    }
    for (width, height) in [(80u16, 24u16), (120, 30)] {
        let ws = workspace();
        let tmux = Tmux::start(width, height, ws.root.path());
        let home = ws.root.path().join("home");
        let command = format!(
            "env -u NEWSGLOSS_CONFIG -u NO_COLOR HOME='{home}' XDG_CACHE_HOME='{home}/cache' XDG_CONFIG_HOME='{home}/config' '{bin}' --content '{content}' --index '{index}' --annotations '{annotations}'; echo EXITED $?",
            home = home.display(),
            bin = env!("CARGO_BIN_EXE_newsgloss"),
            content = ws.content().display(),
            index = ws.index().display(),
            annotations = ws.root.path().join("annotations").display(),
        );
        tmux.text(&command);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["LIBRARY", "Alibaba Cloud calls off its spin-off"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["READER", "Alibaba Group said"]);
        tmux.text("p");
        // The status bar, the last row drawn, says the view is open: the frame is all on screen.
        let screen = tmux.wait_for(&[
            "original: zh/aliyun · zh",
            "公司表示",
            "beside its original",
        ]);
        // The gutter is in one column on every row, and no row is wider than the window.
        let columns = gutter_columns(&screen);
        assert!(columns.len() > 10, "{screen}");
        assert!(
            columns.iter().all(|&c| c == columns[0]),
            "{width}: {screen}"
        );
        for line in screen.lines() {
            assert!(unicode_width::UnicodeWidthStr::width(line) <= usize::from(width));
        }
        // Each pair starts level: the original's second paragraph beside the translation's second.
        let row = screen.lines().find(|l| l.contains("The company")).unwrap();
        assert!(row.contains("公司表示"), "{screen}");
        // The cursor to the second paragraph: its pair is marked in the gutter.
        tmux.keys(&["Down", "Down", "Down", "Down", "Down"]);
        let screen = wait_until(&tmux, |screen| {
            screen
                .lines()
                .any(|l| l.contains('┃') && l.contains("公司表示"))
        });
        let lit: Vec<&str> = screen.lines().filter(|l| l.contains('┃')).collect();
        assert!(!lit.iter().any(|l| l.contains("Alibaba Group")), "{screen}");
        // Select a word of the translation and tag it.
        tmux.text("wvet");
        tmux.wait_for(&["Tag the selection"]);
        tmux.keys(&["Down", "Space", "Enter"]);
        tmux.keys(&["Escape"]);
        tmux.wait_for(&["tagged chip-restrictions"]);
        // The store writes on the worker thread: the file follows the status bar by a moment.
        let file = ws.root.path().join("annotations/aliyun.toml");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !std::fs::read_to_string(&file).is_ok_and(|s| s.contains("\"chip-restrictions\"")) {
            assert!(std::time::Instant::now() < deadline, "no annotation stored");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        // Tab: the original on the left, with the cursor.
        // (Polled until the frame is all on screen: tmux may be read while it is being written.)
        tmux.keys(&["Tab"]);
        wait_until(&tmux, |screen| {
            let columns = gutter_columns(screen);
            screen.contains("translation: aliyun · en")
                && columns.len() > 10
                && columns.iter().all(|&c| c == columns[0])
        });
        tmux.text("p");
        let screen = tmux.wait_for(&["READER", "https://example.cn/aliyun"]);
        assert!(!screen.contains("translation: aliyun"), "closed: {screen}");
        tmux.text("qq");
        tmux.wait_for(&["EXITED 0"]);
    }
}
