//! The server's error: every failure maps to one HTTP status and one Italian message for the
//! citizen, with a reference id that also appears in the log next to the cause.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use istanze_auth::AuthError;
use istanze_forms::{FieldError, FormError};
use istanze_protocol::ProtocolError;
use sea_orm::DbErr;

use crate::config::ConfigError;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("login: {0}")]
    Auth(#[from] AuthError),
    #[error("register: {0}")]
    Protocol(#[from] ProtocolError),
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("storage: {0}")]
    Store(#[from] crate::store::StoreError),
    #[error("forms: {0}")]
    Forms(#[from] FormError),
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("not found")]
    NotFound,
    #[error("login required")]
    LoginRequired,
    /// A citizen's session in the staff's area.
    #[error("staff only")]
    StaffOnly,
    #[error("login level below the form's minimum")]
    LevelTooLow,
    #[error("cross-site request refused")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A request refused with a message meant for the person who sent it (Italian).
    #[error("refused: {0}")]
    Refused(String),
    #[error("submission id already used for another submission")]
    Conflict,
    #[error("request body too large")]
    TooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("invalid data ({} fields)", .0.len())]
    Invalid(Vec<FieldError>),
    /// Over a rate limit; the client may retry after this many seconds.
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    /// Demo mode reached through a proxy (so not only from the local machine).
    #[error("demo mode reached through a proxy")]
    ProxiedDemo,
    /// The CPU pool's queue is full or the job waited past its budget: the server is
    /// overloaded (or flooded) and this request is refused so that others are served.
    #[error("overloaded")]
    Overloaded,
    #[error("internal: {0}")]
    Internal(String),
}

