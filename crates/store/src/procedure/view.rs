//! Reading a case: the procedure page's data, the case list, each filtered by need-to-know and audited.

use domain::audit::AuditAction;
use domain::forms::Answers;
use domain::procedure::deadlines::{
    DEFAULT_DUE_SOON_WORKING_DAYS, DeadlineKind, DeadlineRule, DeadlineState, Regime, ResponsibleRole, evaluate,
    rule_for,
};
use domain::procedure::lifecycle::{Command, EventKind, Phase, PhaseKind, ProcedureState, apply};
use domain::procedure::offers::{CaseRole, Offers, OpeningFacts, offers};
use jiff::Timestamp;
use uuid::Uuid;

use super::closing::{ClosingRecord, closings_in, queue_closing_rows};
use super::grants::{GrantBanner, GrantView, grant_banner_from, queue_case_grants};
use super::group::{GroupCandidate, candidates, members_from, queue_group_candidates, queue_members};
use super::records::{queue_records, records_with_clocks};
use super::seal::{
    Audience, CaseSeals, SealFilterRow, SealReads, add_sealable_persons, queue_seal_filter, queue_seal_reads,
    seal_filter_from, seals_view,
};
use super::{CaseAccess, CaseHandle, read_form};
use crate::db::{Batch, Slot, on_pool, on_tx};
use crate::identity::Principal;
use crate::{AuditRecord, Caller, Store, StoreError, Tx};

#[derive(sqlx::FromRow)]
struct StoredForm {
    id: Uuid,
    kind: String,
    version: String,
    answers_enc: Vec<u8>,
    filled_at: jiff_sqlx::Timestamp,
    entered_by: Option<Uuid>,
    entered_from_paper: bool,
    entered_by_login: Option<String>,
}

/// Queues the read of the case's forms, oldest first.
fn queue_forms(batch: &mut Batch, id: Uuid) -> Slot<StoredForm> {
    batch
        .push(
            "SELECT f.id, f.kind, f.version, f.answers_enc, f.filled_at, f.entered_by, f.entered_from_paper, \
             a.login AS entered_by_login \
             FROM procedure_form f LEFT JOIN account a ON a.id = f.entered_by WHERE f.procedure_id = $1 \
             ORDER BY f.filled_at, f.id",
        )
        .bind(id)
        .slot()
}

/// The seals a case read queues: with the seals' section's list, only the filter, or none (a document that
/// shows sealed values).
enum QueuedSeals {
    WithList(SealReads),
    Filter(Slot<SealFilterRow>),
    None,
}

/// One line of a case list: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProcedureSummary {
    pub id: Uuid,
    pub number: String,
    pub phase: String,
    #[sqlx(try_from = "jiff_sqlx::Timestamp")]
    pub opened_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    /// When it happened.
    pub at: Timestamp,
    pub kind: EventKind,
    /// When it was typed in (the opening: none here; its form says).
    pub recorded_at: Option<Timestamp>,
    /// Typed in more than one working day after it happened ("wpisano później").
    pub entered_late: bool,
}

/// A statutory deadline as it stands, with its legal basis and how sure we are of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineView {
    pub rule_id: &'static str,
    pub name_pl: &'static str,
    pub legal_basis: &'static str,
    pub confidence: &'static str,
    /// Who must act (`ResponsibleRole` as snake_case), for the page's "whose turn" column.
    pub responsible: &'static str,
    pub state: DeadlineState,
    /// Whether a reason for missing it was recorded (a `breach_reason` record naming the rule).
    pub explained: bool,
    /// The rule is only our reading of the law (\[U\]) and the municipality has not chosen to treat such readings
    /// as binding: shown as an unconfirmed reading, never counted as a breach, painted overdue or escalated.
    pub unconfirmed: bool,
}

impl DeadlineView {
    pub(crate) fn of(rule: &DeadlineRule, state: DeadlineState, explained: bool) -> DeadlineView {
        DeadlineView {
            rule_id: rule.id,
            name_pl: rule.name_pl,
            legal_basis: rule.legal_basis,
            confidence: rule.confidence.mark(),
            responsible: responsible_name(rule.responsible),
            state,
            explained,
            // Safe by default: a [U] rule is a reading until the team's setting says otherwise (`deadlines`).
            unconfirmed: rule.is_unconfirmed(),
        }
    }

    /// Missed: done late, or not done and past due, by a rule that counts (not an unconfirmed reading).
    pub fn is_breach(&self) -> bool {
        !self.unconfirmed && self.is_past_due()
    }

    /// Done late, or not done and past due, whatever the rule's standing: what an unconfirmed reading would call a
    /// breach (shown apart on `/timeliness`).
    pub fn is_past_due(&self) -> bool {
        matches!(self.state, DeadlineState::MetLate { .. } | DeadlineState::Overdue { .. })
    }

    /// Not done and past due by a rule that counts: what the pages paint as overdue and the escalation reports.
    pub fn is_overdue(&self) -> bool {
        !self.unconfirmed && matches!(self.state, DeadlineState::Overdue { .. })
    }
}

fn responsible_name(role: ResponsibleRole) -> &'static str {
    match role {
        ResponsibleRole::Initiator => "initiator",
        ResponsibleRole::Team => "team",
        ResponsibleRole::Chair => "chair",
        ResponsibleRole::Group => "group",
        ResponsibleRole::PersonUsingViolence => "person_using_violence",
        ResponsibleRole::Member => "member",
        ResponsibleRole::SocialWorker => "social_worker",
        ResponsibleRole::PoliceOrMilitaryPolice => "police",
        ResponsibleRole::NoOne => "no_one",
    }
}

