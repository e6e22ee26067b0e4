//! Readable, stable file names for articles: the title in lower case with words joined by `-` (letters of
//! any script kept), at most [`MAX_CHARS`] characters, and a number added when the name is taken by
//! another story.

use std::path::Path;

/// The longest slug, in characters.
pub const MAX_CHARS: usize = 60;

/// The slug of a title: `"Alibaba Cloud calls off its spin-off"` → `alibaba-cloud-calls-off-its-spin-off`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let mut cut: String = slug.chars().take(MAX_CHARS).collect();
    if cut.len() < slug.len()
        && let Some(at) = cut.rfind('-').filter(|&at| at > MAX_CHARS / 2)
    {
        cut.truncate(at);
    }
    if cut.is_empty() {
        "article".to_owned()
    } else {
        cut
    }
}

/// The first of `slug`, `slug-2`, `slug-3`, ... for which `taken` says no.
pub fn unique(slug: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(slug) {
        return slug.to_owned();
    }
    (2..)
        .map(|n| format!("{slug}-{n}"))
        .find(|candidate| !taken(candidate))
        .expect("some number is free")
}

/// Whether the content dir has an article file with this id.
pub fn exists(content_dir: &Path, id: &str) -> bool {
    content_dir.join(format!("{id}.md")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_slugs() {
        assert_eq!(
            slugify("Alibaba Cloud calls off its spin-off"),
            "alibaba-cloud-calls-off-its-spin-off"
        );
        assert_eq!(slugify("  US: chips & AI — 2023!  "), "us-chips-ai-2023");
        assert_eq!(slugify("阿里云 分拆"), "阿里云-分拆");
        assert_eq!(slugify("\u{1b}[31m"), "31m");
        assert_eq!(slugify("..."), "article");
        let long = slugify(&"word ".repeat(40));
        assert!(
            long.chars().count() <= MAX_CHARS && !long.ends_with('-'),
            "{long}"
        );
    }

    #[test]
    fn numbers_make_names_unique() {
        assert_eq!(unique("a", |s| s == "a" || s == "a-2"), "a-3");
        assert_eq!(unique("b", |_| false), "b");
    }
}
