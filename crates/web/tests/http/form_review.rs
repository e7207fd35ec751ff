//! Form A's check-your-answers step (issue 16, item 4; ux.md "check-your-answers page"): after the last part, every
//! answer by part, each part with "Zmień" back to its step, then the send. Without JavaScript: the answers travel
//! in the page. And the person slots a page posts back (`slots`) on the other forms in steps.

use domain::forms::{FormKind, FormVersion, definition};
use domain::identity::Role;
use reqwest::StatusCode;

use crate::form_steps::carried;
use crate::helpers::{TestApp, location};
use crate::procedures::page_fields;

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    action: &str,
    fields: &[(String, String)],
) -> (StatusCode, String) {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = app.post_form(client, action, action, &refs).await;
    (r.status(), r.text().await.unwrap())
}

/// The page's own fields posted back, with the step control replaced by `step` and `extra` added.
fn from_page(html: &str, step: &str, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = carried(html);
    fields.retain(|(k, _)| k != "step");
    fields.push(("step".into(), step.into()));
    fields.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    fields
}

#[tokio::test]
async fn form_a_ends_with_every_answer_by_part_each_with_a_way_back_and_is_sent_from_there() {
    // Arrange: a complete form A, on its last part (XIV, step 13 of 0..13).
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let mut fields = page_fields();
    fields.extend([("step".into(), "13".into()), ("goto".into(), "14".into())]);

    // Act: "Dalej: Sprawdź odpowiedzi".
    let (status, review) = post(&app, &initiator, "/procedures/new", &fields).await;

    // Assert: the answers in words, by part, each part with its "Zmień"; no part's inputs; sending is the main button.
    assert_eq!(status, StatusCode::OK);
    assert!(review.contains("data-testid=\"review\""), "{review}");
    assert!(review.contains("data-testid=\"step-progress\"><strong>Sprawdź odpowiedzi</strong>"));
    assert!(review.contains("<dt>Nazwisko (Pozycja 1)</dt><dd>Kowalska</dd>"), "{review}");
    assert!(review.contains("<dd>przemoc fizyczna, przemoc psychiczna</dd>"), "options by their labels: {review}");
    assert!(!review.contains("<dd>physical"), "never the option's code");
    for step in 0..14 {
        assert!(
            review.contains(&format!(
                "name=\"goto\" value=\"{step}\" class=\"link\" data-testid=\"review-change-{step}\""
            )),
            "part {step} has its way back"
        );
    }
    assert!(review.contains("<h3 id=\"review-part-1-title\">II. Dane osób stosujących przemoc domową</h3>"));
    assert!(!review.contains("id=\"affected_persons-0-last_name\""), "no part's fields on the check step");
    assert!(!review.contains("data-testid=\"error-summary\""), "a complete form has nothing to correct");
    assert!(!review.contains("data-testid=\"step-next\""), "nothing after the check");
    assert!(
        review.contains("<button type=\"submit\">Zapisz formularz i wszcznij procedurę</button>"),
        "sending is the main button: {review}"
    );

    // "Zmień" on part II: that part, with what was typed in its fields.
    let (status, part_two) =
        post(&app, &initiator, "/procedures/new", &from_page(&review, "14", &[("goto", "1")])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(part_two.contains("Krok 2 z 14"), "{part_two}");
    assert!(part_two.contains("name=\"suspected_persons[0].last_name\" type=\"text\" value=\"Kowalski\""));

    // Sent from the check step: the procedure is opened.
    let r = {
        let refs = from_page(&review, "14", &[]);
        let refs: Vec<(&str, &str)> = refs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        app.post_form(&initiator, "/procedures/new", "/procedures/new", &refs).await
    };
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/procedures/forwarded");
}

#[tokio::test]
async fn the_check_step_lists_what_is_missing_and_each_error_goes_back_to_its_part() {
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let mut fields = page_fields();
    fields.retain(|(k, _)| k != "suspected_persons[0].last_name");
    fields.extend([("step".into(), "13".into()), ("goto".into(), "14".into())]);

    let (status, review) = post(&app, &initiator, "/procedures/new", &fields).await;

    assert_eq!(status, StatusCode::OK, "looking at the answers is no refusal");
    assert!(review.contains("data-testid=\"error-summary\""), "{review}");
    assert!(
        review.contains("name=\"goto\" value=\"1\" formaction=\"/procedures/new#suspected_persons-0-last_name\""),
        "the error is a button to its part and field: {review}"
    );
    let part_two = review.split("id=\"review-part-1\"").nth(1).unwrap_or_default();
    let part_two = part_two.split("</section>").next().unwrap_or_default();
    assert!(part_two.contains("do poprawy: 1"), "the part is marked: {part_two}");
    // Sending anyway: refused, opened on the part with the error, everything kept.
    let (status, refused) = post(&app, &initiator, "/procedures/new", &from_page(&review, "14", &[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.contains("Krok 2 z 14"), "{refused}");
    assert!(refused.contains("value=\"Jan\""));
}

#[tokio::test]
async fn the_2011_form_a_keeps_an_added_empty_witness_slot_across_steps_and_its_check_step() {
    let app = TestApp::spawn().await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let def = definition(FormKind::A, FormVersion::V2011).unwrap();
    let step = def.step_of("witnesses").unwrap().to_string();
    let review = def.steps().len().to_string();

    let (status, added) = post(
        &app,
        &chair,
        "/procedures/new-2011",
        &[("step".into(), step.clone()), ("add".into(), "witnesses".into())],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(added.contains("name=\"witnesses[1].last_name\""), "{added}");
    assert!(added.contains("name=\"slots\" value=\"") && added.contains("witnesses:2"), "{added}");

    // To the check step and back to the witnesses' part: the empty second slot is still offered.
    let (_, checked) =
        post(&app, &chair, "/procedures/new-2011", &from_page(&added, &step, &[("goto", &review)])).await;
    assert!(checked.contains("data-testid=\"review\""), "{checked}");
    let (_, back) = post(&app, &chair, "/procedures/new-2011", &from_page(&checked, &review, &[("goto", &step)])).await;
    assert!(back.contains("name=\"witnesses[1].last_name\""), "the empty slot came back: {back}");
    assert!(!back.contains("name=\"witnesses[2].last_name\""));
}

#[tokio::test]
async fn on_english_pages_form_a_asks_in_english_and_deadlines_and_answers_are_named_in_english() {
    let app = TestApp::spawn().await;
    let initiator = app.login_as("dzielnicowy", &[Role::Initiator]).await;
    let r = app.get_with(&initiator, "/lang/en?next=/").await;
    assert!(r.status().is_redirection());

    let first = app.get_with(&initiator, "/procedures/new").await.text().await.unwrap();
    assert!(first.contains("<legend>I. Persons experiencing domestic violence</legend>"), "{first}");
    assert!(first.contains(">Surname <span class=\"req\">*</span></label>"), "{first}");
    assert!(!first.contains(">Nazwisko"), "no Polish question on an English page");
    assert!(first.contains("Next: II. Persons using domestic violence"), "the steps are named in English too");
    let sixth = app.get_with(&initiator, "/procedures/new?step=5").await.text().await.unwrap();
    assert!(sixth.contains("<option value=\"false\">no</option>"), "a yes/no question answers in English: {sixth}");

    // The case page: the deadline rules by their English names, form A's answers under English labels.
    let bearer = app.store.issue_api_token(&store::Actor::operator(), "dzielnicowy", "t").await.unwrap();
    let case = crate::procedures::open_case(&app, &bearer, crate::procedures::form_a()).await;
    let chair = app.login_as("przewodniczaca", &[Role::Chair]).await;
    let _ = app.get_with(&chair, "/lang/en?next=/").await;
    let page = app.get_with(&chair, &format!("/procedures/{case}")).await.text().await.unwrap();
    assert!(page.contains("Support group appointed"), "{page}");
    assert!(!page.contains("Powołanie grupy diagnostyczno-pomocowej"));
    assert!(page.contains("Persons experiencing domestic violence 1: Surname"), "{page}");
    // On a Polish page, the same in Polish.
    let _ = app.get_with(&chair, "/lang/pl?next=/").await;
    let page = app.get_with(&chair, &format!("/procedures/{case}")).await.text().await.unwrap();
    assert!(page.contains("Powołanie grupy diagnostyczno-pomocowej"));
    assert!(page.contains("Dane osób doznających przemocy domowej 1: Nazwisko"));
}
