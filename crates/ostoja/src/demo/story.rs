//! The demo municipality's procedures as a town of its size lives them: about 135 forms A a year for three years
//! (the order of the reference report, Tomaszów Mazowiecki 2024), each case taken through the state machine at the
//! times its steps would have happened. The store stamps every step with its clock, so the demo runs it on a
//! [`ManualClock`] and moves that clock to each step's instant; every step still goes through the normal store API
//! (form validation, person rules, encryption, blind indexes, audit, need-to-know).
//!
//! What the data shows: most groups appointed within the 3 days and most first meetings within 5 working days, a
//! few late ones (deadline breaches); forms C and D; further forms A in running cases; closings for both statutory
//! reasons after a few months; monitoring ended 9 months later; a few cases transferred to another municipality; a
//! few reopened during monitoring by a new form A; the newest still opened, with a group, or in progress.
//!
//! Everything is fictitious (names from a short list of common surnames, PESELs with a valid check digit but
//! generated) and deterministic: the same seed gives the same municipality.

use domain::clock::{Clock, ManualClock};
use domain::forms::records::RecordKind;
use domain::forms::{Answers, FormKind, FormVersion, ValidatedAnswers, definition, validate};
use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind, ProcedureState};
use domain::procedure::referral::{ProgrammeKind, ReferralStep};
use jiff::{SignedDuration, Timestamp};
use store::Caller;
use store::identity::Principal;
use store::procedure::{AppointmentBasis, FormAIntake, IntakeResolution, validate_record};
use store::{Store, StoreError};
use uuid::Uuid;

use super::people::{self, Household, Initiator};

/// About 135 a year for three years.
pub const REALISTIC_COUNT: usize = 405;
pub const SPAN_DAYS: i64 = 3 * 365;

/// The accounts that act in the demo's cases.
pub struct Cast {
    pub initiator: Principal,
    pub chair: Principal,
    pub social: Principal,
    pub police: Principal,
    /// The school pedagogue, by whom the team extends a group when a child is involved.
    pub pedagogue: Principal,
}

/// A small deterministic generator (SplitMix64): the demo must give the same data on every machine and version, which
/// a library's "standard" generator does not promise.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let width = u64::try_from(hi - lo + 1).unwrap_or(1).max(1);
        lo + i64::try_from(self.next() % width).unwrap_or(0)
    }

    /// True in `percent` of the throws.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn local(at: Timestamp) -> jiff::civil::DateTime {
    at.to_zoned(domain::calendar::poland_zone()).datetime()
}

fn checked(kind: FormKind, pairs: Vec<(&str, String)>) -> anyhow::Result<ValidatedAnswers> {
    let def = definition(kind, FormVersion::V2023).ok_or_else(|| anyhow::anyhow!("form {kind:?} 2023 missing"))?;
    let answers: Answers = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    validate(def, &answers).map_err(|e| anyhow::anyhow!("demo form {kind:?} invalid: {e:?}"))
}

/// The people of case `i`, whose first form A was filled on `opened`.
pub fn household(i: usize, opened: Timestamp) -> Household {
    people::household(i, local(opened).date())
}

