//! The demo municipality's team: the mayor's order, twelve members from the institutions the act names (the
//! demo's accounts among them, each with a signed confidentiality declaration so they keep their access), six team
//! meetings a year for three years with notice and attendance (one member gathers three unexcused absences, so the
//! letter page has a letter to show), the directory of help (national helplines and fictitious local services,
//! programmes for persons using violence among them), the prevention and training activities of the reference
//! annual report, the members' training histories (the mandatory training, a "Studium I stopnia" for the
//! coordinators, further trainings), the coordinators per area of work and one working group with its tasks and
//! meetings. Everything local is fictitious and marked "(demo)". Idempotent: a second run adds nothing.

use domain::clock::{Clock, ManualClock};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use store::Caller;
use store::Store;
use store::identity::Principal;
use store::team::{
    ActivityDraft, AttendanceInput, DirectoryDraft, GroupMeetingDraft, GroupTaskDraft, MeetingInput, MemberDraft,
    TrainingDraft, WorkingGroupDraft,
};
use uuid::Uuid;

use super::story::Dice;

/// What the demo's team was given.
#[derive(Debug, Default)]
pub struct TeamReport {
    pub members: usize,
    pub meetings: usize,
    pub entries: usize,
    pub activities: usize,
    pub trainings: usize,
    pub working_groups: usize,
}

fn set(clock: &ManualClock, at: Timestamp) {
    clock.advance(at.duration_since(clock.now()));
}

fn warsaw(d: Date, hour: i8) -> anyhow::Result<Timestamp> {
    Ok(d.at(hour, 0, 0, 0).to_zoned(domain::calendar::poland_zone())?.timestamp())
}

