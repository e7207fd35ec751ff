//! `ostoja demo --region`: a small demo region (issue 17 item 8): one voivodeship, two counties and six small
//! municipalities (20–40 synthetic procedures each, through the bulk path), the previous year's statutory sets
//! submitted in every state the county and region see (on time, late, returned with a comment, corrected, not
//! submitted), the regional cooperation platform with content (group, meetings with minutes, good practice,
//! difficulties with answers, an announcement), and one account per role at each level, printed with their logins.
//!
//! Everything goes through the store's normal API on the store's clock, which the demo moves to the day each step
//! would have happened (the submissions in January and February) and leaves where it found it. A second run adds
//! nothing.

use domain::clock::{Clock, ManualClock};
use store::Caller;

use domain::identity::Role;
use domain::procedure::lifecycle::GroupMemberKind;
use jiff::Timestamp;
use jiff::civil::Date;
use store::identity::{NewAccount, PersonalDetails, Principal};
use store::platform::{AnnouncementDraft, AnswerDraft, DifficultyDraft, GroupMemberDraft, MeetingDraft, PracticeDraft};
use store::procedure::SyntheticActors;
use store::team::DeclarationKind;
use store::{Actor, Store, StoreError};
use uuid::Uuid;

use super::DEMO_PASSWORD;

/// The demo voivodeship (the same as the demo municipality's, so both demos share one region).
pub const REGION_TERYT: &str = "10";
/// Two county numbers GUS has not assigned in voivodeship 10 (the bulk demo uses 98, the municipal demo 99).
const COUNTIES: [(&str, &str); 2] =
    [("1096", "Powiat Demonstracyjny Zachodni (DEMO)"), ("1097", "Powiat Demonstracyjny Wschodni (DEMO)")];
/// The six municipalities: TERYT, name, and what their year's submission shows.
const MUNICIPALITIES: [(&str, &str, Submission); 6] = [
    ("1096011", "Gmina Demo-Brzozów (DEMO)", Submission::OnTime),
    ("1096022", "Gmina Demo-Dębina (DEMO)", Submission::Returned),
    ("1096033", "Gmina Demo-Jaworze (DEMO)", Submission::Corrected),
    ("1097011", "Gmina Demo-Klonowo (DEMO)", Submission::Late),
    ("1097022", "Gmina Demo-Lipno (DEMO)", Submission::Missing),
    ("1097033", "Gmina Demo-Olszyna (DEMO)", Submission::OnTime),
];

/// How a municipality's statutory set of the year reached (or did not reach) its county and region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submission {
    /// Approved and sent in January, before the 10 February deadline.
    OnTime,
    /// Approved after 10 February.
    Late,
    /// Sent on time, returned by the county's coordinator with a comment.
    Returned,
    /// Sent on time and corrected in February (a version 2).
    Corrected,
    /// Nothing sent.
    Missing,
}

/// What the region demo made (a second run reports what is there).
#[derive(Debug, Default)]
pub struct RegionSummary {
    /// The statutory year whose submissions the demo shows.
    pub year: i16,
    pub procedures: usize,
    pub submissions: usize,
    pub logins: Vec<(String, Role)>,
}

/// The year whose submissions are shown: the last one whose 10 February deadline has passed.
fn shown_year(today: Date) -> i16 {
    let deadline_passed = (today.month(), today.day()) > (2, 28);
    today.year() - if deadline_passed { 1 } else { 2 }
}

