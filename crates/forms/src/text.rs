//! The characters a citizen's text may hold. Answers end up in XML (the Segnatura, the
//! register's documents) and in PDF/A, so the rule is XML 1.0's `Char` production, narrowed
//! further:
//!
//! - allowed: TAB, LF, CR and every character from U+0020 on, except those below;
//! - the other C0 controls (U+0000..U+001F): XML 1.0 has no way to write them at all;
//! - DEL and the C1 controls (U+007F..U+009F): XML 1.0 discourages them (section 2.2) and
//!   nobody types them; they come from pasted binary data or text decoded in the wrong charset;
//! - the Unicode non-characters (U+FDD0..U+FDEF and the last two code points of every plane,
//!   U+FFFE and U+FFFF among them): never interchanged as text, and U+FFFE/U+FFFF are outside
//!   XML's `Char`;
//! - surrogates: a Rust `str` cannot hold them, so they are caught where bytes are decoded
//!   (a JSON `\ud800` escape: [`mark_lone_surrogates`]).
//!
//! Text is refused, never cleaned: a silently altered answer would be filed as something the
//! citizen did not write.

use std::borrow::Cow;

use serde_json::Value;

use crate::{messages, pointer, Lang};

/// Whether `c` may appear in a citizen's text.
///
/// ```
/// use istanze_forms::text::is_allowed_char;
/// assert!(is_allowed_char('\t') && is_allowed_char('\n') && is_allowed_char('è'));
/// assert!(!is_allowed_char('\u{1}') && !is_allowed_char('\u{FFFF}'));
/// ```
pub fn is_allowed_char(c: char) -> bool {
    if c.is_control() {
        return matches!(c, '\t' | '\n' | '\r');
    }
    !is_noncharacter(c)
}

/// Whether every character of `text` may appear in a citizen's text.
pub fn is_allowed(text: &str) -> bool {
    text.chars().all(is_allowed_char)
}

