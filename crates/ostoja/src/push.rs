//! The transport of `ostoja aggregates push` (issue 17, item 5; docs/statutory-package.md): the signed package
//! posted to the region's installation (`web/src/api/packages.rs`) with the push token the region gave, over HTTPS
//! (rustls on ring, the system's roots and an optional CA of the region's own), or plain HTTP to this machine only.
//! Every answer becomes a Polish sentence; a failure worth retrying unchanged is a [`TryLater`].
//!
//! hyper's client with hyper-rustls rather than reqwest's TLS: reqwest built with `rustls-no-provider` panics in
//! every client that was not handed a configuration, and features are shared across the workspace, so each test's
//! `reqwest::Client::new()` would have needed a provider installed first.

use std::io::ErrorKind;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde::Deserialize;

/// The receiving endpoint on the region's installation.
pub const ENDPOINT: &str = "/api/v1/statutory/packages";
/// The push token, when no `--token-file` is given.
pub const TOKEN_ENV: &str = "OSTOJA_PUSH_TOKEN";
/// Every push token starts so (`store::programme::package`).
const TOKEN_PREFIX: &str = "ostoja-push-";
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// The whole exchange: connecting, sending the package, the receiver's verification and its answer.
pub const TIMEOUT: Duration = Duration::from_secs(60);
/// The receiver answers in a few hundred bytes; more is not read.
const MAX_ANSWER: usize = 64 * 1024;

/// A failure that may pass if the same push is tried again later, unchanged: the region could not be reached, did not
/// answer in time, paused this address or was unavailable. `ostoja` exits with 75 (`EX_TEMPFAIL`) for it, 1 for a
/// refusal that needs something changed first.
#[derive(Debug)]
pub struct TryLater(pub String);

impl std::fmt::Display for TryLater {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TryLater {}

/// The push token: never printed, never in a log line, never in a `Debug` output.
pub struct PushToken(String);

impl std::fmt::Debug for PushToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PushToken([REDACTED])")
    }
}

/// The token from `--token-file` or, without one, from `OSTOJA_PUSH_TOKEN`; never from the command line, where any
/// user of the machine reads it with `ps`. A token file others may read is named in a warning.
pub fn read_token(file: Option<&Path>) -> anyhow::Result<PushToken> {
    let (text, source) = match file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow!("Nie można odczytać pliku z tokenem {}: {e}.", path.display()))?;
            if readable_by_others(path) {
                eprintln!(
                    "Uwaga: plik z tokenem {} mogą czytać inni użytkownicy tego komputera; ogranicz dostęp: chmod 600 {}",
                    path.display(),
                    path.display()
                );
            }
            (text, format!("Plik {}", path.display()))
        }
        None => match std::env::var(TOKEN_ENV) {
            Ok(text) => (text, format!("Zmienna {TOKEN_ENV}")),
            Err(_) => bail!(
                "Brak tokenu wysyłania: podaj plik z tokenem (--token-file PLIK) albo zmienną środowiskową \
                 {TOKEN_ENV}. Token wypisuje polecenie „ostoja aggregates register-key” w instalacji regionu."
            ),
        },
    };
    let token = text.trim();
    let well_formed = token.len() > TOKEN_PREFIX.len()
        && token.len() < 200
        && token.starts_with(TOKEN_PREFIX)
        && token.bytes().all(|b| b.is_ascii_graphic());
    if !well_formed {
        bail!(
            "{source} nie zawiera tokenu wysyłania: token to jeden wiersz zaczynający się od „{TOKEN_PREFIX}”, \
             taki jak wypisało polecenie „ostoja aggregates register-key” w instalacji regionu."
        );
    }
    Ok(PushToken(token.to_owned()))
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_: &Path) -> bool {
    false
}

