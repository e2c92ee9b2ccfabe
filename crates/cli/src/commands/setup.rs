//! `tuonti init`, `users`, `types`, `groups` and `branches`.

use crate::args::{BranchesCommand, GroupsCommand, InitArgs, TypesCommand, UsersCommand};
use crate::commands::Refusal;
use crate::output::{Listing, print_listing, tr, yes_no};
use chrono::NaiveDateTime;
use serde::Serialize;
use tuonti_domain::{Lang, NewUser, Role};
use tuonti_importer::setup::{self, BranchMove, GroupMove, TypeRename};
use tuonti_persistence::Store;

/// `tuonti init`: the store is already open (and created and migrated) when this runs.
pub fn init(store: &mut Store, args: &InitArgs, created: bool, lang: Lang) -> anyhow::Result<()> {
    let admin = match (&args.admin_name, &args.admin_email) {
        (Some(name), Some(email)) => {
            Some(NewUser::new(name, email, Role::Admin).map_err(tuonti_importer::Error::from)?)
        }
        _ => None,
    };
    let outcome = setup::init(store, admin.as_ref())?;
    let location = store.location().display_target();
    if created {
        println!(
            "{} {location}",
            tr(
                lang,
                "Tietokanta luotiin:",
                "Skapade databasen i",
                "Created the database at"
            )
        );
    }
    if outcome.seeded_default_types {
        let names: Vec<String> = store
            .company_types(false)?
            .into_iter()
            .map(|t| t.names.fi)
            .collect();
        println!(
            "{} {}",
            tr(
                lang,
                "Oletusyritystyypit lisättiin:",
                "Lade till standardföretagstyperna:",
                "Seeded the default company types:"
            ),
            names.join(", ")
        );
    }
    match &outcome.admin {
        Some((user, true)) => println!(
            "{} {} <{}>",
            tr(
                lang,
                "Pääkäyttäjä lisättiin:",
                "Lade till administratören",
                "Added the admin"
            ),
            user.display_name,
            user.email
        ),
        Some((user, false)) => println!(
            "{} {} <{}>",
            tr(
                lang,
                "Pääkäyttäjä on jo olemassa:",
                "Administratören finns redan:",
                "The admin exists already:"
            ),
            user.display_name,
            user.email
        ),
        None => {}
    }
    if !created && !outcome.seeded_default_types && !matches!(outcome.admin, Some((_, true))) {
        println!(
            "{} {location} {}",
            tr(lang, "Tietokanta", "Databasen i", "The database at"),
            tr(
                lang,
                "on ajan tasalla; mitään ei muutettu.",
                "är uppdaterad; ingenting ändrades.",
                "is up to date; nothing changed."
            )
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct UserRow {
    id: i64,
    name: String,
    email: String,
    role: Role,
    active: bool,
    companies: u64,
    created_at: NaiveDateTime,
}

impl Listing for UserRow {
    fn headers(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Fi => vec![
                "ID",
                "Nimi",
                "Sähköposti",
                "Rooli",
                "Aktiivinen",
                "Yrityksiä",
            ],
            Lang::Sv => vec!["ID", "Namn", "E-post", "Roll", "Aktiv", "Företag"],
            Lang::En => vec!["ID", "Name", "Email", "Role", "Active", "Companies"],
        }
    }

    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.email.clone(),
            self.role.label(lang).to_lowercase(),
            yes_no(lang, self.active),
            self.companies.to_string(),
        ]
    }
}

