//! `TestApp`: the real server on a random port, a fresh database, a controllable clock, and a cookie-keeping client.

use std::sync::Arc;

use domain::clock::ManualClock;
use domain::identity::Role;
use jiff::SignedDuration;
use reqwest::StatusCode;
use store::testing::TestDatabase;
use store::{Actor, Store};

pub const PASSWORD: &str = "bardzo długie hasło 1";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub clock: ManualClock,
    pub teryt: String,
    // Held so the database lives as long as the app (and is dropped after it).
    _db: TestDatabase,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let db = TestDatabase::new().await;
        let clock = ManualClock::at("2026-11-23T09:00:00Z".parse().unwrap());
        let store = Store::open(&db.options, Arc::new(clock.clone())).await.unwrap();
        // Bound before spawning, so the first request cannot race the server's start.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = web::AppState {
            store: store.clone(),
            clock: Arc::new(clock.clone()),
            config: Arc::new(web::WebConfig { public_url: base.clone(), body_limit: 64 * 1024, ..Default::default() }),
            metrics: Arc::default(),
        };
        let server = tokio::spawn(async move {
            web::serve(listener, state, std::future::pending()).await.unwrap();
        });
        let tenant = store.create_tenant(&Actor::operator(), "1016011", "Gmina Testowa", false).await.unwrap();
        TestApp { base, client: client(), store, clock, teryt: tenant.teryt, _db: db, server }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_with(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client.get(self.url(path)).send().await.unwrap()
    }

    /// Posts a form with the CSRF token the page at `form_page` hands out.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let page = client.get(self.url(form_page)).send().await.unwrap().text().await.unwrap();
        let csrf = csrf_of(&page);
        let mut body: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        body.extend_from_slice(fields);
        client.post(self.url(action)).form(&body).send().await.unwrap()
    }

    /// Creates an account with `roles` in the test municipality, activates it through its link, enrols the second
    /// factor and logs in: a client holding a full session.
    pub async fn login_as(&self, login: &str, roles: &[Role]) -> reqwest::Client {
        // A coordinator's account belongs to the municipality's county or voivodeship (issue 17).
        let code = if roles.contains(&Role::RegionalCoordinator) || roles.contains(&Role::RegionalExpert) {
            &self.teryt[..2]
        } else if roles.contains(&Role::CountyCoordinator) {
            &self.teryt[..4]
        } else {
            &self.teryt
        };
        let tenant = self.tenant_at(code).await;
        self.login_in(tenant.id, login, roles).await
    }

    /// The tenant with TERYT `code`, created (as "Jednostka {code}") when the installation has none yet.
    pub async fn tenant_at(&self, code: &str) -> store::tenant::Tenant {
        match self.store.tenant_by_teryt(code).await {
            Ok(t) => t,
            Err(_) => {
                self.store.create_tenant(&Actor::operator(), code, &format!("Jednostka {code}"), false).await.unwrap()
            }
        }
    }

    /// As [`TestApp::login_as`], without a confidentiality declaration recorded for the account.
    pub async fn login_unsigned(&self, login: &str, roles: &[Role]) -> reqwest::Client {
        let tenant = self.store.tenant_by_teryt(&self.teryt).await.unwrap();
        let new = store::identity::NewAccount {
            tenant_id: Some(tenant.id),
            institution_id: None,
            login: login.to_owned(),
            roles: roles.to_vec(),
            details: store::identity::PersonalDetails { full_name: format!("Osoba {login}"), ..Default::default() },
        };
        let (_, token) = self.store.create_account(&Actor::operator(), &new).await.unwrap();
        let client = client();
        self.activate_and_enrol(&client, &format!("/activate/{token}")).await;
        client
    }

    /// As [`TestApp::login_as`], in the municipality `tenant_id`.
    pub async fn login_in(&self, tenant_id: uuid::Uuid, login: &str, roles: &[Role]) -> reqwest::Client {
        let new = store::identity::NewAccount {
            tenant_id: Some(tenant_id),
            institution_id: None,
            login: login.to_owned(),
            roles: roles.to_vec(),
            details: store::identity::PersonalDetails { full_name: format!("Osoba {login}"), ..Default::default() },
        };
        let (id, token) = self.store.create_account(&Actor::operator(), &new).await.unwrap();
        // Art. 9c ust. 3: every account working with case data has signed its confidentiality declaration.
        store::testing::sign_confidentiality(&self.store, id).await;
        let client = client();
        self.activate_and_enrol(&client, &format!("/activate/{token}")).await;
        client
    }

    /// Sets the password through an activation link and enrols TOTP; returns the TOTP secret.
    pub async fn activate_and_enrol(&self, client: &reqwest::Client, link: &str) -> String {
        let r = self.post_form(client, link, link, &[("password", PASSWORD), ("password_confirm", PASSWORD)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "activation");
        assert_eq!(location(&r), "/enrol");
        self.enrol(client).await
    }

    /// On the enrolment page: reads the key, confirms it with a code; returns the key.
    pub async fn enrol(&self, client: &reqwest::Client) -> String {
        let page = client.get(self.url("/enrol")).send().await.unwrap().text().await.unwrap();
        let secret = between(&page, "data-testid=\"totp-secret\">", "<").replace(' ', "");
        let code = self.code(&secret);
        let r = self.post_form(client, "/enrol", "/enrol", &[("code", &code)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "enrolment");
        secret
    }

    /// The current TOTP code for `secret`, after moving the clock to a fresh 30-second step.
    pub fn code(&self, secret: &str) -> String {
        self.clock.advance(SignedDuration::from_secs(30));
        let bytes = totp_rs::Secret::try_from_base32(secret).unwrap().as_bytes().to_vec();
        let totp = totp_rs::Builder::new()
            .with_secret(bytes)
            .with_account_name("x")
            .with_issuer(Some("Ostoja"))
            .build()
            .unwrap();
        let now = u64::try_from(domain::clock::Clock::now(&self.clock).as_second()).unwrap();
        totp.generate(now).to_string()
    }

    /// Password and code through the pages.
    pub async fn login(&self, client: &reqwest::Client, login: &str, secret: &str) -> reqwest::Response {
        let r = self.post_form(client, "/login", "/login", &[("login", login), ("password", PASSWORD)]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "password step");
        assert!(location(&r).starts_with("/login/second-factor"), "{}", location(&r));
        let code = self.code(secret);
        self.post_form(client, "/login/second-factor", "/login/second-factor", &[("code", &code)]).await
    }

    /// The installation's administrator, through the set-up link, as the console prints it.
    pub async fn admin(&self) -> (reqwest::Client, String) {
        let token = self.store.issue_setup_link().await.unwrap();
        let client = client();
        let link = format!("/setup/{token}");
        let r = self
            .post_form(
                &client,
                &link,
                &link,
                &[
                    ("login", "admin"),
                    ("full_name", "Administrator Systemu"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "set-up");
        let secret = self.enrol(&client).await;
        (client, secret)
    }
}

pub fn csrf_of(html: &str) -> String {
    between(html, "name=\"csrf\" value=\"", "\"")
}

pub fn between(text: &str, start: &str, end: &str) -> String {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not in page:\n{text}")) + start.len();
    let rest = &text[from..];
    rest[..rest.find(end).unwrap()].to_owned()
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}
