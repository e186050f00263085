//! One typed template per page; the handlers fill these structs and never build HTML.

use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use istanze_forms::{FieldError, FormView, RenderItem};

use crate::error::ServerError;

/// What the layout needs on every page.
#[derive(Debug, Clone)]
pub struct Page {
    pub title: String,
    /// Where the administration's pages live: `""` at the root, or `/enti/<ipa_code>`; every
    /// local link starts with it.
    pub base: String,
    pub admin: String,
    pub admin_url: String,
    pub demo: bool,
    /// Whether test identity providers are trusted: a banner says so.
    pub test_idps: bool,
    /// The logged-in citizen's name, if any.
    pub user: Option<String>,
    pub csrf: String,
    /// The language of the page.
    pub lang: crate::i18n::Lang,
    /// Whether the administration's logo is configured (served at `/logo`).
    pub logo: bool,
}

impl Page {
    /// Message `id` in the page's language.
    pub fn t(&self, id: &str) -> String {
        crate::i18n::tr_in(self.lang, id)
    }

    /// Message `id` with the number `count` as variable `name` (its plural form chosen by it).
    pub fn tn(&self, id: &str, name: &str, count: usize) -> String {
        crate::i18n::trn_in(
            self.lang,
            id,
            name,
            i64::try_from(count).unwrap_or(i64::MAX),
        )
    }

    /// "Passo 2 di 4".
    pub fn step_of(&self, n: &usize, total: &usize) -> String {
        crate::i18n::trf_in(
            self.lang,
            "passo-di",
            &[("n", &n.to_string()), ("total", &total.to_string())],
        )
    }

    /// The links that switch to the other languages offered: each one's code, its name in
    /// itself (so that it reads right to whoever needs it), and this page in it.
    pub fn other_langs(&self) -> Vec<(String, String, String)> {
        super::lang::offered()
            .into_iter()
            .filter(|(l, _)| *l != self.lang)
            .map(|(l, name)| (l.code().to_owned(), name, super::lang::link_in(l.code())))
            .collect()
    }
}

/// A card of the catalogue.
#[derive(Debug, Clone)]
pub struct FormCard {
    pub id: String,
    pub title: String,
    pub description: String,
    pub office: String,
    pub level: u8,
}

#[derive(Debug, Template)]
#[template(path = "home.html")]
pub struct HomeTemplate {
    pub page: Page,
    pub forms: Vec<FormCard>,
}

/// One identity provider button.
#[derive(Debug, Clone)]
pub struct IdpLink {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Template)]
#[template(path = "login.html")]
pub struct LoginTemplate {
    pub page: Page,
    /// SPID identity providers, for the SPID button's list.
    pub idps: Vec<IdpLink>,
    pub cie: Option<IdpLink>,
    pub eidas: Option<IdpLink>,
    pub level: u8,
}

#[derive(Debug, Template)]
#[template(path = "service_login.html")]
pub struct ServiceLoginTemplate {
    pub page: Page,
    pub title: String,
    pub description: String,
    pub office: String,
    pub level: u8,
    pub login_url: String,
}

/// One line of the error summary, linking to its field.
#[derive(Debug, Clone)]
pub struct SummaryItem {
    pub anchor: String,
    pub label: String,
    pub message: String,
}

#[derive(Debug, Template)]
#[template(path = "service.html")]
pub struct ServiceTemplate {
    pub page: Page,
    pub view: FormView,
    pub office: String,
    pub summary: Vec<SummaryItem>,
    pub csrf: String,
    pub submission_id: String,
    /// Files already uploaded: (attachment id, file name).
    pub files: Vec<(String, String)>,
    /// When the draft shown was last saved (Italian time), if a draft is shown.
    pub draft: Option<String>,
    /// The draft was saved just now.
    pub saved: bool,
    /// Where the form posts.
    pub action: String,
    /// The step shown, for a multi-step form.
    pub step: Option<StepView>,
    /// A draft exists and may be discarded from this page.
    pub discard: bool,
}

/// Progress through a multi-step form.
#[derive(Debug, Clone)]
pub struct StepView {
    /// 1-based.
    pub number: usize,
    pub total: usize,
    pub titles: Vec<String>,
}

impl ServiceTemplate {
    /// The name of the uploaded file whose id is `id`.
    pub fn file_name(&self, id: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, n)| n.as_str())
    }

    pub fn new(
        page: Page,
        view: FormView,
        office: String,
        errors: &[FieldError],
        submission_id: String,
        files: Vec<(String, String)>,
    ) -> Self {
        let mut anchors: Vec<(String, String, String)> = Vec::new();
        for item in &view.items {
            match item {
                RenderItem::FieldsetStart(s) | RenderItem::GroupStart(s) => {
                    anchors.push((s.pointer.clone(), s.id.clone(), s.legend.clone()));
                }
                RenderItem::Field(f) => {
                    anchors.push((f.name.clone(), f.anchor(), f.label.clone()));
                }
                RenderItem::FieldsetEnd
                | RenderItem::GroupEnd(_)
                | RenderItem::ConditionStart(_)
                | RenderItem::ConditionEnd => {}
            }
        }
        // The summary follows the order of the form, not the validator's.
        let mut summary: Vec<(usize, SummaryItem)> = errors
            .iter()
            .map(|e| {
                let found = anchors.iter().position(|(p, _, _)| *p == e.pointer);
                let (anchor, label) = found
                    .map(|i| {
                        (
                            anchors[i].1.clone(),
                            anchors[i].2.trim_end_matches('.').to_owned(),
                        )
                    })
                    .unwrap_or_else(|| ("contenuto".into(), crate::i18n::tr("modulo")));
                let item = SummaryItem {
                    anchor,
                    label,
                    message: e.message.clone(),
                };
                (found.unwrap_or(usize::MAX), item)
            })
            .collect();
        summary.sort_by_key(|(i, _)| *i);
        let summary = summary.into_iter().map(|(_, s)| s).collect();
        let csrf = page.csrf.clone();
        let view_id = view.id.clone();
        ServiceTemplate {
            page,
            view,
            office,
            summary,
            csrf,
            submission_id,
            files,
            draft: None,
            saved: false,
            action: format!("/servizi/{}", view_id),
            step: None,
            discard: false,
        }
    }
}

