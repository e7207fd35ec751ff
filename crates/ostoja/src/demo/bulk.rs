//! `ostoja demo --procedures N --tenants M`: large synthetic data for benchmarks. The demo municipality and M − 1
//! synthetic demo municipalities (TERYT county 98, which GUS has not assigned) each get about N / M procedures over
//! three years, written through the store's bulk path (`Store::insert_synthetic_cases`: multi-row INSERTs, one
//! transaction and one summary audit entry per municipality) by a few tasks in parallel. Forms A are encrypted with
//! each municipality's data key and indexed by real blind indexes; every command log is replayed by the state machine
//! before it is written. Forms C and D are recorded as steps in the log, without their documents.

use std::sync::Arc;
use store::Caller;

use domain::forms::ValidatedAnswers;
use domain::identity::Role;
use domain::procedure::lifecycle::{ClosingReason, Command, GroupMemberKind, monitoring_until};
use jiff::{SignedDuration, Timestamp};
use store::identity::{NewAccount, PersonalDetails};
use store::procedure::{SyntheticActors, SyntheticCase};
use store::team::DeclarationKind;
use store::{Actor, Store, StoreError};
use uuid::Uuid;

use super::story::{self, Dice};

/// The synthetic municipality `k` (from 1): a valid TERYT code in a county number GUS has not assigned.
fn teryt(k: usize) -> String {
    let voivodeship = 2 + 2 * (k % 16);
    let municipality = 1 + (k / 16) % 99;
    let kind = [1, 2, 3, 4, 5][(k / (16 * 99)) % 5];
    format!("{voivodeship:02}98{municipality:02}{kind}")
}

/// The most municipalities [`teryt`] can name.
pub const MAX_TENANTS: usize = 16 * 99 * 5;

