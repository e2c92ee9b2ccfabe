//! Users, company types, customer groups and branches of business: the setup an admin does
//! before importing.
//!
//! Records are addressed by id here (the pages and the API know ids); the importer's use cases
//! find them by email or name, so each operation looks the record up first and then calls the
//! use case with its key. The rules and messages are the importer's, as in the CLI.

use crate::error::AppError;
use crate::state::AppState;
use serde::Serialize;
use tuonti_domain::{
    Branch, BranchId, CompanyType, CompanyTypeId, CustomerGroup, CustomerGroupId, DomainError,
    Entity, Role, User, UserId,
};
use tuonti_importer::accounts;
use tuonti_importer::setup::{self, BranchMove, GroupMove, TypeRename};
use tuonti_persistence::Store;

/// A user with the number of companies they manage.
#[derive(Debug, Clone, Serialize)]
pub struct UserRow {
    /// The user.
    #[serde(flatten)]
    pub user: User,
    /// Companies whose account manager the user is.
    pub companies: u64,
}

/// A company type with the number of companies of the type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeRow {
    /// The type.
    #[serde(flatten)]
    pub company_type: CompanyType,
    /// Companies of the type.
    pub companies: u64,
}

/// A customer group with the number of companies in it.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// The group.
    #[serde(flatten)]
    pub group: CustomerGroup,
    /// Companies in the group.
    pub companies: u64,
}

/// A branch of business with the number of projects in it.
#[derive(Debug, Clone, Serialize)]
pub struct BranchRow {
    /// The branch.
    #[serde(flatten)]
    pub branch: Branch,
    /// Projects in the branch.
    pub projects: u64,
}

/// What deactivating a user did.
#[derive(Debug, Clone, Serialize)]
pub struct DeactivateOutcome {
    /// The user as stored now.
    pub user: User,
    /// The user who took over the companies and projects, if any moved.
    pub moved_to: Option<User>,
    /// Companies moved.
    pub moved_companies: u64,
    /// Projects moved.
    pub moved_projects: u64,
}

/// What archiving a company type did.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveOutcome {
    /// The archived type.
    pub company_type: CompanyType,
    /// The type the companies moved to, if any moved.
    pub moved_to: Option<CompanyType>,
    /// Companies moved.
    pub moved: u64,
}

/// What removing a customer group did.
#[derive(Debug, Clone, Serialize)]
pub struct RemoveOutcome {
    /// The removed group.
    pub group: CustomerGroup,
    /// The group the companies moved to, if they moved to one.
    pub moved_to: Option<CustomerGroup>,
    /// Companies that moved or left the group.
    pub moved: u64,
}

/// Where the companies of a removed group go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupTarget {
    /// Nowhere: the removal is refused while companies are in the group.
    Refuse,
    /// Into the group with this id.
    To(i64),
    /// Out of any group.
    Unassign,
}

/// What removing a branch of business did.
#[derive(Debug, Clone, Serialize)]
pub struct RemoveBranchOutcome {
    /// The removed branch.
    pub branch: Branch,
    /// The branch the projects moved to, if they moved to one.
    pub moved_to: Option<Branch>,
    /// Projects that moved or left the branch.
    pub moved: u64,
}

/// Where the projects of a removed branch go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BranchTarget {
    /// Nowhere: the removal is refused while projects are in the branch.
    Refuse,
    /// Into the branch with this id.
    To(i64),
    /// Out of any branch.
    Unassign,
}

/// A one-time login link made for a user.
#[derive(Debug, Clone, Serialize)]
pub struct LoginLink {
    /// The user it signs in.
    pub user: User,
    /// The secret token.
    pub token: String,
    /// The path to open: `/login/link/<token>`.
    pub path: String,
    /// How long the link works, in seconds.
    pub expires_in_seconds: i64,
}

