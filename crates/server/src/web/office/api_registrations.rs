//! The register in the office API: `GET /api/v1/office/registrations/{year}/{number}` (for the
//! administration's administrators and records managers) and
//! `POST /api/v1/office/registrations/{year}/{number}/annulment` (`{"authorising_act",
//! "reason"}`, for its records managers), answered 201 with the annulment recorded.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::annulments;
use crate::error::{ApiError, ServerError};
use crate::state::AppState;
use crate::web::api::types::ErrorBody;
use crate::web::guards::StaffMember;
use crate::web::tenant::Here;

/// A registration of the register, with its annulment if any.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegistrationBody {
    pub register: String,
    pub year: i32,
    /// Seven digits, as the register writes it.
    pub number: String,
    #[schema(value_type = String, format = DateTime)]
    pub registered_at: DateTime<Utc>,
    /// `incoming`, `outgoing` or `internal`.
    pub direction: &'static str,
    pub subject: String,
    pub classification: String,
    pub case_file: Option<String>,
    pub document_sha256: String,
    /// The application it belongs to.
    pub application: Option<String>,
    pub annulment: Option<AnnulmentBody>,
}

/// An annulment as the register records it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AnnulmentBody {
    #[schema(value_type = String, format = DateTime)]
    pub annulled_at: DateTime<Utc>,
    pub authorising_act: String,
    pub reason: String,
    pub operator: String,
}

impl From<istanze_protocol::embedded::annulment::Model> for AnnulmentBody {
    fn from(a: istanze_protocol::embedded::annulment::Model) -> AnnulmentBody {
        AnnulmentBody {
            annulled_at: a.annulled_at,
            authorising_act: a.authorising_act,
            reason: a.reason,
            operator: a.operator,
        }
    }
}

/// What annulling asks for.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnnulBody {
    pub authorising_act: String,
    pub reason: String,
}

/// A registration of the administration's register, with its annulment if any.
#[utoipa::path(get, path = "/api/v1/office/registrations/{year}/{number}", operation_id = "office_get_registration", tag = "office",
    params(
        ("year" = i32, Path, description = "The registration's year"),
        ("number" = i64, Path, description = "Its number in the year")),
    responses(
        (status = 200, description = "The registration", body = RegistrationBody),
        (status = 403, description = "Not an administrator or records manager of the administration", body = ErrorBody),
        (status = 404, description = "No such registration", body = ErrorBody),
        (status = 409, description = "The register is kept by an external protocol system", body = ErrorBody)),
    security(("staff_session" = []), ("bearer" = [])))]
pub(crate) async fn show(
    here: Here,
    staff: StaffMember,
    path: web::Path<(i32, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (year, number) = *path;
    let tenant = &here.tenant;
    let r = annulments::registration(
        &tenant.settings,
        &tenant.register_db,
        &staff.grants,
        year,
        number,
    )
    .await
    .map_err(ServerError::from)?;
    let e = r.entry;
    Ok(HttpResponse::Ok().json(RegistrationBody {
        register: e.register,
        year: e.year,
        number: format!("{:07}", e.number),
        registered_at: e.registered_at,
        direction: match e.direction.as_str() {
            "P" => "outgoing",
            "I" => "internal",
            _ => "incoming",
        },
        subject: e.subject,
        classification: e.classification,
        case_file: Some(e.case_file_code).filter(|c| !c.is_empty()),
        document_sha256: e.primary_sha256,
        application: r.application,
        annulment: r.annulment.map(AnnulmentBody::from),
    }))
}

/// Annuls a registration (DPR 445/2000 art. 54): the entry stays, the annulment is recorded
/// beside it once.
#[utoipa::path(post, path = "/api/v1/office/registrations/{year}/{number}/annulment", operation_id = "office_annul_registration", tag = "office",
    params(
        ("year" = i32, Path, description = "The registration's year"),
        ("number" = i64, Path, description = "Its number in the year")),
    request_body = AnnulBody,
    responses(
        (status = 201, description = "The annulment recorded", body = AnnulmentBody,
            headers(("Location" = String, description = "The registration's address"))),
        (status = 403, description = "Not a records manager of the administration, or a cross-site request", body = ErrorBody),
        (status = 404, description = "No such registration", body = ErrorBody),
        (status = 409, description = "Already annulled, or kept by an external protocol system", body = ErrorBody),
        (status = 422, description = "The authorising act or the reason missing or too long", body = ErrorBody)),
    security(("staff_session" = []), ("bearer" = [])))]
pub(crate) async fn annul(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    req: HttpRequest,
    path: web::Path<(i32, i64)>,
    body: web::Json<AnnulBody>,
) -> Result<HttpResponse, ApiError> {
    crate::web::session::check_same_origin(&req, &state, &here)?;
    let (year, number) = *path;
    let tenant = &here.tenant;
    let request = annulments::Request {
        authorising_act: body.authorising_act.clone(),
        reason: body.reason.clone(),
    };
    let annulment = annulments::annul(
        &tenant.settings,
        &tenant.register_db,
        &staff.grants,
        &super::registrations::operator(&staff),
        (year, number),
        &request,
        state.clock.now(),
    )
    .await
    .map_err(ServerError::from)?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("{}/api/v1/office/registrations/{year}/{number}", here.base),
        ))
        .json(AnnulmentBody::from(annulment)))
}
