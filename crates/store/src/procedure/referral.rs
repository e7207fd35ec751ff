//! Programme referrals in storage: each step goes through the procedure's one command path (version check, command
//! log, audit entry), and the referral clocks are evaluated for the procedure's deadlines.
//!
//! Who may do what (art. 9b ust. 3, 8, 11–13 of the act): the team alone refers, asks the starosta, files the offence
//! notification and informs a commander; the group asks for a referral and records the rest, as does the team; an
//! initiator never reaches a referral.

use domain::audit::AuditAction;
use domain::procedure::deadlines::{DEFAULT_DUE_SOON_WORKING_DAYS, Regime, evaluate, rule_for};
use domain::procedure::lifecycle::{Command, ProcedureState};
use domain::procedure::referral::{Referral, ReferralError, ReferralStep, StepKind, SuspectedPersonRef, step_instant};
use jiff::Timestamp;
use uuid::Uuid;

use super::view::DeadlineView;
use super::{CaseAccess, CaseHandle, load_log, load_state, read_form};
use crate::db::on_tx;
use crate::{AuditRecord, Store, StoreError, Tx};

/// One referral as its page shows it: its facts, its clocks, and the steps it can take now.
#[derive(Debug, Clone)]
pub struct ReferralView {
    pub referral: Referral,
    pub deadlines: Vec<DeadlineView>,
    /// The steps whose preconditions hold, restricted to those the reader may record.
    pub possible: Vec<StepKind>,
    /// The steps typed in more than one working day after they happened ("wpisano później"), in the order of entry,
    /// each with when it was typed in.
    pub entered_late: Vec<(StepKind, Timestamp)>,
}

/// A suspected person of one of the case's forms A, as the request form offers them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuspectedPerson {
    pub person: SuspectedPersonRef,
    /// First and last name, decrypted from the form (the read is audited).
    pub name: String,
}

/// The referrals page's data.
#[derive(Debug, Clone)]
pub struct ReferralsView {
    pub phase: String,
    pub version: i64,
    pub access: CaseAccess,
    /// Whether a new request is possible now (the group has met, the procedure is not closed).
    pub can_request: bool,
    pub referrals: Vec<ReferralView>,
    pub suspected_persons: Vec<SuspectedPerson>,
}

impl Store {
    /// Records one step of the referral `referral_id` (a new id for a request), as happening now; see
    /// [`Store::referral_step_at`].
    pub async fn referral_step(
        &self,
        handle: &CaseHandle,
        referral_id: Uuid,
        step: &ReferralStep,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        self.referral_step_at(handle, referral_id, step, None, expected_version).await
    }

    /// Records one step of the referral `referral_id` (a new id for a request) at the moment it really happened: a
    /// request or a referral at `occurred_at` (default now), a dated step on its own day (`occurred_at` is not read
    /// for it). The team and the group may; the team's own steps ([`StepKind::team_only`]) are refused to the group
    /// with `err-referral-team-only`; an initiator gets `NotFound`. A request must name a suspected person of one of
    /// the case's forms A.
    ///
    /// A date in the future, before the step it follows or before the event the procedure needs first is refused
    /// beside its field (`on` for a dated step, `occurred_at` otherwise), naming that step or event and its date.
    pub async fn referral_step_at(
        &self,
        handle: &CaseHandle,
        referral_id: Uuid,
        step: &ReferralStep,
        occurred_at: Option<Timestamp>,
        expected_version: i64,
    ) -> Result<ProcedureState, StoreError> {
        if !handle.access.works_on_case() {
            return Err(StoreError::NotFound);
        }
        if step.kind().team_only() && handle.access != CaseAccess::Team {
            return Err(StoreError::invalid("step", "err-referral-team-only"));
        }
        let mut tx = self.db.begin().await?;
        if let ReferralStep::Request { person, .. } = step {
            let persons = self.suspected_persons(&mut tx, handle).await?;
            if !persons.iter().any(|p| p.person == *person) {
                return Err(StoreError::invalid("person", "err-referral-person-unknown"));
            }
        }
        let (state, _, _) = load_state(&mut tx, handle.procedure_id).await?;
        let referral = state.referrals().iter().find(|r| r.id() == referral_id).cloned();
        // Where its latest step stands in the log (steps recorded before dates were kept stand at their entry).
        let (_, log, _, _) = load_log(&mut tx, handle.procedure_id).await?;
        let latest = log
            .iter()
            .filter(|(c, _)| matches!(c, Command::Referral { referral, .. } if *referral == referral_id))
            .map(|(_, at)| *at)
            .max();
        let at = step_instant(step, occurred_at, latest, self.now());
        let date_field = if step.date().is_some() { "on" } else { "occurred_at" };
        let command = Command::Referral { referral: referral_id, step: step.clone() };
        let state = match self.apply_at(&mut tx, handle, &command, Some(at), date_field, expected_version).await {
            Ok(state) => state,
            Err(StoreError::Invalid(errors)) => {
                return Err(referral_refusal(&errors, step, referral.as_ref(), date_field));
            }
            Err(e) => return Err(e),
        };
        tx.commit().await?;
        Ok(state)
    }