impl ServerError {
    pub fn status(&self) -> StatusCode {
        match self {
            ServerError::Auth(e) => match e {
                AuthError::Malformed(_) | AuthError::SignatureProfile(_) => StatusCode::BAD_REQUEST,
                AuthError::Dtd
                | AuthError::UnknownRequest
                | AuthError::UnknownIdp
                | AuthError::Signature(_)
                | AuthError::Check(_)
                | AuthError::IdpStatus { .. }
                | AuthError::LevelTooLow => StatusCode::FORBIDDEN,
                AuthError::Key(_) | AuthError::Metadata(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            ServerError::Protocol(e) => match e {
                ProtocolError::Invalid(_) | ProtocolError::PecNoTrustAnchors => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
                // A PEC message that is not believed: refused for want of proof.
                ProtocolError::PecUnsigned
                | ProtocolError::PecSignature(_)
                | ProtocolError::PecUntrustedSigner(_)
                | ProtocolError::PecNotTransport(_) => StatusCode::FORBIDDEN,
                ProtocolError::NotFound => StatusCode::NOT_FOUND,
                ProtocolError::AlreadyAnnulled => StatusCode::CONFLICT,
                ProtocolError::Storage(_)
                | ProtocolError::Busy
                | ProtocolError::YearChanged
                | ProtocolError::Remote(_) => StatusCode::SERVICE_UNAVAILABLE,
            },
            ServerError::Db(_) | ServerError::Store(_) | ServerError::Overloaded => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ServerError::Forms(_)
            | ServerError::Config(_)
            | ServerError::Template(_)
            | ServerError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ServerError::NotFound => StatusCode::NOT_FOUND,
            ServerError::LoginRequired => StatusCode::UNAUTHORIZED,
            ServerError::LevelTooLow
            | ServerError::StaffOnly
            | ServerError::Csrf
            | ServerError::ProxiedDemo => StatusCode::FORBIDDEN,
            ServerError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ServerError::BadRequest(_) | ServerError::Refused(_) => StatusCode::BAD_REQUEST,
            ServerError::Conflict => StatusCode::CONFLICT,
            ServerError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ServerError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ServerError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

    /// A short machine-readable code for the JSON API.
    pub fn code(&self) -> &'static str {
        match self.status().as_u16() {
            400 => "bad_request",
            401 => "login_required",
            403 => "forbidden",
            404 => "not_found",
            409 => "conflict",
            413 => "too_large",
            415 => "unsupported_media_type",
            422 => "invalid",
            429 => "too_many_requests",
            503 => "unavailable",
            _ => "internal",
        }
    }

    /// What the citizen reads, in the language of the request.
    pub fn message(&self) -> String {
        use crate::i18n::tr;
        if let ServerError::TooManyRequests { retry_after } = self {
            // The one message with a number in it: its two halves are in the catalogue.
            return format!(
                "{} {retry_after} {}",
                tr("Troppe richieste da questo indirizzo in poco tempo. Riprova tra"),
                tr("secondi.")
            );
        }
        tr(&self.italian_message())
    }

    fn italian_message(&self) -> String {
        match self {
            ServerError::Auth(AuthError::IdpStatus { code, .. }) => spid_error_message(*code),
            ServerError::Auth(AuthError::LevelTooLow) | ServerError::LevelTooLow => {
                "Questo servizio richiede un livello di sicurezza SPID più alto di quello usato per l'accesso. Accedi di nuovo con il livello richiesto.".into()
            }
            ServerError::Auth(AuthError::UnknownRequest) => {
                "La richiesta di accesso è scaduta o è già stata usata. Torna alla pagina del servizio e accedi di nuovo.".into()
            }
            ServerError::Auth(AuthError::Malformed(_)) => {
                "La risposta del gestore dell'identità non è leggibile. Riprova ad accedere.".into()
            }
            ServerError::Auth(AuthError::Key(_) | AuthError::Metadata(_)) => {
                "Il servizio di accesso non è disponibile in questo momento. Riprova più tardi.".into()
            }
            ServerError::Auth(_) => {
                "Non è stato possibile verificare l'accesso: la risposta del gestore dell'identità non è valida. Riprova ad accedere.".into()
            }
            ServerError::NotFound => "La pagina o la domanda richiesta non esiste.".into(),
            ServerError::LoginRequired => "Per continuare devi accedere con SPID o CIE.".into(),
            ServerError::StaffOnly => {
                "Quest'area è riservata al personale dell'ente. Per le tue domande vai alla pagina Le mie domande.".into()
            }
            ServerError::Csrf => {
                "La richiesta non proviene da una pagina di questo servizio ed è stata rifiutata. Ricarica la pagina e riprova.".into()
            }
            ServerError::BadRequest(_) => "La richiesta non è valida.".into(),
            ServerError::Refused(message) => message.clone(),
            ServerError::Conflict => {
                "Questo codice di domanda è già stato usato per un'altra domanda.".into()
            }
            ServerError::TooLarge => "I dati inviati superano la dimensione massima consentita.".into(),
            ServerError::UnsupportedMediaType => "Il formato dei dati inviati non è supportato.".into(),
            ServerError::Invalid(_) => "Alcuni dati non sono corretti: controlla i campi indicati.".into(),
            ServerError::TooManyRequests { retry_after } => format!(
                "Troppe richieste da questo indirizzo in poco tempo. Riprova tra {retry_after} secondi."
            ),
            ServerError::ProxiedDemo => {
                "Modalità dimostrativa: accesso consentito solo dalla macchina locale, non attraverso un proxy.".into()
            }
            ServerError::Overloaded => {
                "Il servizio è molto richiesto in questo momento e non ha potuto rispondere. Riprova tra qualche istante: i dati già inviati non sono andati persi.".into()
            }
            ServerError::Db(_) | ServerError::Store(_) | ServerError::Protocol(_) => {
                "Il servizio è momentaneamente non disponibile. I dati già inviati non sono andati persi: riprova tra qualche minuto.".into()
            }
            ServerError::Forms(_)
            | ServerError::Config(_)
            | ServerError::Template(_)
            | ServerError::Internal(_) => {
                "Si è verificato un errore imprevisto. Riprova più tardi; se il problema continua, comunica il codice di riferimento all'ufficio.".into()
            }
        }
    }

    /// The headers an error's status calls for.
    fn add_headers(&self, response: &mut HttpResponse) {
        if let ServerError::TooManyRequests { retry_after } = self {
            response.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(*retry_after),
            );
        }
    }

    /// Logs the cause with a new reference id and returns the id.
    pub fn log(&self) -> String {
        let reference = crate::random::token(4);
        if self.status().is_server_error() {
            tracing::error!(reference = %reference, error = %self, "request failed");
        } else {
            tracing::info!(reference = %reference, error = %self, "request refused");
        }
        reference
    }
}

/// The messages the SPID rules prescribe for the IdP's ErrorCode values.
fn spid_error_message(code: Option<u8>) -> String {
    match code {
        Some(19) => "Accesso non riuscito: hai superato il numero di tentativi consentiti. Riprova più tardi.",
        Some(20) => "Accesso non riuscito: non hai credenziali adatte al livello di sicurezza richiesto dal servizio.",
        Some(21) => "Accesso non riuscito: il tempo a disposizione per l'autenticazione è scaduto. Riprova.",
        Some(22) => "Accesso non riuscito: hai negato il consenso all'invio dei dati al servizio.",
        Some(23) => "Accesso non riuscito: la tua identità digitale risulta sospesa o revocata. Contatta il tuo gestore dell'identità.",
        Some(25) => "Accesso annullato: hai interrotto la procedura di autenticazione.",
        _ => "Accesso non riuscito: il gestore dell'identità ha rifiutato l'autenticazione.",
    }
    .into()
}

impl ResponseError for ServerError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let reference = self.log();
        let mut response = crate::web::views::error_page(self, &reference);
        self.add_headers(&mut response);
        response
    }
}

/// The same errors, answered as JSON for `/api/v1`.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub ServerError);

macro_rules! api_from {
    ($($t:ty),*) => {$(
        impl From<$t> for ApiError {
            fn from(e: $t) -> Self {
                ApiError(e.into())
            }
        }
    )*};
}
api_from!(DbErr, AuthError, ProtocolError, askama::Error);

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        let reference = self.0.log();
        let mut body = serde_json::json!({
            "error": {"code": self.0.code(), "message": self.0.message(), "reference": reference}
        });
        if let ServerError::Invalid(errors) = &self.0 {
            body["errors"] = serde_json::json!(errors);
        }
        let mut response = HttpResponse::build(self.0.status()).json(body);
        self.0.add_headers(&mut response);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_spid_error_code_has_its_own_message() {
        let message = |code| {
            ServerError::Auth(AuthError::IdpStatus {
                status: "x".into(),
                code: Some(code),
            })
            .message()
        };
        let expected = [
            (19, "numero di tentativi"),
            (20, "livello di sicurezza"),
            (21, "tempo a disposizione"),
            (22, "negato il consenso"),
            (23, "sospesa o revocata"),
            (25, "interrotto la procedura"),
        ];
        for (code, words) in expected {
            assert!(
                message(code).contains(words),
                "ErrorCode nr{code}: {}",
                message(code)
            );
        }
        let status = ServerError::Auth(AuthError::IdpStatus {
            status: "x".into(),
            code: Some(25),
        })
        .status();
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
}