fn not_found(entity: Entity, id: i64) -> AppError {
    AppError::Importer(tuonti_importer::Error::Domain(DomainError::NotFound {
        entity,
        key: id.to_string(),
    }))
}

fn user_by_id(store: &mut Store, id: i64) -> Result<User, AppError> {
    store
        .user(UserId(id))?
        .ok_or_else(|| not_found(Entity::User, id))
}

fn type_by_id(store: &mut Store, id: i64) -> Result<CompanyType, AppError> {
    store
        .company_type(CompanyTypeId(id))?
        .ok_or_else(|| not_found(Entity::CompanyType, id))
}

fn group_by_id(store: &mut Store, id: i64) -> Result<CustomerGroup, AppError> {
    store
        .customer_group(CustomerGroupId(id))?
        .ok_or_else(|| not_found(Entity::CustomerGroup, id))
}

fn branch_by_id(store: &mut Store, id: i64) -> Result<Branch, AppError> {
    store
        .branch(BranchId(id))?
        .ok_or_else(|| not_found(Entity::Branch, id))
}

/// Every user with their company counts.
///
/// # Errors
///
/// [`AppError::Importer`] when the database fails.
pub async fn users(state: &AppState) -> Result<Vec<UserRow>, AppError> {
    state
        .db
        .run(|store| {
            let counts = store.company_counts()?;
            Ok(store
                .users()?
                .into_iter()
                .map(|user| UserRow {
                    companies: counts.by_manager.get(&user.id).copied().unwrap_or(0),
                    user,
                })
                .collect())
        })
        .await
}

/// Adds a user.
///
/// # Errors
///
/// [`AppError::Importer`]: an empty name, a malformed email, an email that exists.
pub async fn add_user(
    state: &AppState,
    name: String,
    email: String,
    role: Role,
) -> Result<User, AppError> {
    state
        .db
        .run(move |store| Ok(setup::add_user(store, &name, &email, role)?))
        .await
}

/// Changes a user's role.
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown user, the last active admin.
pub async fn set_role(state: &AppState, user_id: i64, role: Role) -> Result<User, AppError> {
    state
        .db
        .run(move |store| {
            let user = user_by_id(store, user_id)?;
            Ok(setup::set_user_role(store, &user.email, role)?)
        })
        .await
}

/// Deactivates a user, moving their companies and projects to `move_to` when given.
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown user, a user who still manages companies (with the
/// counts) when `move_to` is `None`, the last active admin, an inactive or the same target.
pub async fn deactivate(
    state: &AppState,
    user_id: i64,
    move_to: Option<i64>,
) -> Result<DeactivateOutcome, AppError> {
    state
        .db
        .run(move |store| {
            let user = user_by_id(store, user_id)?;
            let target = match move_to {
                Some(id) => Some(user_by_id(store, id)?.email),
                None => None,
            };
            let done = setup::deactivate_user(store, &user.email, target.as_deref())?;
            Ok(DeactivateOutcome {
                user: done.user,
                moved_to: done.moved_to,
                moved_companies: done.moved.companies,
                moved_projects: done.moved.projects,
            })
        })
        .await
}

/// Activates a user again.
///
/// # Errors
///
/// [`AppError::Importer`] for an unknown user.
pub async fn activate(state: &AppState, user_id: i64) -> Result<User, AppError> {
    state
        .db
        .run(move |store| {
            let user = user_by_id(store, user_id)?;
            Ok(setup::activate_user(store, &user.email)?)
        })
        .await
}

/// Makes a one-time login link for a user, with which they set a password and sign in.
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown or deactivated user.
pub async fn login_link(state: &AppState, user_id: i64) -> Result<LoginLink, AppError> {
    state
        .db
        .run(move |store| {
            let user = user_by_id(store, user_id)?;
            let (user, token) = accounts::create_login_link(store, &user.email)?;
            Ok(LoginLink {
                user,
                path: format!("/login/link/{token}"),
                token,
                expires_in_seconds: accounts::LOGIN_LINK_LIFETIME.num_seconds(),
            })
        })
        .await
}

/// Every company type, archived ones included, with their company counts.
///
/// # Errors
///
/// [`AppError::Importer`] when the database fails.
pub async fn types(state: &AppState) -> Result<Vec<TypeRow>, AppError> {
    state
        .db
        .run(|store| {
            let counts = store.company_counts()?;
            Ok(store
                .company_types(true)?
                .into_iter()
                .map(|company_type| TypeRow {
                    companies: counts.by_type.get(&company_type.id).copied().unwrap_or(0),
                    company_type,
                })
                .collect())
        })
        .await
}

/// Adds a company type (Finnish name required).
///
/// # Errors
///
/// [`AppError::Importer`]: an empty Finnish name, a name another type has in any language.
pub async fn add_type(
    state: &AppState,
    fi: String,
    sv: Option<String>,
    en: Option<String>,
) -> Result<CompanyType, AppError> {
    state
        .db
        .run(move |store| {
            Ok(setup::add_company_type(
                store,
                &fi,
                sv.as_deref(),
                en.as_deref(),
            )?)
        })
        .await
}

/// New names for a company type: `None` keeps a name; an empty Swedish or English name
/// removes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewTypeNames {
    /// The Finnish name.
    pub fi: Option<String>,
    /// The Swedish name.
    pub sv: Option<String>,
    /// The English name.
    pub en: Option<String>,
}

