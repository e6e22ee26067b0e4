//! Changing an article's own tags (`tags` in its front matter) in place: the `tags` array is rewritten
//! through `toml_edit` and every other byte of the file (the other keys, their comments and layout, the
//! body) stays as it was; the file is replaced atomically.

use std::path::Path;

use toml_edit::{Array, Document, Item, Table, Value};

use super::clean::clean_line;
use super::front_matter::split_offsets;
use super::{Article, ArticleError, ArticleFileError, Location, read_text};

/// The tags as they will be written: each cleaned to one inert line, empty ones dropped, each once, in
/// the order given.
pub fn tidy_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags.iter().map(|t| clean_line(t)) {
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

/// The article file `source` with its front matter's `tags` set to `tags` (tidied; an empty list
/// removes the entry). Only the bytes of the `tags` value change (or its line is added after the last
/// top-level key, or removed): the other keys, comments, line endings and the body are kept byte for
/// byte. A file already with those tags comes back as it was. The result is checked to parse.
pub fn with_tags(source: &str, tags: &[String]) -> Result<String, ArticleError> {
    let (start, end) = split_offsets(source)?;
    let toml_text = &source[start..end];
    let doc = Document::parse(toml_text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let location = Location::of_offset(toml_text, at).below(1);
        ArticleError::BadToml(location, clean_line(e.message()))
    })?;
    let table = doc.as_table();
    let tags = tidy_tags(tags);
    let current: Option<Vec<String>> = table.get("tags").and_then(Item::as_array).map(|a| {
        a.iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    });
    if current.as_deref().unwrap_or_default() == tags.as_slice() {
        return Ok(source.to_owned());
    }
    let edited = edit_tags(table, toml_text, &tags)?;
    let out = format!("{}{}{}", &source[..start], edited, &source[end..]);
    Article::parse("retag", &out)?;
    Ok(out)
}

/// The front matter text with its `tags` entry replaced, removed (`tags` empty) or added.
fn edit_tags(table: &Table, toml_text: &str, tags: &[String]) -> Result<String, ArticleError> {
    let newline = if toml_text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let array: Array = tags.iter().map(String::as_str).collect();
    let array = Value::Array(array).to_string();
    let no_place = || {
        ArticleError::BadToml(
            Location::START.below(1),
            "the `tags` entry cannot be found".into(),
        )
    };
    Ok(match (table.get_key_value("tags"), tags.is_empty()) {
        (Some((_, item)), false) => {
            let span = item.span().ok_or_else(no_place)?;
            format!(
                "{}{array}{}",
                &toml_text[..span.start],
                &toml_text[span.end..]
            )
        }
        (Some((key, item)), true) => {
            let from = key.span().ok_or_else(no_place)?.start;
            let to = item.span().ok_or_else(no_place)?.end;
            let from = toml_text[..from].rfind('\n').map_or(0, |i| i + 1);
            let to = line_end(toml_text, to);
            format!("{}{}", &toml_text[..from], &toml_text[to..])
        }
        (None, _) => {
            let at = after_last_value(table, toml_text);
            let before = &toml_text[..at];
            let gap = match before.is_empty() || before.ends_with('\n') {
                true => "",
                false => newline,
            };
            format!("{before}{gap}tags = {array}{newline}{}", &toml_text[at..])
        }
    })
}

/// The offset just past the end of the line `at` is on.
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// The byte offset just past the line of the last top-level value (before any `[table]`), where a new
/// key belongs; 0 when there is none.
fn after_last_value(table: &Table, toml_text: &str) -> usize {
    table
        .iter()
        .filter(|(_, item)| item.is_value())
        .filter_map(|(_, item)| item.span())
        .map(|span| span.end)
        .max()
        .map_or(0, |end| line_end(toml_text, end))
}

/// Sets the tags of the article file at `path` (see [`with_tags`]), replacing it atomically; returns
/// the tags now in it. A file that does not parse is left alone and the error names it.
pub fn retag_file(
    path: &Path,
    tags: &[String],
    max_bytes: u64,
) -> Result<Vec<String>, ArticleFileError> {
    let fail = |error| ArticleFileError {
        path: path.to_owned(),
        error,
    };
    let source = read_text(path, max_bytes)?;
    let source = source.as_str();
    let edited = with_tags(source, tags).map_err(fail)?;
    if edited != source {
        crate::atomic_file::write(path, edited.as_bytes())
            .map_err(|e| fail(ArticleError::Io(e.to_string())))?;
    }
    Ok(tidy_tags(tags))
}

