//! The App IO message, through the Services API (OpenAPI in pagopa/io-functions-services):
//! `POST /api/v1/profiles` {fiscal_code} says whether the citizen receives messages from the
//! service (`sender_allowed`); `POST /api/v1/messages` {fiscal_code, time_to_live, content
//! {subject 10-120 characters, markdown 80-10000}} sends it. Both with the service's
//! `Ocp-Apim-Subscription-Key`.

use std::time::Duration;

use serde_json::{json, Value};

use crate::db::submission;
use crate::store::jobs::Finished;

/// Cuts `text` to at most `max` characters.
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

pub(super) async fn send(
    tenant: &crate::tenant::Tenant,
    sub: &submission::Model,
) -> Result<Finished, String> {
    let Some(settings) = &tenant.settings.notifications.app_io else {
        return Ok(Finished::Skipped("App IO not configured".into()));
    };
    let (Some(number), Some(at)) = (sub.protocol_number, sub.protocol_at) else {
        return Err("not filed yet".into());
    };
    let key = crate::secret(&settings.api_key).map_err(|e| e.to_string())?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(settings.timeout_seconds.max(1)))
        .build()
        .map_err(|e| e.to_string())?;
    let base = settings.base_url.trim_end_matches('/');
    let post = |path: &str, body: Value| {
        client
            .post(format!("{base}{path}"))
            .header("Ocp-Apim-Subscription-Key", &key)
            .json(&body)
            .send()
    };
    // App IO knows Italian fiscal codes only: a citizen identified otherwise (eIDAS) is not
    // asked about, and their identifier is not sent.
    let Some(fiscal_code) = crate::principal::stored_fiscal_code(&sub.identity) else {
        return Ok(Finished::Skipped("no Italian fiscal code".into()));
    };
    let profile = post("/api/v1/profiles", json!({ "fiscal_code": fiscal_code }))
        .await
        .map_err(|e| format!("App IO: {}", e.without_url()))?;
    match profile.status().as_u16() {
        200 => {}
        404 => return Ok(Finished::Skipped("the citizen does not use App IO".into())),
        429 | 500..=599 => return Err(format!("App IO profiles: {}", profile.status())),
        other => {
            return Ok(Finished::Skipped(format!(
                "App IO profiles answered {other}"
            )))
        }
    }
    let allowed: Value = profile.json().await.map_err(|e| e.to_string())?;
    if allowed["sender_allowed"] != Value::Bool(true) {
        return Ok(Finished::Skipped(
            "the citizen does not accept messages from the service".into(),
        ));
    }
    let when = istanze_protocol::rome::local(at).format("%d/%m/%Y");
    let subject = cut(&format!("Domanda protocollata: {}", sub.form_title), 120);
    let markdown = cut(
        &format!(
            "La tua domanda **{}** è stata protocollata dall'ente con numero **{number:07}** del \
             {when}.\n\nOggetto: {}\n\nPuoi seguire la domanda e scaricare la ricevuta nella \
             sezione [Le mie domande]({}/domande/{}).",
            sub.form_title, sub.subject, tenant.public_url, sub.id
        ),
        10_000,
    );
    let message = json!({
        "fiscal_code": fiscal_code,
        "time_to_live": 3600,
        "content": {"subject": subject, "markdown": markdown}
    });
    let r = post("/api/v1/messages", message)
        .await
        .map_err(|e| format!("App IO: {}", e.without_url()))?;
    match r.status().as_u16() {
        201 => Ok(Finished::Done),
        429 | 500..=599 => Err(format!("App IO messages: {}", r.status())),
        other => Ok(Finished::Skipped(format!(
            "App IO messages answered {other}"
        ))),
    }
}
