//! The demo municipality's programme 2024–2030, shaped like the reference report (Tomaszów Mazowiecki's programme:
//! one strategic goal, four specific goals, their tasks, responsible institutions and indicators, computed where the
//! data answers and entered by the institutions elsewhere), with yearly targets, an amendment, entered values for
//! the past years from two reporters, and a narrative. Written once; a second run adds nothing.

use std::collections::BTreeMap;

use domain::identity::Role;
use domain::programme::{ComputedKey, Goal, ProgrammeContent, ProgrammeIndicator, ProgrammeIndicatorSource, Task};
use store::identity::{NewAccount, PersonalDetails, Principal};
use store::{Actor, Store};
use uuid::Uuid;

use super::DEMO_PASSWORD;

/// The reporters' logins: one for the social welfare centre, one for the Police.
pub const REPORTERS: [(&str, &str); 2] = [
    ("demo.reporter-mops", "Miejski Ośrodek Pomocy Społecznej (demo)"),
    ("demo.reporter-police", "Komenda Powiatowa Policji (demo)"),
];

fn computed(id: &str, name: &str, key: ComputedKey, targets: &[(i16, i64)]) -> ProgrammeIndicator {
    ProgrammeIndicator {
        id: id.into(),
        name: name.into(),
        source: ProgrammeIndicatorSource::Computed { key },
        targets: targets.iter().copied().collect::<BTreeMap<_, _>>(),
    }
}

fn entered(id: &str, name: &str, by: &[Uuid], targets: &[(i16, i64)]) -> ProgrammeIndicator {
    ProgrammeIndicator {
        id: id.into(),
        name: name.into(),
        source: ProgrammeIndicatorSource::Entered { institutions: by.to_vec() },
        targets: targets.iter().copied().collect(),
    }
}

fn task(id: &str, title: &str, institutions: &[Uuid], indicators: Vec<ProgrammeIndicator>) -> Task {
    Task {
        id: id.into(),
        title: title.into(),
        institutions: institutions.to_vec(),
        from_year: 2024,
        to_year: 2030,
        indicators,
    }
}

