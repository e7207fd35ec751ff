//! `ostoja aggregates push` (issue 17, item 5) as a municipality's operator runs it against the region's real server:
//! over loopback HTTP and over TLS through a proxy with a throw-away certificate authority. The region's answer is
//! printed in Polish with the exit code a script can act on: 0 received, 1 refused, 75 worth trying again later.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use store::Caller;

use store::testing::TestDatabase;
use tokio_rustls::rustls;

use crate::aggregates::{TERYT, after, approve, approved_municipality, stderr};
use crate::{open, ostoja, serve, stdout};

/// The municipality's key registered on the region's installation; the push token it printed.
fn register(municipality: &TestDatabase, region: &TestDatabase) -> String {
    let o = ostoja(municipality, &["aggregates", "key", "--tenant", TERYT]);
    assert!(o.status.success(), "{}", stderr(&o));
    let key = after(&stdout(&o), "klucz publiczny:");
    let o = ostoja(region, &["aggregates", "register-key", "--teryt", TERYT, "--key", &key]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    out.lines().find(|l| l.starts_with("ostoja-push-")).unwrap_or_else(|| panic!("a push token in {out}")).to_owned()
}

/// A token file readable by its owner only, as docs/operations.md says to keep it.
fn token_file(dir: &Path, name: &str, token: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("{token}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

fn push(municipality: &TestDatabase, year: i16, to: &str, extra: &[&str]) -> Output {
    let year = year.to_string();
    let mut args = vec!["aggregates", "push", "--tenant", TERYT, "--year", &year, "--to", to];
    args.extend_from_slice(extra);
    ostoja(municipality, &args)
}

async fn received(region: &TestDatabase) -> Vec<(i16, i32, String)> {
    let store = open(region).await;
    let got = store.received_packages().await.unwrap();
    store.close().await;
    got.into_iter().map(|p| (p.year, p.package_version, p.via)).collect()
}

async fn exports(municipality: &TestDatabase) -> usize {
    let store = open(municipality).await;
    let filter = store::AuditFilter { action: Some("create".into()), limit: 100, ..Default::default() };
    let entries = store.audit_entries(&store::Actor::operator(), &filter).await.unwrap();
    store.close().await;
    entries.iter().filter(|e| e.object_kind == "statutory_package").count()
}

/// The region's server, stopped with SIGTERM at the end of a test and killed when a failed assertion unwinds past it
/// (so a failing test leaves no server behind).
struct Region(std::process::Child);

impl Drop for Region {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn stop(mut server: Region) {
    Command::new("kill").args(["-TERM", &server.0.id().to_string()]).status().unwrap();
    server.0.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_municipality_pushes_its_year_to_the_regions_server_which_takes_it_once_with_the_right_token_only() {
    // Arrange: the municipality's approved year; the region registered its key and runs its server.
    let (municipality, year) = approved_municipality().await;
    let region = TestDatabase::new().await;
    let token = register(&municipality, &region);
    let (server, base) = serve(&region).await;
    let server = Region(server);
    let dir = tempfile::tempdir().unwrap();
    let good = token_file(dir.path(), "token", &token);
    let wrong = token_file(dir.path(), "zly-token", "ostoja-push-0000000000000000000000000000");

    // Act and assert: a wrong token is refused in words, and nothing is stored.
    let o = push(&municipality, year, &base, &["--token-file", wrong.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nie przyjęła tokenu wysyłania"), "{}", stderr(&o));
    assert!(received(&region).await.is_empty());

    // The right token: received, and said so with the versions on both sides.
    let o = push(&municipality, year, &base, &["--token-file", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = format!("przyjęła dane gminy {TERYT} za rok {year}: wersja 1 nadawcy, zapisana tam jako wersja 1.");
    assert!(stdout(&o).contains(&said), "{}", stdout(&o));
    assert!(!stdout(&o).contains(&token) && !stderr(&o).contains(&token), "the token is never printed");
    assert_eq!(received(&region).await, [(year, 1, "push".to_owned())]);

    // The same version again: refused with the region's reason, exit code 1.
    let o = push(&municipality, year, &base, &["--token-file", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("odrzuciła pakiet: Ten pakiet (wersja 1) został już przyjęty."), "{}", stderr(&o));

    // A correction approved since, with the token from the environment instead of a file: a new version there.
    approve(&municipality, year).await;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ostoja"));
    cmd.arg("--data-dir").arg(&municipality.options.data_dir).env_remove("OSTOJA_DATABASE_URL");
    if let Some(url) = &municipality.options.database_url {
        cmd.arg("--database-url").arg(url);
    }
    let year_arg = year.to_string();
    let o = cmd
        .args(["aggregates", "push", "--tenant", TERYT, "--year", &year_arg, "--to", &base])
        .env("OSTOJA_PUSH_TOKEN", &token)
        .env("OSTOJA_LOG", "warn")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("przyjęła korektę danych gminy 1016011"), "{}", stdout(&o));
    assert!(stdout(&o).contains("wersja 2 nadawcy, zapisana tam jako wersja 2."), "{}", stdout(&o));

    // The region's coordinator revokes the key: the next version is refused with the date and the reason.
    let reason = "Laptop z kluczem skradziony z urzędu gminy.";
    revoke(&region, reason).await;
    approve(&municipality, year).await;
    let o = push(&municipality, year, &base, &["--token-file", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("unieważniono") && stderr(&o).contains(reason), "{}", stderr(&o));
    assert_eq!(received(&region).await.len(), 2, "nothing more stored");
    stop(server);
}

/// The voivodeship's coordinator (on the region's installation) revokes the municipality's key.
async fn revoke(region: &TestDatabase, reason: &str) {
    let store = open(region).await;
    let operator = store::Actor::operator();
    let voivodeship = store.create_tenant(&operator, "10", "Województwo łódzkie", false).await.unwrap();
    let coordinator = store::identity::NewAccount {
        tenant_id: Some(voivodeship.id),
        institution_id: None,
        login: "koordynator.regionalny".into(),
        roles: vec![domain::identity::Role::RegionalCoordinator],
        details: store::identity::PersonalDetails { full_name: "Koordynator".into(), ..Default::default() },
    };
    let (id, link) = store.create_account(&operator, &coordinator).await.unwrap();
    let password = "długie hasło koordynatora 2026";
    store.activate(&link, password, password, None).await.unwrap();
    let coordinator = store.principal(id).await.unwrap();
    let keys = store.package_keys(&coordinator).await.unwrap();
    assert_eq!(keys.len(), 1);
    store.revoke_package_key(&Caller::local(&coordinator), &keys[0].fingerprint, reason).await.unwrap();
    store.close().await;
}

#[tokio::test]
async fn push_refuses_plain_http_to_another_machine_a_missing_token_and_an_unreachable_region_in_words() {
    // Arrange
    let (municipality, year) = approved_municipality().await;
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path(), "token", "ostoja-push-0000000000000000000000000000");
    let token_arg = ["--token-file", token.to_str().unwrap()];

    // Plain HTTP to another machine (TEST-NET-1, where nothing answers): refused before anything is built or sent.
    let o = push(&municipality, year, "http://192.0.2.1:8080", &token_arg);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("Adres http://192.0.2.1 nie jest szyfrowany"), "{}", stderr(&o));
    assert!(stderr(&o).contains("Nic nie wysłano."), "{}", stderr(&o));
    // No token: neither a file nor the environment variable.
    let o = push(&municipality, year, "http://127.0.0.1:9", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("Brak tokenu wysyłania"), "{}", stderr(&o));
    // A file that holds something else than a push token, readable by others: warned and refused, never echoed.
    let other = dir.path().join("api-token");
    std::fs::write(&other, "ostoja_sekret-tokenu-api").unwrap();
    let o = push(&municipality, year, "http://127.0.0.1:9", &["--token-file", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nie zawiera tokenu wysyłania"), "{}", stderr(&o));
    assert!(stderr(&o).contains("mogą czytać inni użytkownicy"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("sekret"), "{}", stderr(&o));
    assert_eq!(exports(&municipality).await, 0, "nothing was signed for a push refused before sending");

    // A region that cannot be reached (a loopback port nobody listens on): worth trying again, exit code 75.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let o = push(&municipality, year, &format!("http://127.0.0.1:{closed}"), &token_arg);
    assert_eq!(o.status.code(), Some(75), "{}", stderr(&o));
    assert!(stderr(&o).contains("Nie można połączyć się z instalacją regionu"), "{}", stderr(&o));
    assert!(stderr(&o).contains("połączenie odrzucono"), "{}", stderr(&o));
}

/// A certificate authority of the region's own and a server certificate for `localhost` it signed.
fn throw_away_ca() -> (String, rustls::ServerConfig) {
    let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca.distinguished_name.push(rcgen::DnType::CommonName, "Urząd certyfikacji województwa (test)");
    ca.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::DigitalSignature];
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let ca = rcgen::CertifiedIssuer::self_signed(ca, ca_key).unwrap();
    let mut leaf = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    leaf.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let cert = leaf.signed_by(&leaf_key, &ca).unwrap();
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(leaf_key.serialize_der());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone(), ca.der().clone()], key.into())
        .unwrap();
    (ca.pem(), config)
}

/// A TLS terminator on a free loopback port in front of `base` (as a region's reverse proxy); its port.
async fn tls_proxy(config: rustls::ServerConfig, base: &str) -> u16 {
    let backend = base.trim_start_matches("http://").to_owned();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (acceptor, backend) = (acceptor.clone(), backend.clone());
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to forward.
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                let mut upstream = tokio::net::TcpStream::connect(&backend).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
            });
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_over_tls_trusts_the_regions_own_certificate_authority_given_with_ca_and_not_without_it() {
    // Arrange: the region's server behind a TLS proxy whose certificate its own CA signed.
    let (municipality, year) = approved_municipality().await;
    let region = TestDatabase::new().await;
    let token = register(&municipality, &region);
    let (server, base) = serve(&region).await;
    let server = Region(server);
    let (ca_pem, config) = throw_away_ca();
    let port = tls_proxy(config, &base).await;
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path(), "token", &token);
    let ca = dir.path().join("ca-wojewodztwa.pem");
    std::fs::write(&ca, ca_pem).unwrap();
    let to = format!("https://localhost:{port}");
    let token_arg = ["--token-file", token.to_str().unwrap()];

    // Act and assert: without --ca the certificate is not trusted and nothing reaches the region.
    let o = push(&municipality, year, &to, &token_arg);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("Nie można potwierdzić tożsamości instalacji regionu"), "{}", stderr(&o));
    assert!(stderr(&o).contains("któremu ten komputer nie ufa") && stderr(&o).contains("--ca"), "{}", stderr(&o));
    assert!(received(&region).await.is_empty());
    // A --ca file that is no certificate: said so.
    let o = push(&municipality, year, &to, &[&token_arg[..], &["--ca", token.to_str().unwrap()][..]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nie zawiera certyfikatu w formacie PEM"), "{}", stderr(&o));
    // With the region's CA: received over TLS.
    let o = push(&municipality, year, &to, &[&token_arg[..], &["--ca", ca.to_str().unwrap()][..]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(&format!("przyjęła dane gminy {TERYT} za rok {year}")), "{}", stdout(&o));
    assert_eq!(received(&region).await, [(year, 1, "push".to_owned())]);
    stop(server);
}
