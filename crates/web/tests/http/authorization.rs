//! Every route × every role: allowed or refused, and a refused change leaves no trace.

use domain::identity::{Permission, Role, RoleSet};
use reqwest::StatusCode;

use crate::helpers::{TestApp, client, csrf_of};

#[derive(Clone, Copy)]
enum Method {
    Get,
    Post,
}

/// (method, path, permission needed). `{teryt}` and `{id}` are filled in; `{case}` is an id no case has, so an
/// allowed role reaches the handler and is told "not found" (need-to-know, after the permission).
const ROUTES: &[(Method, &str, Permission)] = &[
    (Method::Get, "/", Permission::ViewDashboard),
    (Method::Get, "/account/password", Permission::ViewOwnAccount),
    (Method::Get, "/account/tokens", Permission::ViewOwnAccount),
    (Method::Get, "/account/approvals", Permission::ViewOwnAccount),
    (Method::Get, "/team/accounts", Permission::ManageTeamAccounts),
    (Method::Post, "/team/accounts", Permission::ManageTeamAccounts),
    (Method::Post, "/team/accounts/{id}/reset-password", Permission::ManageTeamAccounts),
    (Method::Get, "/admin/tenants", Permission::ManageTenants),
    (Method::Post, "/admin/tenants", Permission::ManageTenants),
    (Method::Get, "/admin/tenants/{teryt}/institutions", Permission::ManageInstitutions),
    (Method::Post, "/admin/tenants/{teryt}/institutions", Permission::ManageInstitutions),
    (Method::Get, "/admin/tenants/{teryt}/accounts", Permission::ManageAccounts),
    (Method::Post, "/admin/tenants/{teryt}/accounts", Permission::ManageAccounts),
    (Method::Post, "/admin/tenants/{teryt}/accounts/{id}/reset-second-factor", Permission::ManageAccounts),
    (Method::Get, "/audit", Permission::ReadAuditTrail),
    (Method::Get, "/audit/break-glass", Permission::ReadAuditTrail),
    (Method::Post, "/audit/break-glass/{case}/review", Permission::ReadAuditTrail),
    (Method::Get, "/audit/retention", Permission::ReadAuditTrail),
    (Method::Post, "/audit/retention/settings", Permission::ReadAuditTrail),
    (Method::Post, "/audit/retention/erase", Permission::ReadAuditTrail),
    (Method::Get, "/audit/register", Permission::ReadAuditTrail),
    (Method::Get, "/audit/register?number=NK%2F1999%2F0001", Permission::ReadAuditTrail),
    (Method::Get, "/audit/register/export?format=csv", Permission::ReadAuditTrail),
    (Method::Get, "/audit/register/export?number={case}&format=xlsx", Permission::ReadAuditTrail),
    (Method::Get, "/procedures/emergency", Permission::BreakGlass),
    (Method::Post, "/procedures/emergency", Permission::BreakGlass),
    (Method::Post, "/procedures/{case}/grants", Permission::GrantCaseAccess),
    (Method::Get, "/procedures/{case}/release", Permission::GrantCaseAccess),
    (Method::Post, "/procedures/{case}/release", Permission::GrantCaseAccess),
    (Method::Post, "/procedures/{case}/grants/{case}/end", Permission::GrantCaseAccess),
    (Method::Get, "/notifications", Permission::ViewOwnAccount),
    (Method::Post, "/notifications/read", Permission::ViewOwnAccount),
    (Method::Get, "/procedures", Permission::ViewProcedures),
    (Method::Post, "/procedures/search", Permission::ViewProcedures),
    (Method::Get, "/procedures/new", Permission::OpenProcedure),
    (Method::Get, "/timeliness", Permission::ManageProcedures),
    (Method::Get, "/timeliness/settings", Permission::ManageProcedures),
    (Method::Get, "/team", Permission::ViewTeam),
    (Method::Get, "/team/meetings", Permission::ViewTeam),
    (Method::Get, "/team/members/new", Permission::ManageTeam),
    (Method::Get, "/team/letters", Permission::ManageTeam),
    (Method::Get, "/directory", Permission::ViewHelpDirectory),
    (Method::Get, "/directory/new", Permission::ManageDirectory),
    (Method::Get, "/activities", Permission::ManageActivities),
];

