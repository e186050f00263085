//! `GET /ufficio/domande/esporta`: a queue's applications as a file (`formato` csv, xlsx, ods
//! or json; `coda` and `modulo` as on the queue's page; `colonne`, repeated, the JSON pointers
//! of the form's answers to include, all of them when none is named). CSV and JSON lines go out
//! page by page as they are read, so a large export starts at once and never waits for the
//! whole table; XLSX and ODS are zip files written whole, in the CPU pool.

use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::stream;

use crate::error::ServerError;
use crate::exports::{self, Format};
use crate::state::AppState;
use crate::store::cases::{CaseQuery, CaseStore, Queue};
use crate::web::guards::StaffMember;
use crate::web::tenant::Here;

/// Cases read at a time.
const PAGE: u64 = 500;

pub(super) async fn export(
    state: web::Data<AppState>,
    here: Here,
    staff: StaffMember,
    req: HttpRequest,
) -> Result<HttpResponse, ServerError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    run(&state, &here, &staff, &pairs).await
}

/// The export `pairs` ask for (the query's names and values; `domanda`, repeated, narrows it
/// to the applications chosen, whatever their queue).
pub(super) async fn run(
    state: &AppState,
    here: &Here,
    staff: &StaffMember,
    pairs: &[(String, String)],
) -> Result<HttpResponse, ServerError> {
    let mut format = None;
    let mut ids: Vec<String> = Vec::new();
    let (mut coda, mut modulo, mut chosen) = (String::from("da-prendere"), None, Vec::new());
    let mut label = None;
    // The page's form says that its checkboxes were shown: then none ticked means none.
    let mut columns_chosen = false;
    let mut narrowing = super::cases::Narrowing::default();
    for (k, v) in pairs {
        if narrowing.take(k, v)? {
            continue;
        }
        match k.as_str() {
            "formato" => format = Format::parse(v),
            "coda" => coda.clone_from(v),
            "modulo" if !v.is_empty() => modulo = Some(v.clone()),
            "colonne" => chosen.push(v.clone()),
            "colonne-scelte" => columns_chosen = true,
            "etichetta" if !v.is_empty() => label = crate::desk::label_of(v),
            "domanda" => ids.push(v.clone()),
            _ => {}
        }
    }
    let format = format.ok_or_else(|| ServerError::BadRequest("formato".into()))?;
    if ids.len() > crate::bulk::MAX_SELECTION {
        return Err(crate::bulk::BulkError::TooMany.into());
    }
    let queue = if ids.is_empty() {
        super::cases::queue_of(state, staff, &coda)?
    } else {
        Queue::Any
    };
    let form = match &modulo {
        Some(id) => Some(
            here.tenant
                .forms
                .get(id)
                .cloned()
                .ok_or(ServerError::NotFound)?,
        ),
        None => None,
    };
    let columns: Vec<istanze_forms::Column> = form
        .as_ref()
        .map(|f| {
            f.columns()
                .into_iter()
                .filter(|c| (!columns_chosen && chosen.is_empty()) || chosen.contains(&c.pointer))
                .collect()
        })
        .unwrap_or_default();
    let headers = exports::headers(&columns);
    let keys = exports::json_keys(&headers);
    let mut query = CaseQuery {
        queue,
        form_id: modulo.clone(),
        state: None,
        office: None,
        assignee: None,
        received_from: None,
        received_to: None,
        label,
        offices: crate::cases::offices(&staff.grants),
        ids: (!ids.is_empty()).then_some(ids),
        page: 0,
        per_page: PAGE,
    };
    narrowing.apply(&mut query);
    let db = state.scoped(&here.tenant.id);
    let name = format!(
        "domande-{}-{}.{}",
        modulo.as_deref().unwrap_or("tutti"),
        istanze_protocol::rome::local(state.clock.now()).format("%Y%m%d-%H%M"),
        format.extension()
    );
    let response = |format: Format| {
        let mut r = HttpResponse::Ok();
        r.content_type(format.media_type())
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{name}\""),
            ))
            .insert_header(("Cache-Control", "private, no-store"));
        r
    };
    match format {
        Format::Csv | Format::Json => {
            // The first chunk: the BOM and header for CSV, nothing for JSON lines.
            let first = match format {
                Format::Csv => format!("\u{feff}{}", exports::csv_line(&headers)),
                _ => String::new(),
            };
            // The states' names in the member's language, page after page.
            let lang = crate::i18n::carry();
            let pages = stream::unfold(Some(query), move |next| {
                let (db, form, columns, keys, lang) = (
                    db.clone(),
                    form.clone(),
                    columns.clone(),
                    keys.clone(),
                    lang.clone(),
                );
                async move {
                    lang.run(async move {
                        let mut q = next?;
                        let (cases, total) = match db.list(&q).await {
                            Ok(page) => page,
                            Err(e) => return Some((Err(ServerError::from(e)), None)),
                        };
                        let rows = match exports::rows(&db, &cases, form.as_ref(), &columns).await {
                            Ok(rows) => rows,
                            Err(e) => return Some((Err(ServerError::Export(e)), None)),
                        };
                        let text: String = rows
                            .iter()
                            .map(|r| match format {
                                Format::Csv => exports::csv_line(r),
                                _ => exports::json_line(&keys, r),
                            })
                            .collect();
                        let more = (q.page + 1) * q.per_page < total;
                        q.page += 1;
                        Some((
                            Ok::<Bytes, ServerError>(Bytes::from(text)),
                            more.then_some(q),
                        ))
                    })
                    .await
                }
            });
            let body = futures_util::StreamExt::chain(
                stream::once(async move { Ok::<Bytes, ServerError>(Bytes::from(first)) }),
                pages,
            );
            Ok(response(format).streaming(body))
        }
        Format::Xlsx | Format::Ods => {
            let mut rows = Vec::new();
            let mut q = query;
            loop {
                let (cases, total) = db.list(&q).await?;
                if total > exports::MAX_SPREADSHEET_ROWS {
                    return Err(exports::ExportError::TooManyRows {
                        max: exports::MAX_SPREADSHEET_ROWS,
                    }
                    .into());
                }
                rows.extend(exports::rows(&db, &cases, form.as_ref(), &columns).await?);
                if (q.page + 1) * q.per_page >= total {
                    break;
                }
                q.page += 1;
            }
            let bytes = state
                .cpu
                .run(move || match format {
                    Format::Xlsx => exports::xlsx(&headers, &rows),
                    _ => exports::ods(&headers, &rows),
                })
                .await??;
            Ok(response(format).body(bytes))
        }
    }
}
