//! The team learns from its work (issue 18, items 3–4): the recommendations to the mayor (encrypted, read audited,
//! refused without an addressee, dates checked) and the projects and co-financed programmes (overspending accepted,
//! the programme's tasks checked), and both as sections of the annual report.

use domain::identity::Role;
use domain::programme::{Goal, ProgrammeContent, ProgrammeIndicator, ProgrammeIndicatorSource, Task};
use domain::team::{Funder, RecommendationStatus};
use store::Caller;
use store::StoreError;
use store::team::{ProjectDraft, RecommendationDraft};

use crate::procedure::{person, team};
use crate::support::*;

fn recommendation(year: &str, status: &str, submitted_on: &str) -> RecommendationDraft {
    RecommendationDraft {
        year: year.into(),
        addressee: "Burmistrz Miasta".into(),
        recommendation: "Zatrudnić drugiego psychologa w punkcie interwencji kryzysowej.".into(),
        justification: "Czas oczekiwania na konsultację wynosi sześć tygodni; pani Kowalska czekała dwa miesiące."
            .into(),
        status: status.into(),
        submitted_on: submitted_on.into(),
        ..RecommendationDraft::default()
    }
}

fn content(institution: uuid::Uuid) -> ProgrammeContent {
    ProgrammeContent {
        strategic_goal: "Ograniczenie skali przemocy domowej.".into(),
        goals: vec![Goal {
            id: "g1".into(),
            title: "Profilaktyka".into(),
            tasks: vec![Task {
                id: "g1t1".into(),
                title: "Kampanie społeczne".into(),
                institutions: vec![institution],
                from_year: 2026,
                to_year: 2030,
                indicators: vec![ProgrammeIndicator {
                    id: "g1t1i1".into(),
                    name: "liczba kampanii".into(),
                    source: ProgrammeIndicatorSource::Entered { institutions: vec![institution] },
                    targets: Default::default(),
                }],
            }],
        }],
    }
}

#[tokio::test]
async fn a_recommendation_without_an_addressee_or_with_impossible_dates_is_refused_beside_the_field() {
    let h = Harness::new().await;
    let today = h.store.today();
    let mut d = recommendation("2026", "draft", "");
    d.addressee = "  ".into();
    assert_eq!(d.validate(today).unwrap_err().for_field("addressee"), Some("err-required"));

    let future = recommendation("2026", "submitted", "2026-03-03");
    assert_eq!(future.validate(today).unwrap_err().for_field("submitted_on"), Some("err-date-in-future"));
    let unsubmitted = recommendation("2026", "accepted", "");
    assert_eq!(
        unsubmitted.validate(today).unwrap_err().for_field("submitted_on"),
        Some("err-recommendation-submitted-required")
    );
    let mut early_answer = recommendation("2026", "accepted", "2026-02-10");
    early_answer.responded_on = "2026-02-09".into();
    assert_eq!(
        early_answer.validate(today).unwrap_err().for_field("responded_on"),
        Some("err-recommendation-response-before-submission")
    );
    assert_eq!(
        recommendation("2027", "draft", "").validate(today).unwrap_err().for_field("year"),
        Some("err-recommendation-year-range")
    );
    assert_eq!(
        recommendation("dwa", "draft", "").validate(today).unwrap_err().for_field("year"),
        Some("err-year-format")
    );
    assert!(recommendation("2026", "draft", "").validate(today).is_ok());
}

