//! The server's error: every failure maps to one HTTP status and one message for the citizen in
//! the request's language (Italian by default), with a reference id that also appears in the log
//! next to the cause.

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
    #[error("submit: {0}")]
    Submit(#[from] crate::submit::SubmitError),
    #[error("{0}")]
    Bytes(#[from] crate::attachments::BytesError),
    #[error("staff: {0}")]
    Staff(#[from] crate::staff::StaffError),
    #[error("case: {0}")]
    Case(#[from] crate::cases::CaseError),
    #[error("{0}")]
    Audit(#[from] crate::audit::AuditError),
    #[error("export: {0}")]
    Export(#[from] crate::exports::ExportError),
    #[error("{0}")]
    Desk(#[from] crate::desk::DeskError),
    #[error("annulment: {0}")]
    Annul(#[from] crate::annulments::AnnulError),
    #[error("bulk: {0}")]
    Bulk(#[from] crate::bulk::BulkError),
    #[error("API credential: {0}")]
    Token(#[from] crate::api_tokens::TokenError),
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
    /// A request refused with a message meant for the person who sent it: a message id, or
    /// words already in the request's language.
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
    fn status_of_case(e: &crate::cases::CaseError) -> StatusCode {
        use crate::cases::CaseError;
        match e {
            CaseError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
            CaseError::NotFound => StatusCode::NOT_FOUND,
            CaseError::Role { .. } => StatusCode::FORBIDDEN,
            CaseError::CitizensEvent(_) => StatusCode::BAD_REQUEST,
            CaseError::Procedure(_) | CaseError::Concurrent => StatusCode::CONFLICT,
            CaseError::MessageRequired(_)
            | CaseError::ItemsRequired
            | CaseError::ReplyBy
            | CaseError::EmptyReply => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }

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
            ServerError::Submit(e) => {
                use crate::cpu::CpuError;
                use crate::submit::SubmitError;
                match e {
                    SubmitError::Store(_) | SubmitError::Cpu(CpuError::Overloaded) => {
                        StatusCode::SERVICE_UNAVAILABLE
                    }
                    SubmitError::KeyReused | SubmitError::FileTaken => StatusCode::CONFLICT,
                    SubmitError::Principal(_)
                    | SubmitError::Document(_)
                    | SubmitError::Cpu(CpuError::Stopped | CpuError::Failed) => {
                        StatusCode::INTERNAL_SERVER_ERROR
                    }
                }
            }
            ServerError::Bytes(e) => {
                use crate::attachments::BytesError;
                match e {
                    // A full disk or a database that does not answer: try again later.
                    BytesError::Io { .. } | BytesError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
                    BytesError::Mismatch { .. } => StatusCode::INTERNAL_SERVER_ERROR,
                }
            }
            ServerError::Case(e) => ServerError::status_of_case(e),
            ServerError::Desk(e) => match e {
                crate::desk::DeskError::Case(c) => ServerError::status_of_case(c),
                crate::desk::DeskError::OfficeOutOfReach => StatusCode::FORBIDDEN,
                crate::desk::DeskError::NotAssignable
                | crate::desk::DeskError::UnknownOffice
                | crate::desk::DeskError::EmptyNote
                | crate::desk::DeskError::BadLabel => StatusCode::UNPROCESSABLE_ENTITY,
            },
            ServerError::Token(e) => {
                use crate::api_tokens::TokenError;
                match e {
                    TokenError::Invalid => StatusCode::UNAUTHORIZED,
                    TokenError::Name
                    | TokenError::NoRoles
                    | TokenError::NotHeld(_)
                    | TokenError::Days => StatusCode::UNPROCESSABLE_ENTITY,
                    TokenError::Scope => StatusCode::BAD_REQUEST,
                    TokenError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
                }
            }
            ServerError::Bulk(e) => match e {
                crate::bulk::BulkError::Empty | crate::bulk::BulkError::TooMany => {
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                crate::bulk::BulkError::Audit(crate::audit::AuditError::Store(_)) => {
                    StatusCode::SERVICE_UNAVAILABLE
                }
            },
            ServerError::Annul(e) => {
                use crate::annulments::AnnulError;
                match e {
                    AnnulError::NotRecordsManager | AnnulError::NotOverseer => {
                        StatusCode::FORBIDDEN
                    }
                    AnnulError::ExternalRegister | AnnulError::AlreadyAnnulled => {
                        StatusCode::CONFLICT
                    }
                    AnnulError::Missing(_) | AnnulError::TooLong(_) => {
                        StatusCode::UNPROCESSABLE_ENTITY
                    }
                    AnnulError::NotFound => StatusCode::NOT_FOUND,
                    AnnulError::Register(_) => StatusCode::SERVICE_UNAVAILABLE,
                }
            }
            ServerError::Export(e) => match e {
                crate::exports::ExportError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
                crate::exports::ExportError::Spreadsheet(_) => StatusCode::INTERNAL_SERVER_ERROR,
                crate::exports::ExportError::TooManyRows { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            },
            // Nothing is served that the log did not record.
            ServerError::Audit(crate::audit::AuditError::Store(_)) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ServerError::Staff(e) => match e {
                crate::staff::StaffError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
                crate::staff::StaffError::NotStaff | crate::staff::StaffError::NoFiscalCode => {
                    StatusCode::FORBIDDEN
                }
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
            let seconds = i64::try_from(*retry_after).unwrap_or(i64::MAX);
            return crate::i18n::trn("troppe-richieste-riprova-tra", "seconds", seconds);
        }
        tr(&self.message_id())
    }

    fn message_id(&self) -> String {
        match self {
            ServerError::Auth(AuthError::IdpStatus { code, .. }) => spid_error_message(*code),
            ServerError::Auth(AuthError::LevelTooLow) | ServerError::LevelTooLow => {
                "questo-servizio-richiede-livello-sicurezza".into()
            }
            ServerError::Auth(AuthError::UnknownRequest) => {
                "richiesta-accesso-scaduta-gia-stata".into()
            }
            ServerError::Auth(AuthError::Malformed(_)) => {
                "risposta-gestore-dell-identita-non".into()
            }
            ServerError::Auth(AuthError::Key(_) | AuthError::Metadata(_)) => {
                "servizio-accesso-non-disponibile-questo".into()
            }
            ServerError::Auth(
                AuthError::Dtd
                | AuthError::UnknownIdp
                | AuthError::Signature(_)
                | AuthError::SignatureProfile(_)
                | AuthError::Check(_),
            ) => "non-stato-possibile-verificare-l".into(),
            ServerError::Submit(e) => {
                use crate::cpu::CpuError;
                use crate::submit::SubmitError;
                match e {
                    SubmitError::KeyReused => "questo-codice-domanda-gia-stato".into(),
                    SubmitError::FileTaken => "un-allegato-fa-gia-parte".into(),
                    SubmitError::Cpu(CpuError::Overloaded) => {
                        "servizio-molto-richiesto-questo-momento".into()
                    }
                    SubmitError::Store(_) => "servizio-momentaneamente-non-disponibile-dati".into(),
                    SubmitError::Principal(_)
                    | SubmitError::Document(_)
                    | SubmitError::Cpu(CpuError::Stopped | CpuError::Failed) => {
                        "si-verificato-errore-imprevisto-riprova".into()
                    }
                }
            }
            ServerError::NotFound => "pagina-domanda-richiesta-non-esiste".into(),
            ServerError::LoginRequired => "continuare-devi-accedere-spid-cie".into(),
            ServerError::StaffOnly => "quest-area-riservata-personale-dell".into(),
            ServerError::Csrf => "richiesta-non-proviene-pagina-questo".into(),
            ServerError::BadRequest(_) => "richiesta-non-valida-2".into(),
            ServerError::Refused(message) => message.clone(),
            ServerError::Conflict => "questo-codice-domanda-gia-stato".into(),
            ServerError::TooLarge => "dati-inviati-superano-dimensione-massima".into(),
            ServerError::UnsupportedMediaType => "formato-dati-inviati-non-supportato".into(),
            ServerError::Invalid(_) => "alcuni-dati-non-sono-corretti".into(),
            // Formatted with its number by `message`, which asks for its plural.
            ServerError::TooManyRequests { .. } => "troppe-richieste-riprova-tra".into(),
            ServerError::ProxiedDemo => "modalita-dimostrativa-accesso-consentito-solo".into(),
            ServerError::Overloaded => "servizio-molto-richiesto-questo-momento".into(),
            ServerError::Db(_) | ServerError::Store(_) | ServerError::Protocol(_) => {
                "servizio-momentaneamente-non-disponibile-dati".into()
            }
            ServerError::Case(e) | ServerError::Desk(crate::desk::DeskError::Case(e)) => {
                case_message(e).into()
            }
            ServerError::Desk(crate::desk::DeskError::OfficeOutOfReach) => {
                "ufficio-fuori-portata".into()
            }
            ServerError::Desk(crate::desk::DeskError::NotAssignable) => {
                "persona-non-assegnabile".into()
            }
            ServerError::Desk(crate::desk::DeskError::EmptyNote) => "nota-vuota".into(),
            ServerError::Desk(crate::desk::DeskError::UnknownOffice) => {
                "ufficio-sconosciuto".into()
            }
            ServerError::Desk(crate::desk::DeskError::BadLabel) => "etichetta-non-valida".into(),
            ServerError::Token(e) => {
                use crate::api_tokens::TokenError;
                match e {
                    TokenError::Invalid => "credenziale-non-valida",
                    TokenError::Name => "credenziale-senza-nome",
                    TokenError::NoRoles => "credenziale-senza-ruoli",
                    TokenError::NotHeld(_) | TokenError::Scope => "credenziale-ruolo-non-tuo",
                    TokenError::Days => "credenziale-durata",
                    TokenError::Store(_) => "servizio-momentaneamente-non-disponibile-dati",
                }
                .into()
            }
            ServerError::Bulk(e) => match e {
                crate::bulk::BulkError::Empty => "scegli-almeno-una-domanda".into(),
                crate::bulk::BulkError::TooMany => "troppe-domande-scelte".into(),
                crate::bulk::BulkError::Audit(crate::audit::AuditError::Store(_)) => {
                    "servizio-momentaneamente-non-disponibile-dati".into()
                }
            },
            ServerError::Annul(e) => {
                use crate::annulments::AnnulError;
                match e {
                    AnnulError::NotRecordsManager => "annullamento-per-responsabili",
                    AnnulError::NotOverseer => "protocollazioni-per-responsabili",
                    AnnulError::ExternalRegister => "annullamento-nel-sistema-protocollo",
                    AnnulError::Missing("reason") => "annullamento-senza-motivo",
                    AnnulError::Missing(_) => "annullamento-senza-atto",
                    AnnulError::TooLong(_) => "annullamento-troppo-lungo",
                    AnnulError::NotFound => "registrazione-non-trovata",
                    AnnulError::AlreadyAnnulled => "registrazione-gia-annullata",
                    AnnulError::Register(_) => "servizio-momentaneamente-non-disponibile-dati",
                }
                .into()
            }
            ServerError::Audit(crate::audit::AuditError::Store(_))
            | ServerError::Export(crate::exports::ExportError::Store(_)) => {
                "servizio-momentaneamente-non-disponibile-dati".into()
            }
            ServerError::Export(crate::exports::ExportError::Spreadsheet(_)) => {
                "si-verificato-errore-imprevisto-riprova".into()
            }
            ServerError::Export(crate::exports::ExportError::TooManyRows { .. }) => {
                "troppe-righe-foglio".into()
            }
            ServerError::Staff(e) => match e {
                crate::staff::StaffError::Store(_) => {
                    "servizio-momentaneamente-non-disponibile-dati".into()
                }
                crate::staff::StaffError::NotStaff => "non-risulti-personale-ente".into(),
                crate::staff::StaffError::NoFiscalCode => {
                    "personale-accede-con-codice-fiscale".into()
                }
            },
            ServerError::Bytes(e) => match e {
                crate::attachments::BytesError::Io { .. }
                | crate::attachments::BytesError::Store(_) => {
                    "servizio-momentaneamente-non-disponibile-dati".into()
                }
                crate::attachments::BytesError::Mismatch { .. } => {
                    "si-verificato-errore-imprevisto-riprova".into()
                }
            },
            ServerError::Forms(_)
            | ServerError::Config(_)
            | ServerError::Template(_)
            | ServerError::Internal(_) => "si-verificato-errore-imprevisto-riprova".into(),
        }
    }

    /// The headers an error's status calls for.
    fn add_headers(&self, response: &mut HttpResponse) {
        if let ServerError::Token(crate::api_tokens::TokenError::Invalid) = self {
            response.headers_mut().insert(
                actix_web::http::header::WWW_AUTHENTICATE,
                actix_web::http::header::HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
        }
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

/// What a member of staff reads when the procedure or their roles refuse an event.
fn case_message(e: &crate::cases::CaseError) -> &'static str {
    use crate::cases::CaseError;
    use istanze_domain::procedure::ProcedureError;
    match e {
        CaseError::Store(_) => "servizio-momentaneamente-non-disponibile-dati",
        CaseError::NotFound => "pagina-domanda-richiesta-non-esiste",
        CaseError::Role { needed, .. } => match needed {
            istanze_domain::Role::ProcedureManager => "decisione-spetta-responsabile",
            istanze_domain::Role::RecordsManager => "protocollazioni-per-responsabili",
            _ => "azione-spetta-operatore",
        },
        CaseError::CitizensEvent(_) => "evento-spetta-cittadino",
        CaseError::Procedure(p) => match p {
            ProcedureError::NotNow { .. } => "evento-non-possibile-stato",
            ProcedureError::ObservationsOpen { .. } => "osservazioni-ancora-possibili",
            ProcedureError::NoTacitConsent => "silenzio-assenso-non-previsto",
            ProcedureError::TermRunning { .. } => "termine-non-ancora-scaduto",
            ProcedureError::Backdated { .. } => "evento-prima-del-precedente",
        },
        CaseError::MessageRequired(_) => "serve-messaggio-cittadino",
        CaseError::ItemsRequired => "serve-elenco-integrazione",
        CaseError::ReplyBy => "termine-risposta-non-valido",
        CaseError::EmptyReply => "risposta-vuota",
        CaseError::Concurrent => "domanda-cambiata-nel-frattempo",
    }
}

/// The messages the SPID rules prescribe for the IdP's ErrorCode values.
fn spid_error_message(code: Option<u8>) -> String {
    match code {
        Some(19) => "accesso-non-riuscito-hai-superato",
        Some(20) => "accesso-non-riuscito-non-hai",
        Some(21) => "accesso-non-riuscito-tempo-disposizione",
        Some(22) => "accesso-non-riuscito-hai-negato",
        Some(23) => "accesso-non-riuscito-tua-identita",
        Some(25) => "accesso-annullato-hai-interrotto-procedura",
        _ => "accesso-non-riuscito-gestore-dell",
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
api_from!(
    DbErr,
    AuthError,
    ProtocolError,
    askama::Error,
    crate::cpu::CpuError,
    crate::submit::SubmitError,
    crate::attachments::BytesError,
    crate::store::StoreError
);

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        let reference = self.0.log();
        use crate::web::api::types::{ErrorBody, ErrorDetail, FieldRefusal};
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.0.code(),
                message: self.0.message(),
                reference,
            },
            errors: match &self.0 {
                ServerError::Invalid(errors) => Some(
                    errors
                        .iter()
                        .map(|e| FieldRefusal {
                            pointer: e.pointer.clone(),
                            message: e.message.clone(),
                        })
                        .collect(),
                ),
                _ => None,
            },
        };
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
