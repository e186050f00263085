//! A generic REST adapter for external protocol systems (the shape most vendors' JSON APIs
//! share): the registration is sent as a JSON body built from a template, with the idempotency
//! key in an `Idempotency-Key` header; number, year and date are read from the answer with JSON
//! pointers. Before filing, the adapter asks the lookup endpoint whether an earlier attempt with
//! the same key succeeded (an answer lost to a timeout must not become a second registration).
//!
//! Authentication: none, HTTP basic, a bearer token, or OAuth2 client credentials.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use base64::Engine;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::sync::Mutex;

use crate::{Clock, ProtocolError, Receipt, Register, Registration, Result};

/// How to reach and read an external protocol system.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestSettings {
    /// Where registrations are POSTed.
    pub endpoint: String,
    /// Where an earlier registration is looked up by key: `{key}` is replaced (URL-encoded).
    /// A 404 means "not registered". Required: without it, an answer lost to a timeout would
    /// become a second registration at the next attempt.
    pub lookup_endpoint: String,
    #[serde(default)]
    pub auth: RestAuth,
    /// The JSON body. A string that is exactly `{{name}}` becomes the value (typed); `{{name}}`
    /// inside a longer string is replaced by text. Names: `idempotency_key`, `subject`,
    /// `classification`, `direction`, `case_file.code`, `case_file.name` (null without a case file),
    /// `correspondent.fiscal_number`, `correspondent.name`,
    /// `correspondent.email`, `primary.file_name`, `primary.mime_type`, `primary.sha256`,
    /// `primary.size`, `primary.content_base64`, `attachments`.
    pub request_template: Value,
    /// JSON pointers into the answer.
    pub number_pointer: String,
    pub date_pointer: String,
    /// When absent, the year of the date.
    #[serde(default)]
    pub year_pointer: Option<String>,
    /// Register code shown on receipts.
    pub register: String,
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
}

fn default_timeout() -> u64 {
    30
}

/// Authentication towards the protocol system.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum RestAuth {
    #[default]
    None,
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
    ClientCredentials {
        token_url: String,
        client_id: String,
        client_secret: String,
        #[serde(default)]
        scope: Option<String>,
    },
}

/// The REST register.
#[derive(Debug)]
pub struct RestRegister {
    settings: RestSettings,
    client: reqwest::Client,
    token: Mutex<Option<(String, Instant)>>,
}

fn remote(e: impl std::fmt::Display) -> ProtocolError {
    ProtocolError::Remote(e.to_string())
}

impl RestRegister {
    pub fn new(settings: RestSettings) -> Result<RestRegister> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(settings.timeout_seconds.max(1)))
            .build()
            .map_err(remote)?;
        Ok(RestRegister {
            settings,
            client,
            token: Mutex::new(None),
        })
    }

    async fn authorize(&self, request: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder> {
        Ok(match &self.settings.auth {
            RestAuth::None => request,
            RestAuth::Basic { username, password } => request.basic_auth(username, Some(password)),
            RestAuth::Bearer { token } => request.bearer_auth(token),
            RestAuth::ClientCredentials {
                token_url,
                client_id,
                client_secret,
                scope,
            } => {
                let mut cached = self.token.lock().await;
                let valid = cached
                    .as_ref()
                    .filter(|(_, until)| Instant::now() < *until)
                    .map(|(t, _)| t.clone());
                let token = match valid {
                    Some(t) => t,
                    None => {
                        let mut form = vec![
                            ("grant_type", "client_credentials"),
                            ("client_id", client_id),
                            ("client_secret", client_secret),
                        ];
                        if let Some(s) = scope {
                            form.push(("scope", s));
                        }
                        let answer: Value = self
                            .client
                            .post(token_url)
                            .form(&form)
                            .send()
                            .await
                            .and_then(reqwest::Response::error_for_status)
                            .map_err(|e| remote(format!("token: {e}")))?
                            .json()
                            .await
                            .map_err(|e| remote(format!("token: {e}")))?;
                        let token = answer["access_token"]
                            .as_str()
                            .ok_or_else(|| remote("token: no access_token"))?
                            .to_owned();
                        let ttl = answer["expires_in"]
                            .as_u64()
                            .unwrap_or(300)
                            .saturating_sub(30);
                        *cached = Some((token.clone(), Instant::now() + Duration::from_secs(ttl)));
                        token
                    }
                };
                request.bearer_auth(token)
            }
        })
    }

    fn receipt(&self, answer: &Value) -> Result<Receipt> {
        let s = &self.settings;
        let number = match answer.pointer(&s.number_pointer) {
            Some(Value::Number(n)) => n.as_i64(),
            Some(Value::String(t)) => t.trim().parse().ok(),
            _ => None,
        }
        .ok_or_else(|| remote(format!("no number at {}", s.number_pointer)))?;
        let date_text = answer
            .pointer(&s.date_pointer)
            .and_then(Value::as_str)
            .ok_or_else(|| remote(format!("no date at {}", s.date_pointer)))?;
        let registered_at = DateTime::parse_from_rfc3339(date_text)
            .map(|d| d.with_timezone(&Utc))
            .or_else(|_| {
                NaiveDate::parse_from_str(date_text, "%Y-%m-%d")
                    .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
            })
            .map_err(|_| remote(format!("date {date_text:?} not understood")))?;
        let year = match s.year_pointer.as_deref().and_then(|p| answer.pointer(p)) {
            Some(Value::Number(n)) => n.as_i64().and_then(|y| i32::try_from(y).ok()),
            Some(Value::String(t)) => t.trim().parse().ok(),
            _ => None,
        }
        .unwrap_or_else(|| crate::rome::local(registered_at).year());
        Ok(Receipt {
            register: s.register.clone(),
            year,
            number,
            registered_at,
            segnatura: format!(
                "{} - Prot. N. {number:07} del {}",
                s.register,
                crate::rome::local(registered_at).format("%d/%m/%Y")
            ),
        })
    }
}

