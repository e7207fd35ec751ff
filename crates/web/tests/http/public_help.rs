//! The public help page with an empty directory (issue 16 item 8): the national helplines from the start, filters by
//! kind of help and by language (named, not coded), Polish, Ukrainian and English without a cookie; and the
//! municipality's accessibility statement, set by the team's staff and linked from every page.

use domain::identity::Role;
use reqwest::StatusCode;

use crate::helpers::{TestApp, location};

fn public() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn page(app: &TestApp, path: &str) -> String {
    let r = public().get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert!(r.headers().get("set-cookie").is_none(), "no cookie on {path}");
    r.text().await.unwrap()
}

#[tokio::test]
async fn an_empty_directory_still_shows_the_national_helplines_filtered_by_kind_and_language_in_three_languages() {
    let app = TestApp::spawn().await;
    // The municipality's team works here (one account), with nothing in its directory yet.
    let _ = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let base = format!("/pomoc/{}", app.teryt);
    let html = page(&app, &base).await;
    for number in ["800 120 002", "116 123", "116 111", ">112<"] {
        assert!(html.contains(number), "{number} on the page: {html}");
    }
    assert!(html.contains("Telefony ogólnopolskie") && html.contains("Gmina nie opublikowała jeszcze własnej bazy"));
    assert!(html.contains("Pokazano 4 z 4."));
    // Languages by name, in the filter and on the entries; never the code alone.
    assert!(html.contains(">angielski</option>") && html.contains("<dd>polski, angielski</dd>"), "{html}");
    assert!(!html.contains("<dd>pl</dd>") && !html.contains(">en</option>"));
    assert!(html.contains("href=\"/pomoc/1016011/deklaracja-dostepnosci\""), "the statement linked");
    // The quick exit stays the first thing on the page.
    let body = &html[html.find("<body").unwrap()..];
    assert!(body.find("quick-exit").unwrap() < body.find("public-langs").unwrap());

    // Filters: the police and emergencies only; a language; both together narrowing to nothing is said so.
    let police = page(&app, &format!("{base}?kind=police")).await;
    assert!(police.contains(">112<") && !police.contains("800 120 002") && police.contains("Pokazano 1 z 4."));
    let english = page(&app, &format!("{base}?language=en")).await;
    assert!(english.contains(">112<") && !english.contains("116 111"));
    let none = page(&app, &format!("{base}?kind=legal&language=en")).await;
    assert!(none.contains("Nic nie pasuje do wybranych filtrów."), "{none}");
    // Nonsense in the address is ignored, never an error.
    let junk = page(&app, &format!("{base}?kind=%3Cscript%3E&language=zz&lang=xx")).await;
    assert!(junk.contains("Pokazano 4 z 4.") && junk.contains("lang=\"pl\"") && !junk.contains("<script>"));

    // Ukrainian and English: the page's words and the helplines' names, still no cookie.
    let uk = page(&app, &format!("{base}?lang=uk")).await;
    assert!(uk.contains("<html lang=\"uk\">"));
    for words in ["Загальнопольські телефони", "Швидкий вихід", "Niebieska Linia", "телефон довіри", "польська"]
    {
        assert!(uk.contains(words), "{words} in Ukrainian: {uk}");
    }
    assert!(uk.contains("name=\"lang\" value=\"uk\""), "the filters keep the language");
    assert!(uk.contains("href=\"/pomoc/1016011/deklaracja-dostepnosci?lang=uk\""));
    let uk_filtered = page(&app, &format!("{base}?lang=uk&kind=police")).await;
    assert!(uk_filtered.contains("Номер екстреної допомоги 112") && !uk_filtered.contains("116 111"));
    let en = page(&app, &format!("{base}?lang=en")).await;
    assert!(en.contains("National helplines") && en.contains("Crisis helpline for adults") && en.contains("Polish"));
    // The switch offers each language by its own name.
    assert!(html.contains(">Українська</a>") && html.contains(">English</a>"));

    // /pomoc keeps the language on its way to the one municipality.
    let r = public().get(app.url("/pomoc?lang=uk")).send().await.unwrap();
    assert_eq!(location(&r), format!("{base}?lang=uk"));
}

#[tokio::test]
async fn the_team_edits_a_national_helpline_like_any_entry_and_its_own_words_are_shown_as_typed() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let list = app.get_with(&chair, "/directory").await.text().await.unwrap();
    assert!(list.contains("Kryzysowy Telefon Zaufania"), "{list}");
    let tenant = app.store.tenant_by_teryt(&app.teryt).await.unwrap();
    let entries = app.store.public_directory(tenant.id).await.unwrap();
    let crisis = entries.iter().find(|e| e.national_key.as_deref() == Some("crisis_116123")).unwrap();
    let edit = format!("/directory/{}", crisis.id);
    let mut fields: Vec<(String, String)> = vec![
        ("name".into(), "Kryzysowy Telefon Zaufania (dyżur lokalny)".into()),
        ("help_kinds".into(), "psychological".into()),
        ("help_kinds".into(), "helpline".into()),
        ("phone".into(), "116 123".into()),
        ("opening_hours".into(), "codziennie 14:00–22:00".into()),
        ("languages".into(), "pl uk".into()),
        ("is_public".into(), "true".into()),
        ("last_checked_on".into(), "2026-11-20".into()),
        ("version".into(), crisis.version.to_string()),
    ];
    let form: Vec<(&str, &str)> = fields.iter_mut().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.post_form(&chair, &edit, &edit, &form).await;
    assert!(r.status().is_redirection(), "{}", r.status());
    let uk = page(&app, &format!("/pomoc/{}?lang=uk", app.teryt)).await;
    assert!(uk.contains("(dyżur lokalny)") && uk.contains("codziennie 14:00–22:00"), "the team's words as typed");
    assert!(uk.contains("польська, українська"));
    let filtered = page(&app, &format!("/pomoc/{}?language=uk", app.teryt)).await;
    assert!(filtered.contains("(dyżur lokalny)") && filtered.contains("Pokazano 1 z 4."));
}