/// A form A about household `h`, filled at `at` by `by` (the first one of case `i` opens it).
pub fn form_a(i: usize, h: &Household, at: Timestamp, by: &Initiator) -> anyhow::Result<ValidatedAnswers> {
    let filled = local(at);
    let on = filled.date();
    let mut pairs: Vec<(String, String)> = vec![
        ("header.filled_at".into(), format!("{}T{:02}:{:02}", filled.date(), filled.hour(), filled.minute())),
        ("header.place".into(), "Gmina Demonstracyjna".into()),
    ];
    let mut all_forms: Vec<&str> = Vec::new();
    for (k, (p, forms)) in h.affected.iter().zip(&h.forms).enumerate() {
        let prefix = format!("affected_persons[{k}]");
        pairs.extend(p.fields(&prefix, true));
        pairs.push((format!("{prefix}.forms_experienced"), (*forms).to_owned()));
        if p.is_minor(on) {
            pairs.push((format!("{prefix}.is_minor"), "true".into()));
        }
        if p.elderly {
            pairs.push((format!("{prefix}.is_elderly"), "true".into()));
        }
        if p.disability {
            pairs.push((format!("{prefix}.has_disability"), "true".into()));
        }
        all_forms.extend(forms.split(','));
    }
    for (k, p) in h.suspected.iter().enumerate() {
        let prefix = format!("suspected_persons[{k}]");
        pairs.extend(p.fields(&prefix, true));
        pairs.push((format!("{prefix}.kinship"), h.kinship.to_owned()));
        pairs.push((format!("{prefix}.present_at_opening"), if h.suspect_present { "yes" } else { "no" }.into()));
    }
    // Where the family lives, so the local diagnosis has areas to count: a fictitious street in one of the
    // municipality's fictitious localities (the town most often), and now and then an address without a locality.
    if i != 0 && i % 9 != 4 {
        let locality = DEMO_LOCALITIES[(i * 7) % DEMO_LOCALITIES.len()];
        let address = format!("ul. Przykładowa {}, 00-{:03} {locality}", i % 60 + 1, 900 + i % 50);
        pairs.push(("affected_persons[0].residence_address".into(), address));
    }
    all_forms.sort_unstable();
    all_forms.dedup();
    pairs.push(("violence.forms".into(), all_forms.join(",")));
    pairs.push(("household.children_present".into(), h.has_child().to_string()));
    for (k, c) in h.children.iter().enumerate() {
        let prefix = format!("children[{k}]");
        pairs.extend(c.fields(&prefix, true));
        let kinship = if c.female { "córka" } else { "syn" };
        pairs.push((format!("{prefix}.kinship"), kinship.to_owned()));
        if people::age(c.birth, on) >= 7 {
            pairs.push((format!("{prefix}.school_and_class"), "Szkoła Podstawowa nr 1 (demo)".to_owned()));
        }
    }
    pairs.extend([
        ("firearm.has_firearm".into(), "no".into()),
        ("filled_by.category".into(), by.category.to_owned()),
        ("filled_by.first_name".into(), "Demo".into()),
        ("filled_by.last_name".into(), "Wypełniający".into()),
        ("filled_by.position".into(), by.position.to_owned()),
        ("filled_by.institution".into(), by.institution.to_owned()),
    ]);
    // The first case's person fled to a new address, which the chair seals (issue 20; see `run`).
    if i == 0 {
        pairs.push(("affected_persons[0].residence_address".into(), SEALED_DEMO_ADDRESS.to_owned()));
    }
    checked(FormKind::A, pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect())
}

/// The demo municipality's fictitious localities, the town listed most often.
const DEMO_LOCALITIES: [&str; 8] = [
    "Demonstracyjne Miasto",
    "Demonstracyjne Miasto",
    "Demonstracyjne Miasto",
    "Przykładowa Wola",
    "Przykładowa Wola",
    "Fikcyjne Pole",
    "Ostojów",
    "Zmyślony Gród",
];

/// The new address of the first demo case's person experiencing violence: sealed, so only the group's social worker
/// (the default) sees it.
pub const SEALED_DEMO_ADDRESS: &str = "ul. Nowa 5 m. 2, Gmina Demonstracyjna (adres fikcyjny)";

/// The chair seals the new address of the case's person experiencing violence, with a reason.
async fn seal_new_address(store: &Store, cast: &Cast, id: Uuid) -> anyhow::Result<()> {
    let chair = store.case_access(&Caller::local(&cast.chair), id).await?;
    let seals = store.case_seals(&chair).await?;
    let Some(person) = seals.persons.first() else { return Ok(()) };
    let seal = store::procedure::NewSeal {
        person: person.token.clone(),
        kind: domain::forms::seal::SealKind::Address,
        reason: "Osoba opuściła wspólne mieszkanie; nowy adres zna tylko pracownik socjalny (dane fikcyjne)."
            .to_owned(),
        viewers: Vec::new(),
    };
    store.seal_field(&chair, &seal).await?;
    Ok(())
}

fn form_c(h: &Household, at: Timestamp) -> anyhow::Result<ValidatedAnswers> {
    let mut pairs = vec![
        ("header.place".to_owned(), "Gmina Demonstracyjna".to_owned()),
        ("header.date".to_owned(), local(at).date().to_string()),
    ];
    pairs.extend(h.affected[0].fields("affected_person", false));
    checked(FormKind::C, pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect())
}