/// The values the request template may use.
fn values(reg: &Registration) -> Vec<(&'static str, Value)> {
    let b64 = |c: &[u8]| base64::engine::general_purpose::STANDARD.encode(c);
    vec![
        ("idempotency_key", json!(reg.idempotency_key)),
        ("subject", json!(reg.subject)),
        ("classification", json!(reg.classification)),
        ("direction", json!(reg.direction.code())),
        (
            "case_file.code",
            json!(reg.case_file.as_ref().map(|f| &f.code)),
        ),
        (
            "case_file.name",
            json!(reg.case_file.as_ref().map(|f| &f.name)),
        ),
        ("correspondent.fiscal_number", json!(reg.correspondent.fiscal_number)),
        ("correspondent.name", json!(reg.correspondent.name)),
        ("correspondent.email", json!(reg.correspondent.email)),
        ("primary.file_name", json!(reg.primary.file_name)),
        ("primary.mime_type", json!(reg.primary.mime_type)),
        ("primary.sha256", json!(reg.primary.sha256)),
        ("primary.size", json!(reg.primary.size)),
        ("primary.content_base64", json!(b64(&reg.primary.content))),
        (
            "attachments",
            Value::Array(
                reg.attachments
                    .iter()
                    .map(|a| json!({"file_name": a.file_name, "mime_type": a.mime_type, "sha256": a.sha256,
                                    "size": a.size, "description": a.description, "content_base64": b64(&a.content)}))
                    .collect(),
            ),
        ),
    ]
}

/// Fills `template` with the registration's values, in one pass over each template string, so
/// that a value containing `{{...}}` (a citizen's subject, say) is never expanded itself.
pub fn render_template(template: &Value, reg: &Registration) -> Value {
    let values: std::collections::HashMap<&'static str, Value> = values(reg).into_iter().collect();
    fill(template, &values)
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(t) => t.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn fill(v: &Value, values: &std::collections::HashMap<&'static str, Value>) -> Value {
    match v {
        Value::String(s) => {
            if let Some(value) = s
                .strip_prefix("{{")
                .and_then(|r| r.strip_suffix("}}"))
                .and_then(|name| values.get(name))
            {
                return value.clone();
            }
            let mut out = String::new();
            let mut rest = s.as_str();
            while let Some(start) = rest.find("{{") {
                out.push_str(&rest[..start]);
                let after = &rest[start + 2..];
                let Some(end) = after.find("}}") else {
                    out.push_str(&rest[start..]);
                    rest = "";
                    break;
                };
                match values.get(&after[..end]) {
                    Some(value) => out.push_str(&text_of(value)),
                    None => out.push_str(&rest[start..start + end + 4]),
                }
                rest = &after[end + 2..];
            }
            out.push_str(rest);
            Value::String(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| fill(x, values)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, x)| (k.clone(), fill(x, values)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[async_trait]
impl Register for RestRegister {
    async fn file(&self, reg: &Registration, _clock: &dyn Clock) -> Result<Receipt> {
        reg.check()?;
        if let Some(r) = self.lookup(&reg.idempotency_key).await? {
            return Ok(r);
        }
        let body = render_template(&self.settings.request_template, reg);
        let request = self
            .client
            .post(&self.settings.endpoint)
            .header("Idempotency-Key", &reg.idempotency_key)
            .json(&body);
        let response = self
            .authorize(request)
            .await?
            .send()
            .await
            .map_err(remote)?;
        let status = response.status();
        if !status.is_success() {
            return Err(remote(format!("HTTP {status}")));
        }
        let answer: Value = response.json().await.map_err(remote)?;
        self.receipt(&answer)
    }

    async fn lookup(&self, key: &str) -> Result<Option<Receipt>> {
        let template = &self.settings.lookup_endpoint;
        let encoded: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
        let request = self.client.get(template.replace("{key}", &encoded));
        let response = self
            .authorize(request)
            .await?
            .send()
            .await
            .map_err(remote)?;
        match response.status() {
            s if s == reqwest::StatusCode::NOT_FOUND => Ok(None),
            s if s.is_success() => Ok(Some(self.receipt(&response.json().await.map_err(remote)?)?)),
            s => Err(remote(format!("lookup: HTTP {s}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Correspondent, Direction, DocumentRef};

    #[test]
    fn values_are_never_expanded_themselves() {
        let reg = Registration {
            idempotency_key: "k1".into(),
            direction: Direction::Incoming,
            subject: "Evento {{primary.content_base64}} {{idempotency_key}}".into(),
            classification: "1.8".into(),
            correspondent: Correspondent {
                fiscal_number: "RSSMRA85T10A562S".into(),
                name: "Mario Rossi".into(),
                given_name: None,
                family_name: None,
                email: None,
            },
            primary: DocumentRef {
                file_name: "d.json".into(),
                mime_type: "application/json".into(),
                sha256: "a".repeat(64),
                size: 2,
                description: "d".into(),
                content: b"{}".to_vec(),
            },
            attachments: vec![],
            case_file: None,
        };
        let out = render_template(
            &json!({"o": "{{subject}}", "n": "Nota {{subject}} ({{idempotency_key}}) {{sconosciuto}}", "s": "{{primary.size}}"}),
            &reg,
        );
        assert_eq!(
            out["o"],
            "Evento {{primary.content_base64}} {{idempotency_key}}"
        );
        assert_eq!(
            out["n"],
            "Nota Evento {{primary.content_base64}} {{idempotency_key}} (k1) {{sconosciuto}}"
        );
        assert_eq!(out["s"], 2);
    }
}
