//! Roles and permissions: the one place that decides what each role may do.
//!
//! The web layer never compares roles itself; it asks [`RoleSet::permits`] for a [`Permission`]. Case-level
//! need-to-know (is this account a member of this case's support group?) is decided by the store, which hands out a
//! case handle only to those who need it; the permissions here are the coarse gate in front of that.
//!
//! Least privilege: the system administrator runs the installation (tenants, institutions, accounts) and never reads
//! case content; the data protection officer reads the audit trail but not cases; the aggregate viewer sees figures,
//! never persons.

use serde::{Deserialize, Serialize};

/// A role an account holds within its tenant (the municipality's team).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Przewodniczący zespołu interdyscyplinarnego (art. 9a ust. 10 of the act).
    Chair,
    /// Zastępca przewodniczącego.
    DeputyChair,
    /// Sekretarz: not in the act, a common local practice set in the team's rules (procedure.md §1.5, marked unconfirmed).
    Secretary,
    /// Member of a diagnostic-support group (grupa diagnostyczno-pomocowa, art. 9b).
    GroupMember,
    /// A service's representative who opens the procedure with form A (§1.7).
    Initiator,
    /// Enters the programme indicators of their own institution.
    ProgrammeReporter,
    /// Sees aggregated figures, never persons. In a county's or voivodeship's tenant: its area's figures, read-only.
    AggregateViewer,
    /// Koordynator powiatowy: an account of a county's tenant; sees its municipalities' submissions and sums, returns
    /// a submission with a comment. Figures only, never a person, a case number or a case's free text.
    CountyCoordinator,
    /// Regionalny koordynator programu (appointed by the wojewoda): an account of a voivodeship's tenant; as the
    /// county's, and compiles and approves the region's report.
    RegionalCoordinator,
    /// An expert invited to the regional group (seed 004: "zapraszani eksperci"): an account of a voivodeship's
    /// tenant that sees only the regional cooperation platform (its group, meetings, library), nothing else.
    RegionalExpert,
    /// Inspektor ochrony danych: reads the audit trail.
    DataProtectionOfficer,
    /// Runs the installation; never reads case content.
    SystemAdministrator,
}

impl Role {
    pub const ALL: [Role; 12] = [
        Role::Chair,
        Role::DeputyChair,
        Role::Secretary,
        Role::GroupMember,
        Role::Initiator,
        Role::ProgrammeReporter,
        Role::AggregateViewer,
        Role::CountyCoordinator,
        Role::RegionalCoordinator,
        Role::RegionalExpert,
        Role::DataProtectionOfficer,
        Role::SystemAdministrator,
    ];

