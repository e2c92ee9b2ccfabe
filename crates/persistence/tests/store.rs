//! The repository API on every backend: SQLite always, PostgreSQL when
//! `TUONTI_TEST_POSTGRES_URL` is set (CI always sets it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use tuonti_domain::{
    CompanyFields, CompanyTypeNames, DomainError, Entity, NewCompany, NewUser, Role,
};
use tuonti_persistence::testing::TestDatabase;
use tuonti_persistence::{CompanyFilter, DatabaseLocation, OpenOptions, PersistenceError, Store};

const CREATE: OpenOptions = OpenOptions { create: true };

/// Runs `test` once per backend on a new, migrated database.
fn on_each_backend(test: impl Fn(&mut Store, &TestDatabase)) {
    for database in TestDatabase::all().expect("test databases") {
        let mut store = Store::open(database.location(), CREATE)
            .unwrap_or_else(|error| panic!("open {:?}: {error}", database.location()));
        test(&mut store, &database);
    }
}

fn admin(store: &mut Store) -> tuonti_domain::User {
    store
        .add_user(&NewUser::new("Matti Meikäläinen", "matti@example.fi", Role::Admin).unwrap())
        .unwrap()
}

fn company(
    store: &mut Store,
    name: &str,
    business_id: Option<&str>,
    group: Option<tuonti_domain::CustomerGroupId>,
) -> tuonti_domain::Company {
    let manager = match store.user_by_email("matti@example.fi").unwrap() {
        Some(user) => user,
        None => admin(store),
    };
    store.seed_default_company_types().unwrap();
    let company_type = store.company_types(false).unwrap()[0].id;
    store
        .insert_company(&NewCompany {
            fields: CompanyFields {
                name: name.into(),
                business_id: business_id.map(str::to_owned),
                country: Some("FI".into()),
                ..CompanyFields::default()
            },
            company_type_id: company_type,
            customer_group_id: group,
            account_manager_id: manager.id,
            created_by_batch: None,
        })
        .unwrap()
}