/// What the deadlines need besides the command log: when the team received form A (the moment it entered Ostoja;
/// later than its filling for a paper form typed in afterwards), who opened the case, and which missed deadlines
/// have a recorded reason.
#[derive(Debug, Clone, Default)]
pub(crate) struct CaseFacts {
    pub received_at: Option<Timestamp>,
    pub initiator_category: Option<String>,
    pub explained_rules: Vec<String>,
    /// Form A said every suspected person was present at the opening: nobody needs the notice of art. 9b ust. 8
    /// pkt 3.
    pub suspects_present: bool,
    /// The municipality treats unconfirmed readings (\[U\] rules) as binding (`tenant_clock_setting`).
    pub escalate_unconfirmed: bool,
    /// The clocks the group's records keep (police measures, placements of a child, escort requests).
    pub record_clocks: Vec<RecordClock>,
}

/// A clock kept by one of the group's records, read from its clear columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordClock {
    pub kind: DeadlineKind,
    pub started: Timestamp,
    pub done: Option<Timestamp>,
}

/// The record kinds that keep a clock, and the clock each keeps: a police order or ban lapses after 14 days (art. 15ak
/// of the Police Act), the court is told of a child's placement within 24 hours (art. 12a ust. 5), an officer is
/// designated for an escort within 48 hours (art. 11a ust. 7).
fn record_clock(kind: &str, tag: Option<&str>) -> Option<DeadlineKind> {
    match kind {
        "protective_measure" if tag.is_some_and(|t| domain::forms::records::POLICE_MEASURES.contains(&t)) => {
            Some(DeadlineKind::PoliceOrderExpiry)
        }
        "child_placement" => Some(DeadlineKind::CourtNoticeAfterChildPlacement),
        "escort_request" => Some(DeadlineKind::BelongingsEscort),
        "plan_item" => Some(DeadlineKind::PlanItemDue),
        _ => None,
    }
}

/// The kinds of records that keep a clock (see `record_clock`), as an SQL list.
macro_rules! clock_record_kinds {
    () => {
        "('protective_measure', 'child_placement', 'escort_request', 'plan_item')"
    };
}

/// The clock one record keeps, from its clear columns, if it keeps one.
pub(crate) fn clock_of(
    kind: &str,
    tag: Option<&str>,
    occurs_at: jiff_sqlx::Timestamp,
    clock_done_at: Option<jiff_sqlx::Timestamp>,
    due_at: Option<jiff_sqlx::Timestamp>,
) -> Option<RecordClock> {
    let kind = record_clock(kind, tag)?;
    // A plan item's clock is its due day; an item without one keeps none.
    let started = if kind == DeadlineKind::PlanItemDue { due_at } else { Some(occurs_at) }?;
    Some(RecordClock { kind, started: started.to_jiff(), done: clock_done_at.map(|d| d.to_jiff()) })
}

/// A record's clear columns that its clock is made of (see [`clock_of`]).
#[derive(sqlx::FromRow)]
pub(crate) struct ClockRow {
    procedure_id: Uuid,
    kind: String,
    tag: Option<String>,
    occurs_at: jiff_sqlx::Timestamp,
    clock_done_at: Option<jiff_sqlx::Timestamp>,
    due_at: Option<jiff_sqlx::Timestamp>,
}

/// Queues the read of one case's record clocks (for a reader who reads no records: they come with the records).
fn queue_record_clocks_of(batch: &mut Batch, id: Uuid) -> Slot<ClockRow> {
    batch
        .push(concat!(
            "SELECT procedure_id, kind, tag, occurs_at, clock_done_at, due_at FROM case_record WHERE kind IN ",
            clock_record_kinds!(),
            " AND procedure_id = $1 ORDER BY occurs_at, id"
        ))
        .bind(id)
        .slot()
}

fn clocks_from(rows: Vec<ClockRow>) -> Vec<RecordClock> {
    rows.iter().filter_map(|r| clock_of(&r.kind, r.tag.as_deref(), r.occurs_at, r.clock_done_at, r.due_at)).collect()
}

/// The record clocks of these cases, in one query per 500 cases.
pub(crate) async fn record_clocks(
    tx: &mut Tx,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Vec<RecordClock>>, StoreError> {
    let mut out: std::collections::HashMap<Uuid, Vec<RecordClock>> = std::collections::HashMap::new();
    for part in ids.chunks(500) {
        let rows: Vec<ClockRow> = on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(
                concat!("SELECT procedure_id, kind, tag, occurs_at, clock_done_at, due_at \
                 FROM case_record WHERE kind IN ", clock_record_kinds!(), " AND procedure_id IN ("));
            let mut list = q.separated(", ");
            for id in part {
                list.push_bind(*id);
            }
            q.push(") ORDER BY procedure_id, occurs_at, id");
            q.build_query_as().fetch_all(&mut *c).await
        })?;
        for row in rows {
            if let Some(clock) = clock_of(&row.kind, row.tag.as_deref(), row.occurs_at, row.clock_done_at, row.due_at) {
                out.entry(row.procedure_id).or_default().push(clock);
            }
        }
    }
    Ok(out)
}

impl CaseFacts {
    fn opened_by_police(&self) -> bool {
        matches!(self.initiator_category.as_deref(), Some("police" | "military_police"))
    }
}

#[derive(Debug, Clone)]
pub struct FormView {
    pub id: Uuid,
    pub kind: String,
    pub version: String,
    pub filled_at: Timestamp,
    pub answers: Answers,
    /// Typed in from a paper original by this account (the team's staff), when it was.
    pub entered_from_paper_by: Option<String>,
    /// The paths of the values sealed from this reader (issue 20): absent from `answers`, shown as „zastrzeżone”.
    pub withheld: std::collections::BTreeSet<String>,
}

