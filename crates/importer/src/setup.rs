//! Setup before an import: users, company types, customer groups and branches of business.
//!
//! These are the seed's mandatory first steps: users exist before they can be account
//! managers; company types are reviewed; customer groups are optional, and so are branches of
//! business, which classify projects. Every function checks its rules and changes the database
//! in one transaction, or not at all.

use crate::{Error, Result};
use tuonti_domain::{
    Branch, CompanyType, CompanyTypeNames, CustomerGroup, DomainError, Entity, NewUser, Role, User,
    name_key,
};
use tuonti_persistence::{References, Store};

/// What [`init`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitOutcome {
    /// Whether the default company types were seeded now (false: they were seeded before).
    pub seeded_default_types: bool,
    /// The admin asked for, and whether it was created now (false: it existed).
    pub admin: Option<(User, bool)>,
}

/// Prepares a new or existing database: seeds the default company types once and, when asked,
/// adds the first admin. Running it again changes nothing.
///
/// # Errors
///
/// [`Error::Domain`] when the admin's email belongs to a user who is not an active admin;
/// [`Error::Persistence`] on database failure.
pub fn init(store: &mut Store, admin: Option<&NewUser>) -> Result<InitOutcome> {
    store.transaction(|store| {
        let seeded_default_types = store.seed_default_company_types()?;
        let admin = match admin {
            None => None,
            Some(new_admin) => match store.user_by_email(&new_admin.email)? {
                Some(existing) if existing.is_active_admin() => Some((existing, false)),
                Some(existing) => {
                    let email = &existing.email;
                    return Err(crate::util::refused_in(
                        format!(
                            "{email} on jo olemassa mutta ei ole aktiivinen pääkäyttäjä; käytä \
                             komentoa `tuonti users set-role` tai `tuonti users activate`"
                        ),
                        format!(
                            "{email} finns redan men är inte en aktiv administratör; använd \
                             `tuonti users set-role` eller `tuonti users activate`"
                        ),
                        format!(
                            "{email} already exists but is not an active admin; use `tuonti users \
                             set-role` or `tuonti users activate`"
                        ),
                    ));
                }
                None => {
                    let admin = NewUser {
                        role: Role::Admin,
                        ..new_admin.clone()
                    };
                    Some((store.add_user(&admin)?, true))
                }
            },
        };
        Ok(InitOutcome {
            seeded_default_types,
            admin,
        })
    })
}

/// Finds a user by email (any letter case) or by display name. A name must be unique.
///
/// # Errors
///
/// [`DomainError::NotFound`] when nobody matches; [`DomainError::Refused`] when several users
/// have the name (use the email then).
pub fn find_user(store: &mut Store, key: &str) -> Result<User> {
    let trimmed = key.trim();
    if trimmed.contains('@') {
        return store
            .user_by_email(trimmed)?
            .ok_or_else(|| user_not_found(trimmed));
    }
    let wanted = name_key(trimmed);
    let mut matches: Vec<User> = store
        .users()?
        .into_iter()
        .filter(|user| name_key(&user.display_name) == wanted)
        .collect();
    match matches.len() {
        0 => Err(user_not_found(trimmed)),
        1 => Ok(matches.remove(0)),
        n => Err(crate::util::refused_in(
            format!("nimellä {trimmed:?} on {n} käyttäjää; nimeä käyttäjä sähköpostilla"),
            format!("{n} användare heter {trimmed:?}; ange användaren med e-post"),
            format!("{n} users are named {trimmed:?}; name the user by email"),
        )),
    }
}

fn user_not_found(key: &str) -> Error {
    Error::Domain(DomainError::NotFound {
        entity: Entity::User,
        key: key.to_owned(),
    })
}

/// Adds a user.
///
/// # Errors
///
/// [`DomainError::Invalid`] for an empty name or malformed email; [`DomainError::Conflict`]
/// when the email exists in any letter case.
pub fn add_user(store: &mut Store, name: &str, email: &str, role: Role) -> Result<User> {
    let user = NewUser::new(name, email, role)?;
    Ok(store.add_user(&user)?)
}