/// (name, position in their institution, function, institution name, account login, group coordinator)
type DemoMember = (&'static str, &'static str, &'static str, &'static str, Option<&'static str>, bool);
const MEMBERS: &[DemoMember] = &[
    (
        "Barbara Demo-Przewodnicząca",
        "kierownik działu pomocy środowiskowej",
        "chair",
        "Miejski Ośrodek Pomocy Społecznej (demo)",
        Some("demo.chair"),
        false,
    ),
    (
        "Tomasz Demo-Zastępca",
        "kierownik rewiru dzielnicowych",
        "deputy_chair",
        "Komenda Powiatowa Policji (demo)",
        Some("demo.deputy-chair"),
        false,
    ),
    (
        "Ewa Demo-Sekretarz",
        "starszy specjalista pracy socjalnej",
        "secretary",
        "Miejski Ośrodek Pomocy Społecznej (demo)",
        Some("demo.secretary"),
        false,
    ),
    (
        "Katarzyna Demo-Pracownik",
        "pracownik socjalny",
        "member",
        "Miejski Ośrodek Pomocy Społecznej (demo)",
        Some("demo.group-member"),
        true,
    ),
    (
        "Piotr Demo-Dzielnicowy",
        "dzielnicowy",
        "member",
        "Komenda Powiatowa Policji (demo)",
        Some("demo.group-member-police"),
        false,
    ),
    (
        "Agnieszka Demo-Pedagog",
        "pedagog szkolny",
        "member",
        "Szkoła Podstawowa nr 1 (demo)",
        Some("demo.group-member-school"),
        false,
    ),
    ("Marek Demo-Lekarz", "lekarz rodzinny", "member", "Przychodnia Rejonowa (demo)", None, false),
    (
        "Joanna Demo-Komisja",
        "członek komisji",
        "member",
        "Gminna Komisja Rozwiązywania Problemów Alkoholowych (demo)",
        None,
        false,
    ),
    ("Paweł Demo-Kurator", "kurator zawodowy", "member", "Zespół Kuratorskiej Służby Sądowej (demo)", None, false),
    (
        "Zofia Demo-Stowarzyszenie",
        "koordynator programu",
        "member",
        "Stowarzyszenie Pomocy Rodzinie (demo)",
        None,
        true,
    ),
    ("Łukasz Demo-Psycholog", "psycholog", "member", "Stowarzyszenie Pomocy Rodzinie (demo)", None, false),
    // Appointed lately: her declaration signed on the day (as a real team's members sign before their first case),
    // her training not done yet, so the team page shows that reminder.
    ("Iryna Demo-Nowa", "nauczyciel", "member", "Szkoła Podstawowa nr 1 (demo)", None, false),
];

/// The member who misses meetings without an excuse (the letter page's example).
const ABSENTEE: usize = 8;

pub async fn run(store: &Store, clock: &ManualClock, chair: &Principal) -> anyhow::Result<TeamReport> {
    let mut report = TeamReport::default();
    if !store.team_orders(chair).await?.is_empty() {
        return Ok(report);
    }
    let now = clock.now();
    let today = store.today();
    let appointed = Date::new(today.year() - 2, 1, 8)?;
    let order = store.create_team_order(&Caller::local(chair), "Zarządzenie nr 7/DEMO", &appointed.to_string()).await?;
    let tenant = chair.tenant_id.ok_or_else(|| anyhow::anyhow!("the demo chair has no municipality"))?;
    let institutions = store.list_institutions(tenant).await?;
    let mut member_ids = Vec::new();
    for (i, (name, position, function, institution, login, coordinator)) in MEMBERS.iter().enumerate() {
        let account_id = match login {
            Some(l) => Some(store.account_by_login(l).await?.0.to_string()),
            None => None,
        };
        let is_new = i == MEMBERS.len() - 1;
        let appointed_on = if is_new { today - SignedDuration::from_hours(24 * 40) } else { appointed };
        let draft = MemberDraft {
            full_name: (*name).into(),
            position: (*position).into(),
            email: format!("czlonek{i}@demo.invalid"),
            account_id: account_id.unwrap_or_default(),
            institution_id: institutions
                .iter()
                .find(|x| x.name == *institution)
                .map(|x| x.id.to_string())
                .unwrap_or_default(),
            order_id: order.id.to_string(),
            function: (*function).into(),
            appointed_on: appointed_on.to_string(),
            confidentiality_signed_on: appointed_on.to_string(),
            group_coordinator: *coordinator,
            coordination_areas: COORDINATION.iter().filter(|(who, _)| *who == i).map(|(_, a)| (*a).into()).collect(),
            ..MemberDraft::default()
        };
        let input = draft.validate(today).map_err(|e| anyhow::anyhow!("demo member {name}: {e:?}"))?;
        let id = store.create_team_member(&Caller::local(chair), &input).await?;
        member_ids.push((id, is_new));
        report.members += 1;
        // Everyone but the newcomer did the mandatory training four months after appointment (the newcomer's
        // reminder stays on the team page); the group coordinators also hold the Studium, one member a further course.
        if !is_new {
            let done = appointed_on + SignedDuration::from_hours(24 * 120);
            let mut history = vec![training(
                "mandatory",
                "Szkolenie dla członków zespołu interdyscyplinarnego (demo)",
                "Regionalny Ośrodek Polityki Społecznej (demo)",
                done - SignedDuration::from_hours(24),
                done,
                "16",
            )];
            if *coordinator {
                let end = appointed + SignedDuration::from_hours(24 * 300);
                history.push(training(
                    "studium_first_degree",
                    "Studium Przeciwdziałania Przemocy w Rodzinie I stopnia (demo)",
                    "Stowarzyszenie Niebieska Linia (demo)",
                    end - SignedDuration::from_hours(24 * 150),
                    end,
                    "120",
                ));
            }
            if i == 2 {
                let on = today - SignedDuration::from_hours(24 * 60);
                history.push(training(
                    "further",
                    "Przemoc wobec osób starszych: rozpoznanie i pomoc (demo)",
                    "Powiatowe Centrum Pomocy Rodzinie (demo)",
                    on,
                    on,
                    "6",
                ));
            }
            for entry in history {
                let input = entry.validate(today).map_err(|e| anyhow::anyhow!("demo training of {name}: {e:?}"))?;
                store.add_member_training(&Caller::local(chair), id, &input).await?;
                report.trainings += 1;
            }
        }
    }
    report.working_groups = working_group(store, chair, &member_ids, today).await?;
    report.meetings = meetings(store, clock, chair, &member_ids, now).await?;
    set(clock, now);
    report.entries = directory(store, chair, today).await?;
    report.activities = activities(store, chair, today).await?;
    Ok(report)
}

/// Six meetings a year (the 15th of every other month at 10:00, moved off weekends) for three years up to now,
/// each announced 10 days ahead and held with attendance; one more planned for next week, not yet announced.
async fn meetings(
    store: &Store,
    clock: &ManualClock,
    chair: &Principal,
    members: &[(Uuid, bool)],
    now: Timestamp,
) -> anyhow::Result<usize> {
    let today = store.today();
    let mut dice = Dice::new(2026);
    let mut count = 0;
    let mut absences_of_absentee = 0;
    for year in (today.year() - 2)..=today.year() {
        for month in [1, 3, 5, 7, 9, 11] {
            let mut day = Date::new(year, month, 15)?;
            while !domain::calendar::is_working_day(day) {
                day = day.tomorrow()?;
            }
            let at = warsaw(day, 10)?;
            let announced = at - SignedDuration::from_hours(24 * 10);
            if announced > now {
                continue;
            }
            set(clock, announced);
            let mode = if month == 3 || month == 11 { "remote" } else { "in_person" };
            let input = MeetingInput {
                scheduled_at: format!("{day}T10:00"),
                mode: mode.into(),
                place: if mode == "in_person" { "Urząd Miasta (demo), sala 12".into() } else { String::new() },
                video_link: if mode == "remote" { "https://spotkanie.demo.invalid/zespol".into() } else { String::new() },
                agenda: "1. Przyjęcie porządku obrad.\n2. Informacja o procedurach „Niebieskie Karty”.\n3. Powołanie grup diagnostyczno-pomocowych.\n4. Sprawy różne.".into(),
            };
            let id = store.plan_team_meeting(&Caller::local(chair), &input).await?;
            store.send_team_meeting_notice(&Caller::local(chair), id, 1).await?;
            count += 1;
            let held = at + SignedDuration::from_hours(3);
            if held > now {
                continue; // the next meeting: planned, announced, not yet held
            }
            set(clock, held);
            let mut attendance = Vec::new();
            for (i, (member, is_new)) in members.iter().enumerate() {
                if *is_new {
                    continue;
                }
                let last_year = year == today.year();
                let (present, notified) = if i == ABSENTEE && last_year && absences_of_absentee < 3 {
                    absences_of_absentee += 1;
                    (false, String::new())
                } else if dice.chance(8) {
                    // Notified three working days ahead: excused.
                    (false, domain::calendar::sub_working_days(day, 3)?.to_string())
                } else {
                    (true, String::new())
                };
                attendance.push(AttendanceInput {
                    member_id: *member,
                    present,
                    absence_notified_on: notified,
                    special_circumstances: false,
                });
            }
            store
                .hold_team_meeting(
                    &Caller::local(chair),
                    id,
                    &format!("{day}T10:00"),
                    "Zespół omówił bieżące procedury i działania profilaktyczne (dane fikcyjne).",
                    "Uchwała w sprawie powołania grup diagnostyczno-pomocowych (demo).",
                    &attendance,
                    2,
                )
                .await?;
        }
    }
    // The next one, planned for next week and not yet announced: the team page warns that the notice is due.
    set(clock, now);
    let mut next = today + SignedDuration::from_hours(24 * 5);
    while !domain::calendar::is_working_day(next) {
        next = next.tomorrow()?;
    }
    let input = MeetingInput {
        scheduled_at: format!("{next}T10:00"),
        mode: "in_person".into(),
        place: "Urząd Miasta (demo), sala 12".into(),
        agenda: "1. Przyjęcie porządku obrad.\n2. Sprawozdanie z realizacji programu.\n3. Sprawy różne.".into(),
        ..MeetingInput::default()
    };
    store.plan_team_meeting(&Caller::local(chair), &input).await?;
    Ok(count + 1)
}

/// (name, help kinds, phone, address, hours, website, languages, public, local)
type Entry =
    (&'static str, &'static [&'static str], &'static str, &'static str, &'static str, &'static str, &'static str, bool);

const ENTRIES: &[Entry] = &[
    (
        "Ogólnopolskie Pogotowie dla Osób Doznających Przemocy Domowej „Niebieska Linia”",
        &["helpline", "psychological", "legal"],
        "800 120 002",
        "",
        "całodobowo",
        "https://www.niebieskalinia.info",
        "pl",
        true,
    ),
    (
        "Telefon Zaufania dla Dzieci i Młodzieży",
        &["helpline", "psychological"],
        "116 111",
        "",
        "całodobowo",
        "https://116111.pl",
        "pl",
        true,
    ),
    (
        "Telefon Zaufania dla Osób Dorosłych w Kryzysie Emocjonalnym",
        &["helpline", "crisis_intervention"],
        "116 123",
        "",
        "codziennie 14:00–22:00",
        "",
        "pl",
        true,
    ),
    (
        "Centrum Praw Kobiet — telefon interwencyjny",
        &["helpline", "legal"],
        "600 070 717",
        "",
        "całodobowo",
        "https://cpk.org.pl",
        "pl",
        true,
    ),
    (
        "Centrum Wsparcia dla Osób w Stanie Kryzysu Psychicznego",
        &["helpline", "crisis_intervention", "psychological"],
        "800 70 2222",
        "",
        "całodobowo",
        "https://centrumwsparcia.pl",
        "pl en uk",
        true,
    ),
    (
        "Miejski Ośrodek Pomocy Społecznej (demo)",
        &["social", "psychological", "family"],
        "44 000 00 01",
        "ul. Przykładowa 1 (demo)",
        "pon.–pt. 7:30–15:30",
        "",
        "pl",
        true,
    ),
    (
        "Punkt Interwencji Kryzysowej (demo)",
        &["crisis_intervention", "shelter", "psychological"],
        "44 000 00 02",
        "ul. Spokojna 5 (demo)",
        "całodobowo",
        "",
        "pl uk",
        true,
    ),
    (
        "Hostel dla osób doznających przemocy domowej (demo)",
        &["shelter"],
        "44 000 00 03",
        "adres podawany telefonicznie",
        "całodobowo",
        "",
        "pl",
        true,
    ),
    (
        "Nieodpłatna pomoc prawna — punkt w Urzędzie Miasta (demo)",
        &["legal"],
        "44 000 00 04",
        "Plac Ratuszowy 1 (demo)",
        "pon.–pt. 9:00–13:00",
        "",
        "pl",
        true,
    ),
    (
        "Program korekcyjno-edukacyjny dla osób stosujących przemoc domową (demo)",
        &["programme_for_persons_using_violence"],
        "44 000 00 05",
        "ul. Przykładowa 1 (demo)",
        "wtorki 16:00–19:00",
        "",
        "pl",
        true,
    ),
    (
        "Program psychologiczno-terapeutyczny dla osób stosujących przemoc domową (demo)",
        &["programme_for_persons_using_violence", "psychological"],
        "44 000 00 06",
        "ul. Zdrowa 3 (demo)",
        "czwartki 16:00–19:00",
        "",
        "pl",
        true,
    ),
    (
        "Punkt konsultacyjny Gminnej Komisji Rozwiązywania Problemów Alkoholowych (demo)",
        &["addiction", "family"],
        "44 000 00 07",
        "ul. Trzeźwa 2 (demo)",
        "środy 15:00–18:00",
        "",
        "pl",
        true,
    ),
    (
        "Poradnia Zdrowia Psychicznego (demo)",
        &["medical", "psychological"],
        "44 000 00 08",
        "ul. Zdrowa 3 (demo)",
        "pon.–pt. 8:00–18:00",
        "",
        "pl en",
        true,
    ),
    (
        "Komenda Powiatowa Policji — dzielnicowi (demo)",
        &["police"],
        "47 000 00 09",
        "ul. Bezpieczna 7 (demo)",
        "całodobowo",
        "",
        "pl",
        true,
    ),
    ("Kontakt roboczy koordynatora grup (demo, wewnętrzny)", &["other"], "44 000 00 10", "", "", "", "pl", false),
];

async fn directory(store: &Store, chair: &Principal, today: Date) -> anyhow::Result<usize> {
    let mut n = 0;
    for (i, (name, kinds, phone, address, hours, website, languages, public)) in ENTRIES.iter().enumerate() {
        // One entry was last checked over a year ago: the review reminder has something to show.
        let checked = if i == 8 {
            today - SignedDuration::from_hours(24 * 400)
        } else {
            today - SignedDuration::from_hours(24 * 30)
        };
        let draft = DirectoryDraft {
            name: (*name).into(),
            help_kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
            phone: (*phone).into(),
            address: (*address).into(),
            opening_hours: (*hours).into(),
            website: (*website).into(),
            languages: (*languages).into(),
            accessibility: if i % 3 == 0 { "wejście bez progów, winda".into() } else { String::new() },
            is_public: *public,
            last_checked_on: checked.to_string(),
            ..DirectoryDraft::default()
        };
        let input = draft.validate(today).map_err(|e| anyhow::anyhow!("demo directory {name}: {e:?}"))?;
        store.create_directory_entry(&Caller::local(chair), &input).await?;
        n += 1;
    }
    Ok(n)
}

/// (kind, month, day, title, organiser, audience, participants, materials)
type ActivityRow = (&'static str, i8, i8, String, &'static str, &'static str, i64, i64);

/// The activities of the reference annual report, each year: 4 training-needs diagnoses, conferences for 20
/// workers, 7 trainings for 101 people, supervisions, school workshops, campaigns handing out 304 materials.
async fn activities(store: &Store, chair: &Principal, today: Date) -> anyhow::Result<usize> {
    let mut n = 0;
    for year in (today.year() - 2)..=today.year() {
        let mut rows: Vec<ActivityRow> = Vec::new();
        for (i, who) in
            ["MOPS (demo)", "Sąd Rejonowy (demo)", "PCPR (demo)", "Komenda Powiatowa Policji (demo)"].iter().enumerate()
        {
            rows.push((
                "training_needs_diagnosis",
                2,
                10 + i as i8,
                format!("Diagnoza potrzeb szkoleniowych — {who}"),
                who,
                "pracownicy instytucji",
                0,
                0,
            ));
        }
        rows.push((
            "conference",
            4,
            18,
            "Konferencja „Razem przeciw przemocy” (demo)".into(),
            "Urząd Wojewódzki (demo)",
            "członkowie zespołu i grup",
            12,
            0,
        ));
        rows.push((
            "conference",
            10,
            9,
            "Konferencja o pracy z dzieckiem doznającym przemocy (demo)".into(),
            "Fundacja (demo)",
            "pracownicy oświaty i pomocy społecznej",
            8,
            0,
        ));
        for (i, people) in [18, 15, 12, 14, 16, 11, 15].iter().enumerate() {
            rows.push((
                "training",
                (i as i8) + 3,
                20,
                format!("Szkolenie dla członków zespołu i grup nr {} (demo)", i + 1),
                "MOPS (demo)",
                "członkowie zespołu i grup diagnostyczno-pomocowych",
                *people,
                0,
            ));
        }
        for month in [3, 6, 11] {
            rows.push((
                "supervision",
                month,
                5,
                "Superwizja pracy grup diagnostyczno-pomocowych (demo)".into(),
                "MOPS (demo)",
                "członkowie grup",
                9,
                0,
            ));
        }
        for (i, school) in
            ["SP nr 1", "SP nr 3", "SP nr 5", "ZSP nr 2", "Liceum nr 1", "Technikum nr 2"].iter().enumerate()
        {
            rows.push((
                "workshop",
                2 + (i as i8),
                12,
                format!("Warsztaty i pogadanki o przemocy — {school} (demo)"),
                "Komenda Powiatowa Policji (demo)",
                "uczniowie",
                60 + 5 * i as i64,
                0,
            ));
        }
        rows.push((
            "campaign",
            11,
            25,
            "Kampania „16 dni przeciwko przemocy” (demo)".into(),
            "Zespół interdyscyplinarny",
            "mieszkańcy",
            0,
            184,
        ));
        rows.push((
            "campaign",
            6,
            1,
            "Kampania „Biała wstążka” w szkołach (demo)".into(),
            "Zespół interdyscyplinarny",
            "uczniowie i rodzice",
            0,
            120,
        ));
        for (kind, month, day, title, organiser, audience, participants, materials) in rows {
            let held_on = Date::new(year, month, day)?;
            if held_on > today {
                continue;
            }
            let draft = ActivityDraft {
                kind: kind.into(),
                held_on: held_on.to_string(),
                title,
                organiser: organiser.into(),
                audience: audience.into(),
                participants: participants.to_string(),
                materials_handed_out: materials.to_string(),
                notes: String::new(),
                ..ActivityDraft::default()
            };
            let input = draft.validate().map_err(|e| anyhow::anyhow!("demo activity: {e:?}"))?;
            store.create_activity(&Caller::local(chair), &input).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// The areas of work the demo's members coordinate: (index in [`MEMBERS`], area).
const COORDINATION: &[(usize, &str)] =
    &[(3, "children"), (3, "support_groups"), (9, "programmes"), (9, "elderly"), (5, "children")];

fn training(
    kind: &str,
    title: &str,
    organiser: &str,
    starts_on: Date,
    completed_on: Date,
    hours: &str,
) -> TrainingDraft {
    TrainingDraft {
        kind: kind.into(),
        title: title.into(),
        organiser: organiser.into(),
        starts_on: starts_on.to_string(),
        completed_on: completed_on.to_string(),
        hours: hours.into(),
        certificate_number: String::new(),
    }
}

/// One thematic working group (seed 000: groups for chosen problems) with its chair, members, three tasks and two
/// meetings: on violence against the elderly, chaired by the member who coordinates that area.
async fn working_group(
    store: &Store,
    chair: &Principal,
    members: &[(Uuid, bool)],
    today: Date,
) -> anyhow::Result<usize> {
    let pick = |i: usize| members.get(i).map(|(id, _)| id.to_string()).unwrap_or_default();
    let established = today - SignedDuration::from_hours(24 * 200);
    let draft = WorkingGroupDraft {
        name: "Grupa robocza ds. przemocy wobec osób starszych (demo)".into(),
        purpose: "Rozpoznanie skali przemocy wobec seniorów w gminie, kampania w przychodniach i parafiach, \
                  wspólna procedura z ośrodkiem pomocy społecznej i Policją."
            .into(),
        established_on: established.to_string(),
        chair_member_id: pick(9),
        member_ids: vec![pick(2), pick(3), pick(4), pick(6)],
        ..WorkingGroupDraft::default()
    };
    let input = draft.validate(today).map_err(|e| anyhow::anyhow!("demo working group: {e:?}"))?;
    let group = store.create_working_group(&Caller::local(chair), &input).await?;
    let tasks = [
        ("Ulotka dla seniorów i ich rodzin", pick(9), 30, "in_progress"),
        ("Spotkanie z lekarzami rodzinnymi o rozpoznawaniu przemocy", pick(6), 45, "open"),
        ("Zestawienie miejsc pomocy dla osób starszych", pick(3), -20, "done"),
    ];
    for (title, owner, due_in_days, status) in tasks {
        let task = GroupTaskDraft {
            title: title.into(),
            owner_member_id: owner,
            due_on: (today + SignedDuration::from_hours(24 * due_in_days)).to_string(),
            status: status.into(),
        };
        let input = task.validate().map_err(|e| anyhow::anyhow!("demo working group task: {e:?}"))?;
        store.add_group_task(&Caller::local(chair), group, &input).await?;
    }
    for (days_ago, agenda, minutes) in [
        (
            150,
            "1. Cel i zakres pracy grupy.\n2. Podział zadań.",
            "Grupa przyjęła plan pracy na pół roku; zadania rozdzielono zgodnie z listą.",
        ),
        (
            40,
            "1. Projekt ulotki.\n2. Zestawienie miejsc pomocy.",
            "Zestawienie miejsc pomocy gotowe; projekt ulotki do poprawy przed drukiem.",
        ),
    ] {
        let meeting = GroupMeetingDraft {
            held_on: (today - SignedDuration::from_hours(24 * days_ago)).to_string(),
            agenda: agenda.into(),
            minutes: minutes.into(),
            attended: vec![pick(9), pick(2), pick(3), pick(6)],
        };
        let input = meeting.validate(today).map_err(|e| anyhow::anyhow!("demo working group meeting: {e:?}"))?;
        store.record_group_meeting(&Caller::local(chair), group, &input).await?;
    }
    Ok(1)
}