#[derive(Debug, Clone)]
pub struct ProcedureView {
    pub id: Uuid,
    pub number: String,
    pub phase: PhaseKind,
    /// What the case offers to this reader now (steps, forms, records), decided by the domain.
    pub offers: Offers,
    pub opened_at: Timestamp,
    /// For the optimistic version check of the next change.
    pub version: i64,
    pub access: CaseAccess,
    pub timeline: Vec<TimelineEntry>,
    pub deadlines: Vec<DeadlineView>,
    /// Every form for the team and the group; only their own for an initiator.
    pub forms: Vec<FormView>,
    /// Logins of the accounts that can see this case (need-to-know made visible).
    pub who_can_see: Vec<String>,
    /// The group's records (meetings, plan, visits, letters, measures, form B, monitoring, breach reasons); none for
    /// an initiator.
    pub records: Vec<super::CaseRecord>,
    /// On what the group's appointment rests (`AppointmentBasis::as_str`), once appointed.
    pub group_basis: Option<String>,
    /// The documentation the old team handed over with a transferred case; none for an initiator.
    pub received: Option<super::transfer::TransferPackage>,
    /// The support group as it is and as it was (a plan item's owner is shown by a member's name); none for an
    /// initiator.
    pub group: Vec<super::GroupMemberView>,
}

/// What the procedure page reads of a case, in one transaction ([`Store::procedure_page_of`]).
#[derive(Debug, Clone)]
pub struct ProcedurePage {
    pub view: ProcedureView,
    /// The closings with their records, oldest first; none for an initiator.
    pub closings: Vec<ClosingRecord>,
    /// The seals and who may seal; `None` for an initiator.
    pub seals: Option<CaseSeals>,
    /// For a reader in by a grant or a break-glass opening: how, for the banner on the page; `None` for anyone else.
    pub grant_banner: Option<GrantBanner>,
    /// For the team's staff: every grant of the case, newest first (the read of their reasons audited); `None` for
    /// anyone else.
    pub grants: Option<Vec<GrantView>>,
    /// For the team's staff: the accounts that may join the group or be granted the case; empty for anyone else.
    pub group_candidates: Vec<GroupCandidate>,
}