/// `tuonti users ...`.
pub fn users(store: &mut Store, command: &UsersCommand, lang: Lang) -> anyhow::Result<()> {
    match command {
        UsersCommand::Add { name, email, role } => {
            let user = setup::add_user(store, name, email, (*role).into())?;
            println!(
                "{} {} <{}> ({})",
                tr(
                    lang,
                    "Käyttäjä lisättiin:",
                    "Lade till användaren",
                    "Added user"
                ),
                user.display_name,
                user.email,
                user.role.label(lang).to_lowercase()
            );
        }
        UsersCommand::List(format) => {
            let counts = store.company_counts()?;
            let rows: Vec<UserRow> = store
                .users()?
                .into_iter()
                .map(|user| UserRow {
                    id: user.id.get(),
                    companies: counts.by_manager.get(&user.id).copied().unwrap_or(0),
                    name: user.display_name,
                    email: user.email,
                    role: user.role,
                    active: user.active,
                    created_at: user.created_at,
                })
                .collect();
            print_listing(&rows, format.format, lang)?;
        }
        UsersCommand::SetRole { user, role } => {
            let user = setup::set_user_role(store, user, (*role).into())?;
            println!(
                "{} {} <{}>: {}",
                tr(
                    lang,
                    "Rooli vaihdettiin:",
                    "Ändrade rollen för",
                    "Changed the role of"
                ),
                user.display_name,
                user.email,
                user.role.label(lang).to_lowercase()
            );
        }
        UsersCommand::Deactivate { user, move_to } => {
            let done = setup::deactivate_user(store, user, move_to.as_deref())?;
            println!(
                "{} {} <{}>",
                tr(
                    lang,
                    "Käyttäjä poistettiin käytöstä:",
                    "Inaktiverade",
                    "Deactivated"
                ),
                done.user.display_name,
                done.user.email
            );
            if let Some(target) = done.moved_to {
                println!(
                    "{} {} {} {} {} {}",
                    tr(lang, "Siirrettiin", "Flyttade", "Moved"),
                    done.moved.companies,
                    tr(lang, "yritystä ja", "företag och", "companies and"),
                    done.moved.projects,
                    tr(lang, "projektia käyttäjälle", "projekt till", "projects to"),
                    target.email
                );
            }
        }
        UsersCommand::SetPassword { user } => {
            let password = read_password(lang)?;
            let user = tuonti_importer::accounts::set_password(store, user, &password)?;
            println!(
                "{} {} <{}>",
                tr(
                    lang,
                    "Salasana asetettiin:",
                    "Satte lösenordet för",
                    "Set the password of"
                ),
                user.display_name,
                user.email
            );
        }
        UsersCommand::LoginLink { user, base_url } => {
            let (user, token) = tuonti_importer::accounts::create_login_link(store, user)?;
            eprintln!(
                "{} {} <{}> ({}):",
                tr(
                    lang,
                    "Kertakäyttöinen kirjautumislinkki:",
                    "Engångslänk för att logga in som",
                    "One-time login link for"
                ),
                user.display_name,
                user.email,
                tr(
                    lang,
                    "voimassa 24 tuntia",
                    "giltig i 24 timmar",
                    "valid for 24 hours"
                )
            );
            println!("{}/login/link/{token}", base_url.trim_end_matches('/'));
        }
        UsersCommand::Activate { user } => {
            let user = setup::activate_user(store, user)?;
            println!(
                "{} {} <{}>",
                tr(
                    lang,
                    "Käyttäjä otettiin käyttöön:",
                    "Aktiverade",
                    "Activated"
                ),
                user.display_name,
                user.email
            );
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct TypeRow {
    id: i64,
    position: i32,
    name_fi: String,
    name_sv: Option<String>,
    name_en: Option<String>,
    archived: bool,
    companies: u64,
}

impl Listing for TypeRow {
    fn headers(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Fi => vec![
                "ID",
                "Järjestys",
                "Suomeksi",
                "Ruotsiksi",
                "Englanniksi",
                "Arkistoitu",
                "Yrityksiä",
            ],
            Lang::Sv => vec![
                "ID",
                "Ordning",
                "Finska",
                "Svenska",
                "Engelska",
                "Arkiverad",
                "Företag",
            ],
            Lang::En => vec![
                "ID",
                "Order",
                "Finnish",
                "Swedish",
                "English",
                "Archived",
                "Companies",
            ],
        }
    }

    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.position.to_string(),
            self.name_fi.clone(),
            self.name_sv.clone().unwrap_or_default(),
            self.name_en.clone().unwrap_or_default(),
            yes_no(lang, self.archived),
            self.companies.to_string(),
        ]
    }
}