    /// The stable name used in the database, the command line and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Chair => "chair",
            Role::DeputyChair => "deputy_chair",
            Role::Secretary => "secretary",
            Role::GroupMember => "group_member",
            Role::Initiator => "initiator",
            Role::ProgrammeReporter => "programme_reporter",
            Role::AggregateViewer => "aggregate_viewer",
            Role::CountyCoordinator => "county_coordinator",
            Role::RegionalCoordinator => "regional_coordinator",
            Role::RegionalExpert => "regional_expert",
            Role::DataProtectionOfficer => "data_protection_officer",
            Role::SystemAdministrator => "system_administrator",
        }
    }

    pub fn parse(s: &str) -> Result<Role, &'static str> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim()).ok_or("err-role-unknown")
    }

    /// Whether this role may be held by an account that belongs to no tenant. Only the installation's
    /// administrator stands outside the municipalities.
    pub fn may_be_tenantless(self) -> bool {
        self == Role::SystemAdministrator
    }

    /// Whether an account of a tenant at `level` may hold this role: the team's roles belong to a municipality, the
    /// coordinators to their county or voivodeship; the viewer, the data protection officer and the administrator
    /// stand at any level.
    pub fn fits_level(self, level: crate::territory::TerritorialLevel) -> bool {
        use crate::territory::TerritorialLevel::*;
        match self {
            Role::AggregateViewer | Role::DataProtectionOfficer | Role::SystemAdministrator => true,
            Role::CountyCoordinator => level == County,
            Role::RegionalCoordinator | Role::RegionalExpert => level == Region,
            _ => level == Municipality,
        }
    }

    /// Whether this role grants `permission`: its list, and the municipality's accounts for the chair and the
    /// secretary (not the deputy; issue 14: the administrator makes only the first chair).
    pub fn grants(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
            || (permission == Permission::ManageTeamAccounts && matches!(self, Role::Chair | Role::Secretary))
            || (permission == Permission::GrantCaseAccess && matches!(self, Role::Chair | Role::DeputyChair))
            || (permission == Permission::ChairDecisions && self == Role::Chair)
    }

    /// The permissions this role grants, but for keeping the municipality's accounts (see [`Role::grants`]).
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Chair | Role::DeputyChair | Role::Secretary => &[
                ViewDashboard,
                ViewOwnAccount,
                ViewTeamDirectory,
                OpenProcedure,
                ViewProcedures,
                ManageProcedures,
                ViewTeam,
                ManageTeam,
                ViewHelpDirectory,
                ManageDirectory,
                ManageActivities,
                ManageProgramme,
                ViewAggregates,
                ViewPlatform,
                RaiseDifficulty,
            ],
            Role::GroupMember => &[
                ViewDashboard,
                ViewOwnAccount,
                ViewTeamDirectory,
                OpenProcedure,
                ViewProcedures,
                ViewHelpDirectory,
                BreakGlass,
            ],
            Role::Initiator => &[ViewDashboard, ViewOwnAccount, OpenProcedure, ViewProcedures],
            Role::ProgrammeReporter => &[ViewDashboard, ViewOwnAccount, EnterIndicators],
            Role::AggregateViewer => &[ViewDashboard, ViewOwnAccount, ViewAggregates, ViewAreaFigures],
            Role::CountyCoordinator => &[
                ViewDashboard,
                ViewOwnAccount,
                ViewAreaFigures,
                ReturnSubmissions,
                ManageCountyProgrammes,
                ViewPlatform,
                RaiseDifficulty,
            ],
            Role::RegionalCoordinator => &[
                ViewDashboard,
                ViewOwnAccount,
                ViewAreaFigures,
                ReturnSubmissions,
                ApproveRegionalReport,
                ManagePackageKeys,
                ViewPlatform,
                ManagePlatform,
            ],
            Role::RegionalExpert => &[ViewDashboard, ViewOwnAccount, ViewPlatform],
            Role::DataProtectionOfficer => &[ViewDashboard, ViewOwnAccount, ReadAuditTrail],
            Role::SystemAdministrator => {
                &[ViewDashboard, ViewOwnAccount, ManageTenants, ManageInstitutions, ManageAccounts, ViewTeamDirectory]
            }
        }
    }

    /// Whether logging in with this role needs the second factor. Every role does: each either sees case data,
    /// personal data of accounts, or the audit trail (which names people). Demo installations are the one exception,
    /// decided by the caller.
    pub fn requires_second_factor(self) -> bool {
        true
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something an account may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// See the home page of the application.
    ViewDashboard,
    /// See and change one's own password and language.
    ViewOwnAccount,
    /// See the list of the team's institutions and members (no case data).
    ViewTeamDirectory,
    /// Create municipalities (tenants).
    ManageTenants,
    /// Create and change institutions within a tenant.
    ManageInstitutions,
    /// Run the installation's accounts: a municipality's first chair, deactivation, resets (with four eyes for an
    /// account with case access).
    ManageAccounts,
    /// Keep the accounts of one's own municipality: create, change roles, deactivate, reset.
    ManageTeamAccounts,
    /// Read and filter the audit trail.
    ReadAuditTrail,
    /// Fill form A, which opens a Blue Card procedure (§1.7: any of the initiating services).
    OpenProcedure,
    /// See procedures; which ones is decided per case by the store (need-to-know).
    ViewProcedures,
    /// The team's decisions on a procedure: appointing its support group (art. 9a ust. 10a).
    ManageProcedures,
    /// See the team's members (names, contacts, declarations, trainings) and its meetings.
    ViewTeam,
    /// Keep the team's register: its order, members, declarations, trainings, meetings, attendance, letters.
    ManageTeam,
    /// See the whole directory of help, also its entries not shown on the public page.
    ViewHelpDirectory,
    /// Keep the directory of help (add, change, check, archive entries).
    ManageDirectory,
    /// Keep the register of prevention and training activities.
    ManageActivities,
    /// Model and amend the municipal programme, write the report's narrative, open the records behind a computed
    /// indicator, remind institutions (the team's chair, deputy and secretary).
    ManageProgramme,
    /// Enter the yearly values of the programme's indicators assigned to one's own institution.
    EnterIndicators,
    /// See the programme's figures, the annual report and the statutory set: numbers, never persons.
    ViewAggregates,
    /// Open a case one has no access to in an emergency, with a written reason (issue 20). The store lets only a
    /// member of the team in the register do it; the staff see every case anyway.
    BreakGlass,
    /// Give an account outside a case's group time-boxed access to it, and end it (the chair, or the deputy standing
    /// in).
    GrantCaseAccess,
    /// The decisions the act or the team's rules leave to the chair alone: approving the year's statutory figures,
    /// the team's clock settings, undoing a closing within its working day. Not the deputy: these bind the team.
    ChairDecisions,
    /// See the submissions and the summed figures of the municipalities in one's county or voivodeship (only an
    /// account of such a tenant has an area; figures only).
    ViewAreaFigures,
    /// Return a municipality's submission with a comment (the county's and the region's coordinators).
    ReturnSubmissions,
    /// Compile and approve the region's report (the regional coordinator).
    ApproveRegionalReport,
    /// See the register of the municipalities' public keys that sign their statutory packages, with what each sent,
    /// and revoke a key (the regional coordinator; the keys of the voivodeship's municipalities only).
    ManagePackageKeys,
    /// Keep the county's own programmes for persons using violence (editions, registrations, completions) and the
    /// certificates sent back to the municipalities' teams (the county's coordinator; counts and opaque references
    /// only).
    ManageCountyProgrammes,
    /// See the regional cooperation platform of one's voivodeship (seed 004): what each level may see of it is the
    /// store's decision (the group and its meetings stay with the region and the counties). Never case data.
    ViewPlatform,
    /// Keep the platform: the group, its meetings, the library, the answers to difficulties, the announcements
    /// (the regional coordinator only: "only the region edits").
    ManagePlatform,
    /// Raise a key difficulty with the region and read its answer (a municipality's team staff, a county's
    /// coordinator).
    RaiseDifficulty,
}