fn content(all: &[Uuid], mops: Uuid, police: Uuid) -> ProgrammeContent {
    use ComputedKey as K;
    ProgrammeContent {
        strategic_goal:
            "Zwiększenie skuteczności działań podmiotów i przedstawicieli służb społecznych w systemie pomocy \
                         osobom i rodzinom zagrożonym przemocą domową."
                .into(),
        goals: vec![
            Goal {
                id: "g1".into(),
                title:
                    "Zwiększenie poziomu kompetencji przedstawicieli instytucji i podmiotów realizujących zadania z \
                        zakresu przeciwdziałania przemocy domowej."
                        .into(),
                tasks: vec![
                    task(
                        "g1t1",
                        "Analiza potrzeb szkoleniowych pracowników instytucji.",
                        all,
                        vec![computed(
                            "g1t1i1",
                            "liczba diagnoz potrzeb szkoleniowych",
                            K::TrainingNeedsDiagnoses,
                            &[(2024, 3), (2025, 3), (2026, 3)],
                        )],
                    ),
                    task(
                        "g1t2",
                        "Udział w konferencjach i spotkaniach służących wymianie informacji.",
                        all,
                        vec![
                            computed(
                                "g1t2i1",
                                "liczba posiedzeń zespołu interdyscyplinarnego",
                                K::TeamMeetingsHeld,
                                &[(2024, 6), (2025, 6), (2026, 6)],
                            ),
                            computed(
                                "g1t2i2",
                                "liczba pracowników uczestniczących w konferencjach",
                                K::ConferenceParticipants,
                                &[],
                            ),
                        ],
                    ),
                    task(
                        "g1t3",
                        "Szkolenia dla członków zespołu i grup diagnostyczno-pomocowych.",
                        all,
                        vec![
                            computed("g1t3i1", "liczba szkoleń", K::Trainings, &[(2025, 6)]),
                            computed("g1t3i2", "liczba osób przeszkolonych", K::PersonsTrained, &[(2025, 90)]),
                        ],
                    ),
                    task(
                        "g1t4",
                        "Współpraca i wymiana informacji pomiędzy służbami.",
                        all,
                        vec![computed(
                            "g1t4i1",
                            "liczba posiedzeń grup diagnostyczno-pomocowych",
                            K::GroupMeetingsHeld,
                            &[],
                        )],
                    ),
                ],
            },
            Goal {
                id: "g2".into(),
                title: "Wzmocnienie skuteczności ochrony, pomocy oraz wsparcia dla osób doznających przemocy domowej."
                    .into(),
                tasks: vec![
                    task(
                        "g2t1",
                        "Wspieranie działań skierowanych do osób doznających przemocy domowej, w tym osób \
                                  szczególnego ryzyka.",
                        all,
                        vec![
                            entered(
                                "g2t1i1",
                                "liczba osób korzystających ze wsparcia instytucji",
                                &[mops],
                                &[(2025, 400)],
                            ),
                            computed(
                                "g2t1i2",
                                "liczba osób objętych pomocą zespołu interdyscyplinarnego",
                                K::PersonsAffected,
                                &[],
                            ),
                        ],
                    ),
                    task(
                        "g2t2",
                        "Lokalne telefony interwencyjne i informacyjne.",
                        all,
                        vec![computed(
                            "g2t2i1",
                            "liczba lokalnych telefonów informacyjnych i interwencyjnych",
                            K::Helplines,
                            &[],
                        )],
                    ),
                    task(
                        "g2t6",
                        "Wspólne wizyty przedstawicieli różnych służb w środowiskach zagrożonych przemocą.",
                        &[mops, police],
                        vec![
                            entered("g2t6i1", "liczba interwencji w środowiskach", &[police], &[(2025, 400)]),
                            computed(
                                "g2t6i2",
                                "liczba wizyt",
                                K::HomeVisits,
                                &[(2024, 1200), (2025, 1400), (2026, 1400)],
                            ),
                        ],
                    ),
                ],
            },
            Goal {
                id: "g3".into(),
                title: "Zwiększenie skuteczności oddziaływań wobec osób stosujących przemoc domową.".into(),
                tasks: vec![task(
                    "g3t1",
                    "Motywowanie i kierowanie osób stosujących przemoc do programów korekcyjno-edukacyjnych i \
                     psychologiczno-terapeutycznych.",
                    all,
                    vec![
                        computed("g3t1i1", "skierowania do programów i ich wyniki", K::ReferralSteps, &[]),
                        entered("g3t1i2", "liczba osób zatrzymanych w PDOZ", &[police], &[]),
                        computed(
                            "g3t1i3",
                            "liczba osób wskazanych jako podejrzane o stosowanie przemocy",
                            K::PersonsSuspected,
                            &[],
                        ),
                        computed("g3t1i4", "liczba wypełnionych formularzy „Niebieska Karta – D”", K::FormsD, &[]),
                    ],
                )],
            },
            Goal {
                id: "g4".into(),
                title: "Zintensyfikowanie działań profilaktycznych w zakresie przeciwdziałania przemocy wśród \
                        mieszkańców."
                    .into(),
                tasks: vec![
                    task(
                        "g4t6",
                        "Wnioski do sądu, prokuratury, Policji i komisji rozwiązywania problemów alkoholowych.",
                        all,
                        vec![computed("g4t6i1", "ilość pism i wniosków", K::Letters, &[])],
                    ),
                    task(
                        "g4t7",
                        "Profesjonalna pomoc doradcza, terapeutyczna i socjalna rodzinom.",
                        all,
                        vec![
                            computed(
                                "g4t7i1",
                                "liczba procedur wszczętych w roku",
                                K::ProceduresOpened,
                                &[(2025, 130)],
                            ),
                            computed(
                                "g4t7i2",
                                "liczba procedur kontynuowanych z lat poprzednich",
                                K::ProceduresContinued,
                                &[],
                            ),
                            computed("g4t7i3", "liczba wypełnionych formularzy „Niebieska Karta – C”", K::FormsC, &[]),
                            entered(
                                "g4t7i4",
                                "ilość porad (rodzinne, prawne, psychologiczne, socjalne)",
                                &[mops],
                                &[(2025, 450)],
                            ),
                        ],
                    ),
                ],
            },
        ],
    }
}

