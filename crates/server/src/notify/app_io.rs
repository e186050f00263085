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
    let (Some(number), Some(at)) = (sub.protocol_number, sub.protocol_at) else {
        return Err("not filed yet".into());
    };
    let when = istanze_protocol::rome::local(at).format("%d/%m/%Y");
    let subject = format!("Domanda protocollata: {}", sub.form_title);
    let markdown = format!(
        "La tua domanda **{}** è stata protocollata dall'ente con numero **{number:07}** del \
         {when}.\n\nOggetto: {}\n\nPuoi seguire la domanda e scaricare la ricevuta nella \
         sezione [Le mie domande]({}/domande/{}).",
        sub.form_title, sub.subject, tenant.public_url, sub.id
    );
    deliver(tenant, sub, &subject, &markdown).await
}

/// The App IO message of a communication of the procedure (`event`).
pub(super) async fn send_event(
    tenant: &crate::tenant::Tenant,
    sub: &submission::Model,
    event: &crate::store::cases::CaseEvent,
) -> Result<Finished, String> {
    let title = crate::communication::title(event.kind);
    let Some((_, year, number, _)) = &event.registration else {
        return Err("not filed yet".into());
    };
    let details = crate::communication::Details::of(event);
    let answer = details
        .reply_by
        .as_deref()
        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
        .map(|d| {
            format!(
                "\n\n**Devi rispondere entro il {}**: trovi cosa inviare e il modulo per \
                 farlo nella pagina della domanda.",
                d.format("%d/%m/%Y")
            )
        })
        .unwrap_or_default();
    let subject = format!("{title}: {}", sub.form_title);
    let markdown = format!(
        "L'ente ti ha inviato una comunicazione sulla domanda **{}**: *{title}*, protocollo \
         n. **{number:07}/{year}**.{answer}\n\nLeggi il documento nella \
         [pagina della domanda]({}/domande/{}).",
        sub.form_title, tenant.public_url, sub.id
    );
    deliver(tenant, sub, &subject, &markdown).await
}

/// Sends one message to the citizen of `sub`, if App IO is configured and they accept it.
async fn deliver(
    tenant: &crate::tenant::Tenant,
    sub: &submission::Model,
    subject: &str,
    markdown: &str,
) -> Result<Finished, String> {
    let Some(settings) = &tenant.settings.notifications.app_io else {
        return Ok(Finished::Skipped("App IO not configured".into()));
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
    // The Services API's bounds: subject 10-120 characters, markdown 80-10000.
    let subject = cut(subject, 120);
    let markdown = cut(markdown, 10_000);
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