fn form_d(h: &Household, at: Timestamp) -> anyhow::Result<ValidatedAnswers> {
    let mut pairs = vec![
        ("header.place".to_owned(), "Gmina Demonstracyjna".to_owned()),
        ("header.date".to_owned(), local(at).date().to_string()),
    ];
    pairs.extend(h.suspected[0].fields("suspected_person", true));
    checked(FormKind::D, pairs.iter().map(|(k, v)| (k.as_str(), v.clone())).collect())
}

fn minute(at: Timestamp) -> String {
    local(at).strftime("%Y-%m-%dT%H:%M").to_string()
}

/// One of the group's records of a demo case, checked by its definition.
fn record(kind: RecordKind, pairs: Vec<(&str, String)>) -> anyhow::Result<ValidatedAnswers> {
    let answers: Answers = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    validate_record(kind, &answers).map_err(|e| anyhow::anyhow!("demo record {kind:?} invalid: {e:?}"))
}

/// A planned meeting; for a child, the parent who does not use violence comes in its place (the child is not invited).
fn planned_meeting(at: Timestamp, with_whom: &str, child: bool) -> anyhow::Result<ValidatedAnswers> {
    let mut pairs = vec![
        ("meeting.starts_at", minute(at)),
        ("meeting.with_whom", with_whom.to_owned()),
        ("meeting.mode", "in_person".to_owned()),
        ("meeting.place", "Ośrodek Pomocy Społecznej, sala 2 (demo)".to_owned()),
        ("meeting.agenda", "Analiza sytuacji rodziny, plan pomocy (dane fikcyjne).".to_owned()),
    ];
    if child && with_whom == "affected_person" {
        pairs.push(("meeting.child_represented_by", "parent".to_owned()));
    }
    record(RecordKind::Meeting, pairs)
}

fn minutes(at: Timestamp, with_whom: &str) -> anyhow::Result<ValidatedAnswers> {
    let attended = |who: &str| if with_whom == who { "yes" } else { "not_invited" };
    record(
        RecordKind::MeetingMinutes,
        vec![
            ("minutes.held_at", minute(at)),
            ("minutes.members_present", "pracownik socjalny, funkcjonariusz Policji (demo)".to_owned()),
            ("minutes.affected_attended", attended("affected_person").to_owned()),
            ("minutes.suspected_attended", attended("suspected_person").to_owned()),
            ("minutes.course", "Omówiono sytuację rodziny i ustalono dalsze działania (dane fikcyjne).".to_owned()),
            ("minutes.plan_reviewed", "true".to_owned()),
        ],
    )
}

/// Moves the store's clock to `at`.
fn set(clock: &ManualClock, at: Timestamp) {
    clock.advance(at.duration_since(clock.now()));
}

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

/// Creates `count` procedures, the oldest `SPAN_DAYS` ago, the newest today, each taken as far as its age allows.
/// Leaves the clock where it found it. Returns how many were opened.
pub async fn run(store: &Store, clock: &ManualClock, cast: &Cast, count: usize) -> anyhow::Result<usize> {
    let now = clock.now();
    let mut opened = 0;
    for i in 0..count {
        let mut dice = Dice::new(u64::try_from(i)?);
        let days_back = i64::try_from(count - 1 - i)? * SPAN_DAYS / i64::try_from(count.max(1))?;
        let t0 = now - hours(days_back * 24 + dice.range(1, 10));
        set(clock, t0);
        if is_2011_case(i, count) {
            opened += usize::from(old_case(store, clock, cast, i, t0, now, &mut dice).await?);
            continue;
        }
        let home = household(i, t0);
        let intake = store
            .open_procedure(&Caller::local(&cast.initiator), &form_a(i, &home, t0, &home.initiator)?, true)
            .await?;
        let FormAIntake::Opened { id, .. } = intake else { continue };
        opened += 1;
        if i == 0 {
            seal_new_address(store, cast, id).await?;
        }
        let mut case = Case { store, clock, cast, id, version: 1, at: t0, now, home };
        case.hand_over_form_b(&mut dice).await?;
        case.live(i, &mut dice).await?;
    }
    set(clock, now);
    Ok(opened)
}

/// Whether case `i` of `count` is one of the few still running on the 2011 forms: one in a hundred among the oldest
/// third (at least one when there are fifty cases).
fn is_2011_case(i: usize, count: usize) -> bool {
    count >= 50 && i % 100 == 50 && i < count / 3 + 50
}

