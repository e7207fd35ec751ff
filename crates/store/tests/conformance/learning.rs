//! The local diagnosis and the outcomes of support (issue 18 items 1–2) on a fixture with a known answer:
//!
//! - P1 (Police, March 2026, "ul. Długa 5, 38-200 Jasło"): Ewa (PESEL, born 1978) and Marek; psychological violence.
//!   Plan: an action of the Police carried out, one of the social worker not carried out. Closed after 30 days
//!   because violence stopped; two months later a monitoring check finds violence again.
//! - P2 (social worker, 3 March 2026, "Kwiatowa 3": no locality): Halina (sex, no PESEL nor birth date) and Tomasz;
//!   physical violence. Plan: an action of social welfare carried out. Closed after 10 days for no grounds; reopened
//!   in November 2026 by a new form A naming Halina (a return during monitoring, within 9 months).
//! - P3 (Police, February 2027, "Długa 5, Jasło"): Ewa again (within 12 months of P1's closing) and her daughter Lena
//!   (born 2015), Marek; physical and psychological violence. Marek is referred to a programme and completes it.
//!   Closed after 30 days because violence stopped.
//!
//! Every figure asserted exactly on both engines; then the version for sharing, the audience and the cases behind a
//! figure with need-to-know and the audit trail.

use domain::forms::records::RecordKind;
use domain::forms::{Answers, FormKind, FormVersion, ValidatedAnswers, definition, validate};
use domain::identity::Role;
use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind};
use domain::procedure::referral::{ProgrammeKind, ReferralStep};
use domain::programme::diagnosis::{Cell, LearningReport};
use jiff::{SignedDuration, Timestamp};
use store::Caller;
use store::StoreError;
use store::identity::Principal;
use store::procedure::{AppointmentBasis, CaseHandle, FormAIntake, IntakeResolution, validate_record};
use uuid::Uuid;

use crate::procedure::{person, pesel};
use crate::support::*;

fn zone() -> jiff::tz::TimeZone {
    domain::calendar::poland_zone()
}

fn minute(at: Timestamp) -> String {
    at.to_zoned(zone()).strftime("%Y-%m-%dT%H:%M").to_string()
}

fn day(at: Timestamp) -> String {
    at.to_zoned(zone()).date().to_string()
}

fn move_to(h: &Harness, date: &str) {
    let target = date.parse::<jiff::civil::Date>().unwrap().at(9, 0, 0, 0).to_zoned(zone()).unwrap().timestamp();
    h.advance(target.duration_since(h.now()));
}

fn p(k: &'static str, v: &str) -> (&'static str, String) {
    (k, v.to_owned())
}

