//! The media type of a file from its first bytes (never from its name or the browser's word).

/// The OID of CMS signedData (1.2.840.113549.1.7.2), DER-encoded: how a `.p7m` (CAdES) begins
/// after its outer SEQUENCE header.
const SIGNED_DATA: [u8; 11] = [
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
];

/// The media type recognised in `head` (the first kilobytes of the file), if any.
pub fn media_type(head: &[u8]) -> Option<&'static str> {
    if head.first() == Some(&0x30)
        && head
            .iter()
            .take(32)
            .collect::<Vec<_>>()
            .windows(SIGNED_DATA.len())
            .any(|w| w.iter().copied().eq(SIGNED_DATA.iter()))
    {
        return Some("application/pkcs7-mime");
    }
    let kind = infer::get(head)?;
    let known = [
        "application/pdf",
        "image/jpeg",
        "image/png",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ];
    known.into_iter().find(|k| *k == kind.mime_type())
}

/// Words for a list of media types, for messages to citizens.
pub fn describe(types: &[String]) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| match t.as_str() {
            "application/pdf" => "PDF".into(),
            "image/jpeg" => "JPEG".into(),
            "image/png" => "PNG".into(),
            "application/vnd.oasis.opendocument.text" => "ODT".into(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                "DOCX".into()
            }
            "application/pkcs7-mime" => crate::i18n::tr("tipo-p7m"),
            other => other.to_owned(),
        })
        .collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(media_type(b"%PDF-1.7\n%\xe2\xe3"), Some("application/pdf"));
        assert_eq!(
            media_type(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
            Some("image/png")
        );
        assert_eq!(
            media_type(&[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F']),
            Some("image/jpeg")
        );
        let mut p7m = vec![0x30, 0x80];
        p7m.extend_from_slice(&SIGNED_DATA);
        assert_eq!(media_type(&p7m), Some("application/pkcs7-mime"));
        assert_eq!(media_type(b"MZ\x90\x00 a program renamed .pdf"), None);
        assert_eq!(media_type(b"just text"), None);
    }
}