/// A case opened in 2023 under the 2011 regulation (a "working group" then), typed in from paper by the chair when
/// the team started using Ostoja, and still running on the 2011 forms C and D.
async fn old_case(
    store: &Store,
    clock: &ManualClock,
    cast: &Cast,
    i: usize,
    t0: Timestamp,
    now: Timestamp,
    dice: &mut Dice,
) -> anyhow::Result<bool> {
    let filled = jiff::civil::Date::new(2023, i8::try_from(2 + i % 7)?, i8::try_from(1 + i % 27)?)?;
    let home = people::household(i, filled);
    let (her, him) = (home.affected[0].clone(), home.suspected[0].clone());
    let def = definition(FormKind::A, FormVersion::V2011).ok_or_else(|| anyhow::anyhow!("form A 2011 missing"))?;
    let received = filled.checked_add(SignedDuration::from_hours(24 * dice.range(1, 5)))?;
    let pairs: Vec<(&str, String)> = vec![
        ("header.place", "Gmina Demonstracyjna".into()),
        ("header.date", filled.to_string()),
        ("header.institution", home.initiator.institution.into()),
        ("affected_person.first_name", her.first_name.into()),
        ("affected_person.last_name", her.last_name.into()),
        ("suspected_person.first_name", him.first_name.into()),
        ("suspected_person.last_name", him.last_name.into()),
        ("suspect_background.probation_supervision", "no".into()),
        ("receipt.received_on", received.to_string()),
    ];
    let answers: Answers = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let form = validate(def, &answers).map_err(|e| anyhow::anyhow!("demo 2011 form A invalid: {e:?}"))?;
    let FormAIntake::Opened { id, .. } =
        store.open_procedure_from_paper(&Caller::local(&cast.chair), &form, true).await?
    else {
        return Ok(false);
    };
    let mut case = Case { store, clock, cast, id, version: 1, at: t0, now, home };
    // The working group was appointed on paper within days of the form reaching the chair.
    let team = store.case_access(&Caller::local(&cast.chair), id).await?;
    let members = [
        (cast.social.account_id, GroupMemberKind::SocialWorker),
        (cast.police.account_id, GroupMemberKind::PoliceOfficer),
    ];
    let appointed = received.checked_add(SignedDuration::from_hours(24 * dice.range(1, 2)))?;
    let appointed_at = appointed.at(10, 0, 0, 0).to_zoned(domain::calendar::poland_zone())?.timestamp();
    store.appoint_group_at(&team, &members, AppointmentBasis::ChairUnderDelegation, Some(appointed_at), 1).await?;
    case.version += 1;
    if !case.meeting(hours(dice.range(24, 5 * 24)), "affected_person").await? {
        return Ok(true);
    }
    let date = local(case.at).date().to_string();
    let c = [
        ("header.date", date.clone()),
        ("affected_person.first_name", her.first_name.to_owned()),
        ("affected_person.last_name", her.last_name.to_owned()),
    ];
    let d = [
        ("header.date", date),
        ("suspected_person.first_name", him.first_name.to_owned()),
        ("suspected_person.last_name", him.last_name.to_owned()),
    ];
    for (kind, pairs) in [(FormKind::C, c), (FormKind::D, d)] {
        let def = definition(kind, FormVersion::V2011).ok_or_else(|| anyhow::anyhow!("form {kind:?} 2011"))?;
        let answers: Answers = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let form = validate(def, &answers).map_err(|e| anyhow::anyhow!("demo 2011 form invalid: {e:?}"))?;
        case.form(&form).await?;
    }
    // Still running: the group checks on the family now and then.
    while case.next_at(hours(dice.range(60 * 24, 120 * 24))) {
        case.add(
            RecordKind::HomeVisit,
            vec![
                ("visit.on", local(case.at).date().to_string()),
                ("visit.by", "pracownik socjalny MOPS (demo)".to_owned()),
                ("visit.findings", "Sytuacja stabilna, rodzina korzysta z pomocy (dane fikcyjne).".to_owned()),
            ],
        )
        .await?;
    }
    Ok(true)
}