/// Changes a user's role. The last active admin cannot become a member.
///
/// # Errors
///
/// [`DomainError::NotFound`], [`DomainError::LastAdmin`].
pub fn set_user_role(store: &mut Store, user_key: &str, role: Role) -> Result<User> {
    store.transaction(|store| {
        let user = find_user(store, user_key)?;
        if user.is_active_admin() && role != Role::Admin && store.count_active_admins()? <= 1 {
            return Err(Error::Domain(DomainError::LastAdmin { email: user.email }));
        }
        Ok(store.set_user_role(user.id, role)?)
    })
}

/// What [`deactivate_user`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deactivated {
    /// The user as stored now.
    pub user: User,
    /// The user the companies and projects were moved to, if any were.
    pub moved_to: Option<User>,
    /// How many companies and projects moved.
    pub moved: References,
}

/// Deactivates a user. A user who is still the account manager of companies or the project
/// manager of projects is refused, with the counts, unless `move_to` names an active user to
/// take them over. The last active admin cannot be deactivated.
///
/// # Errors
///
/// [`DomainError::NotFound`], [`DomainError::InUse`], [`DomainError::LastAdmin`], and
/// [`DomainError::Refused`] when `move_to` is the same user or inactive.
pub fn deactivate_user(
    store: &mut Store,
    user_key: &str,
    move_to: Option<&str>,
) -> Result<Deactivated> {
    store.transaction(|store| {
        let user = find_user(store, user_key)?;
        if user.is_active_admin() && store.count_active_admins()? <= 1 {
            return Err(Error::Domain(DomainError::LastAdmin { email: user.email }));
        }
        let references = store.user_references(user.id)?;
        let (moved_to, moved) = match move_to {
            None if !references.is_empty() => {
                return Err(Error::Domain(DomainError::InUse {
                    entity: Entity::User,
                    name: user.email,
                    companies: references.companies,
                    projects: references.projects,
                }));
            }
            None => (None, References::default()),
            Some(target_key) => {
                let target = find_user(store, target_key)?;
                if target.id == user.id {
                    let email = &user.email;
                    return Err(crate::util::refused_in(
                        format!("käyttäjän {email} yrityksiä ei voi siirtää samalle käyttäjälle"),
                        format!("företagen som {email} ansvarar för kan inte flyttas till samma användare"),
                        format!("cannot move {email}'s companies to the same user"),
                    ));
                }
                if !target.can_manage_accounts() {
                    let email = &target.email;
                    return Err(crate::util::refused_in(
                        format!("{email} ei ole aktiivinen eikä voi ottaa yrityksiä vastuulleen"),
                        format!("{email} är inte aktiv och kan inte ta över företag"),
                        format!("{email} is not active and cannot take over companies"),
                    ));
                }
                let moved = store.reassign_user_references(user.id, target.id)?;
                (Some(target), moved)
            }
        };
        let user = store.set_user_active(user.id, false)?;
        Ok(Deactivated {
            user,
            moved_to,
            moved,
        })
    })
}

/// Activates a user again.
///
/// # Errors
///
/// [`DomainError::NotFound`].
pub fn activate_user(store: &mut Store, user_key: &str) -> Result<User> {
    store.transaction(|store| {
        let user = find_user(store, user_key)?;
        Ok(store.set_user_active(user.id, true)?)
    })
}

/// Finds a company type by its name in any language (archived ones included).
///
/// # Errors
///
/// [`DomainError::NotFound`].
pub fn find_company_type(store: &mut Store, name: &str) -> Result<CompanyType> {
    store.company_type_by_name(name)?.ok_or_else(|| {
        Error::Domain(DomainError::NotFound {
            entity: Entity::CompanyType,
            key: name.trim().to_owned(),
        })
    })
}