fn form_a(h: &Harness, category: &str, violence: &str, persons: &[(&'static str, String)]) -> ValidatedAnswers {
    let mut pairs: Vec<(&str, String)> = vec![
        ("header.filled_at", minute(h.now().checked_sub(SignedDuration::from_mins(30)).unwrap())),
        p("violence.forms", violence),
        p("household.children_present", "false"),
        p("firearm.has_firearm", "no"),
        p("filled_by.category", category),
        p("filled_by.first_name", "Piotr"),
        p("filled_by.last_name", "Wiśniewski"),
        p("filled_by.institution", "Instytucja"),
    ];
    pairs.extend(persons.iter().cloned());
    let answers: Answers = pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    validate(definition(FormKind::A, FormVersion::V2023).unwrap(), &answers).unwrap_or_else(|e| panic!("{e:?}"))
}

fn record(kind: RecordKind, pairs: &[(&str, String)]) -> ValidatedAnswers {
    let answers: Answers = pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    validate_record(kind, &answers).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"))
}

pub(crate) struct Town {
    pub chair: Principal,
    pub initiator: Principal,
    pub social: Principal,
    pub police: Principal,
    pub viewer: Principal,
    pub member: Principal,
    pub cases: [Uuid; 3],
}

async fn version(h: &Harness, case: &CaseHandle) -> i64 {
    h.store.procedure_version(case).await.unwrap()
}

async fn open(
    h: &Harness,
    chair: &Principal,
    initiator: &Principal,
    members: &[(Uuid, GroupMemberKind)],
    form: &ValidatedAnswers,
) -> (CaseHandle, CaseHandle) {
    // A family already in a case is forwarded to the team, who opens a new procedure for it.
    let id = match h.store.open_procedure(&Caller::local(initiator), form, true).await.unwrap() {
        FormAIntake::Opened { id, .. } => id,
        FormAIntake::Forwarded { intake_id } => {
            h.store.resolve_intake(&Caller::local(chair), intake_id, IntakeResolution::OpenNew).await.unwrap()
        }
        other => panic!("{other:?}"),
    };
    let chair_case = h.store.case_access(&Caller::local(chair), id).await.unwrap();
    h.store.appoint_group(&chair_case, members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    h.advance(SignedDuration::from_hours(2));
    let v = version(h, &chair_case).await;
    h.store.apply_procedure_command(&chair_case, &Command::RecordGroupMeeting, v).await.unwrap();
    let group = h.store.case_access(&Caller::local(&h.store.principal(members[0].0).await.unwrap()), id).await.unwrap();
    (chair_case, group)
}

async fn plan_item(h: &Harness, group: &CaseHandle, responsible: String, status: &str) {
    let item = record(
        RecordKind::PlanItem,
        &[
            p("item.action", "Działanie planu"),
            ("item.responsible", responsible),
            ("item.agreed_on", day(h.now())),
            p("item.status", status),
        ],
    );
    h.store.add_record(group, &item).await.unwrap();
}

async fn close(h: &Harness, case: &CaseHandle, reason: ClosingReason) {
    let v = version(h, case).await;
    close_case(&h.store, case, reason, v).await.unwrap();
}

pub(crate) async fn learning_town(h: &Harness) -> Town {
    let tenant = tenant(&h.store).await.id;
    let chair = person(h, tenant, "przewodniczaca", &[Role::Chair]).await;
    let initiator = person(h, tenant, "inicjator", &[Role::Initiator]).await;
    let social = person(h, tenant, "socjalna", &[Role::GroupMember]).await;
    let police = person(h, tenant, "policjant", &[Role::GroupMember]).await;
    let viewer = person(h, tenant, "obserwator", &[Role::AggregateViewer]).await;
    let member = person(h, tenant, "czlonek", &[Role::GroupMember]).await;
    let members =
        [(social.account_id, GroupMemberKind::SocialWorker), (police.account_id, GroupMemberKind::PoliceOfficer)];

    // P1: opened 2 March 2026, closed 1 April 2026 (30 days).
    let ewa = [
        p("affected_persons[0].first_name", "Ewa"),
        p("affected_persons[0].last_name", "Zielińska"),
        ("affected_persons[0].pesel", pesel("7801010024")),
        p("affected_persons[0].residence_address", "ul. Długa 5, 38-200 Jasło"),
        p("suspected_persons[0].first_name", "Marek"),
        p("suspected_persons[0].last_name", "Zieliński"),
        ("suspected_persons[0].pesel", pesel("7702020017")),
    ];
    move_to(h, "2026-03-02");
    let (p1, p1_group) = open(h, &chair, &initiator, &members, &form_a(h, "police", "psychological", &ewa)).await;
    plan_item(h, &p1_group, "institution:police".into(), "done").await;
    plan_item(h, &p1_group, format!("member:{}", social.account_id), "not_done").await;

    // P2: opened 3 March 2026, closed 13 March 2026 (10 days).
    move_to(h, "2026-03-03");
    let halina = [
        p("affected_persons[0].first_name", "Halina"),
        p("affected_persons[0].last_name", "Nowak"),
        p("affected_persons[0].sex", "female"),
        p("affected_persons[0].residence_address", "Kwiatowa 3"),
        p("suspected_persons[0].first_name", "Tomasz"),
        p("suspected_persons[0].last_name", "Nowak"),
    ];
    let (p2, p2_group) = open(h, &chair, &initiator, &members, &form_a(h, "social_worker", "physical", &halina)).await;
    plan_item(h, &p2_group, "institution:social_welfare".into(), "done").await;
    move_to(h, "2026-03-13");
    close(h, &p2, ClosingReason::NoGrounds).await;

    move_to(h, "2026-04-01");
    close(h, &p1, ClosingReason::ViolenceStopped).await;
    // Two months into P1's monitoring, violence again.
    move_to(h, "2026-06-01");
    let check = record(
        RecordKind::MonitoringCheck,
        &[
            ("check.on", day(h.now())),
            p("check.how", "home_visit"),
            p("check.violence_recurred", "yes"),
            p("check.findings", "Ponowna awantura."),
        ],
    );
    h.store.add_record(&p1_group, &check).await.unwrap();
    // A new form A in P2 during its monitoring: the procedure is reopened (a return).
    move_to(h, "2026-11-02");
    let v = version(h, &p2).await;
    h.store.add_form(&p2, &form_a(h, "social_worker", "physical", &halina), v).await.unwrap();

    // P3: opened 1 February 2027 naming Ewa again, closed 3 March 2027 (30 days).
    move_to(h, "2027-02-01");
    let mut again = ewa.to_vec();
    again[3] = p("affected_persons[0].residence_address", "Długa 5, Jasło");
    again.extend([
        p("affected_persons[1].first_name", "Lena"),
        p("affected_persons[1].last_name", "Zielińska"),
        p("affected_persons[1].birth_date", "2015-06-01"),
        p("affected_persons[1].sex", "female"),
    ]);
    let (p3, p3_group) =
        open(h, &chair, &initiator, &members, &form_a(h, "police", "physical,psychological", &again)).await;
    let person_ref = h.store.referrals_view(&p3_group).await.unwrap().suspected_persons[0].person;
    let referral = Uuid::now_v7();
    let today = |h: &Harness| domain::calendar::warsaw_date(h.now()).unwrap();
    let steps = [
        (&p3_group, ReferralStep::Request { programme: ProgrammeKind::CorrectionalEducational, person: person_ref }),
        (&p3, ReferralStep::Refer { provider: "PCPR".into() }),
        (&p3_group, ReferralStep::Deliver { on: today(h) }),
        (&p3_group, ReferralStep::RegistrationCertificate { on: today(h) }),
        (&p3_group, ReferralStep::ProgrammeEnded { on: today(h) }),
        (&p3_group, ReferralStep::CompletionCertificate { on: today(h) }),
    ];
    for (handle, step) in steps {
        let v = version(h, handle).await;
        h.store.referral_step(handle, referral, &step, v).await.unwrap_or_else(|e| panic!("{step:?}: {e:?}"));
    }
    move_to(h, "2027-03-03");
    close(h, &p3, ClosingReason::ViolenceStopped).await;
    move_to(h, "2028-01-15");
    Town {
        chair,
        initiator,
        social,
        police,
        viewer,
        member,
        cases: [p1.procedure_id, p2.procedure_id, p3.procedure_id],
    }
}

fn values(report: &LearningReport, table: &str, row: &str) -> Vec<Cell> {
    let t = report.table(table).unwrap_or_else(|| panic!("no table {table}"));
    t.row(row)
        .unwrap_or_else(|| {
            panic!("no row {row} in {table}: {:?}", t.rows.iter().map(|r| &r.label_pl).collect::<Vec<_>>())
        })
        .cells
        .clone()
}

fn n(v: &[i64]) -> Vec<Cell> {
    v.iter().map(|&v| Cell::Value(v)).collect()
}

#[tokio::test]
async fn the_local_diagnosis_gives_every_figure_exactly() {
    let h = Harness::new().await;
    let t = learning_town(&h).await;
    let d = h.store.local_diagnosis(&t.chair, 2026, 2027, false).await.unwrap();
    assert!(!d.empty && !d.for_sharing);
    assert_eq!(d.table("opened").unwrap().columns, ["2026", "2027", "razem"]);
    assert_eq!(values(&d, "opened", "wszczęte procedury"), n(&[2, 1, 3]));
    assert_eq!(values(&d, "opened", "w tym: funkcjonariusz Policji"), n(&[1, 1, 2]));
    assert_eq!(
        values(&d, "opened", "w tym: pracownik socjalny jednostki organizacyjnej pomocy społecznej"),
        n(&[1, 0, 1])
    );
    // Ewa once across P1 and P3 (by PESEL), Halina once across her two forms, Lena.
    assert_eq!(values(&d, "violence", "osoby doznające przemocy domowej"), n(&[3]));
    assert_eq!(values(&d, "violence", "w tym: przemoc fizyczna"), n(&[3]));
    assert_eq!(values(&d, "violence", "w tym: przemoc psychiczna"), n(&[2]));
    assert_eq!(values(&d, "violence", "w tym: przemoc ekonomiczna"), n(&[0]));
    // Columns: women, men, sex unknown, total.
    assert_eq!(values(&d, "affected_sex_age", "dzieci (poniżej 18 lat)"), n(&[1, 0, 0, 1]));
    assert_eq!(values(&d, "affected_sex_age", "45–64 lata"), n(&[1, 0, 0, 1]));
    assert_eq!(values(&d, "affected_sex_age", "wiek nieznany"), n(&[1, 0, 0, 1]));
    assert_eq!(values(&d, "affected_sex_age", "18–29 lat"), n(&[0, 0, 0, 0]));
    // Marek (born 1977) once; Tomasz without sex or birth date once.
    assert_eq!(values(&d, "using_sex_age", "45–64 lata"), n(&[0, 1, 0, 1]));
    assert_eq!(values(&d, "using_sex_age", "wiek nieznany"), n(&[0, 0, 1, 1]));

    assert_eq!(values(&d, "closings", "zakończone procedury"), n(&[2, 1, 3]));
    assert_eq!(values(&d, "closings", "w tym: ustanie przemocy i realizacja planu"), n(&[1, 1, 2]));
    assert_eq!(values(&d, "closings", "w tym: brak zasadności podejmowania działań"), n(&[1, 0, 1]));
    assert_eq!(values(&d, "closings", "odsetek zakończonych z powodu ustania przemocy"), n(&[500, 1000, 667]));
    // 2026: 10 and 30 days; 2027: 30; all: 10, 30, 30.
    assert_eq!(values(&d, "duration", "pierwszy kwartyl"), n(&[15, 30, 20]));
    assert_eq!(values(&d, "duration", "mediana"), n(&[20, 30, 30]));
    assert_eq!(values(&d, "duration", "trzeci kwartyl"), n(&[25, 30, 30]));

    // P1: Ewa on P3's form A within 12 months; P2: Halina's new form A in November.
    assert_eq!(values(&d, "recurrence", "nowy formularz „A” w ciągu 12 miesięcy od zakończenia"), n(&[2, 0, 2]));
    assert_eq!(values(&d, "recurrence", "monitorowanie ze sprawdzeniem sytuacji"), n(&[1, 0, 1]));
    assert_eq!(values(&d, "recurrence", "przemoc wystąpiła ponownie w trakcie monitorowania"), n(&[1, 0, 1]));
    assert_eq!(values(&d, "recurrence", "powroty w trakcie monitorowania (wznowienia)"), n(&[1, 0, 1]));

    // P1 and P3 in Jasło (two spellings of the address), P2's address names no locality.
    assert_eq!(values(&d, "areas", "Jasło"), n(&[2]));
    assert_eq!(values(&d, "areas", "adres nie pozwala ustalić miejscowości"), n(&[1]));
    assert_eq!(d.table("areas").unwrap().rows.len(), 2);

    // One audited read for the pass, figures only.
    let reads = audit_entries(&h.store, "read_personal_data").await;
    let read = reads.iter().find(|e| e.object_kind == "local_diagnosis").expect("the pass is audited");
    assert_eq!(read.object_id.as_deref(), Some("2026-2027"));
    assert!(read.detail.contains("forms A"), "{}", read.detail);
    // Counting again reads the kept persons, areas included, and gives the same figures.
    let again = h.store.local_diagnosis(&t.chair, 2026, 2027, false).await.unwrap();
    assert_eq!(again, d);
    // No address in clear anywhere in the database file's kept persons.
    let kept = scalar(&h.store, "SELECT COUNT(*) FROM statutory_form_persons").await;
    assert_eq!(kept, 4, "each form A kept once");
}

#[tokio::test]
async fn a_span_without_data_is_empty_and_sharing_hides_small_cells() {
    let h = Harness::new().await;
    let t = learning_town(&h).await;
    let empty = h.store.local_diagnosis(&t.chair, 2022, 2024, false).await.unwrap();
    assert!(empty.empty, "no procedure in 2022–2024");
    assert!(h.store.support_outcomes(&t.chair, 2022, 2024, false).await.unwrap().empty);

    let shared = h.store.local_diagnosis(&t.chair, 2026, 2027, true).await.unwrap();
    assert!(shared.for_sharing);
    assert_eq!(values(&shared, "opened", "wszczęte procedury"), vec![Cell::FewerThanFive; 3]);
    assert_eq!(
        values(&shared, "opened", "w tym: pracownik socjalny jednostki organizacyjnej pomocy społecznej")[1],
        Cell::Value(0)
    );
    // A median of fewer than five closings is not shared either.
    assert_eq!(values(&shared, "duration", "mediana"), vec![Cell::FewerThanFive; 3]);
    // The aggregate viewer gets the shared version whatever they ask for; a group member nothing.
    let viewer = h.store.local_diagnosis(&t.viewer, 2026, 2027, false).await.unwrap();
    assert_eq!(viewer, shared);
    assert!(matches!(h.store.local_diagnosis(&t.member, 2026, 2027, false).await, Err(StoreError::NotFound)));
    assert!(matches!(h.store.support_outcomes(&t.member, 2026, 2027, false).await, Err(StoreError::NotFound)));
    let outcomes = h.store.support_outcomes(&t.viewer, 2026, 2027, false).await.unwrap();
    assert!(outcomes.for_sharing && outcomes.tables.iter().flat_map(|t| &t.rows).all(|r| r.figure.is_none()));
}

#[tokio::test]
async fn the_outcomes_of_support_give_every_figure_and_their_cases_to_the_team_only() {
    let h = Harness::new().await;
    let t = learning_town(&h).await;
    let o = h.store.support_outcomes(&t.chair, 2026, 2027, false).await.unwrap();
    assert_eq!(values(&o, "plans", "zakończone procedury"), n(&[2, 1, 3]));
    assert_eq!(values(&o, "plans", "działania planów"), n(&[3, 0, 3]));
    assert_eq!(values(&o, "plans", "zrealizowane"), n(&[2, 0, 2]));
    assert_eq!(values(&o, "plans", "niezrealizowane"), n(&[1, 0, 1]));
    assert_eq!(values(&o, "plans", "pozostawione w toku"), n(&[0, 0, 0]));
    assert_eq!(
        values(&o, "plans", "odsetek zrealizowanych działań"),
        vec![Cell::Value(667), Cell::Missing, Cell::Value(667)]
    );
    // Columns: actions, carried out, not carried out, share.
    assert_eq!(values(&o, "plans_by_institution", "Policja"), n(&[1, 1, 0, 1000]));
    assert_eq!(values(&o, "plans_by_institution", "jednostka organizacyjna pomocy społecznej"), n(&[1, 1, 0, 1000]));
    // The social worker's account names no institution.
    assert_eq!(values(&o, "plans_by_institution", "nie wskazano instytucji"), n(&[1, 0, 1, 0]));
    // P1: the check in June; P2: reopened in November (within 9 months of 13 March).
    assert_eq!(values(&o, "recurrence_9_months", "przemoc wystąpiła ponownie"), n(&[2, 0, 2]));
    assert_eq!(values(&o, "referrals", "skierowania"), n(&[0, 1, 1]));
    assert_eq!(values(&o, "referrals", "program ukończony"), n(&[0, 1, 1]));
    assert_eq!(values(&o, "referrals", "uchylanie się od udziału"), n(&[0, 0, 0]));
    let recurred = o.table("recurrence_9_months").unwrap().row("przemoc wystąpiła ponownie").unwrap();
    assert_eq!(recurred.figure, Some("recurred"));

    // The cases behind a figure: numbers of the cases, audited.
    let cases = h.store.outcome_cases(&t.chair, "recurred", 2026).await.unwrap();
    let ids: Vec<Uuid> = cases.iter().map(|c| c.procedure_id).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&t.cases[0]) && ids.contains(&t.cases[1]));
    let completed = h.store.outcome_cases(&t.chair, "completed", 2027).await.unwrap();
    assert_eq!(completed.iter().map(|c| c.procedure_id).collect::<Vec<_>>(), [t.cases[2]]);
    let reads = audit_entries(&h.store, "read_personal_data").await;
    assert!(
        reads.iter().any(|e| e.object_kind == "support_outcomes" && e.object_id.as_deref() == Some("recurred-2026"))
    );
    // Not the aggregate viewer, not a group member; an unknown figure is not found.
    for who in [&t.viewer, &t.member, &t.social] {
        assert!(matches!(h.store.outcome_cases(who, "recurred", 2026).await, Err(StoreError::NotFound)));
    }
    assert!(matches!(h.store.outcome_cases(&t.chair, "everything", 2026).await, Err(StoreError::NotFound)));
    let _ = (&t.initiator, &t.police);
}

/// The speed of the local diagnosis (docs/benchmarks.md): five years of one municipality with the decrypting pass,
/// the first round reading forms not yet kept, the next ones the kept persons. Ignored; run with
/// `OSTOJA_BENCH_DATA_DIR` (a `demo --procedures N` data directory; `OSTOJA_BENCH_DATABASE_URL` for PostgreSQL) and
/// `--run-ignored only`.
#[tokio::test]
#[ignore = "a benchmark on an existing data set"]
async fn bench_local_diagnosis() {
    let Ok(dir) = std::env::var("OSTOJA_BENCH_DATA_DIR") else { return };
    let options = store::StorageOptions {
        data_dir: dir.into(),
        database_url: std::env::var("OSTOJA_BENCH_DATABASE_URL").ok(),
        master_key_file: None,
    };
    let store = store::Store::open(&options, std::sync::Arc::new(domain::clock::SystemClock)).await.unwrap();
    let to: i16 = std::env::var("OSTOJA_BENCH_YEAR").ok().and_then(|y| y.parse().ok()).unwrap_or(2026);
    let (chair, _) = store.account_by_login("demo.chair").await.unwrap();
    let chair = store.principal(chair).await.unwrap();
    let rounds: usize = std::env::var("OSTOJA_BENCH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(4);
    // The process's CPU time in ms (10 ms ticks): on a machine shared with builds the wall time waits, this does not.
    let cpu = || {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let fields: Vec<f64> =
            stat.rsplit(')').next().unwrap_or("").split_whitespace().map(|f| f.parse().unwrap_or(0.0)).collect();
        (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) * 10.0
    };
    for round in 0..rounds {
        let (t, c) = (std::time::Instant::now(), cpu());
        let d = store.local_diagnosis(&chair, to - 4, to, false).await.unwrap();
        let (wall, used) = (t.elapsed().as_secs_f64() * 1000.0, cpu() - c);
        let opened = d.table("opened").and_then(|t| t.rows[0].cells.last().copied());
        println!("round {round}: local diagnosis {}–{to}, {wall:.1} ms, CPU {used:.0} ms (opened {opened:?})", to - 4);
    }
}