impl Store {
    /// The case as its page shows it. The read of its forms is recorded in the audit trail. Sealed values the reader
    /// is not named for are withheld ([`FormView::withheld`]).
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "procedure_view", procedure = %handle.procedure_id))]
    pub async fn procedure_view(&self, handle: &CaseHandle) -> Result<ProcedureView, StoreError> {
        self.procedure_view_as(handle, Audience::Reader).await
    }

    /// The case as a document going outside the group prints it (the case file for a court or prosecutor): every
    /// sealed value withheld, whoever prints.
    pub async fn procedure_view_for_outside(&self, handle: &CaseHandle) -> Result<ProcedureView, StoreError> {
        self.procedure_view_as(handle, Audience::Outside).await
    }

    /// The procedure page's whole read in one transaction, for `caller`: the case as [`Store::procedure_view`] gives
    /// it, with its closings ([`Store::closing_records`]), seals ([`Store::case_seals`]), grants and the team's
    /// candidates for those who see them. The access is decided inside that transaction ([`Store::case_access`]'s
    /// rule), on the snapshot the page then reads. On SQLite every statement, transaction and connection taken is a
    /// round trip to the connection's thread; reading these apart cost the page several more. `NotFound` for anyone
    /// without a need to know, as `case_access`.
    pub async fn procedure_page_of(
        &self,
        caller: &Caller<'_>,
        procedure_id: Uuid,
    ) -> Result<(CaseHandle, ProcedurePage), StoreError> {
        // A write only for its audit entry: users' writes on SQLite go ahead of it.
        let mut tx = self.db.begin_audited_read().await?;
        let handle = self.case_access_in(&mut tx, caller, procedure_id).await?;
        let page = self.procedure_read_in(&mut tx, &handle, Audience::Reader, true).await?;
        tx.commit().await?;
        Ok((handle, page))
    }

    pub(crate) async fn procedure_view_as(
        &self,
        handle: &CaseHandle,
        audience: Audience,
    ) -> Result<ProcedureView, StoreError> {
        Ok(self.procedure_read(handle, audience, false).await?.view)
    }

    /// The case's read in a transaction of its own.
    async fn procedure_read(
        &self,
        handle: &CaseHandle,
        audience: Audience,
        sections: bool,
    ) -> Result<ProcedurePage, StoreError> {
        // A write only for its audit entry: users' writes on SQLite go ahead of it.
        let mut tx = self.db.begin_audited_read().await?;
        let page = self.procedure_read_in(&mut tx, handle, audience, sections).await?;
        tx.commit().await?;
        Ok(page)
    }

    /// The case's read; `sections`: with the closings and seals of [`ProcedurePage`].
    ///
    /// Everything the read needs is queued first and read in one [`Batch`] (on SQLite one round trip to the
    /// connection's thread instead of one per statement, issue 19 item 9); then the forms are decrypted and the
    /// reads audited.
    async fn procedure_read_in(
        &self,
        tx: &mut Tx,
        handle: &CaseHandle,
        audience: Audience,
        sections: bool,
    ) -> Result<ProcedurePage, StoreError> {
        let id = handle.procedure_id;
        let only_own = handle.access == CaseAccess::Initiator;
        // The seals' and closings' sections are for those who see the group's side of the case, as
        // `Store::case_seals` is; the grants and the team's candidates for the team's staff.
        let with_sections = sections && !only_own;
        let staff_sections = sections && handle.access == CaseAccess::Team;

        let mut batch = Batch::new(tx);
        let log = queue_replay(&mut batch, id);
        let stored_keys = crate::keys::queue_scope_keys(&mut batch, handle.tenant_id);
        // An initiator reads no records: their clocks and the explained breaches come on their own.
        let records = (!only_own).then(|| queue_records(&mut batch, handle, None));
        let initiator_facts =
            only_own.then(|| (queue_record_clocks_of(&mut batch, id), queue_explained_rules(&mut batch, id)));
        let forms_slot = queue_forms(&mut batch, id);
        // The documentation received from another municipality with a transferred case (the team and group only).
        let received = (!only_own).then(|| super::transfer::queue_received(&mut batch, id));
        // The chair's explicit choice (a release with a reason) leaves no value withheld. The page reads the seals
        // once, for the filter and for its list.
        let seals = if with_sections {
            QueuedSeals::WithList(queue_seal_reads(&mut batch, handle))
        } else if audience == Audience::OutsideWithSealed {
            QueuedSeals::None
        } else {
            QueuedSeals::Filter(queue_seal_filter(&mut batch, handle))
        };
        let who_can_see = self.queue_who_can_see(&mut batch, handle);
        let group = (!only_own).then(|| queue_members(&mut batch, id));
        let closings = with_sections.then(|| queue_closing_rows(&mut batch, id));
        let banner = if sections { self.queue_grant_banner(&mut batch, handle) } else { None };
        let grants = staff_sections
            .then(|| (queue_case_grants(&mut batch, handle), queue_group_candidates(self, &mut batch, handle)));
        // The audit entry of this read takes its place in the chain here too (one round trip less for its append);
        // it is the first entry the read appends.
        let audit_place = crate::audit::queue_place(&mut batch);
        let mut rows = batch.run(tx).await?;

        let Replayed { state, timeline, version, mut facts, number, group_basis } = replayed_from(rows.take(log)?)?;
        let keys =
            self.keys.scope_keys_from(tx, handle.tenant_id, self.now(), rows.take_optional(stored_keys)?).await?;
        let records = match records {
            // The records' clocks come with the records.
            Some(slot) => {
                let (records, clocks) = records_with_clocks(rows.take(slot)?, &keys)?;
                facts.record_clocks = clocks;
                // The reasons recorded for missed deadlines are among the records.
                facts.explained_rules = records
                    .iter()
                    .filter(|r| r.kind == domain::forms::records::RecordKind::BreachReason)
                    .filter_map(|r| r.tag.clone())
                    .collect();
                records
            }
            None => Vec::new(),
        };
        // An initiator, who reads no records, still sees which breaches were explained.
        if let Some((clocks, explained)) = initiator_facts {
            facts.record_clocks = clocks_from(rows.take(clocks)?);
            facts.explained_rules = rows.take(explained)?.into_iter().filter_map(|(t,)| t).collect();
        }
        let deadlines = deadlines(&state, &facts, self.now());
        let role = match handle.access {
            CaseAccess::Team => CaseRole::Team,
            CaseAccess::Group => CaseRole::Group,
            // A break-glass opening or a grant acts on nothing, as an initiator does.
            CaseAccess::Initiator | CaseAccess::BreakGlass | CaseAccess::Granted => CaseRole::Initiator,
        };
        let offers = offers(&state, OpeningFacts { suspects_present: facts.suspects_present }, role, self.now());
        let (seals, seal_list) = match seals {
            QueuedSeals::WithList(reads) => {
                let (filter, list) = reads.take(&mut rows)?;
                (filter, Some(list))
            }
            QueuedSeals::Filter(slot) => (seal_filter_from(rows.take(slot)?)?, None),
            QueuedSeals::None => (Default::default(), None),
        };
        let mut shown = std::collections::BTreeSet::new();
        let mut forms = Vec::new();
        let mut sealable = Vec::new();
        for StoredForm {
            id: form_id,
            kind,
            version,
            answers_enc: sealed,
            filled_at,
            entered_by,
            entered_from_paper,
            entered_by_login,
        } in rows.take(forms_slot)?
        {
            // An initiator reads back the forms A they filled, nothing else (not the forms C or D they typed as a
            // group member of a case whose monitoring has ended).
            if only_own && (kind != "A" || entered_by != Some(handle.principal().account_id)) {
                continue;
            }
            let json = keys.decrypt_bytes("procedure_form.answers", form_id, &sealed)?;
            let answers = read_form(&kind, &version, &json)?;
            if with_sections {
                add_sealable_persons(&keys, &answers, &mut sealable);
            }
            let applied = seals.apply(&keys, &answers, audience);
            shown.extend(applied.shown);
            let entered_from_paper_by = if entered_from_paper { entered_by_login } else { None };
            forms.push(FormView {
                id: form_id,
                kind,
                version,
                filled_at: filled_at.to_jiff(),
                answers: applied.answers,
                entered_from_paper_by,
                withheld: applied.withheld,
            });
        }
        let who_can_see = rows.take(who_can_see)?;
        let group = match group {
            Some(slot) => members_from(rows.take(slot)?),
            None => Vec::new(),
        };
        let received = match received {
            Some(slot) => super::transfer::received_from(rows.take_optional(slot)?, &keys)?,
            None => None,
        };
        let form_ids: Vec<String> = forms.iter().map(|f| f.id.to_string()).collect();
        let mut detail = format!("forms: {}; records: {}", form_ids.join(","), records.len());
        if let Some((transfer_id, _)) = &received {
            detail.push_str(&format!("; received documentation: {transfer_id}"));
        }
        self.audit_at(
            tx,
            &handle.actor(),
            &AuditRecord::new(AuditAction::ReadPersonalData, "procedure", id)
                .in_tenant(Some(handle.tenant_id))
                .detail(detail),
            crate::audit::Place::taken(rows.take_one(audit_place)?),
        )
        .await?;
        super::seal::audit_shown(self, tx, handle, &shown, "the case's forms").await?;
        let grant_banner = match banner {
            Some(slot) => grant_banner_from(handle, rows.take(slot)?),
            None => None,
        };
        let (grants, group_candidates) = match grants {
            Some((grants, people)) => {
                let grants = self.case_grants_from(tx, handle, rows.take(grants)?, Some(&keys)).await?;
                (Some(grants), candidates(rows.take(people)?))
            }
            None => (None, Vec::new()),
        };
        let (closings, case_seals) = match (closings, seal_list) {
            (Some(closings), Some(list)) => {
                let meetings: Vec<(Uuid, Timestamp)> = records
                    .iter()
                    .filter(|r| r.kind == domain::forms::records::RecordKind::Meeting)
                    .map(|r| (r.id, r.occurs_at))
                    .collect();
                let closed = state.phase().kind() == PhaseKind::Closed;
                let closings = closings_in(self, tx, &keys, handle, rows.take(closings)?, &meetings, closed).await?;
                (closings, Some(seals_view(&keys, handle, sealable, list)?))
            }
            _ => (Vec::new(), None),
        };
        let view = ProcedureView {
            id,
            number,
            phase: state.phase().kind(),
            offers,
            opened_at: state.opened_at(),
            version,
            access: handle.access,
            timeline,
            deadlines,
            forms,
            who_can_see: who_can_see.into_iter().map(|(l,)| l).collect(),
            records,
            group_basis,
            received: received.map(|(_, package)| package),
            group,
        };
        Ok(ProcedurePage { view, closings, seals: case_seals, grant_banner, grants, group_candidates })
    }

    /// Queues the read of who can see the case: exactly the accounts `case_access` would let in, by the same rule
    /// (`crate::access`), roles read from the accounts' own grants.
    fn queue_who_can_see(&self, batch: &mut Batch, handle: &CaseHandle) -> Slot<(String,)> {
        batch
            .push(concat!(
                "SELECT a.login FROM account a JOIN procedure p ON p.id = $1 \
                 WHERE a.tenant_id = $2 AND a.active AND ",
                crate::access::case_visible_sql!(
                    "a.id",
                    "EXISTS (SELECT 1 FROM account_role rs WHERE rs.account_id = a.id \
                     AND rs.role IN ('chair', 'deputy_chair', 'secretary'))",
                    "EXISTS (SELECT 1 FROM account_role rm WHERE rm.account_id = a.id AND rm.role = 'group_member')",
                    "$3",
                    "$4"
                ),
                " ORDER BY a.login"
            ))
            .bind(handle.procedure_id)
            .bind(handle.tenant_id)
            .bind(self.today_text())
            .bind(crate::ts(self.now()))
            .slot()
    }

    /// The cases this account may see, newest first, without personal data: the whole municipality for the team,
    /// the group's cases for a member (until monitoring ended), one's own for an initiator.
    #[tracing::instrument(name = "store.op", level = "debug", skip_all, fields(op = "list_procedures", account = %principal.account_id, limit = limit, offset = offset))]
    pub async fn list_procedures(
        &self,
        principal: &Principal,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ProcedureSummary>, StoreError> {
        self.list_procedures_filtered(principal, &CaseListFilter::default(), limit, offset).await
    }

    /// [`Store::list_procedures`] narrowed by `filter`. The filter only narrows: need-to-know is applied first and
    /// exactly as in the unfiltered list, so no filter can reveal a case the account may not see.
    pub async fn list_procedures_filtered(
        &self,
        principal: &Principal,
        filter: &CaseListFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ProcedureSummary>, StoreError> {
        let Some(tenant_id) = principal.tenant_id else { return Ok(Vec::new()) };
        // Placeholders $1..$6 are need-to-know (`crate::access`); the filter's optional conditions follow, numbered
        // in order.
        let mut sql = String::from(concat!(
            "SELECT p.id, p.number, p.phase, p.opened_at FROM procedure p WHERE p.tenant_id = $1 AND ",
            crate::access::case_visible_sql!("$4", "$2", "$3", "$5", "$6"),
        ));
        let mut n = 6;
        let mut next = |clause: &str| {
            n += 1;
            format!(" AND {}", clause.replace('?', &format!("${n}")))
        };
        if filter.phase.is_some() {
            sql.push_str(&next("p.phase = ?"));
        }
        if filter.opened_from.is_some() {
            sql.push_str(&next("p.opened_at >= ?"));
        }
        if filter.opened_before.is_some() {
            sql.push_str(&next("p.opened_at < ?"));
        }
        let pattern = filter.number.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(like_pattern);
        if pattern.is_some() {
            sql.push_str(&next("p.number LIKE ? ESCAPE '\\'"));
        }
        let l = next("?").replace(" AND ", "");
        let o = next("?").replace(" AND ", "");
        sql.push_str(&format!(" ORDER BY p.opened_at DESC, p.id DESC LIMIT {l} OFFSET {o}"));
        // One statement, no transaction: the list is on every member's dashboard and each statement on SQLite is two
        // thread hand-offs. Staff and group members without a signed confidentiality declaration see no case as such
        // (art. 9c ust. 3): inside the access fragment.
        let rows = on_pool!(&self.db, c => {
            // Safe: `sql` is assembled from the literals above only; every value is a bound parameter.
            let mut q = sqlx::query_as::<_, ProcedureSummary>(sqlx::AssertSqlSafe(sql.clone()))
                .bind(tenant_id)
                .bind(crate::access::holds_staff_role(principal))
                .bind(crate::access::holds_member_role(principal))
                .bind(principal.account_id)
                .bind(self.today_text())
                .bind(crate::ts(self.now()));
            if let Some(phase) = filter.phase {
                q = q.bind(phase);
            }
            if let Some(from) = filter.opened_from {
                q = q.bind(crate::ts(from));
            }
            if let Some(before) = filter.opened_before {
                q = q.bind(crate::ts(before));
            }
            if let Some(pattern) = &pattern {
                q = q.bind(pattern.clone());
            }
            q.bind(limit.clamp(1, 500)).bind(offset.max(0)).fetch_all(c).await
        })?;
        Ok(rows)
    }
}

/// What the case list may be narrowed by (all optional; none means every case the account may see).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseListFilter {
    /// One of [`PHASE_NAMES`] (see [`phase_name`]).
    pub phase: Option<&'static str>,
    /// Opened at or after this instant.
    pub opened_from: Option<Timestamp>,
    /// Opened before this instant (exclusive, so "to a date" is the start of the next day).
    pub opened_before: Option<Timestamp>,
    /// Part of the case number, e.g. "2026/00"; matched case-insensitively.
    pub number: Option<String>,
}

