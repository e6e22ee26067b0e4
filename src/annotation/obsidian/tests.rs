//! The note written, updated around what the user wrote, and a file newsgloss did not write left alone.

use time::macros::datetime;

use super::*;

const TEXT: &str =
    "US export restrictions on advanced chips bite. Microsoft loses #20 a month [per user].";

fn claim(start: usize, end: usize, tag: &str, note: Option<&str>) -> Annotation {
    Annotation::new(
        "chips",
        TEXT,
        start,
        end,
        vec![tag.into()],
        note.map(Into::into),
        datetime!(2026-01-01 00:00:00 UTC),
    )
}

fn article(annotations: Vec<Annotation>) -> ExportArticle {
    let mut article = ExportArticle::missing("chips", annotations);
    article.title = "Chips: \"restrictions\"".into();
    article.url = Some("https://example.com/chips".into());
    article
}

#[test]
fn a_note_has_front_matter_quotes_tags_notes_and_block_ids() {
    let a = claim(0, 22, "chip-restrictions", Some("Why it matters"));
    let b = claim(47, 86, "copilot-losses", None);
    let text = note(&article(vec![b.clone(), a.clone()]));
    assert!(text.starts_with(
        "---\ntitle: \"Chips: \\\"restrictions\\\"\"\nurl: \"https://example.com/chips\"\n"
    ));
    assert!(text.contains("tags: [\"chip-restrictions\", \"copilot-losses\"]\n---\n"));
    let expected_a = format!(
        "> US export restrictions\n> #chip-restrictions\n>\n> Why it matters ^{}\n",
        a.id
    );
    assert!(text.contains(&expected_a), "{text}");
    let expected_b = format!(
        "> Microsoft loses \\#20 a month \\[per user\\].\n> #copilot-losses ^{}\n",
        b.id
    );
    assert!(text.contains(&expected_b), "{text}");
    assert!(
        text.find(&expected_a) < text.find(&expected_b),
        "text order"
    );
}

#[test]
fn updating_keeps_what_the_user_wrote_and_replaces_the_claims() {
    let a = claim(0, 22, "chip-restrictions", Some("first"));
    let b = claim(47, 86, "copilot-losses", None);
    let first = note(&article(vec![a.clone(), b.clone()]));
    let mine = first.replace(
        "---\n\n<!--",
        "aliases: [chips]\n---\n\nMy own line.\n\n<!--",
    ) + "\nAfter the section.\n";
    let mut edited = a.clone();
    edited.note = Some("second".into());
    let again = updated(&mine, &article(vec![edited])).unwrap();
    assert!(again.contains("aliases: [chips]\n"));
    assert!(again.contains("\nMy own line.\n"));
    assert!(again.ends_with("<!-- newsgloss:end -->\n\nAfter the section.\n"));
    assert!(again.contains(&format!("> second ^{}", a.id)));
    assert!(!again.contains("first"));
    assert!(!again.contains(&b.id.to_string()), "a deleted claim leaves");
    assert_eq!(again.matches(BEGIN).count(), 1);
    assert!(again.contains("tags: [\"chip-restrictions\"]\n"));
    assert_eq!(
        updated(&again, &article(vec![a.clone()]))
            .unwrap()
            .matches(&a.id.to_string())
            .count(),
        1
    );
}

#[test]
fn a_file_without_markers_is_not_ours() {
    assert_eq!(updated("# My notes on chips\n", &article(vec![])), None);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chips.md"), "# Mine\n").unwrap();
    let articles = [article(vec![claim(0, 22, "chips", None)])];
    let report = write_obsidian(dir.path(), &articles);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("chips.md")).unwrap(),
        "# Mine\n"
    );
    assert_eq!(report.beside.len(), 1);
    let beside = std::fs::read_to_string(dir.path().join("chips.newsgloss.md")).unwrap();
    assert!(beside.contains("> US export restrictions"));
    let again = write_obsidian(dir.path(), &articles);
    assert_eq!(
        (again.written.len(), again.unchanged),
        (0, 1),
        "the same store, the same files"
    );
}

#[test]
fn hostile_text_is_inert_in_the_note() {
    let hostile = "a\u{1b}]52;c;cHduZWQ=\u{7}b\u{202e}c\u{9b}31m\u{0}d";
    let text = format!("quote {hostile} end");
    let mut a = Annotation::new(
        "chips",
        &text,
        0,
        text.chars().count(),
        vec!["t".into()],
        Some(hostile.into()),
        datetime!(2026-01-01 00:00:00 UTC),
    );
    a.quote = text.clone();
    let mut article = article(vec![a]);
    article.title = hostile.into();
    article.author = Some(hostile.into());
    let note = note(&article);
    assert!(
        !note.chars().any(crate::article::clean::is_forbidden),
        "{note:?}"
    );
    assert!(!note.contains("]52;"));
}

#[test]
fn when_the_file_beside_is_not_ours_either_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chips.md"), "# Mine\n").unwrap();
    std::fs::write(dir.path().join("chips.newsgloss.md"), "# Also mine\n").unwrap();
    let report = write_obsidian(dir.path(), &[article(vec![claim(0, 22, "chips", None)])]);
    assert_eq!(report.skipped, [dir.path().join("chips.md")]);
    assert!(report.beside.is_empty() && report.written.is_empty());
    let beside = std::fs::read_to_string(dir.path().join("chips.newsgloss.md")).unwrap();
    assert_eq!(beside, "# Also mine\n");
}
