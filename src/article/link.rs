//! Which URLs are shown as links: only `http`, `https` and `mailto`. An article's URL comes from
//! anywhere, and a terminal may make any URL it sees clickable, so a `javascript:`, `file:` or `data:` URL
//! (or text that is not a URL) is never shown or opened; what is shown instead says why.

/// The schemes a link may have.
pub const LINK_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// `url` as it may be shown (cleaned, on one line), or why it is not shown.
///
/// ```
/// use newsgloss::article::link::web_link;
/// assert_eq!(web_link("https://kr-asia.com/a"), Ok("https://kr-asia.com/a".to_owned()));
/// assert!(web_link("javascript:alert(1)").is_err());
/// ```
pub fn web_link(url: &str) -> Result<String, String> {
    let shown = super::clean::clean_line(url);
    match url::Url::parse(&shown) {
        Ok(parsed) if LINK_SCHEMES.contains(&parsed.scheme()) && shown == url.trim() => Ok(shown),
        Ok(parsed) if LINK_SCHEMES.contains(&parsed.scheme()) => {
            Err("a link with control characters, not shown".into())
        }
        Ok(parsed) => Err(format!(
            "a {} link, not shown (only http, https and mailto are)",
            short(parsed.scheme())
        )),
        Err(_) => Err("not a URL, not shown".into()),
    }
}

/// `url` as it may be opened in a browser: an `http` or `https` URL with nothing to clean in it, or why
/// it is not opened (one sentence, inert).
///
/// ```
/// use newsgloss::article::link::browsable;
/// assert!(browsable(Some("https://kr-asia.com/a")).is_ok());
/// assert!(browsable(Some("mailto:desk@example.com")).is_err());
/// assert!(browsable(None).is_err());
/// ```
pub fn browsable(url: Option<&str>) -> Result<String, String> {
    let Some(url) = url.filter(|u| !u.trim().is_empty()) else {
        return Err("this article has no URL to open".into());
    };
    let link = web_link(url).map_err(|why| format!("not opened: {why}"))?;
    match url::Url::parse(&link) {
        Ok(parsed) if ["http", "https"].contains(&parsed.scheme()) => Ok(parsed.to_string()),
        Ok(parsed) => Err(format!(
            "not opened: a {} link (only http and https are opened in a browser)",
            short(parsed.scheme())
        )),
        Err(_) => Err("not opened: not a URL".into()),
    }
}

/// At most 16 characters of a scheme name.
fn short(scheme: &str) -> String {
    let mut out: String = scheme.chars().take(16).collect();
    if scheme.chars().count() > 16 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_are_opened() {
        for ok in [
            "http://example.com/",
            "https://kr-asia.com/a?b=c#d",
            "HTTPS://EXAMPLE.COM",
        ] {
            assert!(browsable(Some(ok)).is_ok(), "{ok}");
        }
        assert_eq!(
            browsable(Some("HTTPS://EXAMPLE.COM/A")).unwrap(),
            "https://example.com/A"
        );
        for (bad, why) in [
            ("mailto:desk@example.com", "a mailto link"),
            ("javascript:alert(1)", "a javascript link"),
            ("file:///etc/passwd", "a file link"),
            ("ftp://example.com/", "a ftp link"),
            ("https://example.com/\u{1b}[31m", "control characters"),
            ("https://example.com/a\nb", "control characters"),
            ("example.com/page", "not a URL"),
            ("  ", "no URL"),
        ] {
            let err = browsable(Some(bad)).unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
            assert!(
                !err.chars().any(crate::article::clean::is_forbidden),
                "{err:?}"
            );
        }
        assert_eq!(
            browsable(None).unwrap_err(),
            "this article has no URL to open"
        );
    }

    #[test]
    fn only_http_https_and_mailto_are_links() {
        for ok in [
            "http://example.com/",
            "https://kr-asia.com/a?b=c#d",
            "mailto:desk@example.com",
            "HTTPS://EXAMPLE.COM",
        ] {
            assert_eq!(web_link(ok), Ok(ok.to_owned()), "{ok}");
        }
        for (bad, why) in [
            ("javascript:alert(1)", "a javascript link"),
            ("file:///etc/passwd", "a file link"),
            ("data:text/html,<script>x</script>", "a data link"),
            ("ftp://example.com/", "a ftp link"),
            ("vbscript:msgbox", "a vbscript link"),
            ("example.com/page", "not a URL"),
            ("", "not a URL"),
            (
                "https://e.com/\x1b]8;;http://evil/\x07x",
                "control characters",
            ),
            ("https://e.com/\u{202e}fdp.exe", "control characters"),
        ] {
            let err = web_link(bad).unwrap_err();
            assert!(err.contains(why), "{bad:?}: {err}");
            assert!(!err.contains("evil"), "{err}");
        }
    }
}