async fn reporter(store: &Store, tenant: Uuid, login: &str, institution: Uuid) -> anyhow::Result<Principal> {
    let new = NewAccount {
        tenant_id: Some(tenant),
        institution_id: Some(institution),
        login: login.into(),
        roles: vec![Role::ProgrammeReporter],
        details: PersonalDetails { full_name: format!("Demo {login}"), email: String::new(), phone: String::new() },
    };
    match store.create_account(&Actor::operator(), &new).await {
        Ok((id, token)) => {
            store.mark_demo_account(id).await?;
            store.activate(&token, DEMO_PASSWORD, DEMO_PASSWORD, None).await?;
        }
        Err(store::StoreError::Invalid(_)) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(store.principal(store.account_by_login(login).await?.0).await?)
}

/// Writes the programme once; returns whether it was written now.
pub async fn run(store: &Store, tenant: Uuid) -> anyhow::Result<bool> {
    let chair = store.principal(store.account_by_login("demo.chair").await?.0).await?;
    let institutions = store.list_institutions(tenant).await?;
    let id_of = |name: &str| institutions.iter().find(|i| i.name == name).map(|i| i.id);
    let (Some(mops), Some(police)) = (id_of(REPORTERS[0].1), id_of(REPORTERS[1].1)) else { return Ok(false) };
    let mut reporters = Vec::new();
    for (login, institution) in REPORTERS {
        let id = id_of(institution).unwrap_or(mops);
        reporters.push(reporter(store, tenant, login, id).await?);
        println!("  {login:<36} programme_reporter ({institution})");
    }
    if !store.programmes(&chair).await?.is_empty() {
        return Ok(false);
    }
    let all: Vec<Uuid> = institutions.iter().map(|i| i.id).collect();
    let first = content(&all, mops, police);
    let id = store
        .create_programme(
            &chair,
            "Miejski Program Przeciwdziałania Przemocy Domowej i Ochrony Osób Doznających Przemocy Domowej na lata \
             2024–2030 (demo)",
            2024,
            2030,
            "2024-01-01",
            "Uchwała nr LXX/100/2023 Rady Gminy Demonstracyjnej (demo)",
            &first,
        )
        .await?;
    // The council raised the visits target from mid-2025.
    let mut amended = first.clone();
    if let Some(i) = amended.goals.get_mut(1).and_then(|g| g.tasks.get_mut(2)).and_then(|t| t.indicators.get_mut(1)) {
        i.targets.insert(2025, 1500);
        i.targets.insert(2026, 1500);
    }
    store
        .amend_programme(&chair, id, "2025-07-01", "Uchwała nr XII/90/2025 (demo): zmiana wskaźników", &amended, 1)
        .await?;
    let this_year = store.now().to_zoned(domain::calendar::poland_zone()).year();
    let values: [(&str, usize, [i64; 3]); 4] = [
        ("g2t1i1", 0, [415, 402, 420]),
        ("g4t7i4", 0, [457, 470, 455]),
        ("g2t6i1", 1, [410, 398, 405]),
        ("g3t1i2", 1, [69, 72, 64]),
    ];
    for (indicator, who, by_year) in values {
        for (k, year) in (2024..this_year).enumerate() {
            let Some(v) = by_year.get(k) else { break };
            let reporter = reporters.get(who).unwrap_or(&chair);
            store
                .enter_indicator_value(reporter, id, indicator, year, &v.to_string(), "dane z rejestru (demo)", true, 0)
                .await?;
        }
    }
    if this_year > 2024 {
        store
            .set_report_narrative(
                &chair,
                id,
                this_year - 1,
                "g1",
                "Zespół zorganizował szkolenia dla członków grup \
                diagnostyczno-pomocowych i posiedzenia co dwa miesiące (tekst demonstracyjny).",
                0,
            )
            .await?;
    }
    println!(
        "Program gminny 2024–2030: cele, zadania, wskaźniki z wartościami docelowymi, jedna zmiana, wartości wpisane."
    );
    Ok(true)
}
