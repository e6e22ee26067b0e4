//! The hostile workspace on disk: every kind of hostile text, and every field of articles, file names, the
//! config and an imported annotation store holding it.

use std::path::Path;

use crate::article::Article;
use crate::workspace::Workspace;

/// Every kind of hostile text, one piece each: the C0 and C1 controls and DEL alone, escape sequences in
/// their 7- and 8-bit forms (CSI, OSC with BEL and ST, OSC 8 links, OSC 52 clipboard writes, DCS, APC, PM,
/// SOS, an unterminated OSC), bidi and invisible format characters, and tabs.
pub fn hostile_pieces() -> Vec<String> {
    let mut pieces: Vec<String> = (0u32..0x20)
        .chain([0x7f])
        .chain(0x80..0xa0)
        .filter_map(char::from_u32)
        .map(String::from)
        .collect();
    for csi in ["\x1b[", "\u{9b}"] {
        for tail in ["31m", "2J", "H", "?1049l", "?25l", "6n", "1;2r", "0c", ">q"] {
            pieces.push(format!("{csi}{tail}"));
        }
    }
    for (osc, end) in [
        ("\x1b]", "\x07"),
        ("\x1b]", "\x1b\\"),
        ("\u{9d}", "\u{9c}"),
        ("\u{9d}", "\x07"),
    ] {
        pieces.push(format!("{osc}0;pwned{end}"));
        pieces.push(format!(
            "{osc}8;;http://evil.example/{end}clickme{osc}8;;{end}"
        ));
        pieces.push(format!("{osc}52;c;aGVsbG8={end}"));
        pieces.push(format!("{osc}1337;File=inline=1:AAAA{end}"));
    }
    for (intro, c1) in [
        ("\x1bP", '\u{90}'),
        ("\x1b_", '\u{9f}'),
        ("\x1b^", '\u{9e}'),
        ("\x1bX", '\u{98}'),
    ] {
        pieces.push(format!("{intro}pwned$qm\x1b\\"));
        pieces.push(format!("{c1}pwned\u{9c}"));
    }
    pieces.extend(["\x1bc", "\x1b7", "\x1b(0", "\x1b#8", "\x1b]0;pwned"].map(String::from));
    pieces.extend(
        [
            '\u{61c}', '\u{200b}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}',
            '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{feff}',
            '\u{2028}', '\u{2029}', '\u{ad}', '\u{2060}',
        ]
        .map(String::from),
    );
    pieces.push("a\tb\t\tc".into());
    pieces
}

/// All the pieces in one string, between ordinary words.
pub fn evil() -> String {
    hostile_pieces()
        .iter()
        .enumerate()
        .map(|(i, p)| format!("w{i}{p}"))
        .collect()
}