/// Adds a company type with names in Finnish and, optionally, Swedish and English.
///
/// # Errors
///
/// [`DomainError::Invalid`] for an empty Finnish name; [`DomainError::Conflict`] when a name is
/// a name of another type in any language.
pub fn add_company_type(
    store: &mut Store,
    fi: &str,
    sv: Option<&str>,
    en: Option<&str>,
) -> Result<CompanyType> {
    let names = CompanyTypeNames::new(fi, sv, en)?;
    Ok(store.add_company_type(&names)?)
}

/// New names for a company type: `None` keeps a name, `Some("")` removes a Swedish or English
/// name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypeRename<'a> {
    /// The new Finnish name.
    pub fi: Option<&'a str>,
    /// The new Swedish name.
    pub sv: Option<&'a str>,
    /// The new English name.
    pub en: Option<&'a str>,
}

/// Renames a company type, found by any of its names, in the languages given.
///
/// # Errors
///
/// [`DomainError::NotFound`], [`DomainError::Invalid`], [`DomainError::Conflict`] when a new
/// name belongs to another type, [`DomainError::Refused`] when no new name is given.
pub fn rename_company_type(
    store: &mut Store,
    name: &str,
    rename: TypeRename<'_>,
) -> Result<CompanyType> {
    if rename == TypeRename::default() {
        return Err(crate::util::refused_in(
            "anna vähintään yksi uusi nimi (--fi, --sv tai --en)",
            "ge minst ett nytt namn (--fi, --sv eller --en)",
            "give at least one new name (--fi, --sv or --en)",
        ));
    }
    store.transaction(|store| {
        let current = find_company_type(store, name)?;
        let fi = rename.fi.unwrap_or(&current.names.fi);
        let sv = rename.sv.or(current.names.sv.as_deref());
        let en = rename.en.or(current.names.en.as_deref());
        let names = CompanyTypeNames::new(fi, sv, en)?;
        Ok(store.rename_company_type(current.id, &names)?)
    })
}

/// What [`archive_company_type`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archived {
    /// The archived type.
    pub company_type: CompanyType,
    /// The type the companies were moved to, if any were.
    pub moved_to: Option<CompanyType>,
    /// How many companies moved.
    pub moved: u64,
}

/// Archives a company type: it is no longer offered for new companies. A type that companies
/// still have is refused, with the count, unless `move_to` names an active type to give them.
/// The last active type cannot be archived: an import needs one.
///
/// # Errors
///
/// [`DomainError::NotFound`], [`DomainError::InUse`], [`DomainError::Refused`].
pub fn archive_company_type(
    store: &mut Store,
    name: &str,
    move_to: Option<&str>,
) -> Result<Archived> {
    store.transaction(|store| {
        let company_type = find_company_type(store, name)?;
        if company_type.archived {
            let name = &company_type.names.fi;
            return Err(crate::util::refused_in(
                format!("yritystyyppi {name:?} on jo arkistoitu"),
                format!("företagstypen {name:?} är redan arkiverad"),
                format!("company type {name:?} is already archived"),
            ));
        }
        let active = store.company_types(false)?;
        if active.len() <= 1 {
            let name = &company_type.names.fi;
            return Err(crate::util::refused_in(
                format!("{name:?} on viimeinen aktiivinen yritystyyppi; lisää ensin toinen"),
                format!("{name:?} är den sista aktiva företagstypen; lägg först till en annan"),
                format!("{name:?} is the last active company type; add another one first"),
            ));
        }
        let in_use = store.company_type_usage(company_type.id)?;
        let (moved_to, moved) = match move_to {
            None if in_use > 0 => {
                return Err(Error::Domain(DomainError::InUse {
                    entity: Entity::CompanyType,
                    name: company_type.names.fi,
                    companies: in_use,
                    projects: 0,
                }));
            }
            None => (None, 0),
            Some(target_name) => {
                let target = find_company_type(store, target_name)?;
                if target.id == company_type.id || target.archived {
                    let name = &target.names.fi;
                    return Err(crate::util::refused_in(
                        format!(
                            "yritykset voi siirtää vain toiseen, aktiiviseen yritystyyppiin, ei \
                             tyyppiin {name:?}"
                        ),
                        format!(
                            "företagen kan bara flyttas till en annan, aktiv företagstyp, inte \
                             till {name:?}"
                        ),
                        format!(
                            "companies can only move to another, active company type, not {name:?}"
                        ),
                    ));
                }
                let moved = store.reassign_company_type(company_type.id, target.id)?;
                (Some(target), moved)
            }
        };
        let company_type = store.set_company_type_archived(company_type.id, true)?;
        Ok(Archived {
            company_type,
            moved_to,
            moved,
        })
    })
}

