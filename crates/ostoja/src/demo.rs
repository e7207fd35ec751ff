//! `ostoja demo`: a demo municipality, clearly marked, with institutions and one account per role.

use domain::identity::Role;
use store::identity::{NewAccount, PersonalDetails};
use store::procedure::AppointmentBasis;
use store::{Actor, Store};

/// TERYT code of the demo municipality: a syntactically valid code that GUS has not assigned (county 99).
pub const DEMO_TERYT: &str = "1099011";
/// The demo accounts' password. Demo mode lets them in without a second factor.
pub const DEMO_PASSWORD: &str = "demo-ostoja-2026";

pub async fn create(store: &Store, procedure_count: usize) -> anyhow::Result<()> {
    let actor = Actor::operator();
    store.set_demo_mode(true).await?;
    let tenant = match store.tenant_by_teryt(DEMO_TERYT).await {
        Ok(t) => t,
        Err(_) => store.create_tenant(&actor, DEMO_TERYT, "Gmina Demonstracyjna (DEMO)", true).await?,
    };
    let institutions = [
        ("Miejski Ośrodek Pomocy Społecznej (demo)", "social_welfare"),
        ("Komenda Powiatowa Policji (demo)", "police"),
        ("Szkoła Podstawowa nr 1 (demo)", "education"),
        ("Przychodnia Rejonowa (demo)", "health_care"),
        ("Gminna Komisja Rozwiązywania Problemów Alkoholowych (demo)", "alcohol_commission"),
        ("Zespół Kuratorskiej Służby Sądowej (demo)", "probation_officer"),
        ("Stowarzyszenie Pomocy Rodzinie (demo)", "ngo"),
    ];
    let existing = store.list_institutions(tenant.id).await?;
    for (name, kind) in institutions {
        if !existing.iter().any(|i| i.name == name) {
            store.create_institution(&actor, tenant.id, name, kind).await?;
        }
    }
    println!("Gmina demonstracyjna: TERYT {DEMO_TERYT} (tryb demonstracyjny włączony)");
    println!("Konta (hasło: {DEMO_PASSWORD}, bez drugiego składnika tylko w trybie demo):");
    for role in Role::ALL {
        let login = format!("demo.{}", role.as_str().replace('_', "-"));
        // Every demo account, the administrator's too, belongs to the demo municipality, so demo mode covers it.
        let tenant_id = Some(tenant.id);
        let new = NewAccount {
            tenant_id,
            institution_id: None,
            login: login.clone(),
            roles: vec![role],
            details: PersonalDetails {
                full_name: format!("Demo {}", role.as_str()),
                email: String::new(),
                phone: String::new(),
            },
        };
        match store.create_account(&actor, &new).await {
            Ok((_, token)) => {
                store.activate(&token, DEMO_PASSWORD, DEMO_PASSWORD, None).await?;
            }
            Err(store::StoreError::Invalid(_)) => {} // exists already: the demo is idempotent
            Err(e) => return Err(e.into()),
        }
        println!("  {login:<36} {}", role.as_str());
    }
    // A second group member, so the demo's groups have both a social worker and a police officer.
    let police = NewAccount {
        tenant_id: Some(tenant.id),
        institution_id: None,
        login: DEMO_POLICE_LOGIN.into(),
        roles: vec![Role::GroupMember],
        details: PersonalDetails {
            full_name: "Demo police officer".into(),
            email: String::new(),
            phone: String::new(),
        },
    };
    match store.create_account(&actor, &police).await {
        Ok((_, token)) => {
            store.activate(&token, DEMO_PASSWORD, DEMO_PASSWORD, None).await?;
        }
        Err(store::StoreError::Invalid(_)) => {}
        Err(e) => return Err(e.into()),
    }
    println!("  {DEMO_POLICE_LOGIN:<36} group_member");
    let opened = procedures(store, procedure_count).await?;
    println!("Procedury demonstracyjne: {opened} nowych (fikcyjne osoby i numery PESEL).");
    Ok(())
}

const DEMO_POLICE_LOGIN: &str = "demo.group-member-police";

const FIRST_NAMES_F: &[&str] = &["Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Ewa", "Joanna", "Zofia", "Iryna"];
const FIRST_NAMES_M: &[&str] = &["Jan", "Piotr", "Krzysztof", "Tomasz", "Paweł", "Marek", "Łukasz", "Andrij"];
const LAST_NAMES: &[(&str, &str)] = &[
    ("Kowalska", "Kowalski"),
    ("Nowak", "Nowak"),
    ("Wiśniewska", "Wiśniewski"),
    ("Wójcik", "Wójcik"),
    ("Kamińska", "Kamiński"),
    ("Lewandowska", "Lewandowski"),
    ("Zielińska", "Zieliński"),
    ("Szymańska", "Szymański"),
    ("Dąbrowska", "Dąbrowski"),
    ("Kozłowska", "Kozłowski"),
    ("Jankowska", "Jankowski"),
    ("Mazur", "Mazur"),
];

