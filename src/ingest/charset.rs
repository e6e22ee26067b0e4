//! Turning fetched bytes into text: the charset from a byte-order mark, the `Content-Type` header, or the
//! document's own declaration (`<?xml encoding=...?>`, `<meta charset>`), UTF-8 otherwise. Bytes that are
//! not valid in that charset are refused rather than guessed at.

use encoding_rs::Encoding;

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CharsetError {
    #[error("unknown charset {0:?}")]
    Unknown(String),
    #[error("not valid {charset} (byte {offset}); the charset is wrong or the file is damaged")]
    Invalid { charset: String, offset: usize },
}

/// Decodes `bytes` using the charset from a BOM, the `content_type` header, or the document itself.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Result<String, CharsetError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(encoding, &bytes[bom_len..]);
    }
    let label = content_type
        .and_then(header_charset)
        .or_else(|| declared_charset(bytes));
    let encoding = match label {
        Some(label) => Encoding::for_label(label.trim().as_bytes())
            .ok_or_else(|| CharsetError::Unknown(crate::article::clean::clean_line(&label)))?,
        None => encoding_rs::UTF_8,
    };
    decode_with(encoding, bytes)
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, CharsetError> {
    if encoding == encoding_rs::UTF_8 {
        return String::from_utf8(bytes.to_vec()).map_err(|e| CharsetError::Invalid {
            charset: "UTF-8".into(),
            offset: e.utf8_error().valid_up_to(),
        });
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .ok_or_else(|| CharsetError::Invalid {
            charset: encoding.name().into(),
            offset: 0,
        })
}

/// `charset=...` from a `Content-Type` header value.
fn header_charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        (key.trim().eq_ignore_ascii_case("charset"))
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// The charset a document declares in its first 1024 bytes: `encoding="..."` in an XML declaration or
/// `charset=...` in an HTML `<meta>`.
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let after = if head.trim_start().starts_with("<?xml") {
        let decl = &head[..head.find("?>")?];
        &decl[decl.find("encoding")? + "encoding".len()..]
    } else {
        &head[head.find("charset")? + "charset".len()..]
    };
    let value = after.trim_start().strip_prefix('=')?.trim_start();
    let value = value.trim_start_matches(['"', '\'']);
    let end = value
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.:".contains(c)))
        .unwrap_or(value.len());
    (end > 0).then(|| value[..end].to_owned())
}

/// An XML document as UTF-8 text with its declaration saying so, so that an XML parser does not decode it
/// a second time.
pub fn as_utf8_xml(text: &str) -> String {
    let mut text = text.to_owned();
    declare_utf8(&mut text);
    text
}

/// [`as_utf8_xml`] in place (a feed can be large): the leading space dropped, the declaration replaced.
pub fn declare_utf8(text: &mut String) {
    let start = text.len() - text.trim_start().len();
    text.drain(..start);
    let end = text
        .strip_prefix("<?xml")
        .and_then(|rest| rest.find("?>"))
        .map(|end| "<?xml".len() + end + 2);
    if let Some(end) = end {
        text.replace_range(..end, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_then_declaration_then_utf8() {
        assert_eq!(
            decode(b"caf\xe9", Some("text/html; charset=ISO-8859-1")).unwrap(),
            "café"
        );
        let xml = b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><rss>\x93hi\x94</rss>";
        assert!(
            decode(xml, Some("application/xml"))
                .unwrap()
                .contains("\u{201c}hi\u{201d}")
        );
        let meta = b"<html><head><meta charset=\"iso-8859-1\"></head>caf\xe9</html>";
        assert!(decode(meta, None).unwrap().contains("café"));
        assert_eq!(decode("café".as_bytes(), None).unwrap(), "café");
        assert_eq!(
            decode(b"\xef\xbb\xbfhi", Some("text/html; charset=latin1")).unwrap(),
            "hi"
        );
    }

    #[test]
    fn invalid_bytes_and_unknown_charsets_are_refused() {
        let err = decode(b"ok \xff\xfe bad", Some("text/html; charset=utf-8")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not valid UTF-8 (byte 3); the charset is wrong or the file is damaged"
        );
        assert!(matches!(
            decode(b"x", Some("text/html; charset=klingon")),
            Err(CharsetError::Unknown(_))
        ));
    }

    #[test]
    fn xml_declarations_are_rewritten() {
        assert_eq!(
            as_utf8_xml("<?xml version='1.0' encoding='latin1'?><rss/>"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss/>"
        );
        assert_eq!(as_utf8_xml("<rss/>"), "<rss/>");
    }
}