#[tokio::test]
async fn recommendations_are_kept_encrypted_read_audited_changed_at_their_version_and_only_by_the_team_staff() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let today = h.store.today();
    let input = recommendation("2026", "submitted", "2026-02-10").validate(today).unwrap();
    let id = h.store.create_recommendation(&Caller::local(&t.chair), &input).await.unwrap();
    assert!(matches!(
        h.store.create_recommendation(&Caller::local(&t.social_worker), &input).await,
        Err(StoreError::NotFound)
    ));

    // Nothing of the texts in clear.
    assert_eq!(
        scalar(
            &h.store,
            "SELECT COUNT(*) FROM team_recommendation WHERE CAST(body_enc AS TEXT) LIKE '%Kowalska%' \
             OR CAST(body_enc AS TEXT) LIKE '%Burmistrz%'"
        )
        .await,
        0
    );
    let reads =
        "SELECT COUNT(*) FROM audit_entry WHERE action = 'read_personal_data' AND object_kind = 'team_recommendation'";
    assert_eq!(scalar(&h.store, reads).await, 0);
    let list = h.store.recommendations(&Caller::local(&t.chair), 2026).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].body.addressee, "Burmistrz Miasta");
    assert_eq!(list[0].submitted_on, Some(jiff::civil::date(2026, 2, 10)));
    assert_eq!(scalar(&h.store, reads).await, 1);
    assert!(h.store.recommendations(&Caller::local(&t.chair), 2025).await.unwrap().is_empty());
    assert!(matches!(h.store.recommendations(&Caller::local(&t.social_worker), 2026).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.recommendation(&Caller::local(&t.social_worker), id).await, Err(StoreError::NotFound)));

    // The mayor answers; a stale version is a conflict, not an overwrite.
    let mut answered = list[0].to_draft();
    answered.status = "partly_accepted".into();
    answered.response = "Zatrudnienie od lipca, na pół etatu.".into();
    answered.responded_on = "2026-02-20".into();
    let answered = answered.validate(today).unwrap();
    h.store.update_recommendation(&Caller::local(&t.chair), id, &answered, 1).await.unwrap();
    assert!(matches!(
        h.store.update_recommendation(&Caller::local(&t.chair), id, &answered, 1).await,
        Err(StoreError::Conflict(_))
    ));
    let read = h.store.recommendation(&Caller::local(&t.chair), id).await.unwrap();
    assert_eq!((read.status, read.version), (RecommendationStatus::PartlyAccepted, 2));
    assert_eq!(read.body.response, "Zatrudnienie od lipca, na pół etatu.");
    assert_eq!(scalar(&h.store, reads).await, 3);
    assert_eq!(
        scalar(&h.store, "SELECT COUNT(*) FROM audit_entry WHERE object_kind = 'team_recommendation' AND action IN ('create', 'update')")
            .await,
        2
    );
}

#[tokio::test]
async fn projects_accept_overspending_refuse_an_end_before_the_start_and_check_the_programme_tasks() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let mut d = ProjectDraft {
        title: "Bezpieczny dom".into(),
        funder: "ministry".into(),
        funder_name: "Ministerstwo Rodziny, Pracy i Polityki Społecznej".into(),
        starts_on: "2026-02-01".into(),
        ends_on: "2026-01-31".into(),
        amount_granted: "20 000,00".into(),
        amount_spent: "21 500,50".into(),
        ..ProjectDraft::default()
    };
    assert_eq!(d.validate().unwrap_err().for_field("ends_on"), Some("err-period-end-before-start"));
    d.ends_on = "2026-12-31".into();
    d.funder = "bank".into();
    assert_eq!(d.validate().unwrap_err().for_field("funder"), Some("err-choice-unknown"));
    d.funder = "ministry".into();
    d.amount_granted = "dwadzieścia".into();
    assert_eq!(d.validate().unwrap_err().for_field("amount_granted"), Some("err-amount-format"));
    d.amount_granted = "20 000,00".into();

    // Spending above the grant is accepted, and the project says so.
    let id = h.store.create_project(&Caller::local(&t.chair), &d.validate().unwrap()).await.unwrap();
    let p = h.store.project(&t.chair, id).await.unwrap();
    assert_eq!((p.amount_granted, p.amount_spent, p.funder), (2_000_000, 2_150_050, Funder::Ministry));
    assert!(p.overspent());
    assert!(matches!(h.store.projects(&t.social_worker).await, Err(StoreError::NotFound)));

    // A task of no programme is refused beside the field.
    d.programme_nodes = vec!["g1t1".into()];
    assert_eq!(
        field_error(
            h.store.update_project(&Caller::local(&t.chair), id, &d.validate().unwrap(), 1).await,
            "programme_nodes"
        ),
        "err-choice-unknown"
    );
    assert_eq!(
        scalar(&h.store, "SELECT COUNT(*) FROM audit_entry WHERE object_kind = 'team_project' AND action = 'create'")
            .await,
        1
    );
}