/// A valid, fictitious PESEL for a birth date in the 1900s (women even, men odd in the 10th digit).
fn pesel(year: u32, month: u32, day: u32, serial: u32, female: bool) -> String {
    let sex_digit = (serial % 5) * 2 + u32::from(!female);
    let first_ten = format!("{:02}{month:02}{day:02}{:03}{sex_digit}", year % 100, serial % 1000);
    domain::person::pesel::complete(&first_ten).unwrap_or_default()
}

/// Fills the demo municipality with procedures in every phase, once (a second run adds none).
async fn procedures(store: &Store, count: usize) -> anyhow::Result<usize> {
    use domain::forms::{Answers, FormKind, FormVersion, definition, validate};
    use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind};

    let (initiator_id, _) = store.account_by_login("demo.initiator").await?;
    let initiator = store.principal(initiator_id).await?;
    if !store.list_procedures(&initiator, 1, 0).await?.is_empty() {
        return Ok(0);
    }
    let chair = store.principal(store.account_by_login("demo.chair").await?.0).await?;
    let social = store.account_by_login("demo.group-member").await?.0;
    let police = store.account_by_login(DEMO_POLICE_LOGIN).await?.0;
    let def = definition(FormKind::A, FormVersion::V2023).ok_or_else(|| anyhow::anyhow!("form A 2023 missing"))?;
    let today = store.now().to_zoned(domain::calendar::poland_zone()).date();
    let mut opened = 0;
    for i in 0..count {
        let (last_f, last_m) = LAST_NAMES[i % LAST_NAMES.len()];
        // Spread over the past: about 135 a year for small counts, denser for benchmark-sized ones.
        let days_back = if count <= 400 { i * 3 + 1 } else { i % 1000 + 1 };
        let filled = today.checked_sub(jiff::Span::new().days(i64::try_from(days_back)?))?;
        let n = u32::try_from(i)?;
        let answers: Answers = [
            ("header.filled_at", format!("{filled}T{:02}:{:02}", 8 + i % 12, (i * 7) % 60)),
            ("affected_persons[0].first_name", FIRST_NAMES_F[i % FIRST_NAMES_F.len()].to_owned()),
            ("affected_persons[0].last_name", last_f.to_owned()),
            ("affected_persons[0].pesel", pesel(1970 + n % 30, 1 + n % 12, 1 + n % 28, 100 + n, true)),
            ("suspected_persons[0].first_name", FIRST_NAMES_M[i % FIRST_NAMES_M.len()].to_owned()),
            ("suspected_persons[0].last_name", last_m.to_owned()),
            ("suspected_persons[0].pesel", pesel(1965 + n % 30, 1 + (n + 5) % 12, 1 + (n + 3) % 28, 500 + n, false)),
            ("violence.forms", ["physical,psychological", "psychological,economic", "physical"][i % 3].to_owned()),
            ("household.children_present", "false".to_owned()),
            ("firearm.has_firearm", "no".to_owned()),
            ("filled_by.category", ["police", "social_worker", "teacher", "medical"][i % 4].to_owned()),
            ("filled_by.first_name", "Demo".to_owned()),
            ("filled_by.last_name", "Wypełniający".to_owned()),
            ("filled_by.institution", "Instytucja demonstracyjna".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let validated = validate(def, &answers).map_err(|e| anyhow::anyhow!("demo form A {i} invalid: {e:?}"))?;
        let store::procedure::FormAIntake::Opened { id, .. } =
            store.open_procedure(&initiator, &validated, true, None).await?
        else {
            continue;
        };
        opened += 1;
        // Older cases are further along: every phase appears.
        let stage = i * 5 / count.max(1);
        if stage == 0 {
            continue;
        }
        let handle = store.case_access(&chair, id).await?;
        let members = [(social, GroupMemberKind::SocialWorker), (police, GroupMemberKind::PoliceOfficer)];
        let mut version = 1;
        store.appoint_group(&handle, &members, AppointmentBasis::TeamDecision, version, None).await?;
        version += 1;
        let steps: &[Command] = match stage {
            1 => &[],
            2 => &[Command::RecordGroupMeeting],
            3 => &[Command::RecordGroupMeeting, Command::RecordFormC, Command::RecordFormD],
            _ => &[
                Command::RecordGroupMeeting,
                Command::RecordFormC,
                Command::Close { reason: ClosingReason::ViolenceStopped },
            ],
        };
        for step in steps {
            store.apply_procedure_command(&handle, step, version, None).await?;
            version += 1;
        }
    }
    Ok(opened)
}
