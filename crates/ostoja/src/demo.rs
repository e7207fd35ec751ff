//! `ostoja demo`: a demo municipality, clearly marked, with institutions and one account per role.

mod bulk;
mod people;
mod programme;
mod region;
mod region_bulk;
mod story;
mod team;

use domain::clock::ManualClock;
use domain::identity::Role;
use store::Caller;
use store::identity::{NewAccount, PersonalDetails};
use store::{Actor, Store};

/// TERYT code of the demo municipality: a syntactically valid code that GUS has not assigned (county 99).
pub const DEMO_TERYT: &str = "1099011";
/// The demo accounts' password. Demo mode lets them in without a second factor.
pub const DEMO_PASSWORD: &str = "pokaz-ostoja-2026";

/// Creates the demo municipality, its accounts and `procedure_count` procedures (default: three years of a town's
/// cases, [`story::REALISTIC_COUNT`]). `store` must run on `clock`, which the demo moves to each step's instant and
/// leaves where it found it.
///
/// With `tenants`, the large synthetic data set instead (see [`bulk`]): `procedure_count` (default 1,000) spread over
/// the demo municipality and `tenants − 1` synthetic ones, written by `connections` tasks in parallel.
pub async fn create(
    store: &Store,
    clock: &ManualClock,
    procedure_count: Option<usize>,
    tenants: Option<usize>,
    connections: usize,
) -> anyhow::Result<()> {
    let actor = Actor::operator();
    // The demo's accounts share a published password and log in without a second factor: never beside real data.
    if store.has_real_tenant().await? {
        anyhow::bail!(
            "ta instalacja ma prawdziwą gminę: dane demonstracyjne jej nie dotyczą / this installation holds a real \
             municipality; the demo refuses to run on it (use a separate data directory or database)"
        );
    }
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
    // The demo municipality's county and voivodeship, for the coordinators' accounts (issue 17).
    let mut above = Vec::new();
    for (code, name) in
        [(&DEMO_TERYT[..4], "Powiat Demonstracyjny (DEMO)"), (&DEMO_TERYT[..2], "Województwo łódzkie (DEMO)")]
    {
        above.push(match store.tenant_by_teryt(code).await {
            Ok(t) => t,
            Err(_) => store.create_tenant(&actor, code, name, true).await?,
        });
    }
    for role in Role::ALL {
        let login = format!("demo.{}", role.as_str().replace('_', "-"));
        // Every demo account, the administrator's too, belongs to a demo tenant, so demo mode covers it: the
        // coordinators to the demo municipality's county and voivodeship, everyone else to the municipality.
        let tenant_id = Some(match role {
            Role::CountyCoordinator => above.first().map_or(tenant.id, |t| t.id),
            Role::RegionalCoordinator | Role::RegionalExpert => above.get(1).map_or(tenant.id, |t| t.id),
            _ => tenant.id,
        });
        let new = NewAccount {
            tenant_id,
            institution_id: None,
            login: login.clone(),
            roles: vec![role],
            details: PersonalDetails { full_name: demo_name(role).into(), email: String::new(), phone: String::new() },
        };
        match store.create_account(&actor, &new).await {
            Ok((id, token)) => {
                store.mark_demo_account(id).await?;
                store.activate(&token, DEMO_PASSWORD, DEMO_PASSWORD, None).await?;
                // A position in their institution, as a real person would set it: form A's part on who filled it
                // is prefilled from it.
                store.set_own_position(&Caller::local(&store.principal(id).await?), demo_position(role)).await?;
            }
            Err(store::StoreError::Invalid(_)) => {} // exists already: the demo is idempotent
            Err(e) => return Err(e.into()),
        }
        println!("  {login:<36} {}", role.as_str());
    }
    // More group members, so the demo's groups have both a social worker and a police officer, and the team can
    // extend a group by the school's pedagogue.
    for (login, full_name, position) in [
        (DEMO_POLICE_LOGIN, "Piotr Demo-Dzielnicowy", "dzielnicowy"),
        (DEMO_PEDAGOGUE_LOGIN, "Agnieszka Demo-Pedagog", "pedagog szkolny"),
    ] {
        let member = NewAccount {
            tenant_id: Some(tenant.id),
            institution_id: None,
            login: login.into(),
            roles: vec![Role::GroupMember],
            details: PersonalDetails { full_name: full_name.into(), email: String::new(), phone: String::new() },
        };
        match store.create_account(&actor, &member).await {
            Ok((id, token)) => {
                store.mark_demo_account(id).await?;
                store.activate(&token, DEMO_PASSWORD, DEMO_PASSWORD, None).await?;
                store.set_own_position(&Caller::local(&store.principal(id).await?), position).await?;
            }
            Err(store::StoreError::Invalid(_)) => {}
            Err(e) => return Err(e.into()),
        }
        println!("  {login:<36} group_member");
    }
    if let Some(tenants) = tenants {
        let started = std::time::Instant::now();
        let (written, skipped) =
            bulk::run(store, tenant.id, procedure_count.unwrap_or(1000), tenants, connections).await?;
        println!(
            "Procedury syntetyczne: {written} nowych w {tenants} gminach ({skipped} gmin miało już dane) w {:.1} s.",
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    // The team first: its members' declarations are recorded before the cases are worked on.
    let chair = store.principal(store.account_by_login("demo.chair").await?.0).await?;
    let team = team::run(store, clock, &chair).await.map_err(|e| anyhow::anyhow!("the demo team: {e:?}"))?;
    println!(
        "Zespół: {} członków, {} posiedzeń, {} wpisów bazy pomocy, {} działań profilaktycznych; szkolenia \
         członków: {}, grupy robocze: {}.",
        team.members, team.meetings, team.entries, team.activities, team.trainings, team.working_groups
    );
    let opened = procedures(store, clock, procedure_count.unwrap_or(story::REALISTIC_COUNT))
        .await
        .map_err(|e| anyhow::anyhow!("the demo procedures: {e:?}"))?;
    println!("Procedury demonstracyjne: {opened} nowych (fikcyjne osoby i numery PESEL).");
    programme::run(store, tenant.id).await?;
    Ok(())
}

/// `ostoja demo --region`: the small demo region (see the `region` module), refused beside a real municipality like the demo.
pub async fn create_region(store: &Store, clock: &ManualClock, municipalities: Option<usize>) -> anyhow::Result<()> {
    if store.has_real_tenant().await? {
        anyhow::bail!(
            "ta instalacja ma prawdziwą gminę: dane demonstracyjne jej nie dotyczą / this installation holds a real \
             municipality; the demo refuses to run on it (use a separate data directory or database)"
        );
    }
    store.set_demo_mode(true).await?;
    let started = std::time::Instant::now();
    let summary = region::create(store, clock).await?;
    println!(
        "Region demonstracyjny: województwo {}, 2 powiaty, 6 gmin; {} nowych procedur, {} nowych przekazań sprawozdań \
         za rok {} ({:.1} s).",
        region::REGION_TERYT,
        summary.procedures,
        summary.submissions,
        summary.year,
        started.elapsed().as_secs_f64()
    );
    println!("Konta (hasło: {DEMO_PASSWORD}, bez drugiego składnika tylko w trybie demo):");
    for (login, role) in &summary.logins {
        println!("  {login:<44} {}", role.as_str());
    }
    if let Some(n) = municipalities {
        let started = std::time::Instant::now();
        let grown = region_bulk::grow(store, clock, n).await?;
        println!(
            "Dodatkowe gminy demonstracyjne: {} nowych, {} przyjętych pakietów ({:.1} s); powiat {} ({} z nich): konto {}",
            grown.municipalities,
            grown.packages,
            started.elapsed().as_secs_f64(),
            grown.county,
            grown.in_county,
            region_bulk::COUNTY_LOGIN
        );
    }
    Ok(())
}

/// A demo account's person: fictitious, marked "Demo", the team's members named as in the team's register (a page
/// greets and lists people by name, never by a role's code).
fn demo_name(role: Role) -> &'static str {
    match role {
        Role::Chair => "Barbara Demo-Przewodnicząca",
        Role::DeputyChair => "Tomasz Demo-Zastępca",
        Role::Secretary => "Ewa Demo-Sekretarz",
        Role::GroupMember => "Katarzyna Demo-Pracownik",
        Role::Initiator => "Adam Demo-Zgłaszający",
        Role::ProgrammeReporter => "Anna Demo-Sprawozdawca",
        Role::AggregateViewer => "Robert Demo-Analityk",
        Role::DataProtectionOfficer => "Marta Demo-Inspektor",
        Role::SystemAdministrator => "Jan Demo-Administrator",
        Role::CountyCoordinator => "Piotr Demo-Koordynator Powiatowy",
        Role::RegionalCoordinator => "Joanna Demo-Koordynatorka Wojewódzka",
        Role::RegionalExpert => "Halina Demo-Ekspertka",
    }
}

/// The demo person's position in their institution (account settings).
fn demo_position(role: Role) -> &'static str {
    match role {
        Role::Chair => "kierowniczka działu pomocy środowiskowej",
        Role::DeputyChair => "specjalista ds. przeciwdziałania przemocy",
        Role::Secretary => "pracownica socjalna",
        Role::GroupMember => "pracownica socjalna",
        Role::Initiator => "dzielnicowy",
        Role::ProgrammeReporter => "specjalistka ds. sprawozdawczości",
        Role::AggregateViewer => "analityk",
        Role::DataProtectionOfficer => "inspektorka ochrony danych",
        Role::SystemAdministrator => "informatyk urzędu gminy",
        Role::CountyCoordinator => "koordynator powiatowy",
        Role::RegionalCoordinator => "regionalna koordynatorka programu",
        Role::RegionalExpert => "ekspertka zewnętrzna",
    }
}

const DEMO_POLICE_LOGIN: &str = "demo.group-member-police";
const DEMO_PEDAGOGUE_LOGIN: &str = "demo.group-member-school";

/// Fills the demo municipality with procedures in every phase, once (a second run adds none).
async fn procedures(store: &Store, clock: &ManualClock, count: usize) -> anyhow::Result<usize> {
    let initiator = store.principal(store.account_by_login("demo.initiator").await?.0).await?;
    if !store.list_procedures(&initiator, 1, 0).await?.is_empty() {
        return Ok(0);
    }
    let cast = story::Cast {
        initiator,
        chair: store.principal(store.account_by_login("demo.chair").await?.0).await?,
        social: store.principal(store.account_by_login("demo.group-member").await?.0).await?,
        police: store.principal(store.account_by_login(DEMO_POLICE_LOGIN).await?.0).await?,
        pedagogue: store.principal(store.account_by_login(DEMO_PEDAGOGUE_LOGIN).await?.0).await?,
    };
    story::run(store, clock, &cast, count).await
}