/// Creates what is missing; returns (procedures written, municipalities skipped because they had cases already).
pub async fn run(
    store: &Store,
    demo_tenant: Uuid,
    procedures: usize,
    tenants: usize,
    connections: usize,
) -> anyhow::Result<(usize, usize)> {
    anyhow::ensure!((1..=MAX_TENANTS).contains(&tenants), "--tenants: 1 to {MAX_TENANTS}");
    let now = store.now();
    let gate = Arc::new(tokio::sync::Semaphore::new(connections.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for k in 0..tenants {
        // Spread the remainder so the total is exactly N.
        let count = procedures / tenants + usize::from(k < procedures % tenants);
        let (store, gate) = (store.clone(), gate.clone());
        // A spawned task starts with no row scope; the demo fills every tenant it creates.
        tasks.spawn(store::row_security::crossing_tenants("demo: synthetic cases", async move {
            let _permit = gate.acquire_owned().await?;
            let (tenant, who, group) =
                if k == 0 { demo_cast(&store, demo_tenant).await? } else { cast(&store, k).await? };
            if has_cases(&store, who.initiator).await? {
                return Ok::<_, anyhow::Error>((0, 1));
            }
            let cases = (0..count).map(|i| case(i, count, now, &group)).collect::<anyhow::Result<Vec<_>>>()?;
            let written = store.insert_synthetic_cases(&Actor::operator(), tenant, who, &cases).await?;
            Ok((written, 0))
        }));
    }
    let (mut written, mut skipped) = (0, 0);
    while let Some(done) = tasks.join_next().await {
        let (w, s) = done??;
        written += w;
        skipped += s;
    }
    Ok((written, skipped))
}

async fn has_cases(store: &Store, initiator: Uuid) -> anyhow::Result<bool> {
    let principal = store.principal(initiator).await?;
    Ok(!store.list_procedures(&principal, 1, 0).await?.is_empty())
}

type Cast = (Uuid, SyntheticActors, [(Uuid, GroupMemberKind); 2]);

async fn demo_cast(store: &Store, tenant: Uuid) -> anyhow::Result<Cast> {
    let id = |login: &'static str| async move { store.account_by_login(login).await.map(|(id, _)| id) };
    let who = SyntheticActors { initiator: id("demo.initiator").await?, team: id("demo.chair").await? };
    let group = [
        (id("demo.group-member").await?, GroupMemberKind::SocialWorker),
        (id(super::DEMO_POLICE_LOGIN).await?, GroupMemberKind::PoliceOfficer),
    ];
    // Art. 9c ust. 3: without the team's register (the realistic demo's), the chair records the declarations.
    let chair = store.principal(who.team).await?;
    for account in [who.team, group[0].0, group[1].0] {
        store
            .record_account_declaration(&Caller::local(&chair), account, DeclarationKind::Declaration, store.today())
            .await?;
    }
    Ok((tenant, who, group))
}

/// The synthetic municipality `k` with its chair, social worker and police officer (who also files the forms A).
/// The accounts are not activated: nobody logs in as them.
async fn cast(store: &Store, k: usize) -> anyhow::Result<Cast> {
    let actor = Actor::operator();
    let code = teryt(k);
    let tenant = match store.tenant_by_teryt(&code).await {
        Ok(t) => t,
        Err(_) => store.create_tenant(&actor, &code, &format!("Gmina Syntetyczna nr {k} (DEMO)"), true).await?,
    };
    let mut ids = Vec::new();
    for (name, role) in [("chair", Role::Chair), ("social", Role::GroupMember), ("police", Role::GroupMember)] {
        let login = format!("syn{k:04}.{name}");
        let new = NewAccount {
            tenant_id: Some(tenant.id),
            institution_id: None,
            login: login.clone(),
            roles: vec![role],
            details: PersonalDetails { full_name: format!("Syntetyczny {name} {k}"), ..PersonalDetails::default() },
        };
        let id = match store.create_account(&actor, &new).await {
            Ok((id, _)) => {
                store.mark_demo_account(id).await?;
                id
            }
            Err(StoreError::Invalid(_)) => store.account_by_login(&login).await?.0,
            Err(e) => return Err(e.into()),
        };
        ids.push(id);
    }
    // Art. 9c ust. 3: the chair records every account's confidentiality declaration before any case data is seen.
    let chair = store.principal(ids[0]).await?;
    for id in &ids {
        store
            .record_account_declaration(&Caller::local(&chair), *id, DeclarationKind::Declaration, store.today())
            .await?;
    }
    let who = SyntheticActors { initiator: ids[2], team: ids[0] };
    Ok((tenant.id, who, [(ids[1], GroupMemberKind::SocialWorker), (ids[2], GroupMemberKind::PoliceOfficer)]))
}

/// Case `i` of `count` in a municipality: opened `days_back` ago, its steps as far as its age allows (the same
/// proportions as the realistic demo).
pub(super) fn case(
    i: usize,
    count: usize,
    now: Timestamp,
    group: &[(Uuid, GroupMemberKind); 2],
) -> anyhow::Result<SyntheticCase> {
    let mut dice = Dice::new(u64::try_from(i)?);
    let days_back = i64::try_from(count - 1 - i)? * story::SPAN_DAYS / i64::try_from(count.max(1))?;
    let t0 = now - SignedDuration::from_hours(days_back * 24 + dice.range(1, 10));
    let home = story::household(i, t0);
    let form_a: ValidatedAnswers = story::form_a(i, &home, t0, &home.initiator)?;
    let mut log = Log { commands: Vec::new(), at: t0, now };
    // Mostly within the statutory times, a few late (the same proportions as the realistic demo).
    let appoint = if dice.chance(4) { (80, 140) } else { (2, 60) };
    let meeting = if dice.chance(4) { (9 * 24, 15 * 24) } else { (20, 5 * 24) };
    let appointed =
        log.step(&mut dice, appoint, || Command::AppointGroup { members: group.iter().map(|(_, k)| *k).collect() });
    let lived = appointed
        && log.step(&mut dice, meeting, || Command::RecordGroupMeeting)
        && log.step(&mut dice, (1, 1), || Command::RecordFormC)
        && (!dice.chance(80) || log.step(&mut dice, (3 * 24, 20 * 24), || Command::RecordFormD));
    if lived {
        if dice.chance(3) {
            log.step(&mut dice, (20 * 24, 80 * 24), || Command::TransferOut);
        } else {
            let reason = if dice.chance(70) { ClosingReason::ViolenceStopped } else { ClosingReason::NoGrounds };
            if log.step(&mut dice, (60 * 24, 240 * 24), || Command::Close { reason }) {
                let until = monitoring_until(log.at).to_zoned(domain::calendar::poland_zone())?.timestamp();
                let end = until + SignedDuration::from_hours(dice.range(33, 240));
                if end <= now {
                    log.at = end;
                    log.commands.push((Command::EndMonitoring, end));
                }
            }
        }
    }
    let group = if appointed { group.to_vec() } else { Vec::new() };
    Ok(SyntheticCase { form_a, commands: log.commands, group })
}

struct Log {
    commands: Vec<(Command, Timestamp)>,
    at: Timestamp,
    now: Timestamp,
}

impl Log {
    /// Records `command` some hours in `range` after the last step, unless that is still in the future.
    fn step(&mut self, dice: &mut Dice, (lo, hi): (i64, i64), command: impl FnOnce() -> Command) -> bool {
        let at = self.at + SignedDuration::from_hours(dice.range(lo, hi));
        if at > self.now {
            return false;
        }
        self.at = at;
        self.commands.push((command(), at));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_teryt_codes_are_valid_and_distinct() {
        let codes: std::collections::BTreeSet<String> = (1..MAX_TENANTS).map(teryt).collect();
        assert_eq!(codes.len(), MAX_TENANTS - 1);
        for code in &codes {
            assert!(domain::tenant::Teryt::parse(code).is_ok(), "{code}");
        }
        assert!(!codes.contains(super::super::DEMO_TERYT));
    }

    #[test]
    fn every_synthetic_log_replays_and_the_phases_are_all_there() {
        let now: Timestamp = "2026-12-01T12:00:00Z".parse().unwrap();
        let group = [(Uuid::nil(), GroupMemberKind::SocialWorker), (Uuid::max(), GroupMemberKind::PoliceOfficer)];
        let mut phases = std::collections::BTreeSet::new();
        for i in 0..400 {
            let c = case(i, 400, now, &group).unwrap();
            let Some(domain::forms::Value::DateTime(dt)) = c.form_a.get("header", "filled_at") else { panic!("{i}") };
            let opened = dt.to_zoned(domain::calendar::poland_zone()).unwrap().timestamp();
            let state =
                domain::procedure::lifecycle::replay(opened, &c.commands).unwrap_or_else(|e| panic!("{i}: {e:?}"));
            assert!(c.commands.iter().all(|(_, at)| *at <= now));
            assert_eq!(c.group.is_empty(), state.group().is_none());
            phases.insert(state.phase().as_str());
        }
        assert!(phases.len() >= 5, "{phases:?}");
    }
}
