//! "Zapisano" after a save (issue 16): a save answers with a redirect to the page that shows the saved item (its
//! anchor in the address), and that page says the save happened. The message rides in a short-lived cookie across
//! the one redirect (POST, redirect, GET), so reloading the page or opening its address later says nothing.
//!
//! A handler answers with [`saved`] instead of `Redirect::to`; the [`layer`] middleware turns that into the cookie
//! and, on the next page, hands the message to [`crate::page::Chrome`] and clears the cookie.

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::session::cookie_header;
use crate::state::AppState;

pub const FLASH_COOKIE: &str = "ostoja_flash";

/// What the page after a redirect should say. Only fixed messages (never anything typed) travel in the cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flash {
    /// "Zapisano" / "Saved".
    Saved,
}

impl Flash {
    fn code(self) -> &'static str {
        match self {
            Flash::Saved => "saved",
        }
    }

    fn parse(s: &str) -> Option<Flash> {
        (s == "saved").then_some(Flash::Saved)
    }

    /// The message's id in the translations.
    pub fn message_id(self) -> &'static str {
        match self {
            Flash::Saved => "flash-saved",
        }
    }
}

/// The flash this request arrived with, for the page chrome.
#[derive(Debug, Clone, Copy)]
pub struct Incoming(pub Flash);

/// A redirect (303) to `to`, whose page will say "Zapisano". `to` should carry the saved item's anchor
/// (`/team#member-…`), so that the item is in view.
pub fn saved(to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    response.extensions_mut().insert(Flash::Saved);
    response
}

/// Sets the cookie for a response made by [`saved`]; reads it on the request after, and clears it once a page has
/// shown it.
pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let incoming = axum_extra::extract::CookieJar::from_headers(request.headers())
        .get(FLASH_COOKIE)
        .and_then(|c| Flash::parse(c.value()));
    if let Some(flash) = incoming {
        request.extensions_mut().insert(Incoming(flash));
    }
    let mut response = next.run(request).await;
    let secure = state.config.secure_cookies;
    if let Some(flash) = response.extensions().get::<Flash>().copied() {
        response.headers_mut().append(header::SET_COOKIE, cookie_header(FLASH_COOKIE, flash.code(), secure, Some(60)));
    } else if incoming.is_some() && !response.status().is_redirection() {
        response.headers_mut().append(header::SET_COOKIE, cookie_header(FLASH_COOKIE, "", secure, Some(0)));
    }
    response
}
