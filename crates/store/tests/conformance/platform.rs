//! The regional cooperation platform (issue 17 item 7): the group's members sealed and read audited, meetings with
//! minutes only once held and attendance only of the group, the library read by the audience it names, difficulties
//! raised by a municipality or a county and answered only by the region, announcements on the home page of the
//! voivodeship's accounts until they expire or are dismissed, and nothing of it for another voivodeship.

use domain::identity::Role;
use store::Caller;
use store::StoreError;
use store::identity::{NewAccount, Principal};
use store::platform::{
    AnnouncementDraft, AnswerDraft, Audience, DifficultyDraft, DifficultyStatus, GroupMemberDraft, MeetingDraft,
    PracticeDraft,
};
use uuid::Uuid;

use crate::support::*;

async fn account_in(h: &Harness, tenant: Uuid, login: &str, roles: &[Role]) -> Principal {
    let new = NewAccount { roles: roles.to_vec(), ..new_account(Some(tenant), login, "Osoba Testowa") };
    let (id, token) = h.store.create_account(&operator(), &new).await.unwrap();
    h.store.activate(&token, PASSWORD, PASSWORD, None).await.unwrap();
    h.store.principal(id).await.unwrap()
}

struct Region {
    coordinator: Principal,
    expert: Principal,
    county: Principal,
    /// The chair of Ujazd (county 1016) and a group member of the same team.
    chair: Principal,
    member: Principal,
    /// The chair of Jasło: another voivodeship (18), which has no platform here.
    stranger: Principal,
    /// The chair of Rokiciny (county 1021, same voivodeship, another county).
    neighbour: Principal,
}

async fn region(h: &Harness) -> Region {
    let op = operator();
    let lodzkie = h.store.create_tenant(&op, "10", "Województwo łódzkie", false).await.unwrap();
    let tomaszowski = h.store.create_tenant(&op, "1016", "Powiat tomaszowski", false).await.unwrap();
    let ujazd = h.store.create_tenant(&op, "1016083", "Ujazd", false).await.unwrap();
    let rokiciny = h.store.create_tenant(&op, "1021062", "Rokiciny", false).await.unwrap();
    let jaslo = h.store.create_tenant(&op, "1805021", "Jasło", false).await.unwrap();
    Region {
        coordinator: account_in(h, lodzkie.id, "koordynator.regionalny", &[Role::RegionalCoordinator]).await,
        expert: account_in(h, lodzkie.id, "ekspert", &[Role::RegionalExpert]).await,
        county: account_in(h, tomaszowski.id, "koordynator.powiatowy", &[Role::CountyCoordinator]).await,
        chair: account_in(h, ujazd.id, "chair.ujazd", &[Role::Chair]).await,
        member: account_in(h, ujazd.id, "czlonek.ujazd", &[Role::GroupMember]).await,
        stranger: account_in(h, jaslo.id, "chair.jaslo", &[Role::Chair]).await,
        neighbour: account_in(h, rokiciny.id, "chair.rokiciny", &[Role::Chair]).await,
    }
}

fn member_draft(name: &str, level: &str, joined_on: &str) -> GroupMemberDraft {
    GroupMemberDraft {
        full_name: name.into(),
        function: "koordynatorka".into(),
        email: "k@example.pl".into(),
        level: level.into(),
        institution: "Powiatowe Centrum Pomocy Rodzinie w Tomaszowie".into(),
        joined_on: joined_on.into(),
        left_on: String::new(),
        account: String::new(),
    }
}

/// The invited expert's entry in the group, linked to her account: her door to the platform. Returns the entry.
async fn seat_expert(h: &Harness, r: &Region) -> Uuid {
    let mut draft = member_draft("dr Halina Ekspertka", "expert", "2026-01-02");
    draft.account = r.expert.account_id.to_string();
    h.store.add_group_member(&Caller::local(&r.coordinator), &draft.validate(h.store.today()).unwrap()).await.unwrap()
}