/// The receiving endpoint for `--to`: the region's installation address (the endpoint's path is added unless given).
/// `https://` only, or `http://` to a loopback address (a reverse proxy on this machine that speaks TLS onward);
/// refused before any connection is made otherwise.
pub fn endpoint(to: &str) -> anyhow::Result<Uri> {
    let to = to.trim();
    let example = "np. https://ostoja.wojewodztwo.example.pl";
    let uri: Uri = to.parse().map_err(|_| anyhow!("„{to}” nie jest adresem instalacji regionu ({example})."))?;
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        bail!("„{to}” nie jest pełnym adresem instalacji regionu ({example}).");
    };
    if authority.as_str().contains('@') {
        bail!("Adres nie może zawierać nazwy użytkownika ani hasła: token podaje się w pliku (--token-file).");
    }
    let host = authority.host();
    match scheme {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => bail!(
            "Adres http://{host} nie jest szyfrowany: pakiet i token wysyła się tylko przez https://. Zwykłe http:// \
             jest dopuszczalne tylko do tego samego komputera (127.0.0.1, ::1, localhost), np. do serwera \
             pośredniczącego. Nic nie wysłano."
        ),
        other => bail!("Nieobsługiwany protokół „{other}”: podaj adres https:// ({example})."),
    }
    let path = uri.path().trim_end_matches('/');
    let path = if path.ends_with(ENDPOINT) { path.to_owned() } else { format!("{path}{ENDPOINT}") };
    Uri::builder()
        .scheme(scheme)
        .authority(authority.clone())
        .path_and_query(path)
        .build()
        .map_err(|_| anyhow!("„{to}” nie jest adresem instalacji regionu ({example})."))
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        Err(_) => bare.eq_ignore_ascii_case("localhost"),
    }
}

/// rustls on ring, trusting the system's roots and the certificates of `ca` (PEM) besides.
fn tls_config(ca: Option<&Path>, https: bool) -> anyhow::Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    if let Some(path) = ca {
        let read =
            |e: &dyn std::fmt::Display| anyhow!("Nie można odczytać certyfikatu z pliku {}: {e}.", path.display());
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .map_err(|e| read(&e))?
            .collect::<Result<_, _>>()
            .map_err(|e| read(&e))?;
        if certs.is_empty() {
            bail!("Plik {} nie zawiera certyfikatu w formacie PEM (-----BEGIN CERTIFICATE-----).", path.display());
        }
        for cert in certs {
            roots.add(cert).map_err(|e| {
                anyhow!("Certyfikat z pliku {} nie może służyć jako urząd certyfikacji: {e}.", path.display())
            })?;
        }
    }
    if https && roots.is_empty() {
        bail!(
            "Ten komputer nie ma zaufanych certyfikatów urzędów certyfikacji (pakiet ca-certificates): zainstaluj je \
             albo podaj certyfikat urzędu certyfikacji regionu opcją --ca PLIK."
        );
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| anyhow!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// What the receiver stored (`web::api::packages::ReceivedDto`).
#[derive(Debug, Deserialize)]
pub struct Received {
    pub teryt: String,
    pub year: i16,
    pub package_version: i32,
    pub approval_version: i32,
    pub correction: bool,
}

#[derive(Deserialize)]
struct Refusal {
    #[serde(default)]
    message: String,
    #[serde(default)]
    fields: Vec<RefusedField>,
}

#[derive(Deserialize)]
struct RefusedField {
    message: String,
}

/// Posts `package` to `endpoint` with `token` and reads the receiver's answer.
pub async fn send(endpoint: &Uri, token: &PushToken, ca: Option<&Path>, package: Vec<u8>) -> anyhow::Result<Received> {
    let https = endpoint.scheme_str() == Some("https");
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_connect_timeout(Some(CONNECT_TIMEOUT));
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls_config(ca, https)?)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build(connector);
    let mut authorization = HeaderValue::try_from(format!("Bearer {}", token.0))
        .map_err(|_| anyhow!("Token wysyłania zawiera niedozwolone znaki."))?;
    authorization.set_sensitive(true);
    let request = Request::builder()
        .method(Method::POST)
        .uri(endpoint.clone())
        .header(header::AUTHORIZATION, authorization)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::USER_AGENT, concat!("ostoja/", env!("CARGO_PKG_VERSION")))
        .body(Full::new(Bytes::from(package)))
        .map_err(|e| anyhow!("Nie można przygotować żądania: {e}."))?;
    let host = endpoint.authority().map_or_else(String::new, ToString::to_string);
    let exchange = async {
        let response = client.request(request).await.map_err(|e| unreachable(&host, &e))?;
        let (parts, body) = response.into_parts();
        let body = Limited::new(body, MAX_ANSWER)
            .collect()
            .await
            .map_err(|_| {
                TryLater(format!("Instalacja regionu ({host}) przerwała odpowiedź; spróbuj ponownie później."))
            })?
            .to_bytes();
        Ok::<_, anyhow::Error>((parts, body))
    };
    let (parts, body) = tokio::time::timeout(TIMEOUT, exchange).await.map_err(|_| {
        TryLater(format!(
            "Instalacja regionu ({host}) nie odpowiedziała w ciągu {} s; nie wiadomo, czy przyjęła pakiet. Spróbuj \
             ponownie później: pakiet przyjęty już wcześniej zostanie odrzucony jako przyjęty, nic się nie zdubluje.",
            TIMEOUT.as_secs()
        ))
    })??;
    answer(parts.status, &parts.headers, &body, &host)
}