/// One case being taken through its steps; each step happens only if its instant is not in the future.
struct Case<'a> {
    store: &'a Store,
    clock: &'a ManualClock,
    cast: &'a Cast,
    id: Uuid,
    version: i64,
    /// The last step's instant.
    at: Timestamp,
    now: Timestamp,
    home: Household,
}

impl Case<'_> {
    /// Advances to `after` past the last step; false (and nothing happens) when that is still in the future.
    fn next_at(&mut self, after: SignedDuration) -> bool {
        let at = self.at + after;
        if at > self.now {
            return false;
        }
        self.at = at;
        set(self.clock, at);
        true
    }

    async fn command(&mut self, command: Command) -> Result<ProcedureState, StoreError> {
        let handle = self.store.case_access(&Caller::local(&self.cast.social), self.id).await?;
        let state = self.store.apply_procedure_command(&handle, &command, self.version).await?;
        self.version += 1;
        Ok(state)
    }

    /// The group closes at its latest held meeting, with the record the act asks for, the warnings confirmed.
    async fn close(&mut self, reason: ClosingReason) -> Result<ProcedureState, StoreError> {
        let handle = self.store.case_access(&Caller::local(&self.cast.social), self.id).await?;
        let context = self.store.closing_context(&handle).await?;
        let justification = match reason {
            ClosingReason::NoGrounds => {
                "Na posiedzeniu grupy ustalono, że zgłoszone zdarzenie nie było przemocą domową."
            }
            ClosingReason::ViolenceStopped => "Przemoc ustała, plan pomocy zrealizowano.",
        };
        let decision = domain::procedure::closing::ClosingDecision {
            reason,
            justification: Some(justification.to_owned()),
            occurred_at: None,
            meeting: context.meetings.first().map(|(id, _)| *id),
        };
        let state = self.store.close_procedure(&handle, &decision, true, self.version).await?;
        self.version += 1;
        Ok(state)
    }

    async fn form(&mut self, answers: &ValidatedAnswers) -> Result<(), StoreError> {
        let handle = self.store.case_access(&Caller::local(&self.cast.social), self.id).await?;
        self.store.add_form(&handle, answers, self.version).await?;
        self.version += 1;
        Ok(())
    }

    /// The initiator hands form B to the person experiencing violence, in Polish or (sometimes) Ukrainian or English;
    /// the team's staff record it (the initiator has no access to the group's records).
    async fn hand_over_form_b(&mut self, dice: &mut Dice) -> anyhow::Result<()> {
        let language = if dice.chance(8) {
            "uk"
        } else if dice.chance(3) {
            "en"
        } else {
            "pl"
        };
        let answers = record(
            RecordKind::FormBHandover,
            vec![
                ("handover.handed", "yes".to_owned()),
                ("handover.at", minute(self.at)),
                ("handover.to_whom", "affected_person".to_owned()),
                ("handover.language", language.to_owned()),
            ],
        )?;
        let team = self.store.case_access(&Caller::local(&self.cast.chair), self.id).await?;
        self.store.add_record(&team, &answers).await?;
        Ok(())
    }

    /// The group plans a meeting `after` from now and, once its time has come, writes its minutes (which moves the
    /// case on at the first one). False when the meeting is still ahead: it stays planned, as on a real dashboard.
    async fn meeting(&mut self, after: SignedDuration, with_whom: &str) -> anyhow::Result<bool> {
        let handle = self.store.case_access(&Caller::local(&self.cast.social), self.id).await?;
        // In office hours: between 9:00 and 14:00 on the day it falls on, or the next day when that has passed.
        let day = local(self.at + after).date();
        let hour = i8::try_from(9 + (self.at.as_second() / 3600).rem_euclid(6))?;
        let mut starts = day.at(hour, 0, 0, 0).to_zoned(domain::calendar::poland_zone())?.timestamp();
        if starts <= self.at {
            starts += hours(24);
        }
        let after = starts.duration_since(self.at);
        let child = self.home.affected.first().is_some_and(|p| p.is_minor(local(starts).date()));
        let record = self.store.add_record(&handle, &planned_meeting(starts, with_whom, child)?).await?;
        // Written up an hour after it ends.
        if !self.next_at(after + hours(2)) {
            return Ok(false);
        }
        self.store.hold_meeting(&handle, record, &minutes(starts, with_whom)?, 1, self.version).await?;
        self.version += 1;
        Ok(true)
    }

    /// The chair records why a clock was missed.
    async fn breach_reason(&mut self, rule: &str, reason: &str) -> anyhow::Result<()> {
        let answers = record(
            RecordKind::BreachReason,
            vec![
                ("breach.rule_id", rule.to_owned()),
                ("breach.recorded_on", local(self.at).date().to_string()),
                ("breach.reason", reason.to_owned()),
            ],
        )?;
        let team = self.store.case_access(&Caller::local(&self.cast.chair), self.id).await?;
        self.store.add_record(&team, &answers).await?;
        Ok(())
    }

    async fn refer_to_programme(&mut self, dice: &mut Dice) -> anyhow::Result<()> {
        let group = self.store.case_access(&Caller::local(&self.cast.social), self.id).await?;
        let Some(person) = self.store.referrals_view(&group).await?.suspected_persons.first().map(|p| p.person) else {
            return Ok(());
        };
        let programme = if dice.chance(70) {
            ProgrammeKind::CorrectionalEducational
        } else {
            ProgrammeKind::PsychologicalTherapeutic
        };
        let referral = Uuid::now_v7();
        self.store.referral_step(&group, referral, &ReferralStep::Request { programme, person }, self.version).await?;
        self.version += 1;
        if !self.next_at(hours(dice.range(24, 7 * 24))) {
            return Ok(());
        }
        let team = self.store.case_access(&Caller::local(&self.cast.chair), self.id).await?;
        let provider = "Powiatowe Centrum Pomocy Rodzinie, program korekcyjno-edukacyjny (demo)".to_owned();
        self.store.referral_step(&team, referral, &ReferralStep::Refer { provider }, self.version).await?;
        self.version += 1;
        if !self.next_at(hours(dice.range(24, 5 * 24))) {
            return Ok(());
        }
        let on = local(self.at).date();
        self.store.referral_step(&team, referral, &ReferralStep::Deliver { on }, self.version).await?;
        self.version += 1;
        // Most register within the 30 days and bring the certificate; the programme ends months later.
        type Step = fn(jiff::civil::Date) -> ReferralStep;
        let steps: [(i64, i64, Step); 3] = [
            (5, 25, |on| ReferralStep::RegistrationCertificate { on }),
            (70, 120, |on| ReferralStep::ProgrammeEnded { on }),
            (1, 7, |on| ReferralStep::CompletionCertificate { on }),
        ];
        for (n, (from, to, step)) in steps.into_iter().enumerate() {
            // A few never register (the team's art. 66c path); who registered finishes.
            if (n == 0 && dice.chance(8)) || !self.next_at(hours(24 * dice.range(from, to))) {
                return Ok(());
            }
            let on = local(self.at).date();
            self.store.referral_step(&group, referral, &step(on), self.version).await?;
            self.version += 1;
        }
        Ok(())
    }

    async fn add(&mut self, kind: RecordKind, pairs: Vec<(&str, String)>) -> anyhow::Result<Uuid> {
        let handle = self.store.case_access(&Caller::local(&self.cast.social), self.id).await?;
        Ok(self.store.add_record(&handle, &record(kind, pairs)?).await?)
    }

    async fn live(&mut self, i: usize, dice: &mut Dice) -> anyhow::Result<()> {
        // The team appoints the group: mostly within the 3 days, a few late.
        let appoint = if dice.chance(4) { dice.range(80, 140) } else { dice.range(2, 60) };
        if !self.next_at(hours(appoint)) {
            return Ok(());
        }
        let team = self.store.case_access(&Caller::local(&self.cast.chair), self.id).await?;
        let members = [
            (self.cast.social.account_id, GroupMemberKind::SocialWorker),
            (self.cast.police.account_id, GroupMemberKind::PoliceOfficer),
        ];
        self.store.appoint_group(&team, &members, AppointmentBasis::ChairUnderDelegation, self.version).await?;
        self.version += 1;
        // Most late appointments get their reason recorded by the chair; some are left for the timeliness page.
        if appoint > 72 && dice.chance(80) {
            let reason = "Przewodniczący na urlopie; zastępca powołał grupę po powrocie (dane fikcyjne).";
            self.breach_reason("act_group_appointed", reason).await?;
        }
        // The first meeting: mostly within 5 working days, some late.
        let meeting = if dice.chance(4) { dice.range(9 * 24, 15 * 24) } else { dice.range(20, 5 * 24) };
        if !self.meeting(hours(meeting), "group_only").await? {
            return Ok(());
        }
        if meeting > 8 * 24 && dice.chance(75) {
            let reason = "Członek grupy na zwolnieniu lekarskim; posiedzenie przeniesiono (dane fikcyjne).";
            self.breach_reason("reg23_first_group_meeting", reason).await?;
        }
        // A suspected person absent at the intervention is notified of the opening within days of the first meeting.
        if !self.home.suspect_present && self.next_at(hours(dice.range(4, 40))) {
            self.command(Command::RecordSuspectNotified).await?;
        }
        // Now and then, mostly when a child is involved, the team extends the group (art. 9a ust. 12b–12c).
        let child = self.home.affected.iter().any(|p| p.is_minor(local(self.at).date()));
        if (child && dice.chance(60)) || dice.chance(3) {
            if !self.next_at(hours(dice.range(2, 48))) {
                return Ok(());
            }
            let team = self.store.case_access(&Caller::local(&self.cast.chair), self.id).await?;
            let pedagogue = [(self.cast.pedagogue.account_id, GroupMemberKind::Teacher)];
            self.store.extend_group(&team, &pedagogue, self.version).await?;
            self.version += 1;
        }
        // The group meets the person experiencing violence, fills form C and agrees the support plan with her.
        if !self.meeting(hours(dice.range(24, 5 * 24)), "affected_person").await? {
            return Ok(());
        }
        self.form(&form_c(&self.home, self.at)?).await?;
        let today = local(self.at).date().to_string();
        let status = if dice.chance(50) { "in_progress" } else { "planned" };
        // Each action has an owner, an institution or a member of the group, reminded before its due day.
        let due = |days: i64| self.at.checked_add(hours(24 * days)).map(|t| local(t).date().to_string());
        let (in_a_month, in_two_weeks) = (due(30)?, due(14)?);
        let counselling = vec![
            ("item.action", "Konsultacje psychologiczne dla osoby doznającej przemocy (demo)".to_owned()),
            ("item.responsible", "institution:crisis_intervention_centre".to_owned()),
            ("item.agreed_on", today.clone()),
            ("item.due_on", in_a_month),
        ];
        let benefits = vec![
            ("item.action", "Pomoc w złożeniu wniosku o świadczenia i mieszkanie socjalne (demo)".to_owned()),
            ("item.responsible", format!("member:{}", self.cast.social.account_id)),
            ("item.agreed_on", today.clone()),
            ("item.due_on", in_two_weeks),
        ];
        let with_status = |mut pairs: Vec<(&'static str, String)>, status: &str| {
            pairs.push(("item.status", status.to_owned()));
            pairs
        };
        let first = self.add(RecordKind::PlanItem, with_status(counselling.clone(), status)).await?;
        let second = self.add(RecordKind::PlanItem, with_status(benefits.clone(), "planned")).await?;
        // The group reviews the plan and the actions are done, mostly before their due day; a few run late.
        let plan = [(second, benefits, 13), (first, counselling, 29)];
        if dice.chance(60) {
            self.add(
                RecordKind::HomeVisit,
                vec![
                    ("visit.on", today),
                    ("visit.by", "dzielnicowy Komendy Powiatowej Policji (demo)".to_owned()),
                    ("visit.findings", "Wizyta sprawdzająca; sytuacja spokojna (dane fikcyjne).".to_owned()),
                ],
            )
            .await?;
        }
        if dice.chance(35) {
            const ADDRESSEES: [&str; 4] = ["family_court", "police", "alcohol_commission", "prosecutor"];
            let addressee = ADDRESSEES.get(usize::try_from(dice.range(0, 3))?).copied().unwrap_or("police");
            self.add(
                RecordKind::Letter,
                vec![
                    ("letter.on", local(self.at).date().to_string()),
                    ("letter.addressee", addressee.to_owned()),
                    ("letter.subject", "Informacja o sytuacji rodziny i prośba o podjęcie działań (demo).".to_owned()),
                ],
            )
            .await?;
        }
        if dice.chance(15) {
            let kind = if dice.chance(50) { "police_leave_home_order" } else { "police_supervision" };
            self.add(
                RecordKind::ProtectiveMeasure,
                vec![
                    ("measure.kind", kind.to_owned()),
                    ("measure.issued_on", local(self.at).date().to_string()),
                    ("measure.issued_by", "Komenda Powiatowa Policji (demo)".to_owned()),
                ],
            )
            .await?;
        }
        for (item, pairs, within) in plan {
            if dice.chance(4) {
                continue;
            }
            let days = dice.range(3, 12);
            if !self.next_at(hours(24 * days.min(within - 1))) {
                return Ok(());
            }
            let mut done = with_status(pairs, "done");
            done.push(("item.review", "Zrealizowano w terminie (dane fikcyjne).".to_owned()));
            let handle = self.store.case_access(&Caller::local(&self.cast.social), self.id).await?;
            self.store.update_record(&handle, item, &record(RecordKind::PlanItem, done)?, 1).await?;
        }
        if dice.chance(80) {
            let later = dice.range(3 * 24, 20 * 24);
            if !self.next_at(hours(later)) {
                return Ok(());
            }
            self.form(&form_d(&self.home, self.at)?).await?;
            // A few persons using violence are referred to a programme: the group asks, the team refers, the
            // referral is delivered (and its 30-day registration clock runs).
            if dice.chance(8) && self.next_at(hours(dice.range(24, 10 * 24))) {
                self.refer_to_programme(dice).await?;
            }
        }
        if dice.chance(12) {
            let later = dice.range(10 * 24, 60 * 24);
            if !self.next_at(hours(later)) {
                return Ok(());
            }
            let further = form_a(i, &self.home, self.at, &people::SOCIAL)?;
            self.form(&further).await?;
        }
        if dice.chance(3) {
            let later = dice.range(20 * 24, 80 * 24);
            if self.next_at(hours(later)) {
                // A case leaves only with its package (the bare step is refused).
                let handle = self.store.case_access(&Caller::local(&self.cast.chair), self.id).await?;
                self.store.export_case(&handle, "Gmina Miasto Jasło (demo)", Some(self.version)).await?;
                self.version += 1;
            }
            return Ok(());
        }
        let mut reopened = false;
        loop {
            let months = dice.range(2 * 30 * 24, 8 * 30 * 24);
            if !self.next_at(hours(months)) {
                return Ok(());
            }
            let reason = if dice.chance(70) { ClosingReason::ViolenceStopped } else { ClosingReason::NoGrounds };
            let state = self.close(reason).await?;
            let until = state.closing().map(|c| c.monitoring_until()).ok_or_else(|| anyhow::anyhow!("no closing"))?;
            // A few families are back during monitoring: a new form A reopens the case (once).
            if !reopened && dice.chance(5) {
                let later = dice.range(30 * 24, 200 * 24);
                if !self.next_at(hours(later)) {
                    return Ok(());
                }
                // The officer is told only that the form went to the team; the chair attaches it to the case.
                let again = form_a(i, &self.home, self.at, &people::POLICE)?;
                let intake = self.store.open_procedure(&Caller::local(&self.cast.initiator), &again, false).await?;
                let FormAIntake::Forwarded { intake_id } = intake else {
                    anyhow::bail!("a returning family was not recognised")
                };
                let attach = IntakeResolution::Attach(self.id);
                self.store.resolve_intake(&Caller::local(&self.cast.chair), intake_id, attach).await?;
                self.version += 1;
                reopened = true;
                continue;
            }
            // A check during the monitoring, some months after closing.
            if self.next_at(hours(dice.range(30 * 24, 120 * 24))) {
                self.add(
                    RecordKind::MonitoringCheck,
                    vec![
                        ("check.on", local(self.at).date().to_string()),
                        ("check.how", "phone".to_owned()),
                        ("check.violence_recurred", "no".to_owned()),
                        ("check.findings", "Rodzina nie zgłasza nowych zdarzeń (dane fikcyjne).".to_owned()),
                    ],
                )
                .await?;
            }
            // The group ends the monitoring on the morning its nine months are over.
            let end = until.to_zoned(domain::calendar::poland_zone())?.timestamp() + hours(dice.range(8, 14));
            if end <= self.now {
                self.at = end;
                set(self.clock, end);
                self.command(Command::EndMonitoring).await?;
            }
            return Ok(());
        }
    }
}