    /// The case's referrals with their clocks, and the suspected persons a request can name. Reading the persons'
    /// names is recorded in the audit trail.
    pub async fn referrals_view(&self, handle: &CaseHandle) -> Result<ReferralsView, StoreError> {
        if handle.access == CaseAccess::Initiator {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let (state, version, _) = load_state(&mut tx, handle.procedure_id).await?;
        let suspected_persons = self.suspected_persons(&mut tx, handle).await?;
        let late = late_steps(&mut tx, handle.procedure_id).await?;
        tx.commit().await?;
        let now = self.now();
        let team = handle.access == CaseAccess::Team;
        // A break-glass opening or a grant reads the referrals and takes none of their steps.
        let works = handle.access.works_on_case();
        let referrals = state
            .referrals()
            .iter()
            .map(|r| ReferralView {
                referral: r.clone(),
                deadlines: referral_deadlines(r, now, &[]),
                possible: r.possible_steps().into_iter().filter(|s| works && (team || !s.team_only())).collect(),
                entered_late: late.iter().filter(|(id, _, _)| *id == r.id()).map(|(_, k, at)| (*k, *at)).collect(),
            })
            .collect();
        Ok(ReferralsView {
            phase: state.phase().as_str().to_owned(),
            version,
            access: handle.access,
            can_request: works && matches!(state.phase(), domain::procedure::lifecycle::Phase::InProgress),
            referrals,
            suspected_persons,
        })
    }

    /// The suspected persons of every form A of the case, decrypted; the read is audited.
    async fn suspected_persons(&self, tx: &mut Tx, handle: &CaseHandle) -> Result<Vec<SuspectedPerson>, StoreError> {
        let rows: Vec<(Uuid, String, Vec<u8>)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT id, version, answers_enc FROM procedure_form WHERE procedure_id = $1 AND kind = 'A' ORDER BY filled_at, id")
            .bind(handle.procedure_id).fetch_all(c).await)?;
        let keys = self.keys.scope_keys(tx, handle.tenant_id, self.now()).await?;
        let mut out = Vec::new();
        for (form_id, version, sealed) in &rows {
            let json = keys.decrypt_bytes("procedure_form.answers", *form_id, sealed)?;
            let answers = read_form("A", version, &json)?;
            for (index, item) in answers.items("suspected_persons").iter().enumerate() {
                let text = |f: &str| item.get(f).map(|v| v.to_raw()).unwrap_or_default();
                let name = format!("{} {}", text("first_name"), text("last_name")).trim().to_owned();
                let index = u32::try_from(index).map_err(|_| StoreError::Internal("too many persons".into()))?;
                out.push(SuspectedPerson { person: SuspectedPersonRef { form_id: *form_id, index }, name });
            }
        }
        let ids: Vec<String> = rows.iter().map(|(id, _, _)| id.to_string()).collect();
        self.audit(
            tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "procedure", handle.procedure_id)
                .in_tenant(Some(handle.tenant_id))
                .detail(format!("referral persons, forms: {}", ids.join(","))),
        )
        .await?;
        Ok(out)
    }
}