pub async fn create(store: &Store, clock: &ManualClock) -> anyhow::Result<RegionSummary> {
    let mut summary = RegionSummary { year: shown_year(store.today()), ..RegionSummary::default() };
    let region = tenant(store, REGION_TERYT, "Województwo łódzkie (DEMO)").await?;
    let mut counties = Vec::new();
    for (code, name) in COUNTIES {
        counties.push(tenant(store, code, name).await?);
    }
    // One account per role at each level: every role that fits the level, at its first unit; the coordinators and
    // chairs at every unit (each county returns, each municipality approves).
    for role in Role::ALL.into_iter().filter(|r| *r != Role::SystemAdministrator) {
        if role.fits_level(domain::territory::TerritorialLevel::Region) {
            let login = format!("region.{}", slug(role));
            account(store, region, &login, role).await?;
            summary.logins.push((login, role));
        }
    }
    for (k, county) in counties.iter().enumerate() {
        for role in [Role::CountyCoordinator, Role::AggregateViewer, Role::DataProtectionOfficer] {
            if k == 0 || role == Role::CountyCoordinator {
                let login = format!("region.powiat{}.{}", k + 1, slug(role));
                account(store, *county, &login, role).await?;
                summary.logins.push((login, role));
            }
        }
    }
    let mut chairs = Vec::new();
    for (k, (code, name, submission)) in MUNICIPALITIES.iter().enumerate() {
        let tenant_id = tenant(store, code, name).await?;
        let prefix = format!("region.gmina{}", k + 1);
        let mut roles = vec![Role::Chair, Role::GroupMember];
        if k == 0 {
            roles = Role::ALL
                .into_iter()
                .filter(|r| r.fits_level(domain::territory::TerritorialLevel::Municipality))
                .filter(|r| *r != Role::SystemAdministrator)
                .collect();
        }
        let mut ids = Vec::new();
        for role in roles {
            let login = format!("{prefix}.{}", slug(role));
            ids.push((account(store, tenant_id, &login, role).await?, role));
            summary.logins.push((login, role));
        }
        let police_login = format!("{prefix}.group-member-police");
        let police = account(store, tenant_id, &police_login, Role::GroupMember).await?;
        summary.logins.push((police_login, Role::GroupMember));
        let chair = store.principal(store.account_by_login(&format!("{prefix}.chair")).await?.0).await?;
        let social = store.account_by_login(&format!("{prefix}.group-member")).await?.0;
        // Art. 9c ust. 3: the declarations before any case data is seen.
        for id in [chair.account_id, social, police] {
            store
                .record_account_declaration(&Caller::local(&chair), id, DeclarationKind::Declaration, store.today())
                .await?;
        }
        let count = 20 + 4 * k;
        summary.procedures += cases(store, tenant_id, &chair, social, police, count).await?;
        chairs.push((tenant_id, chair, *submission));
    }
    let county_coordinator = |k: usize| async move {
        let login = format!("region.powiat{k}.{}", slug(Role::CountyCoordinator));
        anyhow::Ok(store.principal(store.account_by_login(&login).await?.0).await?)
    };
    let coordinator = store
        .principal(store.account_by_login(&format!("region.{}", slug(Role::RegionalCoordinator))).await?.0)
        .await?;
    summary.submissions = submissions(store, clock, &coordinator, &county_coordinator(1).await?, &chairs, summary.year)
        .await
        .map_err(|e| anyhow::anyhow!("the region's submissions: {e:?}"))?;
    platform(store, &coordinator, &county_coordinator(1).await?, &chairs)
        .await
        .map_err(|e| anyhow::anyhow!("the regional platform: {e:?}"))?;
    Ok(summary)
}

fn slug(role: Role) -> String {
    role.as_str().replace('_', "-")
}

pub(super) async fn tenant(store: &Store, code: &str, name: &str) -> anyhow::Result<Uuid> {
    Ok(match store.tenant_by_teryt(code).await {
        Ok(t) => t.id,
        Err(_) => store.create_tenant(&Actor::operator(), code, name, true).await?.id,
    })
}

/// A demo account (activated, marked demo, the published password); an existing one is kept.
pub(super) async fn account(store: &Store, tenant: Uuid, login: &str, role: Role) -> anyhow::Result<Uuid> {
    let new = NewAccount {
        tenant_id: Some(tenant),
        institution_id: None,
        login: login.to_owned(),
        roles: vec![role],
        details: PersonalDetails { full_name: format!("Demo {login}"), email: String::new(), phone: String::new() },
    };
    match store.create_account(&Actor::operator(), &new).await {
        Ok((id, token)) => {
            store.mark_demo_account(id).await?;
            store.activate(&token, DEMO_PASSWORD, DEMO_PASSWORD, None).await?;
            Ok(id)
        }
        Err(StoreError::Invalid(_)) => Ok(store.account_by_login(login).await?.0),
        Err(e) => Err(e.into()),
    }
}

/// `count` synthetic procedures over three years, once.
async fn cases(
    store: &Store,
    tenant: Uuid,
    chair: &Principal,
    social: Uuid,
    police: Uuid,
    count: usize,
) -> anyhow::Result<usize> {
    if !store.list_procedures(chair, 1, 0).await?.is_empty() {
        return Ok(0);
    }
    let group = [(social, GroupMemberKind::SocialWorker), (police, GroupMemberKind::PoliceOfficer)];
    let now = store.now();
    let cases = (0..count).map(|i| super::bulk::case(i, count, now, &group)).collect::<anyhow::Result<Vec<_>>>()?;
    let who = SyntheticActors { initiator: police, team: chair.account_id };
    Ok(store.insert_synthetic_cases(&Actor::operator(), tenant, who, &cases).await?)
}

/// Moves the clock to 9:00 of `day` (Polish time).
pub(super) fn set(clock: &ManualClock, day: Date) -> anyhow::Result<()> {
    let at: Timestamp = day.at(9, 0, 0, 0).to_zoned(domain::calendar::poland_zone())?.timestamp();
    clock.advance(at.duration_since(clock.now()));
    Ok(())
}