#[tokio::test]
async fn the_annual_report_carries_the_recommendations_for_the_team_and_the_projects_of_its_year() {
    let h = Harness::new().await;
    let t = team(&h).await;
    let tenant = t.chair.tenant_id.unwrap();
    let mops = h
        .store
        .create_institution(&operator(), tenant, "Miejski Ośrodek Pomocy Społecznej", "social_welfare")
        .await
        .unwrap();
    let programme = h
        .store
        .create_programme(
            &t.chair,
            "Program 2026–2030",
            2026,
            2030,
            "2026-01-01",
            "Uchwała nr 1/2026",
            &content(mops.id),
        )
        .await
        .unwrap();
    let today = h.store.today();
    // Last year's recommendation with its follow-up; this year's, presented and a draft (which stays the team's).
    let mut last_year = recommendation("2025", "implemented", "2025-11-05");
    last_year.follow_up = "Punkt działa od stycznia 2026.".into();
    h.store.create_recommendation(&Caller::local(&t.chair), &last_year.validate(today).unwrap()).await.unwrap();
    h.store
        .create_recommendation(
            &Caller::local(&t.chair),
            &recommendation("2026", "submitted", "2026-02-10").validate(today).unwrap(),
        )
        .await
        .unwrap();
    h.store
        .create_recommendation(&Caller::local(&t.chair), &recommendation("2026", "draft", "").validate(today).unwrap())
        .await
        .unwrap();

    let project = |title: &str, starts_on: &str, ends_on: &str| ProjectDraft {
        title: title.into(),
        funder: "eu".into(),
        starts_on: starts_on.into(),
        ends_on: ends_on.into(),
        amount_granted: "1000".into(),
        amount_spent: "1200".into(),
        programme_nodes: vec!["g1t1i1".into()],
        ..ProjectDraft::default()
    };
    h.store
        .create_project(&Caller::local(&t.chair), &project("Razem bezpieczniej", "2026-01-15", "").validate().unwrap())
        .await
        .unwrap();
    h.store
        .create_project(
            &Caller::local(&t.chair),
            &project("Stary projekt", "2026-01-01", "2026-01-10").validate().unwrap(),
        )
        .await
        .unwrap();

    let report = h.store.annual_report(&t.chair, programme, 2026).await.unwrap();
    assert_eq!(report.recommendations.len(), 1, "the draft stays out");
    assert_eq!(report.recommendations[0].status, RecommendationStatus::Submitted);
    assert_eq!(report.follow_ups.len(), 1);
    assert_eq!(report.follow_ups[0].follow_up, "Punkt działa od stycznia 2026.");
    assert_eq!(report.projects.len(), 2);
    let running = report.projects.iter().find(|p| p.title == "Razem bezpieczniej").unwrap();
    assert_eq!(running.serves, ["I.1 Kampanie społeczne – liczba kampanii"]);
    assert!(running.overspent());
    assert!(
        scalar(
            &h.store,
            "SELECT COUNT(*) FROM audit_entry WHERE action = 'read_personal_data' AND object_kind = 'team_recommendation' \
             AND object_id = 'report 2026'"
        )
        .await
            == 1
    );

    // An aggregate viewer sees the figures and the projects, never the recommendations' texts.
    let viewer = person(&h, tenant, "podglad", &[Role::AggregateViewer]).await;
    let seen = h.store.annual_report(&viewer, programme, 2026).await.unwrap();
    assert!(seen.recommendations.is_empty() && seen.follow_ups.is_empty());
    assert_eq!(seen.projects.len(), 2);
    // A year the short project did not run in leaves it out.
    let next = h.store.annual_report(&t.chair, programme, 2027).await.unwrap();
    assert_eq!(next.projects.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(), ["Razem bezpieczniej"]);
    assert_eq!(next.follow_ups.len(), 1, "this year's recommendation is followed up next year");
}
