//! Issue 16, item 7: Polish on Polish pages, English on English ones, and no raw codes on any. Every role walks
//! every page it can reach from its home page by links, in both languages, on a municipality with a staffed case;
//! the test fails on what a person should never read: record ids (UUIDs), snake_case codes (`read_personal_data`,
//! `social_worker`), message ids left untranslated (`err-some-thing`), English codes on Polish pages, and Polish
//! interface texts on English pages.
//!
//! Also item 12's "Zapisano" after a save and item 5's accounts list (last login, confirmation before a removal).

use std::collections::{BTreeSet, VecDeque};

use domain::identity::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, location};
use crate::procedures::{form_a, group_members, open_case, token};

/// Pages each role visits per language at most (the walk is breadth-first, so the menu's pages come first).
const PAGES_PER_WALK: usize = 60;

/// What a person sees of a page: its text and the labels read aloud, without tags, scripts and styles.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        out.push(' ');
        rest = &rest[start..];
        let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            "</script>"
        } else if lower.starts_with("<style") {
            "</style>"
        } else {
            ">"
        };
        let end = rest.find(skip_to).map_or(rest.len(), |i| i + skip_to.len());
        let tag = &rest[..end];
        if skip_to == ">" {
            for attribute in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\""] {
                if let Some(i) = tag.find(attribute) {
                    let value = &tag[i + attribute.len()..];
                    out.push_str(&value[..value.find('"').unwrap_or(value.len())]);
                    out.push(' ');
                }
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&").replace("&quot;", "\"").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">")
}

fn is_uuid(token: &str) -> bool {
    token.len() == 36
        && token
            .char_indices()
            .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}

fn is_snake_code(token: &str) -> bool {
    token.contains('_')
        && token.starts_with(|c: char| c.is_ascii_lowercase())
        && token.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A message id shown instead of its text (`Tr::get` answers the id when a message is missing).
fn is_message_id(token: &str) -> bool {
    token.matches('-').count() >= 2
        && !token.starts_with('-')
        && !token.ends_with('-')
        && !token.contains("--")
        && token.chars().all(|c| c.is_ascii_lowercase() || c == '-')
}

/// Codes of the domain that read as English words: on a Polish page they are an enum's name shown raw.
const ENGLISH_CODES: [&str; 14] = [
    "police",
    "education",
    "health",
    "chair",
    "secretary",
    "initiator",
    "running",
    "monitoring",
    "physical",
    "psychological",
    "pending",
    "approved",
    "refused",
    "draft",
];

/// Pages whose English version still shows Polish from data that exists in Polish only: words of the statutory
/// report's pages outside the template's line names (`/programme/statutory`, `/area`: the kinds of the team's
/// members, still Polish there). Every form and record has English words (`domain::forms::english`) and the deadline
/// rules have English names, so the form pages, the records and the case page are checked like any other. Their codes
/// and ids are still checked; only the Polish-on-English check skips them.
const POLISH_DATA_PAGES: [&str; 2] = ["/area", "/programme/statutory"];

/// The Polish interface texts that differ from their English ones: none may stand on an English page.
fn polish_only_texts() -> Vec<(String, String)> {
    let messages = |ftl: &str| -> Vec<(String, String)> {
        ftl.lines()
            .filter(|l| !l.starts_with([' ', '#', '.', '\t']) && !l.starts_with("-"))
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect()
    };
    let polish = messages(include_str!("../../i18n/pl/main.ftl"));
    let english = messages(include_str!("../../i18n/en/main.ftl"));
    polish
        .into_iter()
        .filter(|(_, v)| v.chars().count() >= 14 && !v.contains('{'))
        .filter(|(k, v)| english.iter().find(|(ek, _)| ek == k).is_none_or(|(_, ev)| ev != v))
        .collect()
}

/// The links of a page this walk follows: pages of this site, not downloads, not the log-out or language switch.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.replace("&amp;", "&"))
        .map(|s| s.split('#').next().unwrap_or_default().to_owned())
        .filter(|s| s.starts_with('/') && !s.starts_with("//"))
        .filter(|s| !s.starts_with("/static/") && !s.starts_with("/lang/") && !s.starts_with("/api/"))
        // The public help page speaks the visitor's language of its own choosing (its own switch), not the account's.
        .filter(|s| !s.starts_with("/pomoc"))
        .collect()
}