/// The stored names of the phases ([`PhaseKind::as_str`]), in the order a case goes.
pub const PHASE_NAMES: [&str; 6] = [
    PhaseKind::Opened.as_str(),
    PhaseKind::GroupAppointed.as_str(),
    PhaseKind::InProgress.as_str(),
    PhaseKind::Closed.as_str(),
    PhaseKind::MonitoringEnded.as_str(),
    PhaseKind::TransferredOut.as_str(),
];

/// The phase name matching `s`, if it is one.
pub fn phase_name(s: &str) -> Option<&'static str> {
    PhaseKind::parse(s.trim()).map(PhaseKind::as_str)
}

/// A substring match on the number, with LIKE's wildcards taken literally.
fn like_pattern(part: &str) -> String {
    let mut out = String::from("%");
    for ch in part.to_uppercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

/// A case rebuilt from its command log: the state, the events each step produced (the timeline), the row's version,
/// the facts the deadlines need beside the log, and what the page shows of the row.
pub(crate) struct Replayed {
    pub(crate) state: ProcedureState,
    pub(crate) timeline: Vec<TimelineEntry>,
    pub(crate) version: i64,
    pub(crate) facts: CaseFacts,
    pub(crate) number: String,
    pub(crate) group_basis: Option<String>,
}

/// The procedure row and its command log, in one query (on SQLite each statement is two thread hand-offs, and this
/// runs on every procedure page); `$extra` adds columns of the procedure row.
macro_rules! replay_select {
    ($extra:literal) => {
        concat!(
            "SELECT p.id, p.opened_at, p.version, p.created_at, p.initiator_category, p.suspects_present, p.number, \
             p.group_basis, c.command, c.at, c.recorded_at, \
             COALESCE((SELECT s.escalate_unconfirmed FROM tenant_clock_setting s WHERE s.tenant_id = p.tenant_id), \
             FALSE) AS escalate_unconfirmed",
            $extra,
            " FROM procedure p LEFT JOIN procedure_command c ON c.procedure_id = p.id"
        )
    };
}

/// The case's state, rebuilt from its command log in one replay.
/// `with_clocks`: with the records' clocks among the facts (a reader who reads the records takes them from there,
/// [`records_with_clocks`], and saves a statement).
pub(crate) async fn replayed(tx: &mut Tx, id: Uuid, with_clocks: bool) -> Result<Replayed, StoreError> {
    let mut batch = Batch::new(tx);
    let log = queue_replay(&mut batch, id);
    let clocks = with_clocks.then(|| queue_record_clocks_of(&mut batch, id));
    let mut rows = batch.run(tx).await?;
    let mut replayed = replayed_from(rows.take(log)?)?;
    if let Some(clocks) = clocks {
        replayed.facts.record_clocks = clocks_from(rows.take(clocks)?);
    }
    Ok(replayed)
}

/// Queues the read of one case's row and command log for [`replayed_from`].
fn queue_replay(batch: &mut Batch, id: Uuid) -> Slot<ReplayJoinRow> {
    batch.push(concat!(replay_select!(""), " WHERE p.id = $1 ORDER BY c.at, c.seq")).bind(id).slot()
}

/// The case replayed from the rows of [`queue_replay`] (without the records' clocks); `NotFound` if there were none.
fn replayed_from(rows: Vec<ReplayJoinRow>) -> Result<Replayed, StoreError> {
    let (row, log) = by_case(rows).into_iter().next().ok_or(StoreError::NotFound)?;
    let (state, timeline) = replay_log(row.opened_at.to_jiff(), &log)?;
    let facts = row.facts();
    Ok(Replayed { state, timeline, version: row.version, facts, number: row.number, group_basis: row.group_basis })
}

/// The state and deadline facts of many cases at once, in one query per 500 cases (the dashboard, the timeliness
/// report and the escalation job look at every case; one query per case made them slow on PostgreSQL).
/// A case that does not exist is absent from the map.
pub(crate) async fn replayed_many(
    tx: &mut Tx,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, (ProcedureState, CaseFacts)>, StoreError> {
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    // Well under both engines' limits on bound parameters.
    for part in ids.chunks(500) {
        let rows: Vec<ReplayJoinRow> = on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(replay_select!(""));
            q.push(" WHERE p.id IN (");
            let mut list = q.separated(", ");
            for id in part {
                list.push_bind(*id);
            }
            // Event order: a step typed in late takes its place by when it happened.
            q.push(") ORDER BY p.id, c.at, c.seq");
            q.build_query_as().fetch_all(&mut *c).await
        })?;
        let mut clocks = record_clocks(tx, part).await?;
        for (row, log) in by_case(rows) {
            let (state, _) = replay_log(row.opened_at.to_jiff(), &log)?;
            let mut facts = row.facts();
            facts.record_clocks = clocks.remove(&row.id).unwrap_or_default();
            out.insert(row.id, (state, facts));
        }
    }
    Ok(out)
}

