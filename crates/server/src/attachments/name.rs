//! The name an uploaded file comes with: read from the multipart part, and refused when it
//! holds characters that cannot go into the register's XML documents and the PDF (the same
//! rule as every answer: [`istanze_forms::text`]).

use actix_web::http::header::{Charset, ContentDisposition};

use super::Refusal;

/// A `filename*` that is not text in the charset it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotText;

/// The file name a part gives: `filename`, else `filename*` (RFC 5987: curl and reqwest send
/// names that are not ASCII this way), decoded strictly. `Err` when the bytes are not text in
/// the charset named, for the caller to refuse the request rather than keep a name the citizen
/// never gave.
pub fn part_file_name(d: Option<&ContentDisposition>) -> Result<Option<String>, NotText> {
    let Some(d) = d else { return Ok(None) };
    if let Some(name) = d.get_filename() {
        return Ok(Some(name.to_owned()));
    }
    let Some(ext) = d.get_filename_ext() else {
        return Ok(None);
    };
    let bytes = &ext.value;
    let name = match &ext.charset {
        Charset::Ext(c) if c.eq_ignore_ascii_case("utf-8") => {
            String::from_utf8(bytes.clone()).map_err(|_| NotText)?
        }
        Charset::Us_Ascii if bytes.is_ascii() => bytes.iter().copied().map(char::from).collect(),
        // Latin-1's 256 bytes are the first 256 code points.
        Charset::Iso_8859_1 => bytes.iter().copied().map(char::from).collect(),
        _ => return Err(NotText),
    };
    Ok(Some(name))
}

/// Why the name `file_name` is refused, if it is: a character that is not allowed in text.
/// Checked before anything is cleaned off the name, so that nothing is dropped in silence.
pub(super) fn refusal(file_name: &str) -> Option<Refusal> {
    (!istanze_forms::text::is_allowed(file_name)).then_some(Refusal::IllegalName)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use actix_web::http::header::HeaderValue;

    use super::*;

    fn name(header: &[u8]) -> Result<Option<String>, NotText> {
        let d = ContentDisposition::from_raw(&HeaderValue::from_bytes(header).unwrap()).unwrap();
        part_file_name(Some(&d))
    }

    #[test]
    fn plain_and_extended_names_are_read() {
        assert_eq!(
            name(b"form-data; name=\"/a\"; filename=\"programma.pdf\""),
            Ok(Some("programma.pdf".into()))
        );
        assert_eq!(
            name(b"form-data; name=\"/a\"; filename*=utf-8''caff%C3%A8.pdf"),
            Ok(Some("caffè.pdf".into()))
        );
        assert_eq!(
            name(b"form-data; name=\"/a\"; filename*=iso-8859-1''caff%E8.pdf"),
            Ok(Some("caffè.pdf".into()))
        );
        assert_eq!(name(b"form-data; name=\"data\""), Ok(None));
    }

    #[test]
    fn an_extended_name_that_is_not_text_is_refused() {
        assert_eq!(
            name(b"form-data; name=\"/a\"; filename*=utf-8''a%ED%A0%80.pdf"),
            Err(NotText)
        );
        assert_eq!(
            name(b"form-data; name=\"/a\"; filename*=us-ascii''caff%E8.pdf"),
            Err(NotText)
        );
        assert_eq!(
            name(b"form-data; name=\"/a\"; filename*=koi8-r''x.pdf"),
            Err(NotText)
        );
    }

    #[test]
    fn names_with_controls_or_non_characters_are_refused() {
        for bad in ["a\u{1}.pdf", "a\u{FFFF}.pdf", "a\u{FDD0}.pdf", "\u{7F}.pdf"] {
            assert_eq!(refusal(bad), Some(Refusal::IllegalName), "{bad:?}");
        }
        assert_eq!(refusal("Curriculum vitae (2026) è.pdf"), None);
    }
}