/// Walks `client`'s pages from its home page in `lang`; returns the faults found, one line each.
async fn walk(
    app: &TestApp,
    client: &reqwest::Client,
    who: &str,
    lang: &str,
    polish: &[(String, String)],
) -> Vec<String> {
    let r = app.get_with(client, &format!("/lang/{lang}?next=/")).await;
    assert!(r.status().is_redirection(), "language switch for {who}");
    let mut faults = Vec::new();
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([String::from("/")]);
    let mut visited = 0;
    while let Some(path) = queue.pop_front() {
        if visited == PAGES_PER_WALK {
            break;
        }
        if !seen.insert(path.clone()) {
            continue;
        }
        let r = app.get_with(client, &path).await;
        let status = r.status();
        let html = r.headers().get("content-type").is_some_and(|c| c.to_str().unwrap_or("").starts_with("text/html"));
        if status.is_server_error() {
            faults.push(format!("{who} [{lang}] {path}: {status}"));
            continue;
        }
        if !status.is_success() || !html {
            continue;
        }
        visited += 1;
        let page = r.text().await.unwrap();
        if !page.contains(&format!("<html lang=\"{lang}\"")) {
            faults.push(format!("{who} [{lang}] {path}: the page is not in {lang}"));
        }
        let text = visible_text(&page);
        for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
            let fault = if is_uuid(token) {
                Some("record id")
            } else if is_snake_code(token) {
                Some("code")
            } else if is_message_id(token) {
                Some("message id")
            } else if lang == "pl" && ENGLISH_CODES.contains(&token) {
                Some("English code")
            } else {
                None
            };
            if let Some(kind) = fault {
                faults.push(format!("{who} [{lang}] {path}: {kind} {token:?}"));
            }
        }
        if lang == "en" && !POLISH_DATA_PAGES.iter().any(|p| path.starts_with(p) || path.contains(p)) {
            for (key, value) in polish {
                if text.contains(value.as_str()) {
                    faults.push(format!("{who} [en] {path}: Polish text of {key}: {value:?}"));
                }
            }
        }
        for link in links(&page) {
            if !seen.contains(&link) {
                queue.push_back(link);
            }
        }
    }
    faults
}