#[test]
fn defaults_are_seeded_once() {
    on_each_backend(|store, _| {
        assert!(store.seed_default_company_types().unwrap());
        let types = store.company_types(false).unwrap();
        let names: Vec<_> = types
            .iter()
            .map(|t| {
                (
                    t.names.fi.as_str(),
                    t.names.sv.as_deref(),
                    t.names.en.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("Liidi", Some("Lead"), Some("Lead")),
                ("Kumppani", Some("Partner"), Some("Partner")),
                ("Kylmä", Some("Kall"), Some("Cold")),
                ("Asiakas", Some("Kund"), Some("Customer")),
            ]
        );
        // Renaming a default and seeding again does not bring the old name back.
        let cold = store.company_type_by_name("kylmä").unwrap().unwrap();
        let renamed = CompanyTypeNames::new("Kylmä liidi", Some("Kall"), Some("Cold")).unwrap();
        store.rename_company_type(cold.id, &renamed).unwrap();
        assert!(!store.seed_default_company_types().unwrap());
        assert_eq!(store.company_types(true).unwrap().len(), 4);
        assert!(store.company_type_by_name("Kylmä").unwrap().is_none());
    });
}

#[test]
fn user_emails_are_unique_in_any_letter_case() {
    on_each_backend(|store, _| {
        let matti = admin(store);
        assert_eq!(matti.email, "matti@example.fi");
        assert!(matti.active);
        let again = NewUser::new("Matti M", "MATTI@EXAMPLE.FI", Role::Member).unwrap();
        match store.add_user(&again) {
            Err(PersistenceError::Domain(DomainError::Conflict {
                entity,
                value,
                existing,
                ..
            })) => {
                assert_eq!(entity, Entity::User);
                assert_eq!(value, "MATTI@EXAMPLE.FI");
                assert_eq!(existing.as_deref(), Some("matti@example.fi"));
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(store.users().unwrap().len(), 1);
        assert_eq!(
            store.user_by_email(" Matti@Example.FI ").unwrap(),
            Some(matti)
        );
    });
}

#[test]
fn roles_and_activity_change() {
    on_each_backend(|store, _| {
        let matti = admin(store);
        let liisa = store
            .add_user(&NewUser::new("Liisa", "liisa@example.fi", Role::Member).unwrap())
            .unwrap();
        assert_eq!(store.count_active_admins().unwrap(), 1);
        let liisa = store.set_user_role(liisa.id, Role::Admin).unwrap();
        assert_eq!(liisa.role, Role::Admin);
        assert_eq!(store.count_active_admins().unwrap(), 2);
        let matti = store.set_user_active(matti.id, false).unwrap();
        assert!(!matti.active);
        assert_eq!(store.count_active_admins().unwrap(), 1);
        assert!(matches!(
            store.set_user_role(tuonti_domain::UserId(9999), Role::Member),
            Err(PersistenceError::Domain(DomainError::NotFound { .. }))
        ));
    });
}

#[test]
fn group_names_are_unique_in_any_letter_case() {
    on_each_backend(|store, _| {
        let helsinki = store.add_customer_group("Helsinki", None).unwrap();
        assert!(matches!(
            store.add_customer_group(" helsinki ", None),
            Err(PersistenceError::Domain(DomainError::Conflict { .. }))
        ));
        let tampere = store.add_customer_group("Tampere", None).unwrap();
        assert!(matches!(
            store.rename_customer_group(tampere.id, "HELSINKI"),
            Err(PersistenceError::Domain(DomainError::Conflict { .. }))
        ));
        // Changing only the letter case of its own name is fine.
        let renamed = store
            .rename_customer_group(helsinki.id, "HELSINKI")
            .unwrap();
        assert_eq!(renamed.name, "HELSINKI");
        assert!(matches!(
            store.add_customer_group("   ", None),
            Err(PersistenceError::Domain(DomainError::Invalid { .. }))
        ));
        let names: Vec<_> = store
            .customer_groups()
            .unwrap()
            .into_iter()
            .map(|g| g.name)
            .collect();
        assert_eq!(names, ["HELSINKI", "Tampere"]);
    });
}

#[test]
fn groups_in_use_are_not_removed() {
    on_each_backend(|store, _| {
        let helsinki = store.add_customer_group("Helsinki", None).unwrap();
        let espoo = store.add_customer_group("Espoo", None).unwrap();
        company(store, "Esimerkki Oy", Some("0112038-9"), Some(helsinki.id));
        company(store, "Toinen Oy", None, Some(helsinki.id));
        match store.remove_customer_group(helsinki.id) {
            Err(PersistenceError::Domain(DomainError::InUse {
                companies, name, ..
            })) => {
                assert_eq!(companies, 2);
                assert_eq!(name, "Helsinki");
            }
            other => panic!("expected in use, got {other:?}"),
        }
        assert_eq!(
            store
                .reassign_customer_group(helsinki.id, Some(espoo.id))
                .unwrap(),
            2
        );
        store.remove_customer_group(helsinki.id).unwrap();
        assert!(store.customer_group(helsinki.id).unwrap().is_none());
        let filter = CompanyFilter {
            customer_group: Some(espoo.id),
            ..CompanyFilter::default()
        };
        assert_eq!(store.companies(&filter).unwrap().len(), 2);
    });
}

#[test]
fn branch_names_are_unique_in_any_letter_case() {
    on_each_backend(|store, _| {
        let construction = store.add_branch("Rakentaminen", None).unwrap();
        assert_eq!(construction.name, "Rakentaminen");
        assert_eq!(construction.created_by_batch, None);
        match store.add_branch(" RAKENTAMINEN ", None) {
            Err(PersistenceError::Domain(DomainError::Conflict {
                entity,
                value,
                existing,
                ..
            })) => {
                assert_eq!(entity, Entity::Branch);
                assert_eq!(value, "RAKENTAMINEN");
                assert_eq!(existing.as_deref(), Some("Rakentaminen"));
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        let retail = store.add_branch("Kauppa", None).unwrap();
        assert!(matches!(
            store.rename_branch(retail.id, "rakentaminen"),
            Err(PersistenceError::Domain(DomainError::Conflict { .. }))
        ));
        // Changing only the letter case of its own name is fine.
        let renamed = store
            .rename_branch(construction.id, "RAKENTAMINEN")
            .unwrap();
        assert_eq!(renamed.name, "RAKENTAMINEN");
        assert!(matches!(
            store.add_branch("   ", None),
            Err(PersistenceError::Domain(DomainError::Invalid {
                entity: Entity::Branch,
                ..
            }))
        ));
        assert!(matches!(
            store.rename_branch(retail.id, ""),
            Err(PersistenceError::Domain(DomainError::Invalid { .. }))
        ));
        assert!(matches!(
            store.rename_branch(tuonti_domain::BranchId(9_999), "Teollisuus"),
            Err(PersistenceError::Domain(DomainError::NotFound {
                entity: Entity::Branch,
                ..
            }))
        ));
        let names: Vec<_> = store
            .branches()
            .unwrap()
            .into_iter()
            .map(|b| b.name)
            .collect();
        assert_eq!(names, ["Kauppa", "RAKENTAMINEN"]);
        assert_eq!(store.branch(retail.id).unwrap(), Some(retail));
        assert_eq!(
            store.branch_by_name("rakentaminen").unwrap().map(|b| b.id),
            Some(construction.id)
        );
        assert!(store.branch_by_name("Teollisuus").unwrap().is_none());
    });
}

#[test]
fn branches_in_use_are_not_removed() {
    use tuonti_persistence::testing::add_project;
    on_each_backend(|store, _| {
        let construction = store.add_branch("Rakentaminen", None).unwrap();
        let retail = store.add_branch("Kauppa", None).unwrap();
        let empty = store.add_branch("Teollisuus", None).unwrap();
        let customer = company(store, "Esimerkki Oy", None, None);
        for name in ["Koulu", "Silta"] {
            add_project(store, customer.id, name, Some(construction.id)).unwrap();
        }
        add_project(store, customer.id, "Myymälä", Some(retail.id)).unwrap();
        add_project(store, customer.id, "Muu", None).unwrap();
        assert_eq!(store.branch_usage(construction.id).unwrap(), 2);
        assert_eq!(store.branch_usage(empty.id).unwrap(), 0);
        let usages = store.branch_usages().unwrap();
        assert_eq!(usages.len(), 2);
        assert_eq!(usages[&construction.id], 2);
        assert_eq!(usages[&retail.id], 1);

        match store.remove_branch(construction.id) {
            Err(PersistenceError::Domain(DomainError::InUse {
                entity,
                name,
                companies,
                projects,
            })) => {
                assert_eq!(entity, Entity::Branch);
                assert_eq!(name, "Rakentaminen");
                assert_eq!((companies, projects), (0, 2));
            }
            other => panic!("expected in use, got {other:?}"),
        }
        assert!(store.branch(construction.id).unwrap().is_some());
        assert_eq!(
            store
                .reassign_branch(construction.id, Some(retail.id))
                .unwrap(),
            2
        );
        store.remove_branch(construction.id).unwrap();
        assert!(store.branch(construction.id).unwrap().is_none());
        assert_eq!(store.branch_usage(retail.id).unwrap(), 3);

        assert_eq!(store.reassign_branch(retail.id, None).unwrap(), 3);
        assert!(store.branch_usages().unwrap().is_empty());
        store.remove_branch(retail.id).unwrap();
        store.remove_branch(empty.id).unwrap();
        assert!(matches!(
            store.remove_branch(empty.id),
            Err(PersistenceError::Domain(DomainError::NotFound { .. }))
        ));
        // The projects stay, without a branch.
        assert_eq!(
            store.companies_with_projects(&[customer.id]).unwrap(),
            [customer.id]
        );
        // A project cannot name a branch that does not exist.
        assert!(add_project(store, customer.id, "Orpo", Some(empty.id)).is_err());
    });
}

/// Reverts the migrations (from `migrations`, a constant) down to and including `version`.
fn revert_through<DB, C>(conn: &mut C, migrations: fn() -> EmbeddedMigrations, version: &str)
where
    DB: diesel::backend::Backend,
    C: MigrationHarness<DB>,
{
    loop {
        let reverted = conn.revert_last_migration(migrations()).unwrap();
        if reverted.to_string() == version {
            break;
        }
    }
}

#[test]
fn the_branches_migration_reverts_and_applies_again() {
    const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
    #[cfg(feature = "postgres")]
    const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
    const VERSION: &str = "20261204000007";
    on_each_backend(|store, database| {
        let branch = store.add_branch("Rakentaminen", None).unwrap();
        let customer = company(store, "Esimerkki Oy", None, None);
        tuonti_persistence::testing::add_project(store, customer.id, "Koulu", Some(branch.id))
            .unwrap();
        drop(std::mem::replace(store, Store::open_in_memory().unwrap()));
        let url = database.url();
        let gone = |conn: &mut dyn SimpleConnection| {
            assert!(conn.batch_execute("SELECT 1 FROM branches").is_err());
            assert!(
                conn.batch_execute("SELECT branch_id FROM projects")
                    .is_err()
            );
            conn.batch_execute("SELECT name FROM projects").unwrap();
        };
        match database.location() {
            DatabaseLocation::Sqlite(_) => {
                let mut conn = diesel::SqliteConnection::establish(&url).unwrap();
                revert_through(&mut conn, || SQLITE, VERSION);
                gone(&mut conn);
            }
            #[cfg(feature = "postgres")]
            DatabaseLocation::Postgres(_) => {
                let mut conn = diesel::PgConnection::establish(&url).unwrap();
                revert_through(&mut conn, || POSTGRES, VERSION);
                gone(&mut conn);
            }
            #[cfg(not(feature = "postgres"))]
            DatabaseLocation::Postgres(_) => unreachable!("no PostgreSQL without the feature"),
        }
        // Opening runs the migration again: the project keeps its data, without a branch.
        let mut store = Store::open(database.location(), CREATE).unwrap();
        assert!(store.branches().unwrap().is_empty());
        assert!(store.branch_usages().unwrap().is_empty());
        assert_eq!(
            store.companies_with_projects(&[customer.id]).unwrap(),
            [customer.id]
        );
        store.add_branch("Rakentaminen", None).unwrap();
    });
}

#[test]
fn type_names_are_unique_across_languages() {
    on_each_backend(|store, _| {
        store.seed_default_company_types().unwrap();
        // Another type may not take a name of an existing one in any language.
        for (fi, sv, en) in [
            ("asiakas", None, None),
            ("Toimittaja", Some("Kund"), None),
            ("Toimittaja", None, Some("LEAD")),
        ] {
            let names = CompanyTypeNames::new(fi, sv, en).unwrap();
            assert!(
                matches!(
                    store.add_company_type(&names),
                    Err(PersistenceError::Domain(DomainError::Conflict { .. }))
                ),
                "{fi} {sv:?} {en:?}"
            );
        }
        let supplier =
            CompanyTypeNames::new("Toimittaja", Some("Leverantör"), Some("Supplier")).unwrap();
        let supplier = store.add_company_type(&supplier).unwrap();
        assert_eq!(supplier.position, 5);
        let taken = CompanyTypeNames::new("Kumppani", None, None).unwrap();
        assert!(matches!(
            store.rename_company_type(supplier.id, &taken),
            Err(PersistenceError::Domain(DomainError::Conflict { .. }))
        ));
        assert_eq!(
            store
                .company_type_by_name("leverantör")
                .unwrap()
                .map(|t| t.id),
            Some(supplier.id)
        );
        let archived = store.set_company_type_archived(supplier.id, true).unwrap();
        assert!(archived.archived);
        assert_eq!(store.company_types(false).unwrap().len(), 4);
        assert_eq!(store.company_types(true).unwrap().len(), 5);
    });
}

#[test]
fn business_ids_are_unique() {
    on_each_backend(|store, _| {
        company(store, "Esimerkki Oy", Some("0112038-9"), None);
        let manager = store.user_by_email("matti@example.fi").unwrap().unwrap();
        let company_type = store.company_types(false).unwrap()[0].id;
        let duplicate = NewCompany {
            fields: CompanyFields {
                name: "Kopio Oy".into(),
                business_id: Some("0112038-9".into()),
                ..CompanyFields::default()
            },
            company_type_id: company_type,
            customer_group_id: None,
            account_manager_id: manager.id,
            created_by_batch: None,
        };
        assert!(matches!(
            store.insert_company(&duplicate),
            Err(PersistenceError::Domain(DomainError::Conflict {
                entity: Entity::Company,
                ..
            }))
        ));
        // Companies without a business ID do not clash with each other.
        company(store, "Ilman tunnusta Oy", None, None);
        company(store, "Ilman tunnusta 2 Oy", None, None);
        assert_eq!(store.count_companies().unwrap(), 3);
    });
}

#[test]
fn user_references_move() {
    on_each_backend(|store, _| {
        let matti = admin(store);
        let liisa = store
            .add_user(&NewUser::new("Liisa", "liisa@example.fi", Role::Member).unwrap())
            .unwrap();
        company(store, "Esimerkki Oy", None, None);
        assert_eq!(store.user_references(matti.id).unwrap().companies, 1);
        let moved = store.reassign_user_references(matti.id, liisa.id).unwrap();
        assert_eq!(moved.companies, 1);
        assert!(store.user_references(matti.id).unwrap().is_empty());
    });
}

#[test]
fn mapping_profiles_are_saved_replaced_listed_and_deleted_by_name() {
    on_each_backend(|store, _| {
        let first = store
            .save_mapping_profile(" Visma  export ", r#"[{"header":"Asnro"}]"#)
            .unwrap();
        assert_eq!(first.name, "Visma export");
        assert_eq!(first.created_at, first.updated_at);
        store.save_mapping_profile("Asiakkaat 2025", "[]").unwrap();

        // The same name in other letters replaces the mapping and keeps the record.
        let replaced = store
            .save_mapping_profile("VISMA EXPORT", r#"[{"header":"Y-tunnus"}]"#)
            .unwrap();
        assert_eq!(replaced.id, first.id);
        assert_eq!(replaced.name, "Visma export");
        assert_eq!(replaced.mapping, r#"[{"header":"Y-tunnus"}]"#);
        assert_eq!(replaced.created_at, first.created_at);
        assert!(replaced.updated_at >= first.updated_at);
        assert_eq!(
            store.mapping_profile("visma export").unwrap(),
            Some(replaced)
        );

        let names: Vec<String> = store
            .mapping_profiles()
            .unwrap()
            .into_iter()
            .map(|profile| profile.name)
            .collect();
        assert_eq!(names, ["Asiakkaat 2025", "Visma export"]);

        assert!(matches!(
            store.save_mapping_profile("  ", "[]"),
            Err(PersistenceError::Domain(DomainError::Invalid { .. }))
        ));
        store.delete_mapping_profile("visma EXPORT").unwrap();
        assert_eq!(store.mapping_profile("Visma export").unwrap(), None);
        assert!(matches!(
            store.delete_mapping_profile("Visma export"),
            Err(PersistenceError::Domain(DomainError::NotFound {
                entity: Entity::MappingProfile,
                ..
            }))
        ));
        assert_eq!(store.mapping_profiles().unwrap().len(), 1);
    });
}

#[test]
fn a_failed_transaction_leaves_nothing() {
    on_each_backend(|store, _| {
        let outcome: Result<(), PersistenceError> = store.transaction(|store| {
            store.add_customer_group("Helsinki", None)?;
            store.transaction(|store| store.add_customer_group("Turku", None).map(|_| ()))?;
            store.add_customer_group("HELSINKI", None)?;
            Ok(())
        });
        assert!(outcome.is_err());
        assert!(store.customer_groups().unwrap().is_empty());
        // The store is usable afterwards.
        store.add_customer_group("Oulu", None).unwrap();
    });
}

#[test]
fn reopening_keeps_the_data_and_migrations_run_once() {
    on_each_backend(|store, database| {
        admin(store);
        let mut again = Store::open(database.location(), OpenOptions { create: false }).unwrap();
        assert_eq!(again.users().unwrap().len(), 1);
    });
}

#[derive(diesel::QueryableByName)]
struct PageSize {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    page_size: i64,
}

#[test]
fn a_new_sqlite_database_has_32_kib_pages_and_an_old_one_keeps_its_own() {
    use diesel::RunQueryDsl;
    let page_size = |path: &std::path::Path| {
        let mut conn = diesel::sqlite::SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        let rows: Vec<PageSize> = diesel::sql_query("PRAGMA page_size")
            .load(&mut conn)
            .unwrap();
        rows[0].page_size
    };
    let database = TestDatabase::sqlite().unwrap();
    let DatabaseLocation::Sqlite(path) = database.location() else {
        unreachable!()
    };
    drop(Store::open(database.location(), CREATE).unwrap());
    assert_eq!(page_size(path), 32_768);

    // A database made with another page size keeps it when Tuonti opens it.
    let old = TestDatabase::sqlite().unwrap();
    let DatabaseLocation::Sqlite(old_path) = old.location() else {
        unreachable!()
    };
    let mut conn = diesel::sqlite::SqliteConnection::establish(old_path.to_str().unwrap()).unwrap();
    conn.batch_execute("PRAGMA page_size = 4096; CREATE TABLE t (x); DROP TABLE t;")
        .unwrap();
    drop(conn);
    let mut store = Store::open(old.location(), CREATE).unwrap();
    admin(&mut store);
    drop(store);
    assert_eq!(page_size(old_path), 4_096);
}

#[test]
fn a_missing_sqlite_file_is_not_created_unless_asked() {
    let database = TestDatabase::sqlite().unwrap();
    let error = Store::open(database.location(), OpenOptions::default()).unwrap_err();
    assert!(
        matches!(error, PersistenceError::NoDatabase { .. }),
        "{error}"
    );
    assert!(error.is_user_error());
    assert!(error.to_string().contains("tuonti init"));
    let DatabaseLocation::Sqlite(path) = database.location() else {
        unreachable!()
    };
    assert!(!path.exists());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let folder = tempfile::tempdir().unwrap();
    for (name, content, looks_like) in [
        ("report.pdf", &b"%PDF-1.7 ...."[..], "a PDF document"),
        (
            "page.db",
            &b"<!DOCTYPE html><html></html>"[..],
            "an HTML page",
        ),
        (
            "notes.db",
            &b"Y-tunnus;Yritys\n0112038-9;Esimerkki Oy\n"[..],
            "plain text",
        ),
    ] {
        let path = folder.path().join(name);
        std::fs::write(&path, content).unwrap();
        let error = Store::open(&DatabaseLocation::Sqlite(path.clone()), CREATE).unwrap_err();
        assert!(
            matches!(error, PersistenceError::NotADatabase { .. }),
            "{error}"
        );
        assert!(error.to_string().contains(looks_like), "{error}");
        assert_eq!(std::fs::read(&path).unwrap(), content);
    }
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    on_each_backend(|store, database| {
        admin(store);
        drop(std::mem::replace(store, Store::open_in_memory().unwrap()));
        let url = database.url();
        match database.location() {
            DatabaseLocation::Sqlite(_) => {
                let mut conn = diesel::SqliteConnection::establish(&url).unwrap();
                conn.batch_execute(
                    "INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000000')",
                )
                .unwrap();
            }
            #[cfg(feature = "postgres")]
            DatabaseLocation::Postgres(_) => {
                let mut conn = diesel::PgConnection::establish(&url).unwrap();
                conn.batch_execute(
                    "INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000000')",
                )
                .unwrap();
            }
            #[cfg(not(feature = "postgres"))]
            DatabaseLocation::Postgres(_) => unreachable!("no PostgreSQL without the feature"),
        }
        let before = match database.location() {
            DatabaseLocation::Sqlite(path) => std::fs::read(path).ok(),
            DatabaseLocation::Postgres(_) => None,
        };
        let error = Store::open(database.location(), CREATE).unwrap_err();
        assert!(
            matches!(error, PersistenceError::NewerSchema { .. }),
            "{error}"
        );
        assert!(error.to_string().contains("29991231000000"), "{error}");
        if let (DatabaseLocation::Sqlite(path), Some(before)) = (database.location(), before) {
            assert_eq!(std::fs::read(path).unwrap(), before);
        }
    });
}

#[test]
fn another_applications_database_is_refused() {
    let database = TestDatabase::sqlite().unwrap();
    let url = database.url();
    let mut conn = diesel::SqliteConnection::establish(&url).unwrap();
    conn.batch_execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        .unwrap();
    drop(conn);
    let error = Store::open(database.location(), CREATE).unwrap_err();
    assert!(
        matches!(error, PersistenceError::ForeignDatabase { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("invoices"), "{error}");
}

#[cfg(feature = "postgres")]
#[test]
fn an_unreachable_postgres_server_is_named() {
    let location = DatabaseLocation::parse("postgres://tuonti:secret@127.0.0.1:1/tuonti");
    let error = Store::open(&location, CREATE).unwrap_err();
    assert!(!error.is_user_error());
    let message = error.to_string();
    assert!(!message.contains('\n'), "{message}");
    assert!(!message.contains("secret"), "{message}");
    assert!(message.contains("127.0.0.1:1/tuonti"), "{message}");
}

#[test]
fn companies_go_in_and_out_in_bulk_with_a_journal() {
    use tuonti_domain::{BatchCounts, BatchFile, BatchKind, ChangeAction, CompanyChange};
    use tuonti_persistence::NewBatch;
    on_each_backend(|store, _| {
        let matti = admin(store);
        store.seed_default_company_types().unwrap();
        let company_type = store.company_types(false).unwrap()[0].id;
        let outcome: Result<_, PersistenceError> = store.transaction(|store| {
            let batch = store.start_batch(&NewBatch {
                kind: BatchKind::Import,
                started_by: matti.id,
                choices: "{}",
                reverts: None,
            })?;
            let new: Vec<NewCompany> = (0..2_500)
                .map(|i| NewCompany {
                    fields: CompanyFields {
                        name: format!("Yritys {i} Oy"),
                        business_id: (i % 2 == 0).then(|| format!("{i:07}-X")),
                        city: Some("Helsinki".into()),
                        ..CompanyFields::default()
                    },
                    company_type_id: company_type,
                    customer_group_id: None,
                    account_manager_id: matti.id,
                    created_by_batch: Some(batch),
                })
                .collect();
            assert_eq!(store.insert_companies(&new)?, 2_500);
            let stored = store.companies_created_by_batch(batch)?;
            let changes: Vec<CompanyChange> = stored
                .iter()
                .map(|company| CompanyChange {
                    company_id: company.id,
                    action: ChangeAction::Created,
                    before: None,
                    after: Some(company.clone()),
                })
                .collect();
            store.record_company_changes(batch, &changes)?;
            store.add_batch_files(
                batch,
                &[BatchFile {
                    name: "yritykset.xlsx".into(),
                    size_bytes: 1234,
                    sha256: "ab".repeat(32),
                    sheet: Some("Yritykset".into()),
                    header_row: Some(1),
                    mapping: "{}".into(),
                    choices: Some(r#"{"company_type":"Asiakas"}"#.into()),
                }],
            )?;
            store.finish_batch(
                batch,
                &BatchCounts {
                    created: 2_500,
                    ..BatchCounts::default()
                },
            )?;
            Ok((batch, stored))
        });
        let (batch, stored) = outcome.unwrap();
        assert_eq!(stored.len(), 2_500);
        assert_eq!(stored[1_234].fields.name, "Yritys 1234 Oy");
        assert_eq!(stored[1_234].created_by_batch, Some(batch));
        assert_eq!(store.count_companies().unwrap(), 2_500);

        let journal = store.batch_company_changes(batch).unwrap();
        assert_eq!(journal.len(), 2_500);
        assert_eq!(journal[7].after.as_ref(), Some(&stored[7]));
        let recorded = store.require_batch(batch).unwrap();
        assert_eq!(recorded.counts.created, 2_500);
        assert!(recorded.finished_at.is_some());
        assert_eq!(
            store.batch_files(batch).unwrap()[0].sheet.as_deref(),
            Some("Yritykset")
        );
        assert_eq!(
            store.batch_files(batch).unwrap()[0].choices.as_deref(),
            Some(r#"{"company_type":"Asiakas"}"#)
        );
        assert_eq!(
            store.applied_batches_with_file(&"ab".repeat(32)).unwrap(),
            [batch]
        );

        let found = store
            .companies_by_business_ids(&["0000010-X", "0000011-X", "nope"])
            .unwrap();
        assert_eq!(found.len(), 1);
        let by_name = store.companies_by_name_keys(&["yritys 11 oy"]).unwrap();
        assert_eq!(by_name.len(), 1);

        let mut changed = by_name[0].clone();
        changed.fields.email = Some("info@yritys11.fi".into());
        changed.updated_by_batch = None;
        let updated = store.update_company(&changed).unwrap();
        assert_eq!(updated.fields.email.as_deref(), Some("info@yritys11.fi"));
        assert_eq!(updated.created_by_batch, Some(batch));
        let mut clash = updated.clone();
        clash.fields.business_id = Some("0000010-X".into());
        assert!(matches!(
            store.update_company(&clash),
            Err(PersistenceError::Domain(DomainError::Conflict { .. }))
        ));

        let ids: Vec<_> = stored.iter().map(|c| c.id).collect();
        assert_eq!(store.delete_companies(&ids).unwrap(), 2_500);
        assert_eq!(store.count_companies().unwrap(), 0);
    });
}

/// A new company with `company`'s type and manager and no other values.
fn like(company: &tuonti_domain::Company) -> NewCompany {
    NewCompany {
        fields: CompanyFields::default(),
        company_type_id: company.company_type_id,
        customer_group_id: None,
        account_manager_id: company.account_manager_id,
        created_by_batch: None,
    }
}

/// `n` new companies like `template`, named `Erä {i} Oy` with business IDs `{i + 10:07}-X`.
fn numbered_companies(template: &NewCompany, n: usize) -> Vec<NewCompany> {
    (0..n)
        .map(|i| NewCompany {
            fields: CompanyFields {
                name: format!("Erä {i} Oy"),
                business_id: Some(format!("{:07}-X", i + 10)),
                ..CompanyFields::default()
            },
            ..template.clone()
        })
        .collect()
}

#[test]
fn batched_writes_keep_order_and_refuse_as_single_ones() {
    on_each_backend(|store, _| {
        assert!(!store.has_companies().unwrap());
        let first = company(store, "Alku Oy", Some("0000001-9"), None);
        assert!(store.has_companies().unwrap());
        let template = like(&first);
        // 600 rows take statements of every size (512 + 64 + 8 + ... + 1); the last one
        // repeats the stored business ID, so the whole call is refused and, in its
        // transaction, nothing of it is kept.
        let mut new = numbered_companies(&template, 600);
        new[599].fields.business_id = Some("0000001-9".into());
        let refused: Result<u64, PersistenceError> =
            store.transaction(|store| store.insert_companies(&new));
        assert!(matches!(
            refused,
            Err(PersistenceError::Domain(DomainError::Conflict { .. }))
        ));
        assert_eq!(store.count_companies().unwrap(), 1);
        new[599].fields.business_id = None;
        assert_eq!(store.insert_companies(&new).unwrap(), 600);

        // Updates come back as stored, in the order given, with one time.
        let mut stored = store
            .companies_by_business_ids(&["0000019-X", "0000011-X"])
            .unwrap();
        stored.sort_by_key(|company| std::cmp::Reverse(company.id));
        for (i, company) in stored.iter_mut().enumerate() {
            company.fields.email = Some(format!("info{i}@erä.fi"));
        }
        let updated = store.update_companies(&stored).unwrap();
        assert_eq!(updated.len(), 2);
        assert_eq!(updated[0].id, stored[0].id);
        assert_eq!(updated[1].fields.email.as_deref(), Some("info1@erä.fi"));
        assert_eq!(updated[0].updated_at, updated[1].updated_at);
        assert_eq!(updated[0].created_at, stored[0].created_at);
        let mut missing = updated[0].clone();
        missing.id = tuonti_domain::CompanyId(i64::MAX);
        assert!(matches!(
            store.update_companies(&[missing]),
            Err(PersistenceError::Domain(DomainError::NotFound { .. }))
        ));
        store.release_memory().unwrap();
        assert_eq!(store.count_companies().unwrap(), 601);
    });
}

#[test]
fn bulk_transactions_check_what_the_companies_refer_to_and_keep_foreign_keys_on_after() {
    on_each_backend(|store, _| {
        let first = company(store, "Alku Oy", Some("0000001-9"), None);
        let template = like(&first);
        let new = numbered_companies(&template, 600);

        // A company type that does not exist: refused, nothing kept.
        let mut bad = new.clone();
        bad[300].company_type_id = tuonti_domain::CompanyTypeId(9_999);
        let refused: Result<u64, PersistenceError> =
            store.bulk_transaction(|store| store.insert_companies(&bad));
        assert!(
            matches!(
                refused,
                Err(PersistenceError::Domain(DomainError::NotFound {
                    entity: Entity::CompanyType,
                    ..
                })) | Err(PersistenceError::Query(_))
            ),
            "{refused:?}"
        );
        assert_eq!(store.count_companies().unwrap(), 1);

        // A taken business ID in the middle of a statement: refused, nothing kept.
        let mut taken = new.clone();
        taken[100].fields.business_id = Some("0000001-9".into());
        let refused: Result<u64, PersistenceError> =
            store.bulk_transaction(|store| store.insert_companies(&taken));
        assert!(
            matches!(
                refused,
                Err(PersistenceError::Domain(DomainError::Conflict { .. }))
            ),
            "{refused:?}"
        );
        assert_eq!(store.count_companies().unwrap(), 1);

        // The good ones go in; updates refer to existing rows too.
        let stored: Result<u64, PersistenceError> =
            store.bulk_transaction(|store| store.insert_companies(&new));
        assert_eq!(stored.unwrap(), 600);
        let mut again = store.companies_by_business_ids(&["0000019-X"]).unwrap();
        again[0].customer_group_id = Some(tuonti_domain::CustomerGroupId(9_999));
        let refused: Result<Vec<_>, PersistenceError> =
            store.bulk_transaction(|store| store.update_companies(&again));
        assert!(refused.is_err(), "{refused:?}");
        assert_eq!(
            store.companies_by_business_ids(&["0000019-X"]).unwrap()[0].customer_group_id,
            None
        );

        // Foreign keys are enforced again outside bulk transactions.
        let mut orphan = template.clone();
        orphan.fields.name = "Orpo Oy".into();
        orphan.company_type_id = tuonti_domain::CompanyTypeId(9_999);
        assert!(store.insert_companies(&[orphan]).is_err());
        assert_eq!(store.count_companies().unwrap(), 601);
    });
}