/// The roles one account holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSet(Vec<Role>);

impl RoleSet {
    pub fn new(mut roles: Vec<Role>) -> Self {
        roles.sort();
        roles.dedup();
        Self(roles)
    }

    pub fn permits(&self, permission: Permission) -> bool {
        self.0.iter().any(|r| r.grants(permission))
    }

    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn requires_second_factor(&self) -> bool {
        self.0.iter().any(|r| r.requires_second_factor())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_name_parses_back_to_the_same_role() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(Role::parse("emperor"), Err("err-role-unknown"));
    }

    #[test]
    fn only_the_administrator_manages_accounts_and_only_the_dpo_reads_the_audit_trail() {
        for role in Role::ALL {
            let set = RoleSet::new(vec![role]);
            assert_eq!(set.permits(Permission::ManageAccounts), role == Role::SystemAdministrator, "{role}");
            assert_eq!(set.permits(Permission::ReadAuditTrail), role == Role::DataProtectionOfficer, "{role}");
        }
    }

    #[test]
    fn neither_the_administrator_nor_the_dpo_nor_the_aggregate_viewer_sees_procedures() {
        for role in
            [Role::SystemAdministrator, Role::DataProtectionOfficer, Role::AggregateViewer, Role::ProgrammeReporter]
        {
            let set = RoleSet::new(vec![role]);
            assert!(!set.permits(Permission::ViewProcedures), "{role}");
            assert!(!set.permits(Permission::OpenProcedure), "{role}");
        }
        assert!(RoleSet::new(vec![Role::Initiator]).permits(Permission::OpenProcedure));
        assert!(!RoleSet::new(vec![Role::GroupMember]).permits(Permission::ManageProcedures));
    }

    #[test]
    fn only_the_chair_makes_the_chairs_decisions() {
        for role in Role::ALL {
            assert_eq!(RoleSet::new(vec![role]).permits(Permission::ChairDecisions), role == Role::Chair, "{role}");
        }
    }