#[derive(Debug, Template)]
#[template(path = "receipt.html")]
pub struct ReceiptTemplate {
    pub page: Page,
    pub id: String,
    pub form_title: String,
    pub subject: String,
    pub submitted_at: String,
    pub document_sha256: String,
    pub pending: bool,
    pub protocol_number: String,
    pub protocol_date: String,
    pub segnatura: Option<String>,
    /// With the PEC adapter: where the delivery to the AOO's protocol office stands.
    pub delivery: Option<String>,
    /// The procedure, once the application is filed.
    pub case: Option<crate::web::citizen::case_view::CitizenCase>,
    /// Why the reply just sent was refused.
    pub problem: Option<String>,
}

/// A row of "my applications".
#[derive(Debug, Clone)]
pub struct MineRow {
    pub id: String,
    pub form_title: String,
    pub submitted_at: String,
    pub protocol: String,
}

#[derive(Debug, Template)]
#[template(path = "mine.html")]
pub struct MineTemplate {
    pub page: Page,
    pub items: Vec<MineRow>,
    pub drafts: Vec<DraftRow>,
}

/// A draft in "my applications".
#[derive(Debug, Clone)]
pub struct DraftRow {
    pub form_id: String,
    pub form_title: String,
    pub saved_at: String,
    pub expires_at: String,
}

#[derive(Debug, Template)]
#[template(path = "error.html")]
pub struct ErrorTemplate {
    pub page: Page,
    pub heading: String,
    pub message: String,
    pub reference: String,
}

#[derive(Debug, Template)]
#[template(path = "demo_idp_users.html")]
pub struct DemoUsersTemplate {
    pub page: Page,
    pub saml_request: String,
    pub relay_state: String,
    pub users: Vec<DemoChoice>,
}

/// A test person on the demo IdP's page: a citizen, or demo staff with their role's name.
#[derive(Debug, Clone)]
pub struct DemoChoice {
    pub fiscal_number: String,
    pub name: String,
    pub family_name: String,
    pub staff_role: Option<String>,
}

#[derive(Debug, Template)]
#[template(path = "demo_idp_post.html")]
pub struct DemoPostTemplate {
    pub page: Page,
    pub acs_url: String,
    pub saml_response: String,
    pub relay_state: String,
}

/// Renders a template as a 200 HTML response.
pub fn html<T: Template>(t: &T) -> Result<HttpResponse, ServerError> {
    html_status(t, actix_web::http::StatusCode::OK)
}

pub fn html_status<T: Template>(
    t: &T,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, ServerError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(t.render()?))
}

/// The error page. The layout has no session here (errors render without database access), so
/// it shows the anonymous header.
pub fn error_page(e: &ServerError, reference: &str) -> HttpResponse {
    let heading = match e.status().as_u16() {
        401 => "accesso-richiesto",
        403 => "accesso-non-consentito",
        404 => "pagina-non-trovata",
        422 => "dati-non-validi",
        429 => "troppe-richieste",
        503 => "servizio-momentaneamente-non-disponibile",
        400 | 409 | 413 | 415 => "richiesta-non-valida",
        _ => "errore-imprevisto",
    };
    let heading = crate::i18n::tr(heading);
    // The administration's own header and way back, when the request named one.
    let here = super::lang::administration();
    let t = ErrorTemplate {
        page: Page {
            title: heading.clone(),
            base: here.as_ref().map(|h| h.base.clone()).unwrap_or_default(),
            admin: here.as_ref().map_or_else(
                || crate::i18n::tr("istanze-online"),
                |h| h.tenant.admin().name.clone(),
            ),
            admin_url: here
                .as_ref()
                .map_or_else(|| "/".into(), |h| h.tenant.admin().url.clone()),
            demo: super::lang::demo(),
            test_idps: super::lang::test_idps(),
            user: None,
            csrf: String::new(),
            lang: crate::i18n::current(),
            logo: here.is_some_and(|h| h.tenant.logo.is_some()),
        },
        heading,
        message: e.message(),
        reference: reference.into(),
    };
    match t.render() {
        Ok(body) => HttpResponse::build(e.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(_) => HttpResponse::build(e.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(e.message()),
    }
}

/// The summary before the final submit of a multi-step form.
#[derive(Debug, Template)]
#[template(path = "summary.html")]
pub struct SummaryTemplate {
    pub page: Page,
    pub form_id: String,
    pub title: String,
    pub steps: Vec<SummaryStep>,
    pub submission_id: String,
}

/// One step's answers in the summary: (label, value), and where to change them.
#[derive(Debug, Clone)]
pub struct SummaryStep {
    pub title: String,
    pub edit: String,
    pub answers: Vec<(String, String)>,
}