#[tokio::test]
async fn every_page_of_every_role_speaks_its_language_without_raw_codes() {
    let app = TestApp::spawn().await;
    // The group members first, keeping their sessions; then a case opened by the police and staffed.
    let social = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let initiator_token = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let case = open_case(&app, &initiator_token, form_a()).await;
    let chair_token = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{case}/group")))
        .bearer_auth(&chair_token)
        .json(&json!({"members": group_members(&app).await, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the group is appointed");

    let mut walkers = vec![("group_member".to_owned(), social)];
    for role in Role::ALL.into_iter().filter(|r| !matches!(r, Role::SystemAdministrator | Role::GroupMember)) {
        let login = format!("jezyk.{}", walkers.len());
        walkers.push((role.as_str().to_owned(), app.login_as(&login, &[role]).await));
    }
    let (admin, _) = app.admin().await;
    walkers.push(("system_administrator".to_owned(), admin));

    let polish = polish_only_texts();
    assert!(polish.len() > 100, "the Polish texts were read ({})", polish.len());
    let mut faults = Vec::new();
    for (who, client) in &walkers {
        for lang in ["pl", "en"] {
            faults.extend(walk(&app, client, who, lang, &polish).await);
        }
    }
    faults.sort();
    faults.dedup();
    assert!(faults.is_empty(), "{} faults:\n{}", faults.len(), faults.join("\n"));
}

#[test]
fn the_checks_catch_what_they_look_for() {
    let page = r#"<h1 title="read_personal_data">Sprawa 0190f3c2-5a4b-7c3d-8e9f-0a1b2c3d4e5f</h1>
        <script>var a_b = 1;</script><p>err-institution-unknown &amp; police</p>"#;
    let text = visible_text(page);
    assert!(text.contains("read_personal_data"), "attributes read aloud count: {text}");
    assert!(!text.contains("a_b"), "scripts are not text: {text}");
    assert!(is_uuid("0190f3c2-5a4b-7c3d-8e9f-0a1b2c3d4e5f"));
    assert!(is_snake_code("read_personal_data") && !is_snake_code("Zapisano") && !is_snake_code("_x"));
    assert!(is_message_id("err-institution-unknown") && !is_message_id("e-mail") && !is_message_id("NK-2026-1"));
    assert!(contains_word("Czy: tak.", "tak") && !contains_word("Actions taken", "tak"));
    assert_eq!(links(r#"<a href="/team#member-1">x</a><a href="//evil">y</a><a href="/static/a.css">"#), ["/team"]);
}

#[tokio::test]
async fn a_save_says_saved_once_with_the_saved_item_in_view() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let r = app
        .post_form(
            &chair,
            "/directory/new",
            "/directory/new",
            &[
                ("name", "Ośrodek Interwencji Kryzysowej"),
                ("help_kinds", "helpline"),
                ("phone", "800 100 100"),
                ("last_checked_on", "2026-11-20"),
            ],
        )
        .await;
    if r.status() != StatusCode::SEE_OTHER {
        panic!("directory entry not saved: {}\n{}", r.status(), r.text().await.unwrap());
    }
    let to = location(&r);
    assert!(to.starts_with("/directory#entry-"), "the saved entry is in view: {to}");
    let page = app.get_with(&chair, "/directory").await.text().await.unwrap();
    assert!(page.contains("data-testid=\"notice\">Zapisano.</div>"), "the page after the save says so");
    let entry = to.trim_start_matches("/directory#");
    assert!(page.contains(&format!("id=\"{entry}\"")), "the anchor names the saved row");
    let again = app.get_with(&chair, "/directory").await.text().await.unwrap();
    assert!(!again.contains("Zapisano."), "said once, not on every later visit");
}

#[tokio::test]
async fn the_accounts_list_shows_last_login_and_asks_before_a_deactivation() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let _ = app.login_as("sekretarz", &[Role::Secretary]).await;
    let page = app.get_with(&chair, "/team/accounts").await.text().await.unwrap();
    let last_login = crate::helpers::between(&page, "data-testid=\"last-login-sekretarz\">", "<");
    assert!(last_login.starts_with("2026-11-23 10:0"), "the secretary's log-in, in Polish time: {last_login}");
    assert!(page.contains("data-testid=\"col-last-login\"") || page.contains("Ostatnie logowanie"));
    let (secretary, _) = app.store.account_by_login("sekretarz").await.unwrap();
    let action = format!("/team/accounts/{secretary}/deactivate");
    // The row's button asks first: nothing changes yet.
    let r = app.post_form(&chair, "/team/accounts", &action, &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let confirm = r.text().await.unwrap();
    assert!(confirm.contains("Dezaktywować konto: Osoba sekretarz (sekretarz)?"), "{confirm}");
    assert!(confirm.contains("name=\"confirmed\" value=\"yes\""));
    let list = app.get_with(&chair, "/team/accounts").await.text().await.unwrap();
    assert!(!list.contains("<strong>nieaktywne</strong>"), "not deactivated yet");
    // Confirmed: done, back at the row, saying so.
    let r = app.post_form(&chair, "/team/accounts", &action, &[("confirmed", "yes")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("/team/accounts#account-{secretary}"));
    let list = app.get_with(&chair, "/team/accounts").await.text().await.unwrap();
    assert!(list.contains("Zapisano."));
    assert!(list.contains(&format!("id=\"account-{secretary}\"")));
    assert!(list.contains("<strong>nieaktywne</strong>"), "deactivated once confirmed");
    let r = app.get_with(&chair, "/").await.text().await.unwrap();
    assert!(r.contains("Osoba przewodniczaca"), "the greeting names the person, not the login");
}

/// Every word of a form's definition, Polish and English (`domain::forms::english`): its title, parts, texts,
/// questions, hints and options.
fn form_words(def: &domain::forms::FormDefinition) -> (Vec<&'static str>, Vec<&'static str>) {
    use domain::forms::english::{
        field_hint_en, field_label_en, option_label_en, section_text_en, section_title_en, title_en,
    };
    let (kind, version) = (def.kind, def.version);
    let mut polish = vec![def.title_pl];
    let mut english = vec![title_en(kind, version).unwrap()];
    for s in def.sections {
        polish.push(s.title_pl);
        english.push(section_title_en(kind, version, s.id).unwrap());
        polish.extend(s.text_pl);
        english.extend(section_text_en(kind, version, s.id).unwrap_or_default());
        for f in s.fields {
            polish.push(f.label_pl);
            english.push(field_label_en(kind, version, s.id, f.id).unwrap());
            polish.extend(f.hint_pl);
            english.extend(field_hint_en(kind, version, s.id, f.id));
            for o in f.field_type.options() {
                polish.push(o.label_pl);
                english.push(option_label_en(kind, version, s.id, f, o.value).unwrap());
            }
        }
    }
    (polish, english)
}

/// Whether `word` stands in `text` as words of its own ("tak" is not in "taken").
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The faults of an English form page: a Polish word of the form on it (one that is not also part of an English
/// word: the Polish "Data" is in "Data unchanged"), or an English one missing of `expected`.
fn polish_on_english_form(
    page: &str,
    def: &domain::forms::FormDefinition,
    expected: &[&str],
    faults: &mut Vec<String>,
) {
    let text = visible_text(page);
    let (polish, english) = form_words(def);
    for word in polish {
        if !english.iter().any(|en| en.contains(word)) && contains_word(&text, word) {
            faults.push(format!("{}: Polish {word:?}", def.kind.as_str()));
        }
    }
    for word in expected {
        if !text.contains(word) {
            faults.push(format!("{}: no {word:?}", def.kind.as_str()));
        }
    }
}

#[tokio::test]
async fn form_c_and_a_record_are_english_on_english_pages_and_polish_on_polish_ones() {
    use domain::forms::records::{RecordKind, record_definition};
    use domain::forms::{FormKind, FormVersion, definition};

    let app = TestApp::spawn().await;
    let social = app.login_as("pracownik.socjalny", &[Role::GroupMember]).await;
    let _ = app.login_as("policjant.gdp", &[Role::GroupMember]).await;
    let initiator_token = token(&app, "dzielnicowy", &[Role::Initiator]).await;
    let case = open_case(&app, &initiator_token, form_a()).await;
    let chair_token = token(&app, "przewodniczaca", &[Role::Chair]).await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/procedures/{case}/group")))
        .bearer_auth(&chair_token)
        .json(&json!({"members": group_members(&app).await, "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the group is appointed");

    let form_c = definition(FormKind::C, FormVersion::V2023).unwrap();
    let meeting = record_definition(RecordKind::Meeting);
    let form_page = format!("/procedures/{case}/forms/c");
    let record_page = format!("/procedures/{case}/records/new/meeting");

    // Polish first: the definition's own words.
    let html = app.get_with(&social, &form_page).await.text().await.unwrap();
    assert!(html.contains("Niebieska Karta – C") && html.contains("Indywidualny plan pomocy"), "{html}");
    let html = app.get_with(&social, &record_page).await.text().await.unwrap();
    assert!(html.contains("Posiedzenie grupy diagnostyczno-pomocowej") && html.contains("Kto jest zaproszony"));

    assert!(app.get_with(&social, "/lang/en?next=/").await.status().is_redirection());
    let mut faults = Vec::new();
    // Every step of form C in English, the check-your-answers step included: the page shows one part at a time.
    let first = app.get_with(&social, &form_page).await.text().await.unwrap();
    assert!(first.contains("<html lang=\"en\""));
    let version = crate::helpers::between(&first, "name=\"version\" value=\"", "\"");
    let steps = form_c.steps().len();
    let mut pages = vec![first];
    for step in 1..=steps {
        let goto = step.to_string();
        let r = app
            .post_form(&social, &form_page, &form_page, &[("version", &version), ("step", "0"), ("goto", &goto)])
            .await;
        assert_eq!(r.status(), StatusCode::OK, "step {step}");
        pages.push(r.text().await.unwrap());
    }
    for page in &pages {
        polish_on_english_form(page, form_c, &[], &mut faults);
    }
    let all = pages.iter().map(|p| visible_text(p)).collect::<Vec<_>>().join("\n");
    for expected in [
        "Form “Blue Card – C”",
        "Individual support plan",
        "Body carrying out the action",
        "organisational unit of social welfare",
        "Relation to the person experiencing domestic violence",
        "former spouse",
        "once every three months",
        "Art. 12 of the act.",
        "Actions of the bodies and of the person experiencing domestic violence",
        "YYYY-MM-DD or DD.MM.YYYY",
    ] {
        if !all.contains(expected) {
            faults.push(format!("C: no {expected:?}"));
        }
    }
    // A record: one page, all of it.
    let html = app.get_with(&social, &record_page).await.text().await.unwrap();
    polish_on_english_form(
        &html,
        meeting,
        &[
            "Meeting of the diagnostic and support group",
            "Who is invited",
            "with the person using domestic violence",
            "remotely, by means of electronic communication",
            "A child is not invited to a meeting of the group.",
        ],
        &mut faults,
    );
    assert!(faults.is_empty(), "{} faults:\n{}", faults.len(), faults.join("\n"));
}