    #[test]
    fn the_chair_and_the_secretary_keep_the_municipalitys_accounts_and_no_one_else() {
        for role in Role::ALL {
            let set = RoleSet::new(vec![role]);
            assert_eq!(
                set.permits(Permission::ManageTeamAccounts),
                matches!(role, Role::Chair | Role::Secretary),
                "{role}"
            );
        }
    }

    #[test]
    fn the_team_staff_keep_the_team_registers_and_no_reporter_or_viewer_sees_members() {
        for role in Role::ALL {
            let set = RoleSet::new(vec![role]);
            let staff = matches!(role, Role::Chair | Role::DeputyChair | Role::Secretary);
            for p in [Permission::ManageTeam, Permission::ManageDirectory, Permission::ManageActivities] {
                assert_eq!(set.permits(p), staff, "{role} {p:?}");
            }
            assert_eq!(set.permits(Permission::ViewTeam), staff, "{role}");
            assert_eq!(set.permits(Permission::ViewHelpDirectory), staff || role == Role::GroupMember, "{role}");
        }
    }

    #[test]
    fn the_coordinators_see_area_figures_only_and_belong_to_their_level() {
        use crate::territory::TerritorialLevel;
        for role in [Role::CountyCoordinator, Role::RegionalCoordinator] {
            let set = RoleSet::new(vec![role]);
            assert!(set.permits(Permission::ViewAreaFigures) && set.permits(Permission::ReturnSubmissions));
            for p in [
                Permission::ViewProcedures,
                Permission::OpenProcedure,
                Permission::ViewTeam,
                Permission::ViewAggregates,
                Permission::ViewHelpDirectory,
                Permission::BreakGlass,
                Permission::ReadAuditTrail,
            ] {
                assert!(!set.permits(p), "{role} {p:?}");
            }
            assert!(!role.fits_level(TerritorialLevel::Municipality));
        }
        assert!(RoleSet::new(vec![Role::RegionalCoordinator]).permits(Permission::ApproveRegionalReport));
        assert!(!RoleSet::new(vec![Role::CountyCoordinator]).permits(Permission::ApproveRegionalReport));
        for role in Role::ALL {
            let region = role == Role::RegionalCoordinator;
            assert_eq!(RoleSet::new(vec![role]).permits(Permission::ManagePackageKeys), region, "{role}");
        }
        // The county's own programmes are the county's: the region reads their sums and enters nothing.
        assert!(RoleSet::new(vec![Role::CountyCoordinator]).permits(Permission::ManageCountyProgrammes));
        assert!(!RoleSet::new(vec![Role::RegionalCoordinator]).permits(Permission::ManageCountyProgrammes));
        assert!(Role::CountyCoordinator.fits_level(TerritorialLevel::County));
        assert!(!Role::CountyCoordinator.fits_level(TerritorialLevel::Region));
        assert!(!Role::Chair.fits_level(TerritorialLevel::County));
        assert!(Role::AggregateViewer.fits_level(TerritorialLevel::Region));
        for role in Role::ALL {
            let coordinator = matches!(role, Role::CountyCoordinator | Role::RegionalCoordinator);
            assert_eq!(RoleSet::new(vec![role]).permits(Permission::ReturnSubmissions), coordinator, "{role}");
        }
    }

    #[test]
    fn a_role_set_permits_the_union_of_its_roles() {
        let set = RoleSet::new(vec![Role::DataProtectionOfficer, Role::SystemAdministrator]);
        assert!(set.permits(Permission::ReadAuditTrail));
        assert!(set.permits(Permission::ManageTenants));
        assert!(!RoleSet::default().permits(Permission::ViewDashboard));
    }

    #[test]
    fn the_team_manages_the_programme_reporters_enter_values_and_aggregate_viewers_see_figures_only() {
        for role in Role::ALL {
            let set = RoleSet::new(vec![role]);
            let team = matches!(role, Role::Chair | Role::DeputyChair | Role::Secretary);
            assert_eq!(set.permits(Permission::ManageProgramme), team, "{role}");
            assert_eq!(set.permits(Permission::EnterIndicators), role == Role::ProgrammeReporter, "{role}");
            assert_eq!(set.permits(Permission::ViewAggregates), team || role == Role::AggregateViewer, "{role}");
        }
    }
}