/// `tags` with `add` put in (at the end, when missing) and `remove` taken out.
pub fn changed_tags(tags: &[String], add: &[String], remove: &[String]) -> Vec<String> {
    let mut out: Vec<String> = tags
        .iter()
        .filter(|t| !remove.contains(t))
        .cloned()
        .collect();
    for tag in add {
        if !out.contains(tag) && !remove.contains(tag) {
            out.push(tag.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn only_the_tags_entry_changes() {
        let source = "+++\n# the story\ntitle = \"T\"  # kept\ntags = [\"a\", \"b\"] # why\n\
                      source = 'KrASIA'\n+++\n\nBody *with* [a link](https://x.y).\n";
        let out = with_tags(source, &tags(&["a", "c"])).unwrap();
        assert_eq!(
            out,
            "+++\n# the story\ntitle = \"T\"  # kept\ntags = [\"a\", \"c\"] # why\n\
             source = 'KrASIA'\n+++\n\nBody *with* [a link](https://x.y).\n"
        );
        let (article, _) = Article::parse("t", &out).unwrap();
        assert_eq!(article.meta.tags, ["a", "c"]);
    }

    #[test]
    fn a_file_with_no_tags_gets_them_after_its_last_key() {
        let source = "+++\ntitle = \"T\"\nurl = \"https://x.y/a\"\n+++\nBody\n";
        let out = with_tags(source, &tags(&["world"])).unwrap();
        assert_eq!(
            out,
            "+++\ntitle = \"T\"\nurl = \"https://x.y/a\"\ntags = [\"world\"]\n+++\nBody\n"
        );
        // Taking every tag away removes the key, and the file is as it was.
        assert_eq!(with_tags(&out, &[]).unwrap(), source);
    }

    #[test]
    fn crlf_bom_and_cjk_tags() {
        let source = "\u{feff}+++\r\ntitle = \"阿里云\"\r\n+++\r\n正文\r\n";
        let out = with_tags(source, &tags(&["科技", "云计算"])).unwrap();
        assert_eq!(
            out,
            "\u{feff}+++\r\ntitle = \"阿里云\"\r\ntags = [\"科技\", \"云计算\"]\r\n+++\r\n正文\r\n"
        );
        let (article, _) = Article::parse("t", &out).unwrap();
        assert_eq!(article.meta.tags, ["科技", "云计算"]);
    }

    #[test]
    fn a_new_key_goes_before_any_table_and_removal_takes_its_line() {
        let source = "+++\ntitle = \"T\"\n\n[extra]\nnote = 1\n+++\n";
        let out = with_tags(source, &tags(&["x"])).unwrap();
        assert_eq!(
            out,
            "+++\ntitle = \"T\"\ntags = [\"x\"]\n\n[extra]\nnote = 1\n+++\n"
        );
        let multi =
            "+++\ntitle = \"T\"\ntags = [\n  \"a\",\n  \"b\",\n]\nurl = \"https://x.y\"\n+++\n";
        assert_eq!(
            with_tags(multi, &[]).unwrap(),
            "+++\ntitle = \"T\"\nurl = \"https://x.y\"\n+++\n"
        );
    }

    #[test]
    fn the_same_tags_leave_the_file_as_it_was() {
        let source = "+++\ntitle = \"T\"\ntags = [ 'a' ,'b' ]\n+++\n";
        assert_eq!(with_tags(source, &tags(&["a", "b"])).unwrap(), source);
    }

    #[test]
    fn hostile_tags_are_made_inert_and_duplicates_dropped() {
        let source = "+++\ntitle = \"T\"\n+++\n";
        let out = with_tags(source, &tags(&["a\u{1b}[31m", "a[31m", " ", "b\u{202e}"])).unwrap();
        let (article, _) = Article::parse("t", &out).unwrap();
        // The escape sequence goes whole; the text left of it is kept.
        assert_eq!(article.meta.tags, ["a", "a[31m", "b"]);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{202e}'));
    }

    #[test]
    fn a_front_matter_that_does_not_parse_is_an_error() {
        assert!(with_tags("+++\ntitle = [\n+++\n", &tags(&["a"])).is_err());
        assert!(with_tags("no front matter\n", &tags(&["a"])).is_err());
    }

    #[test]
    fn files_are_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "+++\ntitle = \"T\"\n+++\nBody\n").unwrap();
        let now = retag_file(&path, &tags(&["x", "y"]), 1 << 20).unwrap();
        assert_eq!(now, ["x", "y"]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "+++\ntitle = \"T\"\ntags = [\"x\", \"y\"]\n+++\nBody\n"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn adding_and_removing() {
        let now = changed_tags(&tags(&["a", "b"]), &tags(&["c", "a"]), &tags(&["b"]));
        assert_eq!(now, ["a", "c"]);
    }
}