/// The state and deadline facts of the cases of `rows` (procedure rows already read, with the same columns as
/// `replay_select!`), like [`replayed_many`], but each state through the store's cache of replayed logs
/// (`super::replay_cache`): only a case whose log changed since its last replay is read and replayed. The facts
/// (the row's columns, the records' clocks) are read fresh.
pub(super) async fn replayed_cached(
    tx: &mut Tx,
    cache: &super::replay_cache::ReplayCache,
    rows: &[ReplayRow],
) -> Result<std::collections::HashMap<Uuid, (std::sync::Arc<ProcedureState>, CaseFacts)>, StoreError> {
    let mut states = cache.get_many(rows.iter().map(|r| (r.id, r.version)));
    let missing: Vec<Uuid> = rows.iter().filter(|r| !states.contains_key(&r.id)).map(|r| r.id).collect();
    for part in missing.chunks(500) {
        let joined: Vec<ReplayJoinRow> = on_tx!(tx, c => {
            let mut q = sqlx::QueryBuilder::new(replay_select!(""));
            q.push(" WHERE p.id IN (");
            let mut list = q.separated(", ");
            for id in part {
                list.push_bind(*id);
            }
            q.push(") ORDER BY p.id, c.at, c.seq");
            q.build_query_as().fetch_all(&mut *c).await
        })?;
        let mut fresh = Vec::with_capacity(part.len());
        for (row, log) in by_case(joined) {
            // The version read with the log itself: a step appended since `rows` were read is kept under its own.
            let state = std::sync::Arc::new(replay_log(row.opened_at.to_jiff(), &log)?.0);
            states.insert(row.id, std::sync::Arc::clone(&state));
            fresh.push((row.id, row.version, state));
        }
        cache.put_many(fresh);
    }
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut clocks = record_clocks(tx, &ids).await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let state = states.remove(&row.id)?;
            let mut facts = row.facts();
            facts.record_clocks = clocks.remove(&row.id).unwrap_or_default();
            Some((row.id, (state, facts)))
        })
        .collect())
}