fn body_for(path: &str, n: usize) -> Vec<(String, String)> {
    match path {
        "/admin/tenants" => {
            vec![("teryt".into(), format!("{:02}17021", 2 + 2 * (n % 15))), ("name".into(), format!("Gmina {n}"))]
        }
        p if p.ends_with("/institutions") => {
            vec![("name".into(), format!("Instytucja {n}")), ("kind".into(), "police".into())]
        }
        p if p.ends_with("/accounts") => vec![
            ("login".into(), format!("nowe.konto.{n}")),
            ("full_name".into(), "X Y".into()),
            ("roles".into(), "initiator".into()),
        ],
        _ => vec![],
    }
}

async fn data_fingerprint(app: &TestApp) -> (usize, usize, usize) {
    let tenant = app.store.tenant_by_teryt(&app.teryt).await.unwrap();
    let tenants = app.store.list_tenants().await.unwrap().len();
    let institutions = app.store.list_institutions(tenant.id).await.unwrap().len();
    let accounts = app.store.list_accounts(&store::Actor::operator(), Some(tenant.id)).await.unwrap().len();
    (tenants, institutions, accounts)
}

#[tokio::test]
async fn every_route_answers_each_role_as_the_permission_table_says() {
    let app = TestApp::spawn().await;
    let (victim, _) = {
        let _ = app.login_as("ofiara.resetu", &[Role::Initiator]).await;
        app.store.account_by_login("ofiara.resetu").await.unwrap()
    };
    let no_case = uuid::Uuid::now_v7().to_string();
    let mut n = 0;
    for role in Role::ALL {
        let login = format!("rola.{}", role.as_str().replace('_', "-"));
        let c = app.login_as(&login, &[role]).await;
        let roles = RoleSet::new(vec![role]);
        for &(method, template, permission) in ROUTES {
            n += 1;
            let path = template
                .replace("{teryt}", &app.teryt)
                .replace("{id}", &victim.to_string())
                .replace("{case}", &no_case);
            let allowed = roles.permits(permission);
            let before = data_fingerprint(&app).await;
            let response = match method {
                Method::Get => app.get_with(&c, &path).await,
                Method::Post => {
                    let home = app.get_with(&c, "/").await.text().await.unwrap();
                    let mut body = vec![("csrf".to_owned(), csrf_of(&home))];
                    body.extend(body_for(template, n));
                    c.post(app.url(&path)).form(&body).send().await.unwrap()
                }
            };
            let status = response.status();
            // A post that succeeds may answer with the page or redirect back to it (never to the login).
            let redirected_in =
                status == StatusCode::SEE_OTHER && !crate::helpers::location(&response).starts_with("/login");
            // 422: the handler was reached and refused the content (the administrator makes only a first chair).
            let refused_content = status == StatusCode::UNPROCESSABLE_ENTITY;
            let no_such_case = template.contains("{case}") && status == StatusCode::NOT_FOUND;
            if allowed {
                assert!(
                    status.is_success() || redirected_in || refused_content || no_such_case,
                    "{role} should reach {path}: {status}"
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{role} must be refused {path}");
                assert_eq!(data_fingerprint(&app).await, before, "refused {role} {path} changed data");
            }
        }
    }
    // Anonymous visitors are sent to the login page, and never reach a handler.
    let anonymous = client();
    for &(method, template, _) in ROUTES {
        let path =
            template.replace("{teryt}", &app.teryt).replace("{id}", &victim.to_string()).replace("{case}", &no_case);
        let r = match method {
            Method::Get => app.get_with(&anonymous, &path).await,
            Method::Post => anonymous.post(app.url(&path)).form(&[("csrf", "x")]).send().await.unwrap(),
        };
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "anonymous {path}");
        assert!(crate::helpers::location(&r).starts_with("/login"));
    }
}

#[tokio::test]
async fn a_form_without_the_right_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.admin().await;
    let before = data_fingerprint(&app).await;
    let r = admin
        .post(app.url("/admin/tenants"))
        .form(&[("csrf", "0".repeat(64).as_str()), ("teryt", "1805021"), ("name", "X")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("Formularz wygasł"));
    // A cross-site post is stopped by the Fetch-Metadata check before any handler.
    let r = admin
        .post(app.url("/admin/tenants"))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .form(&[("teryt", "1805021"), ("name", "X")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(data_fingerprint(&app).await, before);
}
