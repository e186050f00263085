//! Static assets (Bootstrap Italia, our stylesheet and script), embedded in the binary so that
//! a deployment is one file plus configuration.

use actix_web::{web, HttpResponse};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Assets;

pub(super) async fn serve(path: web::Path<String>) -> HttpResponse {
    match Assets::get(&path) {
        Some(file) => HttpResponse::Ok()
            .content_type(file.metadata.mimetype())
            .insert_header(("Cache-Control", "public, max-age=86400"))
            .body(file.data.into_owned()),
        None => HttpResponse::NotFound().finish(),
    }
}