#[tokio::test]
async fn the_accessibility_statement_is_set_by_the_staff_published_without_login_and_linked_from_every_page() {
    let app = TestApp::spawn().await;
    let member = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let statement = format!("/pomoc/{}/deklaracja-dostepnosci", app.teryt);
    let empty = page(&app, &statement).await;
    assert!(empty.contains("Gmina nie uzupełniła jeszcze deklaracji dostępności"));
    assert!(empty.contains("Procedura wnioskowo-skargowa") && empty.contains("Rzecznika Praw Obywatelskich"));
    let r = public().get(app.url("/deklaracja-dostepnosci?lang=en")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{statement}?lang=en"));
    assert!(r.headers().get("set-cookie").is_none());

    assert_eq!(app.get_with(&member, "/accessibility-statement").await.status(), StatusCode::FORBIDDEN);
    let home = app.get_with(&member, "/").await.text().await.unwrap();
    assert!(home.contains("href=\"/deklaracja-dostepnosci\""), "linked from the signed-in pages' footer");
    let login = app.get("/login").await.text().await.unwrap();
    assert!(login.contains("href=\"/deklaracja-dostepnosci\""), "and from the login page");

    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let edit = "/accessibility-statement";
    let r = app
        .post_form(
            &chair,
            edit,
            edit,
            &[
                ("status", "partial"),
                ("prepared_on", ""),
                ("contact_email", "nie-adres"),
                ("contact_name", "Ewa Dostępna"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"prepared_on-error\"") && html.contains("id=\"contact_email-error\""), "{html}");
    assert!(html.contains("value=\"Ewa Dostępna\""), "what was typed is kept");
    let r = app
        .post_form(
            &chair,
            edit,
            edit,
            &[
                ("status", "partial"),
                ("inaccessible", "Pliki PDF sprzed 2020 r. nie mają warstwy tekstowej."),
                ("prepared_on", "2026-11-20"),
                ("method", "samoocena"),
                ("contact_name", "Ewa Dostępna"),
                ("contact_email", "dostepnosc@gmina.example.pl"),
                ("contact_phone", "22 123 45 67"),
                ("architectural", "Wejście od ul. Głównej z podjazdem."),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("Zapisano deklarację dostępności."));
    // A second save from the stale version is refused, not lost silently.
    let r =
        app.post_form(&chair, edit, edit, &[("status", "full"), ("prepared_on", "2026-11-20"), ("version", "0")]).await;
    assert!(r.status().is_client_error(), "{}", r.status());

    let html = page(&app, &statement).await;
    for words in [
        "Strona jest częściowo zgodna",
        "Pliki PDF sprzed 2020 r.",
        "20.11.2026",
        "dostepnosc@gmina.example.pl",
        "Wejście od ul. Głównej",
    ] {
        assert!(html.contains(words), "{words}: {html}");
    }
    let uk = page(&app, &format!("{statement}?lang=uk")).await;
    assert!(uk.contains("Декларація доступності") && uk.contains("Сторінка частково відповідає"), "{uk}");
    // The trail names the change.
    let tenant = app.store.tenant_by_teryt(&app.teryt).await.unwrap();
    let rows = store::testing::row_counts(&app.store).await;
    assert!(rows.iter().any(|(t, n)| t == "accessibility_statement" && *n == 1), "{rows:?} {}", tenant.id);
}

#[tokio::test]
async fn a_municipality_known_only_from_its_statutory_packages_has_no_public_page_here() {
    // On a region's installation a municipality can exist only because its signed statutory sets arrived: no team,
    // no directory, no statement here. It is not listed, and its page is not found; the team's own municipality is.
    let app = TestApp::spawn().await;
    let _ = app.login_as("przewodniczaca", &[Role::Chair]).await;
    app.store.create_tenant(&store::Actor::operator(), "1016072", "Tomaszów Mazowiecki (gmina)", false).await.unwrap();
    let r = public().get(app.url("/pomoc")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "one municipality works here: straight to its page");
    assert_eq!(location(&r), format!("/pomoc/{}", app.teryt));
    for path in ["/pomoc/1016072", "/pomoc/1016072/deklaracja-dostepnosci"] {
        let r = public().get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(public().get(app.url(&format!("/pomoc/{}", app.teryt))).send().await.unwrap().status(), StatusCode::OK);
}