/// The referral steps of a procedure typed in more than one working day after they happened: (referral, step, when
/// typed in), in the order of entry.
async fn late_steps(tx: &mut Tx, procedure_id: Uuid) -> Result<Vec<(Uuid, StepKind, Timestamp)>, StoreError> {
    let rows: Vec<(String, jiff_sqlx::Timestamp, Option<jiff_sqlx::Timestamp>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT command, at, recorded_at FROM procedure_command WHERE procedure_id = $1 AND kind = $2 ORDER BY seq")
        .bind(procedure_id).bind(crate::programme::indicators::REFERRAL).fetch_all(c).await)?;
    let mut out = Vec::new();
    for (json, at, recorded_at) in rows {
        let Some(recorded) = recorded_at.map(|r| r.to_jiff()) else { continue };
        if !domain::procedure::timing::entered_late(at.to_jiff(), recorded) {
            continue;
        }
        if let Ok(Command::Referral { referral, step }) = serde_json::from_str::<Command>(&json) {
            out.push((referral, step.kind(), recorded));
        }
    }
    Ok(out)
}

/// A refused referral step, beside the input it concerns: a refusal for the date on the step's date field (naming the
/// step it follows, with its date, when the referral says which), the provider or the person beside theirs, the rest
/// on the step. The procedure's own refusals for the date (in the future, before an event) are already on the field.
/// One referral of the procedure as its log folds it, or none when the procedure has no referral of that id.
pub(crate) async fn referral_of(
    tx: &mut Tx,
    procedure_id: Uuid,
    referral_id: Uuid,
) -> Result<Option<Referral>, StoreError> {
    let (state, _, _) = load_state(tx, procedure_id).await?;
    Ok(state.referrals().iter().find(|r| r.id() == referral_id).cloned())
}

fn referral_refusal(
    errors: &domain::validation::FieldErrors,
    step: &ReferralStep,
    referral: Option<&Referral>,
    date_field: &'static str,
) -> StoreError {
    let Some(first) = errors.iter().next() else { return StoreError::invalid("step", "err-referral-unknown") };
    if first.field != "command" {
        return StoreError::Invalid(errors.clone());
    }
    let Some(refusal) = ReferralError::by_code(first.code) else { return StoreError::invalid("step", first.code) };
    let field = match refusal.field() {
        "on" => date_field,
        other => other,
    };
    let preceding = referral.and_then(|r| r.preceding(step.kind()));
    match (refusal, preceding) {
        (ReferralError::DateBeforePreviousStep, Some((kind, on))) => {
            let mut named = domain::validation::FieldErrors::new();
            named.add_with(
                field,
                "err-referral-date-before-step",
                vec![("referral_step", kind.as_str().to_owned()), ("date", on.strftime("%-d.%m.%Y").to_string())],
            );
            StoreError::Invalid(named)
        }
        _ => StoreError::invalid(field, refusal.code()),
    }
}

/// The referral's clocks as they stand at `now`, each with its rule's legal basis (the programme rules are the
/// act's, the same in every regime).
pub(crate) fn referral_deadlines(referral: &Referral, now: Timestamp, explained_rules: &[String]) -> Vec<DeadlineView> {
    let Ok(clocks) = referral.clocks() else { return Vec::new() };
    clocks
        .into_iter()
        .filter_map(|(kind, started, completed)| {
            let rule = rule_for(kind, Regime::Reg2023)?;
            let state = evaluate(rule, started, completed, now, DEFAULT_DUE_SOON_WORKING_DAYS).ok()?;
            Some(DeadlineView::of(rule, state, explained_rules.iter().any(|r| r == rule.id)))
        })
        .collect()
}