/// Renames a company type.
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown type, no new name, an empty Finnish name, a name of
/// another type.
pub async fn rename_type(
    state: &AppState,
    type_id: i64,
    names: NewTypeNames,
) -> Result<CompanyType, AppError> {
    state
        .db
        .run(move |store| {
            let current = type_by_id(store, type_id)?;
            let rename = TypeRename {
                fi: names.fi.as_deref(),
                sv: names.sv.as_deref(),
                en: names.en.as_deref(),
            };
            Ok(setup::rename_company_type(
                store,
                &current.names.fi,
                rename,
            )?)
        })
        .await
}

/// Archives a company type, moving its companies to `move_to` when given.
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown type, a type in use without `move_to`, the last active
/// type, an archived or the same target.
pub async fn archive_type(
    state: &AppState,
    type_id: i64,
    move_to: Option<i64>,
) -> Result<ArchiveOutcome, AppError> {
    state
        .db
        .run(move |store| {
            let current = type_by_id(store, type_id)?;
            let target = match move_to {
                Some(id) => Some(type_by_id(store, id)?.names.fi),
                None => None,
            };
            let done = setup::archive_company_type(store, &current.names.fi, target.as_deref())?;
            Ok(ArchiveOutcome {
                company_type: done.company_type,
                moved_to: done.moved_to,
                moved: done.moved,
            })
        })
        .await
}

/// Brings an archived company type back.
///
/// # Errors
///
/// [`AppError::Importer`] for an unknown type.
pub async fn restore_type(state: &AppState, type_id: i64) -> Result<CompanyType, AppError> {
    state
        .db
        .run(move |store| {
            let current = type_by_id(store, type_id)?;
            Ok(setup::restore_company_type(store, &current.names.fi)?)
        })
        .await
}

/// Every customer group with its company count.
///
/// # Errors
///
/// [`AppError::Importer`] when the database fails.
pub async fn groups(state: &AppState) -> Result<Vec<GroupRow>, AppError> {
    state
        .db
        .run(|store| {
            let counts = store.company_counts()?;
            Ok(store
                .customer_groups()?
                .into_iter()
                .map(|group| GroupRow {
                    companies: counts.by_group.get(&group.id).copied().unwrap_or(0),
                    group,
                })
                .collect())
        })
        .await
}