#[tokio::test]
async fn the_group_is_sealed_read_audited_seen_by_region_and_counties_and_kept_by_the_region_only() {
    let h = Harness::new().await;
    let r = region(&h).await;
    let today = h.store.today();
    seat_expert(&h, &r).await;
    let input = member_draft("Alicja Wrzosek", "county", "2026-01-15").validate(today).unwrap();
    let id = h.store.add_group_member(&Caller::local(&r.coordinator), &input).await.unwrap();
    // Only the region edits: the county, the expert, a chair are told "not found" as for a platform that is not there.
    for p in [&r.county, &r.expert, &r.chair] {
        assert!(matches!(h.store.add_group_member(&Caller::local(p), &input).await, Err(StoreError::NotFound)));
    }
    assert_eq!(
        scalar(&h.store, "SELECT COUNT(*) FROM region_group_member WHERE CAST(details_enc AS TEXT) LIKE '%Wrzosek%'")
            .await,
        0,
        "the name is sealed"
    );
    let reads =
        "SELECT COUNT(*) FROM audit_entry WHERE action = 'read_personal_data' AND object_kind = 'region_group_member'";
    assert_eq!(scalar(&h.store, reads).await, 0);
    for p in [&r.coordinator, &r.county, &r.expert] {
        let group = h.store.region_group(&Caller::new(p, Some(ADDRESS.into()))).await.unwrap();
        assert_eq!(group.len(), 2);
        assert!(group.iter().any(|m| m.details.full_name == "Alicja Wrzosek"));
    }
    assert_eq!(scalar(&h.store, reads).await, 3);
    // A municipality's team does not see the group; another voivodeship has no platform at all.
    for p in [&r.chair, &r.stranger] {
        assert!(matches!(h.store.region_group(&Caller::local(p)).await, Err(StoreError::NotFound)));
    }
    assert!(matches!(h.store.platform_seat(&r.stranger).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.platform_seat(&r.member).await, Err(StoreError::NotFound)), "no ViewPlatform");
    // Leaving: a stale version is a conflict; leaving before joining is refused beside the field.
    let mut leaving = member_draft("Alicja Wrzosek", "county", "2026-01-15");
    leaving.left_on = "2026-01-10".into();
    assert_eq!(leaving.validate(today).unwrap_err().for_field("left_on"), Some("err-region-left-before-joined"));
    leaving.left_on = "2026-02-27".into();
    let leaving = leaving.validate(today).unwrap();
    h.store.update_group_member(&Caller::local(&r.coordinator), id, &leaving, 1).await.unwrap();
    assert!(matches!(
        h.store.update_group_member(&Caller::local(&r.coordinator), id, &leaving, 1).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        scalar(&h.store, "SELECT COUNT(*) FROM audit_entry WHERE object_kind = 'region_group_member' AND action IN ('create', 'update')").await,
        3,
        "the expert's entry, Alicja's, and her leaving"
    );
}

#[tokio::test]
async fn a_meeting_is_planned_ahead_its_minutes_wait_for_the_day_and_attendance_names_only_the_group() {
    let h = Harness::new().await;
    let r = region(&h).await;
    let today = h.store.today();
    let member = h
        .store
        .add_group_member(
            &Caller::local(&r.coordinator),
            &member_draft("Alicja Wrzosek", "county", "2026-01-15").validate(today).unwrap(),
        )
        .await
        .unwrap();
    let draft = MeetingDraft {
        topic: "Współpraca z sądem rodzinnym".into(),
        held_on: "2026-03-20".into(),
        mode: "remote".into(),
        agenda: "1. Otwarcie\n2. Procedura".into(),
        remote_link: "https://spotkanie.example.pl/abc".into(),
        ..MeetingDraft::default()
    };
    let id = h.store.plan_region_meeting(&Caller::local(&r.coordinator), &draft.validate().unwrap()).await.unwrap();
    assert!(matches!(
        h.store.plan_region_meeting(&Caller::local(&r.county), &draft.validate().unwrap()).await,
        Err(StoreError::NotFound)
    ));
    // 2 March: the meeting is ahead, its minutes cannot be recorded yet.
    let early = h.store.record_region_minutes(&Caller::local(&r.coordinator), id, "Omówiono.", &[member], 1).await;
    assert_eq!(
        match early {
            Err(StoreError::Invalid(e)) => e.for_field("minutes"),
            other => panic!("{other:?}"),
        },
        Some("err-region-minutes-before-meeting")
    );
    h.advance(jiff::SignedDuration::from_hours(24 * 20));
    // Someone not in the group is not an attendee.
    let outsider = Uuid::now_v7();
    assert!(matches!(
        h.store.record_region_minutes(&Caller::local(&r.coordinator), id, "Omówiono.", &[outsider], 1).await,
        Err(StoreError::Invalid(_))
    ));
    h.store
        .record_region_minutes(&Caller::local(&r.coordinator), id, "Omówiono współpracę z sądem.", &[member], 1)
        .await
        .unwrap();
    let read = h.store.region_meeting(&Caller::local(&r.county), id).await.unwrap();
    assert_eq!(read.texts.minutes.as_deref(), Some("Omówiono współpracę z sądem."));
    assert_eq!(read.attended, vec![member]);
    assert_eq!(read.texts.remote_link.as_deref(), Some("https://spotkanie.example.pl/abc"));
    assert!(matches!(h.store.region_meeting(&Caller::local(&r.chair), id).await, Err(StoreError::NotFound)));
    assert_eq!(
        scalar(&h.store, "SELECT COUNT(*) FROM region_meeting WHERE CAST(body_enc AS TEXT) LIKE '%sądem%'").await,
        0
    );
    assert_eq!(
        scalar(
            &h.store,
            "SELECT COUNT(*) FROM audit_entry WHERE object_kind = 'region_meeting' AND action = 'read_personal_data'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn the_library_shows_each_level_what_its_audience_admits() {
    let h = Harness::new().await;
    let r = region(&h).await;
    seat_expert(&h, &r).await;
    let today = h.store.today();
    for (title, audience, tags) in [
        ("Dla regionu", "region", "wewnętrzne"),
        ("Dla powiatów", "counties", "powiaty"),
        ("Dla wszystkich", "all", "dzieci, szkoła"),
    ] {
        let d = PracticeDraft {
            title: title.into(),
            summary: "Opis praktyki".into(),
            tags: tags.into(),
            municipality: "1016083".into(),
            year: "2025".into(),
            audience: audience.into(),
            ..PracticeDraft::default()
        };
        h.store.add_practice(&Caller::local(&r.coordinator), &d.validate(today, "10").unwrap()).await.unwrap();
    }
    let titles = |list: Vec<store::platform::Practice>| list.into_iter().map(|p| p.title).collect::<Vec<_>>();
    assert_eq!(titles(h.store.practices(&r.coordinator, None).await.unwrap()).len(), 3);
    assert_eq!(titles(h.store.practices(&r.expert, None).await.unwrap()).len(), 3);
    let mut county = titles(h.store.practices(&r.county, None).await.unwrap());
    county.sort();
    assert_eq!(county, vec!["Dla powiatów", "Dla wszystkich"]);
    let chair = h.store.practices(&r.chair, None).await.unwrap();
    assert_eq!(titles(chair.clone()), vec!["Dla wszystkich"]);
    assert_eq!(chair[0].municipality_name.as_deref(), Some("Ujazd"));
    assert_eq!(chair[0].audience, Audience::All);
    assert_eq!(titles(h.store.practices(&r.coordinator, Some("Szkoła")).await.unwrap()), vec!["Dla wszystkich"]);
    assert!(matches!(h.store.practices(&r.stranger, None).await, Err(StoreError::NotFound)));
    let d = PracticeDraft {
        title: "X".into(),
        summary: "Y".into(),
        year: "2025".into(),
        audience: "all".into(),
        ..PracticeDraft::default()
    };
    assert!(matches!(
        h.store.add_practice(&Caller::local(&r.chair), &d.validate(today, "10").unwrap()).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn a_municipality_raises_a_difficulty_the_region_answers_and_the_solution_reaches_everyone() {
    let h = Harness::new().await;
    let r = region(&h).await;
    seat_expert(&h, &r).await;
    let today = h.store.today();
    let raised = DifficultyDraft {
        title: "Brak miejsc w ośrodku interwencji kryzysowej".into(),
        description: "Najbliższy ośrodek jest 60 km od gminy.".into(),
        raised_on: "2026-02-20".into(),
    }
    .validate(today)
    .unwrap();
    let id = h.store.raise_difficulty(&Caller::local(&r.chair), &raised).await.unwrap();
    // A group member of the team, an expert and the region itself do not raise.
    for p in [&r.member, &r.expert, &r.coordinator] {
        assert!(matches!(h.store.raise_difficulty(&Caller::local(p), &raised).await, Err(StoreError::NotFound)));
    }
    // Who reads it before it is solved: the region, Ujazd's county, Ujazd; not the neighbouring county's municipality.
    for p in [&r.coordinator, &r.county, &r.chair, &r.expert] {
        assert_eq!(h.store.difficulties(p).await.unwrap().len(), 1, "{}", p.login);
    }
    assert!(h.store.difficulties(&r.neighbour).await.unwrap().is_empty());
    // Only the region answers; the answer's day is not before the day it was raised.
    let answer = AnswerDraft {
        status: "solved".into(),
        solution: "Porozumienie z ośrodkiem w powiecie sąsiednim.".into(),
        solution_on: "2026-02-19".into(),
    };
    let early = answer.validate(today).unwrap();
    assert!(matches!(
        h.store.answer_difficulty(&Caller::local(&r.coordinator), id, &early, 1).await,
        Err(StoreError::Invalid(e)) if e.for_field("solution_on") == Some("err-region-solution-before-raised")
    ));
    let answer = AnswerDraft { solution_on: "2026-03-01".into(), ..answer }.validate(today).unwrap();
    assert!(matches!(
        h.store.answer_difficulty(&Caller::local(&r.chair), id, &answer, 1).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        h.store.answer_difficulty(&Caller::local(&r.county), id, &answer, 1).await,
        Err(StoreError::NotFound)
    ));
    h.store.answer_difficulty(&Caller::local(&r.coordinator), id, &answer, 1).await.unwrap();
    assert!(matches!(
        h.store.answer_difficulty(&Caller::local(&r.coordinator), id, &answer, 1).await,
        Err(StoreError::Conflict(_))
    ));
    let seen = h.store.difficulties(&r.chair).await.unwrap();
    assert_eq!(
        (seen[0].status, seen[0].solution.as_deref()),
        (DifficultyStatus::Solved, Some("Porozumienie z ośrodkiem w powiecie sąsiednim."))
    );
    assert_eq!(seen[0].raised_by_name, "Ujazd");
    // Solved: the common solution reaches the other county's municipality too, never another voivodeship.
    assert_eq!(h.store.difficulties(&r.neighbour).await.unwrap().len(), 1);
    assert!(matches!(h.store.difficulties(&r.stranger).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn an_invited_experts_account_reaches_the_platform_only_while_her_entry_in_the_group_is_current() {
    let h = Harness::new().await;
    let r = region(&h).await;
    let today = h.store.today();
    // An expert's account alone opens nothing: the region has not put her in the group.
    assert!(matches!(h.store.platform_seat(&r.expert).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.region_group(&Caller::local(&r.expert)).await, Err(StoreError::NotFound)));
    // Only an expert's account of this voivodeship may be linked: not a county's coordinator, not an unknown id.
    for account in [r.county.account_id, r.coordinator.account_id, Uuid::now_v7()] {
        let mut draft = member_draft("Ktoś", "expert", "2026-01-02");
        draft.account = account.to_string();
        let refused = h.store.add_group_member(&Caller::local(&r.coordinator), &draft.validate(today).unwrap()).await;
        assert!(
            matches!(&refused, Err(StoreError::Invalid(e)) if e.for_field("account") == Some("err-region-account-not-expert")),
            "{refused:?}"
        );
    }
    let mut typo = member_draft("Ktoś", "expert", "2026-01-02");
    typo.account = "not-an-id".into();
    assert_eq!(typo.validate(today).unwrap_err().for_field("account"), Some("err-choice-unknown"));
    // In the group: the platform opens.
    let entry = seat_expert(&h, &r).await;
    assert!(h.store.platform_seat(&r.expert).await.is_ok());
    assert_eq!(h.store.region_group(&Caller::local(&r.expert)).await.unwrap().len(), 1);
    // She leaves today: from today the door is shut, though her account stays.
    let mut leaving = member_draft("dr Halina Ekspertka", "expert", "2026-01-02");
    leaving.account = r.expert.account_id.to_string();
    leaving.left_on = today.to_string();
    h.store
        .update_group_member(&Caller::local(&r.coordinator), entry, &leaving.validate(today).unwrap(), 1)
        .await
        .unwrap();
    assert!(matches!(h.store.platform_seat(&r.expert).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.practices(&r.expert, None).await, Err(StoreError::NotFound)));
    // The region's own coordinator is never held by this: her role opens the platform by itself.
    assert!(h.store.platform_seat(&r.coordinator).await.is_ok());
}

#[tokio::test]
async fn announcements_reach_the_voivodeships_home_pages_until_they_expire_or_are_dismissed() {
    let h = Harness::new().await;
    let r = region(&h).await;
    let today = h.store.today();
    let draft = AnnouncementDraft {
        text: "Spotkanie grupy regionalnej 20 marca, zdalnie.".into(),
        shown_from: "2026-03-02".into(),
        expires_on: "2026-03-10".into(),
    };
    let id =
        h.store.publish_announcement(&Caller::local(&r.coordinator), &draft.validate(today).unwrap()).await.unwrap();
    assert!(matches!(
        h.store.publish_announcement(&Caller::local(&r.county), &draft.validate(today).unwrap()).await,
        Err(StoreError::NotFound)
    ));
    // Every account of the voivodeship's teams, the group member too (no platform permission needed to read it).
    for p in [&r.chair, &r.member, &r.county, &r.neighbour] {
        let shown = h.store.home_announcements(p).await.unwrap();
        assert_eq!(shown.len(), 1, "{}", p.login);
        assert_eq!(shown[0].text, "Spotkanie grupy regionalnej 20 marca, zdalnie.");
    }
    assert!(h.store.home_announcements(&r.stranger).await.unwrap().is_empty());
    assert!(matches!(h.store.dismiss_announcement(&Caller::local(&r.stranger), id).await, Err(StoreError::NotFound)));
    // Dismissed by the chair: gone from the chair's home page only.
    h.store.dismiss_announcement(&Caller::new(&r.chair, Some(ADDRESS.into())), id).await.unwrap();
    h.store.dismiss_announcement(&Caller::local(&r.chair), id).await.unwrap();
    assert!(h.store.home_announcements(&r.chair).await.unwrap().is_empty());
    assert_eq!(h.store.home_announcements(&r.member).await.unwrap().len(), 1);
    // After its last day, nobody's.
    h.advance(jiff::SignedDuration::from_hours(24 * 9));
    assert!(h.store.home_announcements(&r.member).await.unwrap().is_empty());
    assert!(h.store.announcements(&r.coordinator).await.unwrap().is_empty());
}