/// A TOML basic string holding `s` (control characters escaped, as a hostile store or export would).
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => out.extend(['\\', c]),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The workspace on disk, every field hostile. Returns the workspace (the real config loader reads its
/// `config.toml`).
pub fn hostile_workspace(dir: &Path) -> Workspace {
    let evil = evil();
    let content = dir.join("content");
    std::fs::create_dir_all(content.join(".newsgloss/versions/hostile")).unwrap();
    let article = |title: &str, body: &str| {
        format!(
            "+++\ntitle = {title}\nsource = {e}\nauthor = {e}\nurl = {url}\noriginal_source = {e}\n\
             original_title = {e}\noriginal_url = {url}\ntags = [{e}]\npublished = 2024-01-02\n+++\n\n{body}\n",
            title = toml_string(title),
            e = toml_string(&evil),
            url = toml_string(&format!("javascript:alert(1)//{evil}")),
        )
    };
    let body = format!(
        "# {evil}\n\nThe needle paragraph {evil} ends here.\n\n[a link {evil}](javascript:alert(1)) and \
         <script>{evil}</script>\n\n> {evil}\n\n- {evil}\n- needle two\n\n| {evil} | b |\n|---|---|\n| c | d |\n\n\
         ```\n{evil}\n```\n\nLast needle paragraph."
    );
    std::fs::write(content.join("hostile.md"), article(&evil, &body)).unwrap();
    std::fs::write(
        content.join(".newsgloss/versions/hostile/20240101T000000Z\u{202e}\x1b]0;pwned\x07.md"),
        article(
            &evil,
            &format!("An older {evil} paragraph.\n\nThe needle was here."),
        ),
    )
    .unwrap();
    std::fs::write(
        content.join(".newsgloss/versions/hostile/20240101T000000Z.md"),
        article(
            &evil,
            &format!("Older {evil} text.\n\nThe needle paragraph."),
        ),
    )
    .unwrap();
    std::fs::write(
        content.join("plain.md"),
        article("A needle in plain words", "One needle here."),
    )
    .unwrap();
    // Not UTF-8: in the body, and in the file name; a name holding escapes and bidi overrides.
    let mut bytes = article("Broken", "x").into_bytes();
    bytes.extend_from_slice(b"\xff\xfe\x1b]0;pwned\x07 needle \xc3\x28");
    std::fs::write(content.join("broken.md"), bytes).unwrap();
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"bad\xff\x1b]0;pwned\x07.md");
        std::fs::write(content.join(name), article("Bad name", "needle")).unwrap();
    }
    std::fs::write(
        content.join(format!("evil\u{202e}\x1b[2J{}.md", '\u{9b}')),
        article("Evil name", "needle"),
    )
    .unwrap();
    let annotations = dir.join("annotations");
    std::fs::create_dir_all(&annotations).unwrap();
    // A store file that does not parse, with hostile bytes in it.
    std::fs::write(
        annotations.join("plain.toml"),
        format!(
            "[[annotation]]\nid = {}\n\x1b]0;pwned\x07\u{202e}",
            toml_string(&evil)
        ),
    )
    .unwrap();
    let config = format!(
        "[paths]\ncontent = \"content\"\nannotations = \"annotations\"\nindex = \"index\"\n\n\
         [ingest]\ntimeout_ms = 2000\nretries = 0\n\n\
         [[tags]]\nname = \"claim\"\ndescription = {e}\ncolor = {e}\n\n\
         [[tags]]\nname = \"needle\"\ndescription = {e}\ncolor = \"red\"\n\n\
         [[feeds]]\nname = {e}\nurl = {bad_url}\n\n\
         [[feeds]]\nname = {e}\nurl = \"http://127.0.0.1:9/feed\"\n\n\
         [theme]\n{role} = {e}\ntitle = {e}\n\n\
         [keys.reader]\n{key} = {e}\n",
        e = toml_string(&evil),
        bad_url = toml_string(&format!("file:///etc/passwd{evil}")),
        role = toml_string(&format!("role{evil}")),
        key = toml_string(&format!("ctrl-{evil}")),
    );
    let config_path = dir.join("config.toml");
    std::fs::write(&config_path, config).unwrap();
    import_hostile(&content, &annotations, &evil);
    let lookup = crate::workspace::Lookup {
        config: Some(config_path),
        cwd: std::env::current_dir().unwrap(),
        cache_dir: Ok(dir.join("cache")),
        ..Default::default()
    };
    Workspace::locate(&lookup).expect("the hostile config loads")
}

/// Imports an export whose notes, quotes and contexts are hostile into the store, through the real parser
/// and import: one annotation anchored on "needle", one orphan.
fn import_hostile(content: &Path, annotations: &Path, evil: &str) {
    let (article, _) = Article::load("hostile", &content.join("hostile.md"), 1 << 20).unwrap();
    let at = article.text.find("needle").unwrap();
    let start = article.text[..at].chars().count();
    let annotation = |id: &str, quote: &str, start: usize, end: usize, orphaned: bool| {
        format!(
            "[[article.annotation]]\nid = \"{id}\"\ntags = [\"claim\", \"needle\"]\nquote = {q}\n\
             prefix = {e}\nsuffix = {e}\nstart = {start}\nend = {end}\nnote = {e}\n\
             created = 2024-01-01T00:00:00Z\nupdated = 2024-01-01T00:00:00Z\noriginal_quote = {e}\n{o}",
            q = toml_string(quote),
            e = toml_string(evil),
            o = if orphaned { "orphaned = true\n" } else { "" },
        )
    };
    let export = format!(
        "format = \"newsgloss-annotations\"\nversion = 1\nexported = 2024-01-01T00:00:00Z\n\
         offsets = \"unicode-scalar\"\n\n[[article]]\nid = \"hostile\"\ntitle = {e}\n\n{a}\n{b}",
        e = toml_string(evil),
        a = annotation(
            "01890000-0000-7000-8000-000000000001",
            "needle",
            start,
            start + 6,
            false
        ),
        b = annotation("01890000-0000-7000-8000-000000000002", evil, 0, 3, true),
    );
    let exported = crate::annotation::parse_export(export.as_bytes(), Path::new("x.toml"))
        .expect("the hostile export parses");
    let store = crate::annotation::AnnotationStore::new(annotations);
    let text = article.text.clone();
    let report = crate::annotation::import(
        &store,
        exported,
        |id| (id == "hostile").then(|| text.clone()),
        false,
    );
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.missing_articles, Vec::<String>::new());
}
