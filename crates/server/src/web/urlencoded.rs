//! The fields of a form posted as `application/x-www-form-urlencoded`, decoded strictly.
//!
//! actix's `web::Form` (through serde_urlencoded) turns bytes that are not UTF-8 into U+FFFD
//! without a word: `%ED%A0%80` (a surrogate, which UTF-8 cannot carry) or text sent in another
//! charset would be filed as something the citizen never wrote. Here a value that is not UTF-8
//! is still decoded that way, so that the page shown again keeps it, but its field is reported
//! and the application is not submitted.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::{Decompress, Payload};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::StreamExt;
use istanze_forms::FieldError;

use crate::error::ServerError;
use crate::state::AppState;

/// The posted fields in order, and the names of those whose name or value was not UTF-8.
#[derive(Debug, Default)]
pub struct FormFields {
    pub fields: Vec<(String, String)>,
    undecodable: Vec<String>,
}

impl FormFields {
    /// Decodes a body: `&`-separated `name=value` pairs, `+` for space, `%XX` escapes (a `%`
    /// without two hex digits after it stands for itself, as browsers and serde_urlencoded
    /// read it).
    pub fn decode(body: &[u8]) -> FormFields {
        let mut out = FormFields::default();
        for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &pair[pair.len()..]),
            };
            let (name, name_ok) = text(&unescape(name));
            let (value, value_ok) = text(&unescape(value));
            if !(name_ok && value_ok) {
                out.undecodable.push(name.clone());
            }
            out.fields.push((name, value));
        }
        out
    }

    /// The fields that were not UTF-8, as errors on their fields in the request's language.
    pub fn refusals(&self) -> Vec<FieldError> {
        let message =
            istanze_forms::text::message(&crate::i18n::form_words(), crate::i18n::current());
        self.undecodable
            .iter()
            .map(|name| FieldError {
                pointer: name.clone(),
                message: message.clone(),
            })
            .collect()
    }
}

/// The text of `bytes`, and whether they were UTF-8 (if not, the lossy decoding).
fn text(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), true),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), false),
    }
}

fn unescape(input: &[u8]) -> Vec<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let digits = input
                    .get(i + 1)
                    .and_then(|h| hex(*h))
                    .zip(input.get(i + 2).and_then(|l| hex(*l)));
                if let Some((h, l)) = digits {
                    // Two hex digits make at most 255.
                    out.push(u8::try_from(h * 16 + l).unwrap_or(b'%'));
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    out
}

impl FromRequest for FormFields {
    type Error = ServerError;
    type Future = Pin<Box<dyn Future<Output = Result<FormFields, ServerError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(256 * 1024, |s| s.settings.server.max_body_bytes);
        let urlencoded = req
            .content_type()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded");
        let declared = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut body = Decompress::from_headers(payload.take(), req.headers());
        Box::pin(async move {
            if !urlencoded {
                return Err(ServerError::UnsupportedMediaType);
            }
            if declared.is_some_and(|n| n > limit) {
                return Err(ServerError::TooLarge);
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = body.next().await {
                let chunk = chunk.map_err(|e| ServerError::BadRequest(e.to_string()))?;
                if bytes.len() + chunk.len() > limit {
                    return Err(ServerError::TooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(FormFields::decode(&bytes))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_a_browser_encodes() {
        let f = FormFields::decode(b"%2Fa%2Fb=Caff%C3%A8+e+latte&x=1%2B1%3D2&empty=&bare&pct=100%");
        assert_eq!(
            f.fields,
            vec![
                ("/a/b".to_owned(), "Caffè e latte".to_owned()),
                ("x".to_owned(), "1+1=2".to_owned()),
                ("empty".to_owned(), String::new()),
                ("bare".to_owned(), String::new()),
                ("pct".to_owned(), "100%".to_owned()),
            ]
        );
        assert!(f.undecodable.is_empty());
    }

    #[test]
    fn a_surrogate_or_another_charset_is_reported_on_its_field() {
        let f =
            FormFields::decode(b"/evento/titolo=Festa%ED%A0%80&/evento/luogo=Citt%E0&ok=s%C3%AC");
        assert_eq!(f.undecodable, vec!["/evento/titolo", "/evento/luogo"]);
        // Kept, visibly replaced, for the page shown again.
        assert_eq!(f.fields[0].1, "Festa\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(f.fields[2].1, "sì");
        let refusals = f.refusals();
        assert_eq!(refusals.len(), 2);
        assert_eq!(refusals[0].pointer, "/evento/titolo");
        assert!(refusals[0]
            .message
            .starts_with("Il testo contiene caratteri non ammessi"));
    }
}