/// Why the region could not be reached, in words: the certificate, the name, the connection.
fn unreachable(host: &str, e: &hyper_util::client::legacy::Error) -> anyhow::Error {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return tls_refused(host, tls);
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            let why = match io.kind() {
                ErrorKind::ConnectionRefused => "połączenie odrzucono (pod tym adresem i portem nic nie nasłuchuje)",
                ErrorKind::TimedOut => "połączenie nie zostało nawiązane w wyznaczonym czasie",
                ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => "połączenie zostało przerwane",
                ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => "sieć lub komputer są nieosiągalne",
                _ => "",
            };
            if !why.is_empty() {
                return TryLater(format!(
                    "Nie można połączyć się z instalacją regionu ({host}): {why}. Sprawdź adres, połączenie z siecią \
                     i zaporę, a potem spróbuj ponownie."
                ))
                .into();
            }
            // An I/O error's `source` skips the error it wraps (rustls's inside tokio-rustls's, for a certificate
            // refused): follow the wrapped one.
            if let Some(inner) = io.get_ref() {
                source = Some(inner);
                continue;
            }
        }
        source = err.source();
    }
    let detail = std::iter::successors(Some(e as &dyn std::error::Error), |e| e.source())
        .last()
        .map(ToString::to_string)
        .unwrap_or_default();
    let dns = detail.contains("dns") || detail.contains("failed to lookup") || detail.contains("Name or service");
    let what = if dns { "nie można ustalić adresu tej nazwy (DNS)" } else { "połączenie się nie powiodło" };
    TryLater(format!(
        "Nie można połączyć się z instalacją regionu ({host}): {what} ({detail}). Sprawdź adres, połączenie z \
         siecią i zaporę, a potem spróbuj ponownie."
    ))
    .into()
}

fn tls_refused(host: &str, e: &rustls::Error) -> anyhow::Error {
    let why = match e {
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer) => {
            "certyfikat wystawił urząd certyfikacji, któremu ten komputer nie ufa".to_owned()
        }
        rustls::Error::InvalidCertificate(rustls::CertificateError::Expired) => "certyfikat wygasł".to_owned(),
        rustls::Error::InvalidCertificate(
            rustls::CertificateError::NotValidForName | rustls::CertificateError::NotValidForNameContext { .. },
        ) => "certyfikat wystawiono dla innej nazwy serwera".to_owned(),
        other => format!("błąd TLS: {other}"),
    };
    anyhow!(
        "Nie można potwierdzić tożsamości instalacji regionu ({host}): {why}. Nic nie wysłano. Jeśli region ma \
         własny urząd certyfikacji, podaj jego certyfikat opcją --ca PLIK."
    )
}