/// Brings an archived company type back into use.
///
/// # Errors
///
/// [`DomainError::NotFound`].
pub fn restore_company_type(store: &mut Store, name: &str) -> Result<CompanyType> {
    store.transaction(|store| {
        let company_type = find_company_type(store, name)?;
        Ok(store.set_company_type_archived(company_type.id, false)?)
    })
}

/// Finds a customer group by name in any letter case.
///
/// # Errors
///
/// [`DomainError::NotFound`].
pub fn find_customer_group(store: &mut Store, name: &str) -> Result<CustomerGroup> {
    store.customer_group_by_name(name)?.ok_or_else(|| {
        Error::Domain(DomainError::NotFound {
            entity: Entity::CustomerGroup,
            key: name.trim().to_owned(),
        })
    })
}

/// Adds a customer group.
///
/// # Errors
///
/// [`DomainError::Invalid`] for an empty name; [`DomainError::Conflict`] when the name is
/// taken in any letter case.
pub fn add_customer_group(store: &mut Store, name: &str) -> Result<CustomerGroup> {
    Ok(store.add_customer_group(name, None)?)
}

/// Renames a customer group.
///
/// # Errors
///
/// [`DomainError::NotFound`], [`DomainError::Invalid`], [`DomainError::Conflict`] when another
/// group has the new name.
pub fn rename_customer_group(store: &mut Store, old: &str, new: &str) -> Result<CustomerGroup> {
    store.transaction(|store| {
        let group = find_customer_group(store, old)?;
        Ok(store.rename_customer_group(group.id, new)?)
    })
}

/// Where the companies of a removed group go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupMove<'a> {
    /// Nowhere: refuse while companies are in the group.
    Refuse,
    /// Into the named group.
    To(&'a str),
    /// Out of any group (a company's group is optional).
    Unassign,
}

/// What [`remove_customer_group`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// The removed group.
    pub group: CustomerGroup,
    /// The group the companies moved to, if any.
    pub moved_to: Option<CustomerGroup>,
    /// How many companies moved or left the group.
    pub moved: u64,
}

/// Removes a customer group. Companies still in it are refused, with the count, unless
/// `companies` says where they go.
///
/// # Errors
///
/// [`DomainError::NotFound`], [`DomainError::InUse`], [`DomainError::Refused`] when the target
/// is the group itself.
pub fn remove_customer_group(
    store: &mut Store,
    name: &str,
    companies: GroupMove<'_>,
) -> Result<Removed> {
    store.transaction(|store| {
        let group = find_customer_group(store, name)?;
        let (moved_to, moved) = match companies {
            GroupMove::Refuse => (None, 0),
            GroupMove::Unassign => (None, store.reassign_customer_group(group.id, None)?),
            GroupMove::To(target_name) => {
                let target = find_customer_group(store, target_name)?;
                if target.id == group.id {
                    let name = &group.name;
                    return Err(crate::util::refused_in(
                        format!("ryhmän {name:?} yrityksiä ei voi siirtää samaan ryhmään"),
                        format!("företagen i {name:?} kan inte flyttas till samma grupp"),
                        format!("cannot move the companies of {name:?} into itself"),
                    ));
                }
                let moved = store.reassign_customer_group(group.id, Some(target.id))?;
                (Some(target), moved)
            }
        };
        store.remove_customer_group(group.id)?;
        Ok(Removed {
            group,
            moved_to,
            moved,
        })
    })
}