/// Adds a customer group.
///
/// # Errors
///
/// [`AppError::Importer`]: an empty name, a name taken in any letter case.
pub async fn add_group(state: &AppState, name: String) -> Result<CustomerGroup, AppError> {
    state
        .db
        .run(move |store| Ok(setup::add_customer_group(store, &name)?))
        .await
}

/// Renames a customer group.
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown group, an empty name, a name another group has.
pub async fn rename_group(
    state: &AppState,
    group_id: i64,
    name: String,
) -> Result<CustomerGroup, AppError> {
    state
        .db
        .run(move |store| {
            let group = group_by_id(store, group_id)?;
            Ok(setup::rename_customer_group(store, &group.name, &name)?)
        })
        .await
}

/// Removes a customer group; its companies go where `target` says.
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown group or target, a group in use with
/// [`GroupTarget::Refuse`], the group itself as the target.
pub async fn remove_group(
    state: &AppState,
    group_id: i64,
    target: GroupTarget,
) -> Result<RemoveOutcome, AppError> {
    state
        .db
        .run(move |store| {
            let group = group_by_id(store, group_id)?;
            let target_name = match target {
                GroupTarget::To(id) => Some(group_by_id(store, id)?.name),
                GroupTarget::Refuse | GroupTarget::Unassign => None,
            };
            let companies = match (target, &target_name) {
                (GroupTarget::To(_), Some(name)) => GroupMove::To(name),
                (GroupTarget::Unassign, _) => GroupMove::Unassign,
                _ => GroupMove::Refuse,
            };
            let done = setup::remove_customer_group(store, &group.name, companies)?;
            Ok(RemoveOutcome {
                group: done.group,
                moved_to: done.moved_to,
                moved: done.moved,
            })
        })
        .await
}

/// Every branch of business with its project count.
///
/// # Errors
///
/// [`AppError::Importer`] when the database fails.
pub async fn branches(state: &AppState) -> Result<Vec<BranchRow>, AppError> {
    state
        .db
        .run(|store| {
            Ok(setup::list_branches(store)?
                .into_iter()
                .map(|usage| BranchRow {
                    branch: usage.branch,
                    projects: usage.projects,
                })
                .collect())
        })
        .await
}

/// Adds a branch of business.
///
/// # Errors
///
/// [`AppError::Importer`]: an empty name, a name taken in any letter case.
pub async fn add_branch(state: &AppState, name: String) -> Result<Branch, AppError> {
    state
        .db
        .run(move |store| Ok(setup::add_branch(store, &name)?))
        .await
}

/// Renames a branch of business.
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown branch, an empty name, a name another branch has.
pub async fn rename_branch(
    state: &AppState,
    branch_id: i64,
    name: String,
) -> Result<Branch, AppError> {
    state
        .db
        .run(move |store| {
            let branch = branch_by_id(store, branch_id)?;
            Ok(setup::rename_branch(store, &branch.name, &name)?)
        })
        .await
}

/// Removes a branch of business; its projects go where `target` says.
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown branch or target, a branch in use with
/// [`BranchTarget::Refuse`], the branch itself as the target.
pub async fn remove_branch(
    state: &AppState,
    branch_id: i64,
    target: BranchTarget,
) -> Result<RemoveBranchOutcome, AppError> {
    state
        .db
        .run(move |store| {
            let branch = branch_by_id(store, branch_id)?;
            let target_name = match target {
                BranchTarget::To(id) => Some(branch_by_id(store, id)?.name),
                BranchTarget::Refuse | BranchTarget::Unassign => None,
            };
            let projects = match (target, &target_name) {
                (BranchTarget::To(_), Some(name)) => BranchMove::To(name),
                (BranchTarget::Unassign, _) => BranchMove::Unassign,
                _ => BranchMove::Refuse,
            };
            let done = setup::remove_branch(store, &branch.name, projects)?;
            Ok(RemoveBranchOutcome {
                branch: done.branch,
                moved_to: done.moved_to,
                moved: done.moved,
            })
        })
        .await
}