/// U+FDD0..U+FDEF and U+xxFFFE, U+xxFFFF of every plane.
fn is_noncharacter(c: char) -> bool {
    let n = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// The message for text with characters that are not allowed, in `lang`, with `words`.
pub fn message(words: &crate::Words, lang: Lang) -> String {
    messages::illegal_text(crate::words::Say { words, lang })
}

/// The JSON pointers of the strings of `data` (values and object keys, at any depth) that hold
/// a character that is not allowed, in document order.
pub fn refused_pointers(data: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(data, "", &mut out);
    out
}

fn walk(v: &Value, ptr: &str, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !is_allowed(s) => out.push(ptr.to_owned()),
        Value::Object(o) => {
            for (k, x) in o {
                let member = format!("{ptr}/{}", pointer::escape(k));
                if is_allowed(k) {
                    walk(x, &member, out);
                } else {
                    // The key itself reaches the data filed; its value is beside the point.
                    out.push(member);
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(x, &format!("{ptr}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A JSON text with every `\uXXXX` escape of a lone surrogate (a high one not followed by a
/// low one, or a low one alone) written as `\uFFFF`.
///
/// serde_json refuses a lone surrogate with a syntax error that names no field. Written as
/// U+FFFF, a non-character that [`is_allowed`] refuses, it is reported by validation on the
/// field that holds it, like any other character that is not allowed; the text is never
/// accepted either way. `json` should be syntactically valid JSON (a string's quotes and
/// escapes are followed; nothing else is checked).
///
/// ```
/// use istanze_forms::text::mark_lone_surrogates;
/// assert_eq!(mark_lone_surrogates(r#"{"a": "x\ud800y"}"#), r#"{"a": "x\uFFFFy"}"#);
/// assert_eq!(mark_lone_surrogates(r#"["\ud83d\ude00"]"#), r#"["\ud83d\ude00"]"#);
/// ```
pub fn mark_lone_surrogates(json: &str) -> Cow<'_, str> {
    if !json.contains("\\u") {
        return Cow::Borrowed(json);
    }
    let bytes = json.as_bytes();
    let mut lone: Vec<usize> = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    // The low half that completes the pair just seen, so that it is not taken for a lone one.
    let mut paired_at = None;
    while i < bytes.len() {
        match (in_string, bytes[i]) {
            (false, b'"') => in_string = true,
            (true, b'"') => in_string = false,
            (true, b'\\') => {
                if bytes.get(i + 1) == Some(&b'u') {
                    let unit = hex4(bytes, i + 2);
                    match unit {
                        Some(0xD800..=0xDBFF) => {
                            let next = (bytes.get(i + 6) == Some(&b'\\')
                                && bytes.get(i + 7) == Some(&b'u'))
                            .then(|| hex4(bytes, i + 8))
                            .flatten();
                            if matches!(next, Some(0xDC00..=0xDFFF)) {
                                paired_at = Some(i + 6);
                            } else {
                                lone.push(i);
                            }
                        }
                        Some(0xDC00..=0xDFFF) if paired_at != Some(i) => lone.push(i),
                        _ => {}
                    }
                    i += 6;
                    continue;
                }
                // Any other escape is two bytes: `\"` does not end the string.
                i += 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if lone.is_empty() {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len());
    let mut from = 0;
    for at in lone {
        out.push_str(&json[from..at]);
        out.push_str("\\uFFFF");
        from = at + 6;
    }
    out.push_str(&json[from..]);
    Cow::Owned(out)
}

/// The four hex digits at `at`, as a UTF-16 code unit.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = std::str::from_utf8(bytes.get(at..at + 4)?).ok()?;
    u32::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn xml_legal_text_is_allowed() {
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '~',
            '\u{A0}',
            'à',
            '€',
            '\u{D7FF}',
            '\u{E000}',
            '\u{FFFD}',
            '\u{FDCF}',
            '\u{FDF0}',
            '\u{1F600}',
            '\u{10000}',
            '\u{10FFFD}',
        ] {
            assert!(is_allowed_char(c), "{:04X} should be allowed", u32::from(c));
        }
        assert!(is_allowed("Riga uno\r\nriga due\tcon tabulazione"));
    }

    #[test]
    fn controls_and_noncharacters_are_refused() {
        for c in [
            '\u{0}',
            '\u{1}',
            '\u{8}',
            '\u{B}',
            '\u{C}',
            '\u{1F}',
            '\u{7F}',
            '\u{85}',
            '\u{9F}',
            '\u{FDD0}',
            '\u{FDEF}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{1FFFE}',
            '\u{1FFFF}',
            '\u{10FFFE}',
            '\u{10FFFF}',
        ] {
            assert!(
                !is_allowed_char(c),
                "{:04X} should be refused",
                u32::from(c)
            );
            assert!(!is_allowed(&format!("abc{c}def")));
        }
    }

    #[test]
    fn pointers_name_values_and_keys_at_any_depth() {
        let data = serde_json::json!({
            "a": {"b": "ok", "c": "x\u{1}"},
            "rows": [{"n": "fine"}, {"n": "\u{FFFE}"}],
            "k\u{FDD0}": "value",
            "x/y": ["\u{FFFF}"]
        });
        assert_eq!(
            refused_pointers(&data),
            vec!["/a/c", "/rows/1/n", "/k\u{FDD0}", "/x~1y/0"]
        );
        assert!(refused_pointers(&serde_json::json!({"a": "\tok\n", "n": 1})).is_empty());
    }

    #[test]
    fn only_lone_surrogate_escapes_are_marked() {
        let cases = [
            (r#"{"a":"\ud800"}"#, r#"{"a":"\uFFFF"}"#),
            (r#"{"a":"\uDBFFx"}"#, r#"{"a":"\uFFFFx"}"#),
            (r#"{"a":"\udc00"}"#, r#"{"a":"\uFFFF"}"#),
            (r#"{"a":"\ud800\u0041"}"#, r#"{"a":"\uFFFF\u0041"}"#),
            (
                r#"{"a":"\ud800\ud800\udc00"}"#,
                r#"{"a":"\uFFFF\ud800\udc00"}"#,
            ),
            (r#"{"\ud800":1}"#, r#"{"\uFFFF":1}"#),
        ];
        for (input, marked) in cases {
            assert_eq!(mark_lone_surrogates(input), marked, "{input}");
            let v: Value = serde_json::from_str(marked).unwrap();
            assert!(!refused_pointers(&v).is_empty(), "{marked} is refused");
            assert!(
                serde_json::from_str::<Value>(input).is_err(),
                "serde refuses {input}"
            );
        }
        for unchanged in [
            r#"{"a":"\ud83d\ude00"}"#,
            r#"{"a":"\\ud800"}"#,
            r#"{"a":"\"\\","b":"\u00e8"}"#,
            r#"{"a":"plain"}"#,
        ] {
            assert!(
                matches!(mark_lone_surrogates(unchanged), Cow::Borrowed(_)),
                "{unchanged}"
            );
        }
    }
}