/// `tuonti types ...`.
pub fn types(store: &mut Store, command: &TypesCommand, lang: Lang) -> anyhow::Result<()> {
    match command {
        TypesCommand::List { all, format } => {
            let counts = store.company_counts()?;
            let rows: Vec<TypeRow> = store
                .company_types(*all)?
                .into_iter()
                .map(|company_type| TypeRow {
                    id: company_type.id.get(),
                    position: company_type.position,
                    companies: counts.by_type.get(&company_type.id).copied().unwrap_or(0),
                    name_fi: company_type.names.fi,
                    name_sv: company_type.names.sv,
                    name_en: company_type.names.en,
                    archived: company_type.archived,
                })
                .collect();
            print_listing(&rows, format.format, lang)?;
        }
        TypesCommand::Add { fi, sv, en } => {
            let added = setup::add_company_type(store, fi, sv.as_deref(), en.as_deref())?;
            println!(
                "{} {}",
                tr(
                    lang,
                    "Yritystyyppi lisättiin:",
                    "Lade till företagstypen",
                    "Added company type"
                ),
                describe_names(&added.names)
            );
        }
        TypesCommand::Rename { name, fi, sv, en } => {
            let renamed = setup::rename_company_type(
                store,
                name,
                TypeRename {
                    fi: fi.as_deref(),
                    sv: sv.as_deref(),
                    en: en.as_deref(),
                },
            )?;
            println!(
                "{} {}",
                tr(
                    lang,
                    "Yritystyyppi nimettiin uudelleen:",
                    "Bytte namn på företagstypen till",
                    "Renamed the company type to"
                ),
                describe_names(&renamed.names)
            );
        }
        TypesCommand::Archive { name, move_to } => {
            let done = setup::archive_company_type(store, name, move_to.as_deref())?;
            println!(
                "{} {}",
                tr(
                    lang,
                    "Yritystyyppi arkistoitiin:",
                    "Arkiverade företagstypen",
                    "Archived company type"
                ),
                done.company_type.names.fi
            );
            if let Some(target) = done.moved_to {
                println!(
                    "{} {} {} {}",
                    tr(lang, "Siirrettiin", "Flyttade", "Moved"),
                    done.moved,
                    tr(
                        lang,
                        "yritystä tyyppiin",
                        "företag till typen",
                        "companies to type"
                    ),
                    target.names.fi
                );
            }
        }
        TypesCommand::Restore { name } => {
            let restored = setup::restore_company_type(store, name)?;
            println!(
                "{} {}",
                tr(
                    lang,
                    "Yritystyyppi palautettiin:",
                    "Återställde företagstypen",
                    "Restored company type"
                ),
                restored.names.fi
            );
        }
    }
    Ok(())
}

fn describe_names(names: &tuonti_domain::CompanyTypeNames) -> String {
    let mut parts = vec![format!("fi {:?}", names.fi)];
    if let Some(sv) = &names.sv {
        parts.push(format!("sv {sv:?}"));
    }
    if let Some(en) = &names.en {
        parts.push(format!("en {en:?}"));
    }
    parts.join(", ")
}

#[derive(Serialize)]
struct GroupRow {
    id: i64,
    name: String,
    companies: u64,
    created_at: NaiveDateTime,
    created_by_batch: Option<i64>,
}

impl Listing for GroupRow {
    fn headers(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Fi => vec!["ID", "Nimi", "Yrityksiä", "Luotu"],
            Lang::Sv => vec!["ID", "Namn", "Företag", "Skapad"],
            Lang::En => vec!["ID", "Name", "Companies", "Created"],
        }
    }

    fn cells(&self, _lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.companies.to_string(),
            self.created_at.format("%Y-%m-%d %H:%M").to_string(),
        ]
    }
}