/// What a replay needs of the procedure row.
#[derive(sqlx::FromRow)]
pub(super) struct ReplayRow {
    pub(super) id: Uuid,
    pub(super) opened_at: jiff_sqlx::Timestamp,
    pub(super) version: i64,
    created_at: jiff_sqlx::Timestamp,
    initiator_category: Option<String>,
    suspects_present: Option<bool>,
    pub(super) number: String,
    group_basis: Option<String>,
    escalate_unconfirmed: bool,
}

/// One row of `replay_select!`: the procedure row beside one of its commands (none for a case without any).
#[derive(sqlx::FromRow)]
struct ReplayJoinRow {
    #[sqlx(flatten)]
    case: ReplayRow,
    command: Option<String>,
    at: Option<jiff_sqlx::Timestamp>,
    recorded_at: Option<jiff_sqlx::Timestamp>,
}

/// One command of a stored log: its JSON, when it happened, when it was typed in.
type LogRow = (String, jiff_sqlx::Timestamp, Option<jiff_sqlx::Timestamp>);

/// Groups joined rows, ordered by case then command, into each case's row and its command log.
fn by_case(rows: Vec<ReplayJoinRow>) -> Vec<(ReplayRow, Vec<LogRow>)> {
    let mut out: Vec<(ReplayRow, Vec<LogRow>)> = Vec::new();
    for ReplayJoinRow { case, command, at, recorded_at } in rows {
        if out.last().is_none_or(|(last, _)| last.id != case.id) {
            out.push((case, Vec::new()));
        }
        if let (Some(command), Some(at), Some((_, log))) = (command, at, out.last_mut()) {
            log.push((command, at, recorded_at));
        }
    }
    out
}

impl ReplayRow {
    fn facts(&self) -> CaseFacts {
        CaseFacts {
            received_at: Some(self.created_at.to_jiff()),
            initiator_category: self.initiator_category.clone(),
            // Filled only where a page shows it (`explained_rules`): the dashboards and the escalation job replay
            // every case and do not need it.
            explained_rules: Vec::new(),
            suspects_present: self.suspects_present == Some(true),
            escalate_unconfirmed: self.escalate_unconfirmed,
            record_clocks: Vec::new(),
        }
    }
}

/// Replays a stored command log, in event order (each command as its JSON, with its instant and its entry), through
/// the state machine.
fn replay_log(opened_at: Timestamp, commands: &[LogRow]) -> Result<(ProcedureState, Vec<TimelineEntry>), StoreError> {
    let (mut state, events) = ProcedureState::open(opened_at);
    let mut out: Vec<TimelineEntry> = events
        .into_iter()
        .map(|e| TimelineEntry { at: e.at, kind: e.kind, recorded_at: None, entered_late: false })
        .collect();
    for (json, at, recorded_at) in commands {
        let command: Command = serde_json::from_str(json).map_err(|e| StoreError::corrupt_json("command log", &e))?;
        let (next, events) =
            apply(&state, &command, at.to_jiff()).map_err(|e| StoreError::Corrupt(format!("replay: {}", e.code())))?;
        let recorded_at = recorded_at.map(|r| r.to_jiff());
        let entered_late = recorded_at.is_some_and(|r| domain::procedure::timing::entered_late(at.to_jiff(), r));
        out.extend(events.into_iter().map(|e| TimelineEntry { at: e.at, kind: e.kind, recorded_at, entered_late }));
        state = next;
    }
    Ok((state, out))
}

/// The deadline rules a reason was recorded for in this case (the `breach_reason` records' clear tag).
fn queue_explained_rules(batch: &mut Batch, id: Uuid) -> Slot<(Option<String>,)> {
    batch.push("SELECT tag FROM case_record WHERE procedure_id = $1 AND kind = 'breach_reason'").bind(id).slot()
}

