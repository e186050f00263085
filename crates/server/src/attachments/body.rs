//! The body of a request with files, as the upload handlers read it: its bytes are counted as
//! they come off the connection, and past a hard cap (`attachments.max_request_bytes`, or its
//! declared length if that is over the cap already) reading stops and the request is answered
//! 413. The connection's payload is then kept until the answer has been sent: the server closes
//! the connection after it instead of reading, to keep it open, the rest of a body it refused.

use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_multipart::Multipart;
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::web::{self, Bytes};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::Stream;

use crate::error::ServerError;
use crate::state::AppState;

struct Shared {
    payload: RefCell<Payload>,
    read: Cell<u64>,
    cap: u64,
    over: Cell<bool>,
}

/// A `multipart/form-data` body with its cap (an extractor).
pub struct UploadBody {
    multipart: Multipart,
    shared: Rc<Shared>,
    /// The declared length when within the cap, else the cap.
    allowance: u64,
}

/// The payload as the multipart parser pulls it: counted and cut at the cap.
struct Capped(Rc<Shared>);

impl Stream for Capped {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let shared = &self.0;
        if shared.over.get() {
            return Poll::Ready(Some(Err(PayloadError::Overflow)));
        }
        let polled = Pin::new(&mut *shared.payload.borrow_mut()).poll_next(cx);
        if let Poll::Ready(Some(Ok(bytes))) = &polled {
            let read = shared.read.get().saturating_add(bytes.len() as u64);
            shared.read.set(read);
            if read > shared.cap {
                shared.over.set(true);
                return Poll::Ready(Some(Err(PayloadError::Overflow)));
            }
        }
        polled
    }
}

impl std::fmt::Debug for UploadBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UploadBody")
            .field("read", &self.shared.read.get())
            .field("cap", &self.shared.cap)
            .field("allowance", &self.allowance)
            .finish_non_exhaustive()
    }
}

impl FromRequest for UploadBody {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return std::future::ready(Err(ServerError::Internal(
                "upload body without the application state".into(),
            )
            .into()));
        };
        let cap = state
            .settings
            .attachments
            .max_request_bytes(state.settings.server.max_body_bytes);
        let declared = req
            .headers()
            .get(actix_web::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let shared = Rc::new(Shared {
            payload: RefCell::new(payload.take()),
            read: Cell::new(0),
            cap,
            // Refused before a byte is read.
            over: Cell::new(declared.is_some_and(|d| d > cap)),
        });
        std::future::ready(Ok(UploadBody {
            multipart: Multipart::new(req.headers(), Capped(shared.clone())),
            shared,
            allowance: declared.map_or(cap, |d| d.min(cap)),
        }))
    }
}

impl UploadBody {
    /// The parts, in order.
    pub fn parts(&mut self) -> &mut Multipart {
        &mut self.multipart
    }

    /// Whether the body is (or was declared) longer than the cap: then the answer is 413.
    pub fn too_large(&self) -> bool {
        self.shared.over.get()
    }

    /// The most the whole body can be: the bound on any one part of it.
    pub fn allowance(&self) -> u64 {
        self.allowance
    }

    /// The answer to the request, which keeps the payload until it has been sent (see the
    /// module's header).
    pub fn answer<E: ResponseError>(self, result: Result<HttpResponse, E>) -> HttpResponse {
        let response = match result {
            Ok(r) => r,
            Err(e) => e.error_response(),
        };
        let hold = self.shared;
        response.map_body(|_, body| {
            BoxBody::new(Held {
                body,
                _payload: hold,
            })
        })
    }
}

/// An answer's body holding the request's payload.
struct Held {
    body: BoxBody,
    _payload: Rc<Shared>,
}

impl MessageBody for Held {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        match self.body.size() {
            // "No body" would let the body, and the payload with it, go before the answer.
            BodySize::None => BodySize::Sized(0),
            size => size,
        }
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_next(cx)
    }
}
