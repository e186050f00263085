//! Which version of a form a citizen's page is made with (see `crate::form_store`).

use istanze_forms::Form;

use crate::error::ServerError;
use crate::state::AppState;
use crate::web::session::Citizen;
use crate::web::tenant::Here;

/// The form a citizen works on, in the language of the request: the version their draft was
/// started with when they have one (a changed form does not change a started application
/// under them, and one that left the catalogue can still be finished), else the current one.
pub(crate) async fn form_for(
    state: &AppState,
    here: &Here,
    citizen: Option<&Citizen>,
    id: &str,
) -> Result<Form, ServerError> {
    let current = here.tenant.forms.get(id);
    let pinned = match citizen {
        Some(c) => crate::store::drafts::DraftStore::find(
            &state.scoped(&here.tenant.id),
            &c.principal.owner(),
            id,
        )
        .await?
        .map(|d| d.form_version_id),
        None => None,
    };
    let form = match pinned {
        Some(version) => {
            let db = state.scoped(&here.tenant.id);
            crate::form_store::version(&db, current, id, &version)
                .await?
                .or_else(|| current.cloned())
        }
        None => current.cloned(),
    };
    form.map(|f| f.in_lang(crate::i18n::current()))
        .ok_or(ServerError::NotFound)
}
