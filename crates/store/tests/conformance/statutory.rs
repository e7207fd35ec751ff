//! The statutory set on a second fixture of a different shape from the reference one (small odd numbers): a woman
//! without PESEL or birth date on two forms A with her disability only on the later one, a grandmother and a girl on
//! one form, a man experiencing violence and a woman using it, a closing in the previous year with monitoring running
//! into the report year, an extended group, a referral, a protective measure, a training with its audience, members' training histories, an
//! entered line, children secured under art. 12a (a placement recorded in each year, one entered), and a running case of 2022 on the 2011 forms typed in from paper with its group's appointment
//! backdated into the previous year. Every line asserted exactly, then approval, lock, correction and re-approval.

use domain::forms::records::RecordKind;
use domain::forms::{Answers, FormKind, FormVersion, ValidatedAnswers, definition, validate};
use domain::identity::Role;
use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind};
use domain::procedure::referral::{ProgrammeKind, ReferralStep};
use domain::programme::statutory::GapKind;
use jiff::{SignedDuration, Timestamp};
use store::Caller;
use store::StoreError;
use store::identity::Principal;
use store::procedure::{AppointmentBasis, CaseHandle, FormAIntake, validate_record};
use store::programme::statutory::EnterOutcome;
use uuid::Uuid;

use crate::procedure::{person, pesel};
use crate::support::*;

const YEAR: i16 = 2027;

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

fn validated(kind: FormKind, pairs: &[(&str, String)]) -> ValidatedAnswers {
    validated_in(FormVersion::V2023, kind, pairs)
}

fn validated_in(version: FormVersion, kind: FormKind, pairs: &[(&str, String)]) -> ValidatedAnswers {
    let answers: Answers = pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    validate(definition(kind, version).unwrap(), &answers).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"))
}

/// A form A filled half an hour ago with these persons (`affected_persons[0].first_name` → "Ewa", …).
fn form_a(h: &Harness, category: &str, violence: &str, persons: &[(&str, String)]) -> ValidatedAnswers {
    let mut pairs: Vec<(&str, String)> = vec![
        ("header.filled_at", minute(h.now().checked_sub(SignedDuration::from_mins(30)).unwrap())),
        ("violence.forms", violence.into()),
        ("household.children_present", "false".into()),
        ("firearm.has_firearm", "no".into()),
        ("filled_by.category", category.into()),
        ("filled_by.first_name", "Piotr".into()),
        ("filled_by.last_name", "Wiśniewski".into()),
        ("filled_by.institution", "Instytucja".into()),
    ];
    pairs.extend(persons.iter().cloned());
    validated(FormKind::A, &pairs)
}

fn form_c(h: &Harness, first: &str, last: &str) -> ValidatedAnswers {
    validated(
        FormKind::C,
        &[
            ("header.place", "Rawa".into()),
            ("header.date", day(h.now())),
            ("affected_person.first_name", first.into()),
            ("affected_person.last_name", last.into()),
        ],
    )
}

fn form_d(h: &Harness, first: &str, last: &str) -> ValidatedAnswers {
    validated(
        FormKind::D,
        &[
            ("header.place", "Rawa".into()),
            ("header.date", day(h.now())),
            ("suspected_person.first_name", first.into()),
            ("suspected_person.last_name", last.into()),
        ],
    )
}

fn record(kind: RecordKind, pairs: &[(&str, String)]) -> ValidatedAnswers {
    let answers: Answers = pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    validate_record(kind, &answers).unwrap_or_else(|e| panic!("{kind:?}: {e:?}"))
}

struct Town {
    chair: Principal,
    initiator: Principal,
    social: Principal,
    police: Principal,
    teacher: Principal,
}

