//! The staff area's first page: who is logged in, and the roles they hold at this
//! administration with where each reaches. The back office's queues and the form designer
//! hang below it as they come.

use actix_web::{web, HttpResponse};
use askama::Template;
use istanze_domain::{Reach, Role};

use crate::error::ServerError;
use crate::i18n::tr;
use crate::state::AppState;
use crate::web::guards::StaffMember;
use crate::web::tenant::Here;
use crate::web::views;

#[derive(Debug, Template)]
#[template(path = "office_home.html")]
pub struct OfficeHomeTemplate {
    pub page: views::Page,
    pub roles: Vec<RoleRow>,
}

/// One role held, as the page lists it.
#[derive(Debug, Clone)]
pub struct RoleRow {
    pub role: String,
    pub reach: String,
}

/// The role's name in the request's language.
pub fn role_label(role: Role) -> String {
    tr(match role {
        Role::Administrator => "ruolo-amministratore",
        Role::FormDesigner => "ruolo-progettista",
        Role::Operator => "ruolo-operatore",
        Role::ProcedureManager => "ruolo-responsabile",
        Role::RecordsManager => "ruolo-protocollista",
        Role::Auditor => "ruolo-revisore",
    })
}

fn reach_label(reach: &Reach) -> String {
    match reach {
        Reach::Administration => tr("tutto-l-ente"),
        Reach::Office(o) => format!("{} {o}", tr("ufficio")),
    }
}

pub(super) async fn home(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
) -> Result<HttpResponse, ServerError> {
    let roles = staff
        .grants
        .iter()
        .map(|g| RoleRow {
            role: role_label(g.role),
            reach: reach_label(&g.reach),
        })
        .collect();
    views::html(&OfficeHomeTemplate {
        page: crate::web::page(&state, &here, Some(&staff.who), "area-del-personale"),
        roles,
    })
}