/// Each municipality's year approved (which submits it) on the day its state needs, in the order of the days; the
/// returned one returned by its county. Once: nothing if any of them was submitted already.
async fn submissions(
    store: &Store,
    clock: &ManualClock,
    coordinator: &Principal,
    county: &Principal,
    chairs: &[(Uuid, Principal, Submission)],
    year: i16,
) -> anyhow::Result<usize> {
    let figures = store.area_figures(coordinator, year).await?;
    if figures.statuses.iter().any(|s| s.version.is_some()) {
        return Ok(0);
    }
    let back = clock.now();
    let next = year + 1;
    let day = |m: i8, d: i8| Date::new(next, m, d);
    let chair = |s: Submission| chairs.iter().filter(move |(_, _, x)| *x == s);
    let reason = "Dane demonstracyjne: zestaw przygotowany automatycznie.";
    let mut sent = 0;
    // January: the ones on time, the one later returned and the one later corrected.
    for (k, (_, p, _)) in
        chair(Submission::Corrected).chain(chair(Submission::OnTime)).chain(chair(Submission::Returned)).enumerate()
    {
        set(clock, day(1, 12 + i8::try_from(k)? * 3)?)?;
        store.approve_statutory(p, year, reason).await?;
        sent += 1;
    }
    set(clock, day(2, 3)?)?;
    for (tenant, _, _) in chair(Submission::Returned) {
        store
            .return_submission(
                county,
                *tenant,
                year,
                "Proszę sprawdzić liczbę dzieci w wierszu 3: różni się od zeszłorocznej o połowę.",
            )
            .await?;
    }
    set(clock, day(2, 20)?)?;
    for (_, p, _) in chair(Submission::Late).chain(chair(Submission::Corrected)) {
        store.approve_statutory(p, year, reason).await?;
        sent += 1;
    }
    clock.advance(back.duration_since(clock.now()));
    Ok(sent)
}