async fn open(h: &Harness, t: &Town, form: &ValidatedAnswers, extra: bool) -> (CaseHandle, CaseHandle) {
    let FormAIntake::Opened { id, .. } =
        h.store.open_procedure(&Caller::local(&t.initiator), form, true).await.unwrap()
    else {
        panic!("recognised as known")
    };
    let chair = h.store.case_access(&Caller::local(&t.chair), id).await.unwrap();
    let mut members = vec![
        (t.social.account_id, GroupMemberKind::SocialWorker),
        (t.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    if extra {
        members.push((t.teacher.account_id, GroupMemberKind::Teacher));
    }
    h.store.appoint_group(&chair, &members, AppointmentBasis::TeamDecision, 1).await.unwrap();
    let group = h.store.case_access(&Caller::local(&t.social), id).await.unwrap();
    (chair, group)
}

async fn version(h: &Harness, case: &CaseHandle) -> i64 {
    h.store.procedure_version(case).await.unwrap()
}

async fn add_form(h: &Harness, case: &CaseHandle, form: &ValidatedAnswers) {
    let v = version(h, case).await;
    h.store.add_form(case, form, v).await.unwrap();
}

async fn command(h: &Harness, case: &CaseHandle, c: Command) {
    let v = version(h, case).await;
    match c {
        // A closing goes with its record (reason, justification, the deciding meeting).
        Command::Close { reason } => {
            crate::support::close_case(&h.store, case, reason, v).await.unwrap();
        }
        _ => {
            h.store.apply_procedure_command(case, &c, v).await.unwrap();
        }
    }
}

/// A child taken from the family under art. 12a an hour ago.
fn placement(h: &Harness, child_sex: &str) -> ValidatedAnswers {
    record(
        RecordKind::ChildPlacement,
        &[
            ("placement.placed_at", minute(h.now().checked_sub(SignedDuration::from_hours(1)).unwrap())),
            p("placement.placed_with", "close_person"),
            p("placement.place", "Babcia dziecka"),
            p("placement.placed_by", "pracownik socjalny, funkcjonariusz Policji, ratownik medyczny"),
            p("placement.child_sex", child_sex),
        ],
    )
}

fn p(k: &'static str, v: &str) -> (&'static str, String) {
    (k, v.to_owned())
}

async fn second_town(h: &Harness) -> Town {
    let tenant = tenant(&h.store).await.id;
    let t = Town {
        chair: person(h, tenant, "przewodniczacy", &[Role::Chair]).await,
        initiator: person(h, tenant, "inicjator", &[Role::Initiator]).await,
        social: person(h, tenant, "socjalny", &[Role::GroupMember]).await,
        police: person(h, tenant, "policja", &[Role::GroupMember]).await,
        teacher: person(h, tenant, "nauczycielka", &[Role::GroupMember]).await,
    };
    // 2026. F1 (Police): Ewa and Marek, closed in 2026, monitored into 2027.
    h.advance(SignedDuration::from_hours(24 * 30));
    let f1 = form_a(
        h,
        "police",
        "psychological",
        &[
            p("affected_persons[0].first_name", "Ewa"),
            p("affected_persons[0].last_name", "Zielińska"),
            ("affected_persons[0].pesel", pesel("7801010024")),
            p("suspected_persons[0].first_name", "Marek"),
            p("suspected_persons[0].last_name", "Zieliński"),
            ("suspected_persons[0].pesel", pesel("7702020017")),
        ],
    );
    let (f1, f1_group) = open(h, &t, &f1, false).await;
    h.advance(SignedDuration::from_hours(24));
    command(h, &f1_group, Command::RecordGroupMeeting).await;
    add_form(h, &f1, &form_c(h, "Ewa", "Zielińska")).await;
    add_form(h, &f1, &form_d(h, "Marek", "Zieliński")).await;
    // A child secured in 2026: counted in that year, not the next.
    h.store.add_record(&f1_group, &placement(h, "boy")).await.unwrap();
    command(h, &f1, Command::Close { reason: ClosingReason::ViolenceStopped }).await;
    // F2 (social worker): Halina, no PESEL nor birth date, runs into 2027.
    h.advance(SignedDuration::from_hours(24 * 20));
    let halina = |h: &Harness, disability: bool| {
        let mut persons = vec![
            p("affected_persons[0].first_name", "Halina"),
            p("affected_persons[0].last_name", "Nowak"),
            p("suspected_persons[0].first_name", "Tomasz"),
            p("suspected_persons[0].last_name", "Nowak"),
            ("suspected_persons[0].pesel", pesel("6905050017")),
        ];
        if disability {
            persons.push(p("affected_persons[0].has_disability", "true"));
        } else {
            persons.push(p("affected_persons[0].sex", "female"));
        }
        form_a(h, "social_worker", "psychological", &persons)
    };
    let (f2, _) = open(h, &t, &halina(h, false), false).await;

    // 2027.
    move_to(h, "2027-02-01");
    add_form(h, &f2, &halina(h, true)).await;
    // F3 (teacher): a grandmother and a girl, extended group, a referral of the man.
    let f3 = form_a(
        h,
        "teacher",
        "physical,economic",
        &[
            p("affected_persons[0].first_name", "Zofia"),
            p("affected_persons[0].last_name", "Wójcik"),
            ("affected_persons[0].pesel", pesel("5003150024")),
            p("affected_persons[1].first_name", "Lena"),
            p("affected_persons[1].last_name", "Wójcik"),
            p("affected_persons[1].birth_date", "2015-06-01"),
            p("affected_persons[1].sex", "female"),
            p("suspected_persons[0].first_name", "Adam"),
            p("suspected_persons[0].last_name", "Wójcik"),
            ("suspected_persons[0].pesel", pesel("8004040017")),
        ],
    );
    let (f3, f3_group) = open(h, &t, &f3, true).await;
    h.advance(SignedDuration::from_hours(24));
    command(h, &f3_group, Command::RecordGroupMeeting).await;
    add_form(h, &f3, &form_c(h, "Zofia", "Wójcik")).await;
    add_form(h, &f3, &form_d(h, "Adam", "Wójcik")).await;
    // Lena secured under art. 12a, recorded in the case.
    h.store.add_record(&f3_group, &placement(h, "girl")).await.unwrap();
    let person = h.store.referrals_view(&f3_group).await.unwrap().suspected_persons[0].person;
    let referral = Uuid::now_v7();
    let v = version(h, &f3_group).await;
    h.store
        .referral_step(
            &f3_group,
            referral,
            &ReferralStep::Request { programme: ProgrammeKind::CorrectionalEducational, person },
            v,
        )
        .await
        .unwrap();
    let v = version(h, &f3).await;
    h.store.referral_step(&f3, referral, &ReferralStep::Refer { provider: "PCPR".into() }, v).await.unwrap();
    // F4 (Police): a man with a disability, a woman using violence; a measure; closed for no grounds; no form D.
    h.advance(SignedDuration::from_hours(24 * 10));
    let f4 = form_a(
        h,
        "police",
        "psychological",
        &[
            p("affected_persons[0].first_name", "Karol"),
            p("affected_persons[0].last_name", "Mazur"),
            ("affected_persons[0].pesel", pesel("9009090017")),
            p("affected_persons[0].has_disability", "true"),
            p("suspected_persons[0].first_name", "Iwona"),
            p("suspected_persons[0].last_name", "Mazur"),
            ("suspected_persons[0].pesel", pesel("9108080024")),
        ],
    );
    let (f4, f4_group) = open(h, &t, &f4, false).await;
    h.advance(SignedDuration::from_hours(24));
    command(h, &f4_group, Command::RecordGroupMeeting).await;
    add_form(h, &f4, &form_c(h, "Karol", "Mazur")).await;
    let measure = record(
        RecordKind::ProtectiveMeasure,
        &[p("measure.kind", "police_approach_ban"), ("measure.issued_on", day(h.now()))],
    );
    h.store.add_record(&f4, &measure).await.unwrap();
    command(h, &f4, Command::Close { reason: ClosingReason::NoGrounds }).await;
    // F5: a case opened on paper in May 2022 on the 2011 form A (Maria and Jan, names only), still running; the team
    // types it in now, with its group appointed on 15 December 2026: the appointment counts in 2026, not today.
    let paper = validated_in(
        FormVersion::V2011,
        FormKind::A,
        &[
            p("header.place", "Rawa"),
            p("header.date", "2022-05-10"),
            p("header.institution", "Miejski Ośrodek Pomocy Społecznej"),
            p("affected_person.first_name", "Maria"),
            p("affected_person.last_name", "Kaczmarek"),
            p("suspected_person.first_name", "Jan"),
            p("suspected_person.last_name", "Kaczmarek"),
            p("suspect_background.probation_supervision", "no"),
        ],
    );
    let FormAIntake::Opened { id: f5, number } =
        h.store.open_procedure_from_paper(&Caller::local(&t.chair), &paper, false).await.unwrap()
    else {
        panic!("the paper case was recognised as known")
    };
    assert!(number.starts_with("NK/2022/"), "{number}");
    let f5 = h.store.case_access(&Caller::local(&t.chair), f5).await.unwrap();
    let appointed_on = "2026-12-15".parse::<jiff::civil::Date>().unwrap().at(10, 0, 0, 0).to_zoned(zone()).unwrap();
    let members =
        [(t.social.account_id, GroupMemberKind::SocialWorker), (t.police.account_id, GroupMemberKind::PoliceOfficer)];
    let v = version(h, &f5).await;
    h.store
        .appoint_group_at(&f5, &members, AppointmentBasis::TeamDecision, Some(appointed_on.timestamp()), v)
        .await
        .unwrap();
    let view = h.store.procedure_view(&f5).await.unwrap();
    let appointment = view.timeline.iter().find(|e| e.kind.as_str() == "group_appointed").unwrap();
    assert!(appointment.entered_late, "typed in weeks after the appointment");
    command(h, &f5, Command::RecordGroupMeeting).await;
    let form_c_2011 = validated_in(
        FormVersion::V2011,
        FormKind::C,
        &[
            ("header.date", day(h.now())),
            p("affected_person.first_name", "Maria"),
            p("affected_person.last_name", "Kaczmarek"),
        ],
    );
    add_form(h, &f5, &form_c_2011).await;
    // A training: 7 participants, 3 of them team members and 2 group members (more than came is refused).
    let training = store::team::ActivityDraft {
        kind: "training".into(),
        held_on: "2027-02-10".into(),
        title: "Szkolenie".into(),
        participants: "7".into(),
        team_members_trained: "8".into(),
        group_members_trained: "2".into(),
        ..Default::default()
    };
    let refused = training.validate().unwrap_err();
    assert_eq!(refused.for_field("team_members_trained"), Some("err-activity-trained-exceeds-participants"));
    let training = store::team::ActivityDraft { team_members_trained: "3".into(), ..training };
    h.store.create_activity(&Caller::local(&t.chair), &training.validate().unwrap()).await.unwrap();
    move_to(h, "2028-01-15");
    // The members trained in 2027 come from the members' training histories: three team members, two of whom (the
    // social worker and the police officer, through their accounts) sit in support groups. One trained twice counts
    // once; a training of 2026 does not count.
    let trained_member = |name: &str, account: Option<uuid::Uuid>| store::team::MemberDraft {
        full_name: name.into(),
        account_id: account.map(|a| a.to_string()).unwrap_or_default(),
        function: "member".into(),
        appointed_on: "2026-01-10".into(),
        confidentiality_signed_on: "2026-01-10".into(),
        ..Default::default()
    };
    let history = [
        ("Pracownik Socjalny", Some(t.social.account_id), vec!["2027-02-10", "2027-09-30"]),
        ("Funkcjonariusz Policji", Some(t.police.account_id), vec!["2027-02-10"]),
        ("Lekarz Rodzinny", None, vec!["2027-12-31"]),
        ("Kurator Zawodowy", None, vec!["2026-12-31"]),
    ];
    for (name, account, days) in history {
        let input = trained_member(name, account).validate(h.store.today()).unwrap();
        let member = h.store.create_team_member(&Caller::local(&t.chair), &input).await.unwrap();
        for day in days {
            let entry = store::team::TrainingDraft {
                kind: "further".into(),
                title: "Szkolenie".into(),
                completed_on: day.into(),
                ..Default::default()
            };
            h.store
                .add_member_training(&Caller::local(&t.chair), member, &entry.validate(h.store.today()).unwrap())
                .await
                .unwrap();
        }
    }
    t
}

fn assert_lines(set: &store::programme::statutory::StatutorySet, expected: &[(&str, i64)]) {
    for (id, n) in expected {
        assert_eq!(set.value(id), *n, "{id}");
    }
}

#[tokio::test]
async fn a_second_municipality_of_another_shape_gives_every_statutory_line_exactly() {
    let h = Harness::new().await;
    let t = second_town(&h).await;
    assert_eq!(
        h.store.enter_statutory_line(&t.chair, YEAR, "children_secured_elsewhere", "1", false).await.unwrap(),
        EnterOutcome::Saved
    );
    // The total is computed, never entered.
    assert!(matches!(
        h.store.enter_statutory_line(&t.chair, YEAR, "children_secured", "5", false).await,
        Err(StoreError::NotFound)
    ));
    let set = h.store.statutory_set(&t.chair, YEAR).await.unwrap();
    assert!(set.approval.is_none());
    assert_lines(
        &set,
        &[
            ("programmes_in_force", 0),
            ("teams", 1),
            ("team_meetings", 0),
            // F3 and F4; F5's group was appointed in 2026 although typed in now.
            ("groups_created", 2),
            ("groups_functioning", 4),
            ("groups_extended", 1),
            ("procedures_opened", 2),
            ("opened_teacher", 1),
            ("opened_police", 1),
            ("opened_social_worker", 0),
            ("opened_other", 0),
            // F2 and the paper case F5.
            ("procedures_continued", 2),
            ("further_incidents", 1),
            // Halina once (her disability from the later form), Zofia, Lena, Karol, and Maria of the 2011 form.
            ("persons_affected", 5),
            ("affected_physical", 2),
            ("affected_psychological", 2),
            ("affected_economic", 2),
            ("affected_sexual", 0),
            ("affected_cyber", 0),
            ("affected_women", 2),
            ("affected_women_disability", 1),
            ("affected_women_elderly", 1),
            ("affected_men", 1),
            ("affected_men_disability", 1),
            ("affected_men_elderly", 0),
            ("affected_children", 1),
            ("affected_girls", 1),
            ("affected_boys", 0),
            ("affected_children_disability", 0),
            // Maria: the 2011 form A does not state sex.
            ("affected_sex_unknown", 1),
            ("forms_c", 3),
            // Lena's placement recorded in F3, and one the centre entered for a placement outside the team's cases.
            ("children_secured", 2),
            ("children_secured_in_cases", 1),
            ("children_secured_elsewhere", 1),
            ("closed_violence_stopped", 0),
            ("closed_no_grounds", 1),
            // Ewa and Marek (closed in 2026, monitored), Karol and Iwona (closed in 2027): persons, not cases.
            ("monitoring_persons", 4),
            // Tomasz, Adam, Iwona, and Jan (2011, sex not stated).
            ("persons_using", 4),
            ("using_women", 1),
            ("using_men", 2),
            ("forms_d", 1),
            ("ce_asked", 1),
            ("ce_asked_men", 1),
            ("ce_referred", 1),
            ("ce_referred_men", 1),
            ("ce_started", 0),
            ("pt_asked", 0),
            ("trainings", 1),
            ("training_participants", 7),
            ("trained_team_members", 3),
            ("trained_group_members", 2),
            ("protective_measures", 1),
            ("measure_police_approach_ban", 1),
        ],
    );
    // The second count reads the persons the first one kept (encrypted) and gives the same lines.
    assert!(scalar(&h.store, "SELECT COUNT(*) FROM statutory_form_persons").await >= 5);
    assert_eq!(h.store.statutory_set(&t.chair, YEAR).await.unwrap().lines, set.lines);
    // The year before: F1 and F2 opened, F1 closed for violence stopped; F5 ran (opened in 2022) and its group was
    // appointed then.
    let before = h.store.statutory_set(&t.chair, YEAR - 1).await.unwrap();
    assert_lines(
        &before,
        &[
            ("procedures_opened", 2),
            ("procedures_continued", 1),
            ("groups_created", 3),
            ("closed_violence_stopped", 1),
            ("persons_affected", 3),
            // F1's placement of 2026.
            ("children_secured", 1),
            ("children_secured_in_cases", 1),
            ("children_secured_elsewhere", 0),
        ],
    );
    // Words, never codes.
    let csv = set.to_csv();
    assert!(csv.contains("liczba osób doznających przemocy domowej") && csv.contains("niezatwierdzone"), "{csv}");
    assert!(!csv.contains("Halina") && !csv.contains("Nowak"));
    assert!(matches!(h.store.statutory_set(&t.social, YEAR).await, Err(StoreError::NotFound)));
}

#[tokio::test]
async fn a_year_is_approved_after_its_gaps_frozen_corrected_and_approved_again() {
    let h = Harness::new().await;
    let t = second_town(&h).await;
    let gaps = h.store.statutory_gaps(&t.chair, YEAR).await.unwrap();
    let kinds: Vec<(GapKind, &str)> = gaps.iter().map(|g| (g.kind, g.procedure_number.as_str())).collect();
    // Halina's birth date is unknown; F2 has no forms C and D; F4 has no form D (its group did not meet: still
    // listed); F1 and F4 are monitored without a check.
    assert!(kinds.iter().any(|(k, _)| *k == GapKind::PersonWithoutSexOrBirthDate), "{kinds:?}");
    assert!(kinds.iter().any(|(k, _)| *k == GapKind::ProcedureWithoutFormD));
    assert_eq!(kinds.iter().filter(|(k, _)| *k == GapKind::MonitoringWithoutCheck).count(), 2, "{kinds:?}");

    // Gaps: a written reason is required; only the chair approves.
    assert_eq!(
        field_error(h.store.approve_statutory(&t.chair, YEAR, " ").await, "reason"),
        "err-statutory-approval-reason-required"
    );
    assert!(matches!(h.store.approve_statutory(&t.social, YEAR, "x").await, Err(StoreError::NotFound)));
    let reason = "Brakujące dane uzupełni ośrodek pomocy społecznej.";
    assert_eq!(h.store.approve_statutory(&t.chair, YEAR, reason).await.unwrap(), 1);
    let approved = h.store.statutory_set(&t.chair, YEAR).await.unwrap();
    assert_eq!(approved.approval.as_ref().map(|a| a.version), Some(1));
    assert!(approved.corrections.is_empty());
    assert!(approved.to_csv().contains("zatwierdzona wersja 1"));

    // A late entry changes a frozen figure: the report still shows version 1 and lists the correction.
    h.store.enter_statutory_line(&t.chair, YEAR, "children_secured_elsewhere", "2", false).await.unwrap();
    let later = h.store.statutory_set(&t.chair, YEAR).await.unwrap();
    assert_eq!(later.value("children_secured"), 1, "the approved figure: Lena's placement");
    let corrections: Vec<_> = later.corrections.iter().map(|c| (c.id, c.approved, c.now)).collect();
    assert_eq!(corrections, vec![("children_secured", 1, 3), ("children_secured_elsewhere", 0, 2)]);
    // Re-approval makes version 2 with the corrected figure.
    assert_eq!(
        h.store.approve_statutory(&t.chair, YEAR, "Korekta: dzieci zabezpieczone zgłoszone przez OPS.").await.unwrap(),
        2
    );
    let again = h.store.statutory_set(&t.chair, YEAR).await.unwrap();
    assert_eq!((again.approval.as_ref().map(|a| a.version), again.value("children_secured")), (Some(2), 3));
    assert!(again.corrections.is_empty());
    assert!(!audit_entries(&h.store, "create").await.is_empty());
}

/// The set keeps its per-procedure and per-person figures between two looks while the municipality's procedures are
/// unchanged (issue 15, speed): a new case and a further form A on it show at once, and what the page shows is what a
/// fresh count gives (the approval counts afresh, so no correction may appear right after it).
#[tokio::test]
async fn the_kept_statutory_figures_follow_a_new_case_and_a_further_form_a_at_once() {
    let h = Harness::new().await;
    let t = second_town(&h).await;
    let year = YEAR + 1;
    let first = h.store.statutory_set(&t.chair, year).await.unwrap();
    assert_eq!(h.store.statutory_set(&t.chair, year).await.unwrap().lines, first.lines, "an unchanged year");

    let new_case = form_a(
        &h,
        "police",
        "physical",
        &[
            p("affected_persons[0].first_name", "Irena"),
            p("affected_persons[0].last_name", "Mazur"),
            p("affected_persons[0].sex", "female"),
            p("affected_persons[0].birth_date", "1990-03-03"),
            p("suspected_persons[0].first_name", "Karol"),
            p("suspected_persons[0].last_name", "Mazur"),
            p("suspected_persons[0].sex", "male"),
        ],
    );
    let (case, _) = open(&h, &t, &new_case, false).await;
    let second = h.store.statutory_set(&t.chair, year).await.unwrap();
    assert_eq!(second.value("persons_affected"), first.value("persons_affected") + 1);
    assert_eq!(second.value("affected_women"), first.value("affected_women") + 1);
    assert_eq!(second.value("persons_using"), first.value("persons_using") + 1);
    assert_eq!(second.value("groups_functioning"), first.value("groups_functioning") + 1);

    // A further form A on the running case (its log's version moves; no procedure is added) naming her son.
    h.advance(SignedDuration::from_hours(24));
    let further = form_a(
        &h,
        "police",
        "physical",
        &[
            p("affected_persons[0].first_name", "Irena"),
            p("affected_persons[0].last_name", "Mazur"),
            p("affected_persons[0].sex", "female"),
            p("affected_persons[0].birth_date", "1990-03-03"),
            p("affected_persons[1].first_name", "Olek"),
            p("affected_persons[1].last_name", "Mazur"),
            p("affected_persons[1].sex", "male"),
            p("affected_persons[1].birth_date", "2019-09-09"),
            p("suspected_persons[0].first_name", "Karol"),
            p("suspected_persons[0].last_name", "Mazur"),
            p("suspected_persons[0].sex", "male"),
        ],
    );
    add_form(&h, &case, &further).await;
    let third = h.store.statutory_set(&t.chair, year).await.unwrap();
    assert_eq!(third.value("persons_affected"), second.value("persons_affected") + 1, "Irena once, Olek new");
    assert_eq!(third.value("affected_boys"), second.value("affected_boys") + 1);
    assert_eq!(third.value("persons_using"), second.value("persons_using"), "Karol once");

    // What the page showed is what a fresh count gives: the approval counts afresh and freezes it.
    h.store.approve_statutory(&t.chair, year, "Sprawdzenie zgodności.").await.unwrap();
    let approved = h.store.statutory_set(&t.chair, year).await.unwrap();
    assert!(approved.corrections.is_empty(), "kept and fresh figures differ: {:?}", approved.corrections);
    assert_eq!(approved.lines, third.lines);
}

#[tokio::test]
async fn an_entered_statutory_line_refuses_bad_numbers_and_asks_when_far_off_last_year() {
    let h = Harness::new().await;
    let tenant = tenant(&h.store).await.id;
    let chair = person(&h, tenant, "przewodniczacy", &[Role::Chair]).await;
    for (raw, code) in [("abc", "err-indicator-not-a-number"), ("-3", "err-indicator-negative"), ("", "err-required")] {
        assert_eq!(
            field_error(
                h.store.enter_statutory_line(&chair, 2026, "children_secured_elsewhere", raw, false).await,
                "value"
            ),
            code
        );
    }
    // A computed line cannot be entered.
    assert!(matches!(
        h.store.enter_statutory_line(&chair, 2026, "forms_c", "3", false).await,
        Err(StoreError::NotFound)
    ));
    h.store.enter_statutory_line(&chair, 2026, "children_secured_elsewhere", "2", false).await.unwrap();
    assert_eq!(
        h.store.enter_statutory_line(&chair, 2027, "children_secured_elsewhere", "40", false).await.unwrap(),
        EnterOutcome::NeedsConfirmation { last_year: 2 }
    );
    assert_eq!(
        h.store.enter_statutory_line(&chair, 2027, "children_secured_elsewhere", "40", true).await.unwrap(),
        EnterOutcome::Saved
    );
}

/// Every step is stored with its command's name in `procedure_command.kind` (the figures select steps by it) and the
/// moment it was entered: by the normal path, and by the bulk path of synthetic demo data, whose closing and group
/// then count in the statutory set like any other.
#[tokio::test]
async fn every_step_keeps_its_name_and_entry_moment_on_the_normal_and_the_bulk_path() {
    let h = Harness::new().await;
    second_town(&h).await;
    let demo = h.store.create_tenant(&operator(), OTHER_TERYT, "Gmina Demonstracyjna (DEMO)", true).await.unwrap();
    let chair = person(&h, demo.id, "demo-przewodniczacy", &[Role::Chair]).await;
    let social = person(&h, demo.id, "demo-socjalny", &[Role::GroupMember]).await;
    let police = person(&h, demo.id, "demo-policja", &[Role::GroupMember]).await;
    let form = form_a(
        &h,
        "police",
        "physical",
        &[
            p("affected_persons[0].first_name", "Zofia"),
            p("affected_persons[0].last_name", "Mazur"),
            ("affected_persons[0].pesel", pesel("8203030026")),
            p("suspected_persons[0].first_name", "Adam"),
            p("suspected_persons[0].last_name", "Mazur"),
            ("suspected_persons[0].pesel", pesel("8004040013")),
        ],
    );
    let opened = h.now() - SignedDuration::from_mins(30);
    let step = |mins: i64| opened + SignedDuration::from_mins(mins);
    let case = store::procedure::SyntheticCase {
        form_a: form,
        commands: vec![
            (
                Command::AppointGroup { members: vec![GroupMemberKind::SocialWorker, GroupMemberKind::PoliceOfficer] },
                step(5),
            ),
            (Command::RecordGroupMeeting, step(10)),
            (Command::RecordFormC, step(15)),
            (Command::Close { reason: ClosingReason::NoGrounds }, step(20)),
        ],
        group: vec![
            (social.account_id, GroupMemberKind::SocialWorker),
            (police.account_id, GroupMemberKind::PoliceOfficer),
        ],
    };
    let actors = store::procedure::SyntheticActors { initiator: police.account_id, team: chair.account_id };
    assert_eq!(h.store.insert_synthetic_cases(&operator(), demo.id, actors, &[case]).await.unwrap(), 1);

    let sql = sqlx::AssertSqlSafe(
        "SELECT command, kind, CASE WHEN recorded_at IS NULL THEN 0 ELSE 1 END FROM procedure_command",
    );
    let rows: Vec<(String, String, i32)> = match h.store.db() {
        store::Db::Sqlite(pool, _) => sqlx::query_as(sql).fetch_all(pool).await,
        store::Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await,
    }
    .unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for (command, kind, recorded) in &rows {
        let parsed: Command = serde_json::from_str(command).unwrap();
        assert_eq!(kind, parsed.as_str(), "{command}");
        assert_eq!(*recorded, 1, "no moment of entry: {command}");
        kinds.insert(kind.as_str());
    }
    for kind in ["appoint_group", "record_group_meeting", "record_form_c", "close", "referral"] {
        assert!(kinds.contains(kind), "{kind} missing from {kinds:?}");
    }
    // The bulk case's year: its group created and functioning, its closing counted by reason.
    let year = h.now().to_zoned(zone()).year();
    let set = h.store.statutory_set(&chair, year).await.unwrap();
    assert_lines(
        &set,
        &[
            ("procedures_opened", 1),
            ("groups_created", 1),
            ("groups_functioning", 1),
            ("closed_no_grounds", 1),
            ("closed_violence_stopped", 0),
            ("monitoring_persons", 2),
        ],
    );
}

/// The speed of the whole statutory set (docs/benchmarks.md): one municipality-year with the persons' pass, and every
/// municipality's clear-column figures at once against their bare SQL. Ignored; run with `OSTOJA_BENCH_DATA_DIR`
/// (and `OSTOJA_BENCH_DATABASE_URL` for PostgreSQL) and `--run-ignored only`.
#[tokio::test]
#[ignore = "a benchmark on an existing data set"]
async fn bench_statutory_set() {
    let Ok(dir) = std::env::var("OSTOJA_BENCH_DATA_DIR") else { return };
    let options = store::StorageOptions {
        data_dir: dir.into(),
        database_url: std::env::var("OSTOJA_BENCH_DATABASE_URL").ok(),
        master_key_file: None,
    };
    let store = store::Store::open(&options, std::sync::Arc::new(domain::clock::SystemClock)).await.unwrap();
    let year: i16 = std::env::var("OSTOJA_BENCH_YEAR").ok().and_then(|y| y.parse().ok()).unwrap_or(2025);
    let (chair, _) = store.account_by_login("demo.chair").await.unwrap();
    let chair = store.principal(chair).await.unwrap();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let all_tenants = std::env::var("OSTOJA_BENCH_ALL").is_ok();
    let rounds: usize = std::env::var("OSTOJA_BENCH_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(4);
    // The process's CPU time (every thread: SQLite works on its own), in ms of 10 ms ticks: on a machine shared with
    // other builds the wall time waits for the CPU, this does not.
    let cpu = || {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let fields: Vec<f64> =
            stat.rsplit(')').next().unwrap_or("").split_whitespace().map(|f| f.parse().unwrap_or(0.0)).collect();
        (fields.get(11).unwrap_or(&0.0) + fields.get(12).unwrap_or(&0.0)) * 10.0
    };
    for round in 0..rounds {
        let (t, c) = (std::time::Instant::now(), cpu());
        let set = store.statutory_set(&chair, year).await.unwrap();
        let (one, one_cpu) = (ms(t.elapsed()), cpu() - c);
        print!(
            "round {round}: statutory set, one municipality {one:.1} ms, CPU {one_cpu:.0} ms (opened {}, persons {}, using {})",
            set.value("procedures_opened"),
            set.value("persons_affected"),
            set.value("persons_using")
        );
        if all_tenants {
            let t = std::time::Instant::now();
            let all = store.all_tenants_indicators(year).await.unwrap();
            let all_ms = ms(t.elapsed());
            let t = std::time::Instant::now();
            let rows = store.bare_indicator_queries(year).await.unwrap();
            let bare = ms(t.elapsed());
            print!(
                "; all {} municipalities {all_ms:.1} ms, bare SQL {bare:.1} ms ({rows} rows), ratio {:.2}",
                all.len(),
                all_ms / bare
            );
        }
        println!();
    }
}