/// The case's clocks, each from the event that starts it to the one that meets it (None: not yet):
/// - form A to the chair (REG23 §7), from its filling to its arrival in Ostoja, where the chair sees it at once;
/// - the group's appointment (act art. 9a ust. 10a) and form A to the group's members (REG23 §8), from the team's
///   receipt of form A; Ostoja hands the form to the members when they are appointed;
/// - the first group meeting (REG23 §8), from the appointment;
/// - the notice to the person using violence absent at the opening (art. 9b ust. 8 pkt 3), from the first meeting,
///   unless form A says every suspected person was present;
/// - the firearm notification (art. 9f), from the moment a firearm was recorded;
/// - the post-closing monitoring (art. 9h ust. 2);
/// - each programme referral's clocks (art. 9b ust. 11–13);
/// - the clocks the group's records keep: a police order's lapse, the court's notice after a child's placement, the
///   escort for belongings ([`RecordClock`]).
///
/// A \[U\] rule is marked `unconfirmed` unless the municipality treats such readings as binding.
pub(crate) fn deadlines(state: &ProcedureState, facts: &CaseFacts, now: Timestamp) -> Vec<DeadlineView> {
    let regime = Regime::for_opening_at(state.opened_at()).unwrap_or(Regime::Reg2023);
    let received = facts.received_at.unwrap_or(state.opened_at()).max(state.opened_at());
    let appointed = state.group().map(|g| g.appointed_at());
    let clocks = [
        (DeadlineKind::FormAToChair, Some(state.opened_at()), Some(received)),
        (DeadlineKind::GroupAppointed, Some(received), appointed),
        (DeadlineKind::FormAToGroup, Some(received), appointed),
        (DeadlineKind::FirstGroupMeeting, appointed, state.first_meeting_at()),
        (DeadlineKind::NotifyAbsentSuspect, state.first_meeting_at(), state.suspect_notified_at()),
        (DeadlineKind::FirearmNotification, state.firearm_recorded_at(), state.firearm_notified_at()),
        (DeadlineKind::PostClosingMonitoring, state.closing().map(|c| c.at()), monitoring_ended_at(state)),
    ];
    let mut out = Vec::new();
    for (kind, started, completed) in clocks {
        let (Some(rule), Some(started)) = (rule_for(kind, regime), started) else { continue };
        // Nobody to notify when every suspected person was present at the opening (form A, part II).
        if kind == DeadlineKind::NotifyAbsentSuspect && facts.suspects_present {
            continue;
        }
        // A case handed to another municipality runs its clocks there.
        let completed = completed.or(match state.phase() {
            Phase::TransferredOut { at } => Some(*at),
            _ => None,
        });
        if let Ok(deadline) = evaluate(rule, started, completed, now, DEFAULT_DUE_SOON_WORKING_DAYS) {
            let explained = facts.explained_rules.iter().any(|r| r == rule.id);
            let mut view = DeadlineView::of(rule, deadline, explained);
            // The Police notify their own firearms unit when they opened the procedure; the chair otherwise (art. 9f
            // ust. 2).
            if kind == DeadlineKind::FirearmNotification && facts.opened_by_police() {
                view.responsible = "police";
            }
            out.push(view);
        }
    }
    // Programme referrals: their own clocks, see `super::referral`.
    for referral in state.referrals() {
        out.extend(super::referral::referral_deadlines(referral, now, &facts.explained_rules));
    }
    for clock in &facts.record_clocks {
        let Some(rule) = rule_for(clock.kind, regime) else { continue };
        let Ok(mut deadline) = evaluate(rule, clock.started, clock.done, now, DEFAULT_DUE_SOON_WORKING_DAYS) else {
            continue;
        };
        // A lapse is nobody's duty: once its day has passed the measure has simply lapsed.
        if rule.is_lapse()
            && let DeadlineState::Overdue { due, .. } = deadline
        {
            deadline = DeadlineState::MetOnTime { due };
        }
        let explained = facts.explained_rules.iter().any(|r| r == rule.id);
        out.push(DeadlineView::of(rule, deadline, explained));
    }
    if facts.escalate_unconfirmed {
        for view in &mut out {
            view.unconfirmed = false;
        }
    }
    out
}

/// The monitoring's end as the command log recorded it.
fn monitoring_ended_at(state: &ProcedureState) -> Option<Timestamp> {
    match state.phase() {
        // The log has no instant for it in the state; the last event is the end-of-monitoring step (terminal).
        Phase::MonitoringEnded(_) => Some(state.last_event_at()),
        _ => None,
    }
}

/// One case on a member's dashboard: its deadlines, without personal data.
#[derive(Debug, Clone)]
pub struct DashboardCase {
    pub summary: ProcedureSummary,
    pub deadlines: Vec<DeadlineView>,
}

impl Store {
    /// The dashboard: the cases this account may see (at most `limit`, newest first) with their deadlines as they
    /// stand now. No personal data is read, so nothing is decrypted.
    pub async fn dashboard(&self, principal: &Principal, limit: i64) -> Result<Vec<DashboardCase>, StoreError> {
        let cases = self.list_procedures(principal, limit, 0).await?;
        let now = self.now();
        let mut tx = self.db.begin_read().await?;
        let ids: Vec<Uuid> = cases.iter().map(|c| c.id).collect();
        let mut replayed = replayed_many(&mut tx, &ids).await?;
        tx.commit().await?;
        let mut out = Vec::with_capacity(cases.len());
        for summary in cases {
            // A case that vanished between the two reads (a transfer, a purge) is left out.
            let Some((state, facts)) = replayed.remove(&summary.id) else { continue };
            out.push(DashboardCase { deadlines: deadlines(&state, &facts, now), summary });
        }
        Ok(out)
    }
}