/// `tuonti groups ...`.
pub fn groups(store: &mut Store, command: &GroupsCommand, lang: Lang) -> anyhow::Result<()> {
    match command {
        GroupsCommand::List(format) => {
            let counts = store.company_counts()?;
            let rows: Vec<GroupRow> = store
                .customer_groups()?
                .into_iter()
                .map(|group| GroupRow {
                    id: group.id.get(),
                    companies: counts.by_group.get(&group.id).copied().unwrap_or(0),
                    name: group.name,
                    created_at: group.created_at,
                    created_by_batch: group.created_by_batch.map(|b| b.get()),
                })
                .collect();
            print_listing(&rows, format.format, lang)?;
        }
        GroupsCommand::Add { name } => {
            let group = setup::add_customer_group(store, name)?;
            println!(
                "{} {}",
                tr(
                    lang,
                    "Asiakkuusryhmä lisättiin:",
                    "Lade till kundgruppen",
                    "Added customer group"
                ),
                group.name
            );
        }
        GroupsCommand::Rename { old, new } => {
            let group = setup::rename_customer_group(store, old, new)?;
            println!(
                "{} {}",
                tr(
                    lang,
                    "Asiakkuusryhmä nimettiin uudelleen:",
                    "Bytte namn på kundgruppen till",
                    "Renamed the customer group to"
                ),
                group.name
            );
        }
        GroupsCommand::Remove {
            name,
            move_to,
            unassign,
        } => {
            let companies = match (move_to, unassign) {
                (Some(target), _) => GroupMove::To(target),
                (None, true) => GroupMove::Unassign,
                (None, false) => GroupMove::Refuse,
            };
            let removed = setup::remove_customer_group(store, name, companies)?;
            println!(
                "{} {}",
                tr(
                    lang,
                    "Asiakkuusryhmä poistettiin:",
                    "Tog bort kundgruppen",
                    "Removed customer group"
                ),
                removed.group.name
            );
            if removed.moved > 0 {
                match removed.moved_to {
                    Some(target) => println!(
                        "{} {} {} {}",
                        tr(lang, "Siirrettiin", "Flyttade", "Moved"),
                        removed.moved,
                        tr(
                            lang,
                            "yritystä ryhmään",
                            "företag till gruppen",
                            "companies to group"
                        ),
                        target.name
                    ),
                    None => println!(
                        "{} {}",
                        removed.moved,
                        tr(
                            lang,
                            "yritystä jäi ilman ryhmää",
                            "företag är nu utan grupp",
                            "companies are now without a group"
                        )
                    ),
                }
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct BranchRow {
    id: i64,
    name: String,
    projects: u64,
    created_at: NaiveDateTime,
    created_by_batch: Option<i64>,
}

impl Listing for BranchRow {
    fn headers(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Fi => vec!["ID", "Nimi", "Projekteja", "Luotu"],
            Lang::Sv => vec!["ID", "Namn", "Projekt", "Skapad"],
            Lang::En => vec!["ID", "Name", "Projects", "Created"],
        }
    }

    fn cells(&self, _lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.projects.to_string(),
            self.created_at.format("%Y-%m-%d %H:%M").to_string(),
        ]
    }
}

/// `tuonti branches ...`.
pub fn branches(store: &mut Store, command: &BranchesCommand, lang: Lang) -> anyhow::Result<()> {
    match command {
        BranchesCommand::List(format) => {
            let rows: Vec<BranchRow> = setup::list_branches(store)?
                .into_iter()
                .map(|usage| BranchRow {
                    id: usage.branch.id.get(),
                    name: usage.branch.name,
                    projects: usage.projects,
                    created_at: usage.branch.created_at,
                    created_by_batch: usage.branch.created_by_batch.map(|b| b.get()),
                })
                .collect();
            print_listing(&rows, format.format, lang)?;
        }
        BranchesCommand::Add { name } => {
            let branch = setup::add_branch(store, name)?;
            println!(
                "{} {}",
                tr(
                    lang,
                    "Toimiala lisättiin:",
                    "Lade till branschen",
                    "Added branch of business"
                ),
                branch.name
            );
        }
        BranchesCommand::Rename { old, new } => {
            let branch = setup::rename_branch(store, old, new)?;
            println!(
                "{} {}",
                tr(
                    lang,
                    "Toimiala nimettiin uudelleen:",
                    "Bytte namn på branschen till",
                    "Renamed the branch of business to"
                ),
                branch.name
            );
        }
        BranchesCommand::Remove {
            name,
            move_to,
            unassign,
        } => {
            let projects = match (move_to, unassign) {
                (Some(_), true) => {
                    return Err(Refusal::new(
                        tr(
                            lang,
                            "Anna joko --move-to tai --unassign, ei molempia.",
                            "Ge antingen --move-to eller --unassign, inte båda.",
                            "Give either --move-to or --unassign, not both.",
                        )
                        .to_owned(),
                    )
                    .into());
                }
                (Some(target), false) => BranchMove::To(target),
                (None, true) => BranchMove::Unassign,
                (None, false) => BranchMove::Refuse,
            };
            let removed = setup::remove_branch(store, name, projects)?;
            println!(
                "{} {}",
                tr(
                    lang,
                    "Toimiala poistettiin:",
                    "Tog bort branschen",
                    "Removed branch of business"
                ),
                removed.branch.name
            );
            if removed.moved > 0 {
                let projects = n_projects(lang, removed.moved);
                match removed.moved_to {
                    Some(target) => println!(
                        "{} {projects} {} {}",
                        tr(lang, "Siirrettiin", "Flyttade", "Moved"),
                        tr(
                            lang,
                            "toimialalle",
                            "till branschen",
                            "to branch of business"
                        ),
                        target.name
                    ),
                    None => println!(
                        "{projects} {}",
                        match lang {
                            Lang::Fi => "jäi ilman toimialaa",
                            Lang::Sv => "är nu utan bransch",
                            Lang::En if removed.moved == 1 => "is now without a branch of business",
                            Lang::En => "are now without a branch of business",
                        }
                    ),
                }
            }
        }
    }
    Ok(())
}

/// "1 project", "2 projects" ("1 projekti", "2 projektia"; "1 projekt", "2 projekt").
fn n_projects(lang: Lang, n: u64) -> String {
    let word = match lang {
        Lang::Fi if n == 1 => "projekti",
        Lang::Fi => "projektia",
        Lang::Sv => "projekt",
        Lang::En if n == 1 => "project",
        Lang::En => "projects",
    };
    format!("{n} {word}")
}

/// One line of standard input: the password (a prompt is shown on a terminal; the typed
/// characters are visible, so piping is the safer way on shared screens).
fn read_password(lang: Lang) -> anyhow::Result<String> {
    use std::io::{BufRead, IsTerminal, Write};
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!(
            "{}: ",
            tr(lang, "Uusi salasana", "Nytt lösenord", "New password")
        );
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    Ok(password)
}