/// A branch of business with the number of projects in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchUsage {
    /// The branch.
    pub branch: Branch,
    /// How many projects are in it.
    pub projects: u64,
}

/// Every branch of business, ordered by name, with its project count.
///
/// # Errors
///
/// [`Error::Persistence`] on database failure.
pub fn list_branches(store: &mut Store) -> Result<Vec<BranchUsage>> {
    let usages = store.branch_usages()?;
    Ok(store
        .branches()?
        .into_iter()
        .map(|branch| BranchUsage {
            projects: usages.get(&branch.id).copied().unwrap_or(0),
            branch,
        })
        .collect())
}

/// Finds a branch of business by name in any letter case.
///
/// # Errors
///
/// [`DomainError::NotFound`].
pub fn find_branch(store: &mut Store, name: &str) -> Result<Branch> {
    store.branch_by_name(name)?.ok_or_else(|| {
        Error::Domain(DomainError::NotFound {
            entity: Entity::Branch,
            key: name.trim().to_owned(),
        })
    })
}

/// Adds a branch of business.
///
/// # Errors
///
/// [`DomainError::Invalid`] for an empty name; [`DomainError::Conflict`] when the name is
/// taken in any letter case.
pub fn add_branch(store: &mut Store, name: &str) -> Result<Branch> {
    Ok(store.add_branch(name, None)?)
}

/// Renames a branch of business.
///
/// # Errors
///
/// [`DomainError::NotFound`], [`DomainError::Invalid`], [`DomainError::Conflict`] when another
/// branch has the new name.
pub fn rename_branch(store: &mut Store, old: &str, new: &str) -> Result<Branch> {
    store.transaction(|store| {
        let branch = find_branch(store, old)?;
        Ok(store.rename_branch(branch.id, new)?)
    })
}

/// Where the projects of a removed branch go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BranchMove<'a> {
    /// Nowhere: refuse while projects are in the branch.
    Refuse,
    /// Into the named branch.
    To(&'a str),
    /// Out of any branch (a project's branch is optional).
    Unassign,
}

/// What [`remove_branch`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedBranch {
    /// The removed branch.
    pub branch: Branch,
    /// The branch the projects moved to, if any.
    pub moved_to: Option<Branch>,
    /// How many projects moved or left the branch.
    pub moved: u64,
}

/// Removes a branch of business. Projects still in it are refused, with the count, unless
/// `projects` says where they go.
///
/// # Errors
///
/// [`DomainError::NotFound`] for an unknown branch or target, [`DomainError::InUse`],
/// [`DomainError::MoveToItself`] when the target is the branch itself.
pub fn remove_branch(
    store: &mut Store,
    name: &str,
    projects: BranchMove<'_>,
) -> Result<RemovedBranch> {
    store.transaction(|store| {
        let branch = find_branch(store, name)?;
        let (moved_to, moved) = match projects {
            BranchMove::Refuse => (None, 0),
            BranchMove::Unassign => (None, store.reassign_branch(branch.id, None)?),
            BranchMove::To(target_name) => {
                let target = find_branch(store, target_name)?;
                if target.id == branch.id {
                    return Err(Error::Domain(DomainError::MoveToItself {
                        entity: Entity::Branch,
                        name: branch.name,
                    }));
                }
                let moved = store.reassign_branch(branch.id, Some(target.id))?;
                (Some(target), moved)
            }
        };
        store.remove_branch(branch.id)?;
        Ok(RemovedBranch {
            branch,
            moved_to,
            moved,
        })
    })
}