/// The receiver's answer: what it stored, or its refusal in its own Polish words where it gave them.
fn answer(status: StatusCode, headers: &hyper::HeaderMap, body: &[u8], host: &str) -> anyhow::Result<Received> {
    let refusal = || serde_json::from_slice::<Refusal>(body).ok();
    match status {
        StatusCode::CREATED => serde_json::from_slice(body).map_err(|_| {
            anyhow!(
                "Instalacja regionu ({host}) odpowiedziała, że przyjęła pakiet, ale jej odpowiedzi nie da się \
                 odczytać; sprawdź z regionem, czy dane dotarły."
            )
        }),
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
            let reasons: Vec<String> = refusal()
                .map(|r| {
                    if r.fields.is_empty() {
                        vec![r.message]
                    } else {
                        r.fields.into_iter().map(|f| f.message).collect()
                    }
                })
                .unwrap_or_default()
                .into_iter()
                .filter(|m| !m.trim().is_empty())
                .collect();
            if reasons.is_empty() {
                bail!("Instalacja regionu ({host}) odrzuciła pakiet (HTTP {}) bez podania powodu.", status.as_u16());
            }
            bail!("Instalacja regionu odrzuciła pakiet: {}", reasons.join("\n"))
        }
        StatusCode::UNAUTHORIZED => bail!(
            "Instalacja regionu ({host}) nie przyjęła tokenu wysyłania: token jest błędny, pochodzi z innej instalacji \
             albo przepisano go z błędem. Sprawdź plik z tokenem lub poproś region o nowy token."
        ),
        StatusCode::TOO_MANY_REQUESTS => {
            let wait = headers
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map_or_else(String::new, |s| format!(" za {} min", s.div_ceil(60).max(1)));
            Err(TryLater(format!(
                "Instalacja regionu ({host}) wstrzymała przyjmowanie pakietów z tego adresu po zbyt wielu błędnych \
                 tokenach. Sprawdź token i spróbuj ponownie{wait}."
            ))
            .into())
        }
        StatusCode::PAYLOAD_TOO_LARGE => bail!("Instalacja regionu ({host}) odrzuciła pakiet jako za duży."),
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => {
            bail!("Pod adresem {host} nie ma odbiornika pakietów Ostoi ({ENDPOINT}): sprawdź adres instalacji regionu.")
        }
        s if s.is_redirection() => {
            let to = headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("?");
            bail!(
                "Adres {host} przekierowuje pod {to}: podaj adres docelowy wprost (token nie jest wysyłany pod \
                 adres z przekierowania)."
            )
        }
        s if s.is_server_error() => {
            let said = refusal().map(|r| r.message).filter(|m| !m.trim().is_empty());
            Err(TryLater(format!(
                "Instalacja regionu ({host}) ma chwilowy problem (HTTP {}){}; spróbuj ponownie później.",
                s.as_u16(),
                said.map_or_else(String::new, |m| format!(": {m}"))
            ))
            .into())
        }
        s => bail!("Nieoczekiwana odpowiedź instalacji regionu ({host}): HTTP {}.", s.as_u16()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_is_added_to_the_installations_address_and_plain_http_leaves_this_machine_never() {
        let url = |to: &str| endpoint(to).map(|u| u.to_string()).map_err(|e| e.to_string());
        assert_eq!(url("https://ostoja.example.pl").unwrap(), "https://ostoja.example.pl/api/v1/statutory/packages");
        assert_eq!(url("https://x.pl/ostoja/").unwrap(), "https://x.pl/ostoja/api/v1/statutory/packages");
        assert_eq!(url("https://x.pl/api/v1/statutory/packages").unwrap(), "https://x.pl/api/v1/statutory/packages");
        assert_eq!(url("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080/api/v1/statutory/packages");
        assert!(url("http://[::1]:8080").is_ok());
        assert!(url("http://localhost:8080").is_ok());
        assert!(url("http://127.9.0.1").is_ok());
        for refused in ["http://ostoja.example.pl", "http://10.0.0.1:8080", "http://[fe80::1]", "http://localhost.pl"] {
            assert!(url(refused).unwrap_err().contains("nie jest szyfrowany"), "{refused}");
        }
        assert!(url("https://anna:haslo@x.pl").unwrap_err().contains("nazwy użytkownika"));
        assert!(url("ftp://x.pl").unwrap_err().contains("Nieobsługiwany protokół"));
        assert!(url("ostoja.example.pl").unwrap_err().contains("pełnym adresem"));
    }

    #[test]
    fn the_token_is_never_in_a_debug_output() {
        let token = PushToken("ostoja-push-sekret".into());
        assert!(!format!("{token:?}").contains("sekret"));
    }
}