/// The platform's content, written by the region's coordinator (and the municipalities and a county raising their
/// difficulties). Once: nothing if the group has members already.
async fn platform(
    store: &Store,
    coordinator: &Principal,
    county: &Principal,
    chairs: &[(Uuid, Principal, Submission)],
) -> anyhow::Result<()> {
    if !store.region_group(&Caller::local(coordinator)).await?.is_empty() {
        return Ok(());
    }
    let expert = store.account_by_login(&format!("region.{}", slug(Role::RegionalExpert))).await?.0;
    let today = store.today();
    let ago = |days: i64| today.checked_sub(jiff::Span::new().days(days)).ok().map(|d| d.to_string());
    let ahead = |days: i64| today.checked_add(jiff::Span::new().days(days)).ok().map(|d| d.to_string());
    let mut members = Vec::new();
    for (name, function, level, institution) in [
        (
            "Joanna Demo-Wojewódzka",
            "koordynatorka regionalna",
            "region",
            "Wydział Polityki Społecznej Urzędu Wojewódzkiego (DEMO)",
        ),
        ("Marek Demo-Zachodni", "koordynator powiatowy", "county", "PCPR Powiatu Zachodniego (DEMO)"),
        ("Ewa Demo-Wschodnia", "koordynatorka powiatowa", "county", "PCPR Powiatu Wschodniego (DEMO)"),
        (
            "asp. Tomasz Demo-Policjant",
            "koordynator ds. przemocy domowej",
            "police",
            "Komenda Wojewódzka Policji (DEMO)",
        ),
        ("dr Halina Demo-Ekspertka", "psycholożka, ekspertka zaproszona", "expert", "Uniwersytet (DEMO)"),
    ] {
        let draft = GroupMemberDraft {
            full_name: name.into(),
            function: function.into(),
            email: String::new(),
            level: level.into(),
            institution: institution.into(),
            joined_on: ago(400).unwrap_or_default(),
            left_on: String::new(),
            // The invited expert's entry carries her account: her door to the platform while she is in the group.
            account: if level == "expert" { expert.to_string() } else { String::new() },
        };
        let input = draft.validate(today).map_err(|e| anyhow::anyhow!("group member {name}: {e:?}"))?;
        members.push(store.add_group_member(&Caller::local(coordinator), &input).await?);
    }
    for (topic, held, mode, minutes) in [
        (
            "Współpraca z sądami rodzinnymi",
            ago(70),
            "in_person",
            Some("Omówiono terminy przekazywania informacji do sądu; ustalono wzór pisma."),
        ),
        (
            "Programy dla osób stosujących przemoc",
            ago(20),
            "remote",
            Some("Powiaty przedstawiły listy programów; ekspertka omówiła skuteczność."),
        ),
        ("Sprawozdawczość za rok bieżący", ahead(25), "remote", None),
    ] {
        let draft = MeetingDraft {
            topic: topic.into(),
            held_on: held.unwrap_or_default(),
            mode: mode.into(),
            agenda: "1. Otwarcie\n2. Sprawy bieżące\n3. Wolne wnioski".into(),
            place: if mode == "in_person" { "Urząd Wojewódzki, sala 12 (DEMO)".into() } else { String::new() },
            remote_link: if mode == "remote" {
                "https://spotkanie.example.org/grupa-regionalna".into()
            } else {
                String::new()
            },
        };
        let input = draft.validate().map_err(|e| anyhow::anyhow!("meeting {topic}: {e:?}"))?;
        let id = store.plan_region_meeting(&Caller::local(coordinator), &input).await?;
        if let Some(minutes) = minutes {
            let present: Vec<Uuid> = members.iter().copied().take(4).collect();
            store.record_region_minutes(&Caller::local(coordinator), id, minutes, &present, 1).await?;
        }
    }
    let first = MUNICIPALITIES.first().map_or("", |m| m.0);
    for (title, summary, tags, municipality, audience) in [
        (
            "Wzór planu pomocy dla rodziny z dziećmi",
            "Plan w trzech krokach, uzgadniany z rodziną na pierwszym posiedzeniu grupy.",
            "plan-pomocy, dzieci",
            first,
            "all",
        ),
        (
            "Porozumienie gminy ze szkołami",
            "Jak szkoły przekazują informacje zespołowi bez zbędnych danych.",
            "szkoła, współpraca",
            "",
            "all",
        ),
        (
            "Lista programów korekcyjno-edukacyjnych w powiatach",
            "Terminy naborów i kontakty do realizatorów.",
            "programy",
            "",
            "counties",
        ),
        ("Notatka z kontroli wojewody", "Wnioski z kontroli do omówienia w grupie.", "kontrola", "", "region"),
    ] {
        let draft = PracticeDraft {
            title: title.into(),
            summary: summary.into(),
            link: String::new(),
            tags: tags.into(),
            municipality: municipality.into(),
            year: (today.year() - 1).to_string(),
            audience: audience.into(),
        };
        let input = draft.validate(today, REGION_TERYT).map_err(|e| anyhow::anyhow!("practice {title}: {e:?}"))?;
        store.add_practice(&Caller::local(coordinator), &input).await?;
    }
    let mut raised = Vec::new();
    let raisers: Vec<&Principal> = chairs.iter().map(|(_, p, _)| p).take(2).chain([county]).collect();
    for ((title, description, days), who) in [
        ("Brak psychologa dziecięcego w gminie", "Dzieci czekają na konsultację ponad dwa miesiące.", 60),
        ("Różne wzory pism do sądu", "Każda gmina pisze inaczej; sąd prosi o uzupełnienia.", 45),
        ("Mało miejsc w programach korekcyjno-edukacyjnych", "Nabór raz w roku nie wystarcza.", 10),
    ]
    .into_iter()
    .zip(raisers)
    {
        let draft = DifficultyDraft {
            title: title.into(),
            description: description.into(),
            raised_on: ago(days).unwrap_or_default(),
        };
        let input = draft.validate(today).map_err(|e| anyhow::anyhow!("difficulty {title}: {e:?}"))?;
        raised.push(store.raise_difficulty(&Caller::local(who), &input).await?);
    }
    for (id, status, solution, days) in [
        (raised.first(), "in_progress", "", None),
        (
            raised.get(1),
            "solved",
            "Grupa przyjęła wspólny wzór pisma do sądu; jest w bibliotece dobrych praktyk.",
            Some(20),
        ),
    ] {
        let Some(id) = id else { continue };
        let draft = AnswerDraft {
            status: status.into(),
            solution: solution.into(),
            solution_on: days.and_then(ago).unwrap_or_default(),
        };
        let input = draft.validate(today).map_err(|e| anyhow::anyhow!("answer: {e:?}"))?;
        store.answer_difficulty(&Caller::local(coordinator), *id, &input, 1).await?;
    }
    let draft = AnnouncementDraft {
        text: "Spotkanie grupy regionalnej o sprawozdawczości: zapraszamy koordynatorów powiatowych.".into(),
        shown_from: today.to_string(),
        expires_on: ahead(25).unwrap_or_default(),
    };
    let input = draft.validate(today).map_err(|e| anyhow::anyhow!("announcement: {e:?}"))?;
    store.publish_announcement(&Caller::local(coordinator), &input).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_shown_is_the_last_whose_deadline_has_passed() {
        assert_eq!(shown_year(jiff::civil::date(2026, 12, 6)), 2025);
        assert_eq!(shown_year(jiff::civil::date(2026, 1, 20)), 2024);
    }

    #[test]
    fn every_state_of_a_submission_is_in_the_demo() {
        for s in
            [Submission::OnTime, Submission::Late, Submission::Returned, Submission::Corrected, Submission::Missing]
        {
            assert!(MUNICIPALITIES.iter().any(|(_, _, x)| *x == s), "{s:?}");
        }
    }
}
