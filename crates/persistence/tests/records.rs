//! Contacts, projects and their journal on every backend: SQLite always, PostgreSQL when
//! `TUONTI_TEST_POSTGRES_URL` is set (CI always sets it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use diesel::{Connection, RunQueryDsl};
use tuonti_domain::{
    BatchKind, BranchId, ChangeAction, Company, CompanyFields, CompanyId, Contact, ContactFields,
    ContactId, DomainError, Entity, ImportBatchId, NewCompany, NewUser, Project, ProjectFields,
    ProjectStatus, RecordKind, Role, User, UserId, email_key, name_key,
};
use tuonti_persistence::testing::TestDatabase;
use tuonti_persistence::{
    ContactFilter, DatabaseLocation, NewBatch, NewContactRef, NewProjectRef, OpenOptions,
    PersistenceError, ProjectFilter, RecordChange, Store,
};

const CREATE: OpenOptions = OpenOptions { create: true };

/// Runs `test` once per backend on a new, migrated database.
fn on_each_backend(test: impl Fn(&mut Store, &TestDatabase)) {
    for database in TestDatabase::all().expect("test databases") {
        let mut store = Store::open(database.location(), CREATE)
            .unwrap_or_else(|error| panic!("open {:?}: {error}", database.location()));
        test(&mut store, &database);
    }
}

/// What a test starts from: two users and two companies, one of each user.
struct World {
    matti: User,
    liisa: User,
    alpha: Company,
    beta: Company,
}

fn world(store: &mut Store) -> World {
    let matti = store
        .add_user(&NewUser::new("Matti Meikäläinen", "matti@example.fi", Role::Admin).unwrap())
        .unwrap();
    let liisa = store
        .add_user(&NewUser::new("Liisa Virtanen", "liisa@example.fi", Role::Member).unwrap())
        .unwrap();
    store.seed_default_company_types().unwrap();
    let company_type = store.company_types(false).unwrap()[0].id;
    let mut company = |name: &str, manager: UserId| {
        store
            .insert_company(&NewCompany {
                fields: CompanyFields {
                    name: name.into(),
                    ..CompanyFields::default()
                },
                company_type_id: company_type,
                customer_group_id: None,
                account_manager_id: manager,
                created_by_batch: None,
            })
            .unwrap()
    };
    // "Beta" sorts after "Alpha" although it is stored first.
    let beta = company("Beta Oy", liisa.id);
    let alpha = company("Alpha Oy", matti.id);
    World {
        matti,
        liisa,
        alpha,
        beta,
    }
}

fn start_batch(store: &mut Store, by: UserId) -> ImportBatchId {
    store
        .start_batch(&NewBatch {
            kind: BatchKind::Import,
            started_by: by,
            choices: "{}",
            reverts: None,
        })
        .unwrap()
}

fn person(first: Option<&str>, last: &str, email: Option<&str>) -> ContactFields {
    ContactFields {
        first_name: first.map(str::to_owned),
        last_name: last.into(),
        title: None,
        email: email.map(str::to_owned),
        phone: None,
    }
}

fn project_fields(number: &str, name: &str) -> ProjectFields {
    ProjectFields {
        project_number: number.into(),
        name: name.into(),
        ..ProjectFields::default()
    }
}

/// A new project of `company` with `fields` and no other references.
fn plain_project(company_id: CompanyId, fields: &ProjectFields) -> NewProjectRef<'_> {
    NewProjectRef {
        company_id,
        fields,
        project_manager_id: None,
        branch_id: None,
        contact_id: None,
        created_by_batch: None,
    }
}

/// The comparison keys stored with a contact, read through a connection of the test's own
/// (the API does not return them).
fn stored_keys(database: &TestDatabase, id: ContactId) -> (Option<String>, String) {
    #[derive(diesel::QueryableByName)]
    struct Keys {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        email_key: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Text)]
        name_key: String,
    }
    let query = format!(
        "SELECT email_key, name_key FROM contacts WHERE id = {}",
        id.0
    );
    let rows: Vec<Keys> = match database.location() {
        DatabaseLocation::Sqlite(_) => {
            let mut conn = diesel::SqliteConnection::establish(&database.url()).unwrap();
            diesel::sql_query(query).load(&mut conn).unwrap()
        }
        #[cfg(feature = "postgres")]
        DatabaseLocation::Postgres(_) => {
            let mut conn = diesel::PgConnection::establish(&database.url()).unwrap();
            diesel::sql_query(query).load(&mut conn).unwrap()
        }
        #[cfg(not(feature = "postgres"))]
        DatabaseLocation::Postgres(_) => unreachable!("no PostgreSQL without the feature"),
    };
    let keys = rows.into_iter().next().expect("the contact is stored");
    (keys.email_key, keys.name_key)
}

fn is_sqlite(database: &TestDatabase) -> bool {
    matches!(database.location(), DatabaseLocation::Sqlite(_))
}

#[test]
fn new_contacts_come_back_with_their_ids_in_the_order_given() {
    on_each_backend(|store, database| {
        let w = world(store);
        let batch = start_batch(store, w.matti.id);
        // 600 contacts take statements of every size (512 + 64 + 8 + ... + 1); some are alike
        // in every value, some differ only in their company or in one field.
        let fields: Vec<ContactFields> = (0..600)
            .map(|i| {
                let mut fields = person(
                    (i % 3 != 0).then_some("Maija"),
                    &format!("Meikäläinen {}", i % 50),
                    (i % 2 == 0)
                        .then(|| format!("Maija.{}@Example.fi", i % 50))
                        .as_deref(),
                );
                fields.phone = (i % 7 == 0).then(|| format!("+35840{i:07}"));
                fields
            })
            .collect();
        let new: Vec<NewContactRef<'_>> = fields
            .iter()
            .enumerate()
            .map(|(i, fields)| NewContactRef {
                company_id: if i % 5 == 0 { w.beta.id } else { w.alpha.id },
                fields,
                created_by_batch: Some(batch),
            })
            .collect();
        let ids = store
            .transaction(|store| store.insert_new_contacts(&new))
            .unwrap();
        assert_eq!(ids.len(), 600);
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 600, "every contact has its own id");

        let stored = store.contacts_by_ids(&ids).unwrap();
        assert_eq!(stored.len(), 600);
        let by_id: std::collections::HashMap<ContactId, &Contact> =
            stored.iter().map(|contact| (contact.id, contact)).collect();
        for (i, id) in ids.iter().enumerate() {
            let contact = by_id[id];
            assert_eq!(contact.fields, fields[i], "contact {i}");
            assert_eq!(contact.company_id, new[i].company_id, "contact {i}");
            assert_eq!(contact.created_by_batch, Some(batch));
            assert_eq!(contact.updated_by_batch, Some(batch));
            assert_eq!(contact.created_at, contact.updated_at);
        }
        assert_eq!(store.count_contacts().unwrap(), 600);
        assert_eq!(store.contacts_created_by_batch(batch).unwrap().len(), 600);
        assert!(store.insert_new_contacts(&[]).unwrap().is_empty());

        // The comparison keys: the email's, and the full name's.
        assert_eq!(
            stored_keys(database, ids[2]),
            (
                Some(email_key("Maija.2@Example.fi")),
                name_key("Maija Meikäläinen 2")
            )
        );
        assert_eq!(
            stored_keys(database, ids[3]),
            (None, name_key("Meikäläinen 3"))
        );
    });
}

#[test]
fn contacts_are_listed_looked_up_updated_and_deleted() {
    on_each_backend(|store, database| {
        let w = world(store);
        let batch = start_batch(store, w.matti.id);
        let people = [
            (
                w.alpha.id,
                person(Some("Pekka"), "Virta", None),
                Some(batch),
            ),
            (w.beta.id, person(Some("Anna"), "Aalto", None), None),
            (
                w.alpha.id,
                person(None, "Aalto", Some("aalto@alpha.fi")),
                None,
            ),
            (w.alpha.id, person(Some("Eero"), "Aalto", None), Some(batch)),
            (w.alpha.id, person(Some("Aino"), "Aalto", None), None),
        ];
        let new: Vec<NewContactRef<'_>> = people
            .iter()
            .map(|(company_id, fields, batch)| NewContactRef {
                company_id: *company_id,
                fields,
                created_by_batch: *batch,
            })
            .collect();
        let ids = store.insert_new_contacts(&new).unwrap();
        let names = |contacts: Vec<Contact>| -> Vec<String> {
            contacts
                .into_iter()
                .map(|contact| contact.fields.full_name())
                .collect()
        };

        // By company (Alpha before Beta by name), then last name, first name (none first).
        assert_eq!(
            names(store.contacts(&ContactFilter::default()).unwrap()),
            [
                "Aalto",
                "Aino Aalto",
                "Eero Aalto",
                "Pekka Virta",
                "Anna Aalto"
            ]
        );
        let of_liisa = ContactFilter {
            account_manager: Some(w.liisa.id),
            ..ContactFilter::default()
        };
        assert_eq!(names(store.contacts(&of_liisa).unwrap()), ["Anna Aalto"]);
        let of_batch_in_alpha = ContactFilter {
            company: Some(w.alpha.id),
            created_by_batch: Some(batch),
            ..ContactFilter::default()
        };
        assert_eq!(
            names(store.contacts(&of_batch_in_alpha).unwrap()),
            ["Eero Aalto", "Pekka Virta"]
        );
        let mut by_companies = store
            .contacts_by_companies(&[w.beta.id, CompanyId(i64::MAX)])
            .unwrap();
        assert_eq!(by_companies.len(), 1);
        assert_eq!(by_companies[0].id, ids[1]);
        assert_eq!(
            store
                .contacts_by_companies(&[w.alpha.id, w.beta.id])
                .unwrap()
                .len(),
            5
        );

        // Updates come back as stored, in the order given, with one time and new keys.
        let mut changed = store.contacts_by_ids(&[ids[2], ids[0]]).unwrap();
        changed.sort_by_key(|contact| std::cmp::Reverse(contact.id));
        changed[0].fields.first_name = Some("Ville".into());
        changed[0].fields.email = Some("VILLE@alpha.fi".into());
        changed[0].updated_by_batch = Some(batch);
        changed[1].company_id = w.beta.id;
        changed[1].fields.email = None;
        let updated = store.update_contacts(&changed).unwrap();
        assert_eq!(updated.len(), 2);
        assert_eq!(updated[0].id, ids[2]);
        assert_eq!(updated[0].fields.full_name(), "Ville Aalto");
        assert_eq!(updated[0].updated_by_batch, Some(batch));
        assert_eq!(updated[0].created_by_batch, None);
        assert_eq!(updated[1].id, ids[0]);
        assert_eq!(updated[1].company_id, w.beta.id);
        assert_eq!(updated[1].created_by_batch, Some(batch));
        assert_eq!(updated[0].updated_at, updated[1].updated_at);
        assert!(updated[1].updated_at >= updated[1].created_at);
        assert_eq!(
            stored_keys(database, ids[2]),
            (Some("ville@alpha.fi".into()), "ville aalto".into())
        );
        by_companies = store.contacts_by_companies(&[w.beta.id]).unwrap();
        assert_eq!(by_companies.len(), 2);

        let mut missing = updated[0].clone();
        missing.id = ContactId(i64::MAX);
        assert!(matches!(
            store.update_contacts(&[missing]),
            Err(PersistenceError::Domain(DomainError::NotFound {
                entity: Entity::Contact,
                ..
            }))
        ));

        assert_eq!(
            store
                .delete_contacts(&[ids[3], ids[4], ContactId(i64::MAX)])
                .unwrap(),
            2
        );
        assert_eq!(store.count_contacts().unwrap(), 3);
        assert!(store.contacts_by_ids(&[ids[3]]).unwrap().is_empty());
    });
}

#[test]
fn projects_are_stored_listed_updated_and_deleted() {
    on_each_backend(|store, _| {
        let w = world(store);
        let batch = start_batch(store, w.matti.id);
        let contact = store
            .insert_new_contacts(&[NewContactRef {
                company_id: w.alpha.id,
                fields: &person(Some("Pekka"), "Virta", None),
                created_by_batch: None,
            }])
            .unwrap()[0];
        // 600 projects take statements of every size on SQLite.
        let fields: Vec<ProjectFields> = (0..600u32)
            .map(|i| ProjectFields {
                project_number: format!("P-{i:04}"),
                name: format!("Projekti {i}"),
                status: match i % 3 {
                    0 => None,
                    1 => Some(ProjectStatus::Offer),
                    _ => Some(ProjectStatus::OnHold),
                },
                start_date: NaiveDate::from_ymd_opt(2026, 1 + i % 12, 1 + i % 28),
                end_date: (i % 2 == 0).then(|| NaiveDate::from_ymd_opt(2027, 12, 31).unwrap()),
                value_cents: (i % 4 != 0).then(|| i64::from(i) * 1_000_000_007),
                description: (i % 5 == 0).then(|| format!("Kuvaus {i}\nrivi 2")),
            })
            .collect();
        let new: Vec<NewProjectRef<'_>> = fields
            .iter()
            .enumerate()
            .map(|(i, fields)| NewProjectRef {
                company_id: if i % 2 == 0 { w.alpha.id } else { w.beta.id },
                fields,
                project_manager_id: (i % 3 == 0).then_some(w.liisa.id),
                branch_id: None,
                contact_id: (i == 10).then_some(contact),
                created_by_batch: Some(batch),
            })
            .collect();
        assert_eq!(
            store
                .transaction(|store| store.insert_new_projects(&new))
                .unwrap(),
            600
        );
        assert_eq!(store.count_projects().unwrap(), 600);
        assert_eq!(store.insert_new_projects(&[]).unwrap(), 0);

        let created = store.projects_created_by_batch(batch).unwrap();
        assert_eq!(created.len(), 600);
        for (i, project) in created.iter().enumerate() {
            let mut expected = fields[i].clone();
            // A project without a status is stored as active.
            expected.status.get_or_insert(ProjectStatus::Active);
            assert_eq!(project.fields, expected, "project {i}");
            assert_eq!(project.company_id, new[i].company_id);
            assert_eq!(project.project_manager_id, new[i].project_manager_id);
            assert_eq!(project.contact_id, new[i].contact_id);
            assert_eq!(project.branch_id, None);
            assert_eq!(project.created_by_batch, Some(batch));
            assert_eq!(project.updated_by_batch, Some(batch));
            assert_eq!(project.created_at, project.updated_at);
        }

        let found = store
            .projects_by_numbers(&["P-0010", "P-0599", "P-9999"])
            .unwrap();
        let mut numbers: Vec<&str> = found
            .iter()
            .map(|p| p.fields.project_number.as_str())
            .collect();
        numbers.sort_unstable();
        assert_eq!(numbers, ["P-0010", "P-0599"]);

        let numbers_of = |projects: Vec<Project>| -> Vec<String> {
            projects
                .into_iter()
                .map(|project| project.fields.project_number)
                .collect()
        };
        let all = numbers_of(store.projects(&ProjectFilter::default()).unwrap());
        assert_eq!(all.len(), 600);
        assert!(all.windows(2).all(|pair| pair[0] < pair[1]), "by number");
        let filter = ProjectFilter {
            company: Some(w.alpha.id),
            project_manager: Some(w.liisa.id),
            status: Some(ProjectStatus::Active),
            created_by_batch: Some(batch),
            ..ProjectFilter::default()
        };
        let listed = numbers_of(store.projects(&filter).unwrap());
        // Every 6th: alpha (even), Liisa's and active (multiples of 3).
        assert_eq!(listed.len(), 100);
        assert_eq!(listed[..2], ["P-0000", "P-0006"]);
        let offers = ProjectFilter {
            status: Some(ProjectStatus::Offer),
            ..ProjectFilter::default()
        };
        assert_eq!(store.projects(&offers).unwrap().len(), 200);

        // Updates come back as stored, in the order given, with one time.
        let mut changed = vec![created[7].clone(), created[3].clone()];
        changed[0].fields.status = Some(ProjectStatus::Completed);
        changed[0].fields.end_date = None;
        changed[0].fields.value_cents = Some(-5);
        changed[0].contact_id = Some(contact);
        changed[0].project_manager_id = None;
        changed[0].updated_by_batch = None;
        changed[1].fields.project_number = "Q-1".into();
        changed[1].fields.status = None;
        changed[1].company_id = w.alpha.id;
        let updated = store.update_projects(&changed).unwrap();
        assert_eq!(updated.len(), 2);
        assert_eq!(updated[0].id, created[7].id);
        assert_eq!(updated[0].fields, changed[0].fields);
        assert_eq!(updated[0].contact_id, Some(contact));
        assert_eq!(updated[0].project_manager_id, None);
        assert_eq!(updated[0].updated_by_batch, None);
        assert_eq!(updated[0].created_by_batch, Some(batch));
        assert_eq!(updated[1].fields.project_number, "Q-1");
        assert_eq!(updated[1].fields.status, Some(ProjectStatus::Active));
        assert_eq!(updated[1].company_id, w.alpha.id);
        assert_eq!(updated[0].updated_at, updated[1].updated_at);
        assert!(store.projects_by_numbers(&["P-0003"]).unwrap().is_empty());

        let mut clash = updated[1].clone();
        clash.fields.project_number = "P-0100".into();
        match store.update_projects(&[clash]) {
            Err(PersistenceError::Domain(DomainError::Conflict {
                entity: Entity::Project,
                field: "project_number",
                value,
                ..
            })) => assert_eq!(value, "P-0100"),
            other => panic!("expected a conflict, got {other:?}"),
        }
        let mut missing = updated[1].clone();
        missing.id = tuonti_domain::ProjectId(i64::MAX);
        assert!(matches!(
            store.update_projects(&[missing]),
            Err(PersistenceError::Domain(DomainError::NotFound {
                entity: Entity::Project,
                ..
            }))
        ));

        // A project keeps its company: the company cannot be deleted; the company's contacts
        // go with a company that is deleted.
        assert_eq!(
            store.companies_with_projects(&[w.beta.id]).unwrap(),
            [w.beta.id]
        );
        assert!(matches!(
            store.delete_companies(&[w.beta.id]),
            Err(PersistenceError::Query(_))
        ));
        let ids: Vec<_> = created.iter().map(|project| project.id).collect();
        assert_eq!(store.delete_projects(&ids[..300]).unwrap(), 300);
        assert_eq!(store.count_projects().unwrap(), 300);
        assert_eq!(store.delete_projects(&ids).unwrap(), 300);
        assert_eq!(store.count_projects().unwrap(), 0);
        assert_eq!(store.delete_companies(&[w.alpha.id]).unwrap(), 1);
        assert_eq!(store.count_contacts().unwrap(), 0);
    });
}

#[test]
fn a_taken_project_number_is_a_conflict_and_nothing_of_the_call_is_kept() {
    on_each_backend(|store, _| {
        let w = world(store);
        let first = project_fields("2024-001", "Ensimmäinen");
        store
            .insert_new_projects(&[plain_project(w.alpha.id, &first)])
            .unwrap();

        // Taken by a stored project, in the middle of a large statement.
        let mut fields: Vec<ProjectFields> = (0..600)
            .map(|i| project_fields(&format!("2025-{i:03}"), "Erä"))
            .collect();
        fields[300].project_number = "2024-001".into();
        let new: Vec<NewProjectRef<'_>> = fields
            .iter()
            .map(|fields| plain_project(w.alpha.id, fields))
            .collect();
        for bulk in [false, true] {
            let work = |store: &mut Store| store.insert_new_projects(&new);
            let refused = if bulk {
                store.bulk_transaction(work)
            } else {
                store.transaction(work)
            };
            match refused {
                Err(PersistenceError::Domain(DomainError::Conflict {
                    entity: Entity::Project,
                    field: "project_number",
                    value,
                    ..
                })) => assert_eq!(value, "2024-001"),
                other => panic!("expected a conflict, got {other:?}"),
            }
            assert_eq!(store.count_projects().unwrap(), 1);
        }

        // Given twice in one call.
        fields[300].project_number = "2025-299".into();
        let new: Vec<NewProjectRef<'_>> = fields
            .iter()
            .map(|fields| plain_project(w.alpha.id, fields))
            .collect();
        match store.transaction(|store| store.insert_new_projects(&new)) {
            Err(PersistenceError::Domain(DomainError::Conflict { value, .. })) => {
                assert_eq!(value, "2025-299");
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert_eq!(store.count_projects().unwrap(), 1);

        // Projects without a number do not clash with each other.
        fields[300].project_number = String::new();
        fields[301].project_number = String::new();
        let new: Vec<NewProjectRef<'_>> = fields
            .iter()
            .map(|fields| plain_project(w.alpha.id, fields))
            .collect();
        assert_eq!(store.insert_new_projects(&new).unwrap(), 600);
        let all = store.projects(&ProjectFilter::default()).unwrap();
        assert_eq!(all.len(), 601);
        assert_eq!(all[0].fields.project_number, "");
        assert_eq!(all[1].fields.project_number, "");
        assert_eq!(all[2].fields.project_number, "2024-001");
    });
}

#[test]
fn the_journal_keeps_each_kind_apart_and_reads_it_back() {
    use tuonti_domain::CompanyChange;
    on_each_backend(|store, _| {
        let w = world(store);
        let batch = start_batch(store, w.matti.id);
        let fields = person(Some("Pekka"), "Virta", Some("pekka@alpha.fi"));
        let contact_id = store
            .insert_new_contacts(&[NewContactRef {
                company_id: w.alpha.id,
                fields: &fields,
                created_by_batch: Some(batch),
            }])
            .unwrap()[0];
        let contact = store.contacts_by_ids(&[contact_id]).unwrap().remove(0);
        let mut changed = contact.clone();
        changed.fields.title = Some("toimitusjohtaja".into());
        let changed = store.update_contacts(&[changed]).unwrap().remove(0);
        store
            .insert_new_projects(&[NewProjectRef {
                company_id: w.alpha.id,
                fields: &project_fields("P-1", "Piha"),
                project_manager_id: Some(w.matti.id),
                branch_id: None,
                contact_id: Some(contact_id),
                created_by_batch: Some(batch),
            }])
            .unwrap();
        let project = store.projects_by_numbers(&["P-1"]).unwrap().remove(0);

        store
            .record_changes(
                batch,
                RecordKind::Contact,
                &[
                    RecordChange {
                        entity_id: contact.id.0,
                        action: ChangeAction::Created,
                        before: None,
                        after: Some(&contact),
                    },
                    RecordChange {
                        entity_id: contact.id.0,
                        action: ChangeAction::Updated,
                        before: Some(&contact),
                        after: Some(&changed),
                    },
                ],
            )
            .unwrap();
        store
            .record_changes(
                batch,
                RecordKind::Project,
                &[RecordChange {
                    entity_id: project.id.0,
                    action: ChangeAction::Created,
                    before: None,
                    after: Some(project.clone()),
                }],
            )
            .unwrap();
        store
            .record_company_changes(
                batch,
                &[CompanyChange {
                    company_id: w.alpha.id,
                    action: ChangeAction::Updated,
                    before: Some(w.alpha.clone()),
                    after: Some(w.alpha.clone()),
                }],
            )
            .unwrap();

        let contacts: Vec<RecordChange<Contact>> =
            store.batch_changes(batch, RecordKind::Contact).unwrap();
        assert_eq!(
            contacts,
            [
                RecordChange {
                    entity_id: contact.id.0,
                    action: ChangeAction::Created,
                    before: None,
                    after: Some(contact.clone()),
                },
                RecordChange {
                    entity_id: contact.id.0,
                    action: ChangeAction::Updated,
                    before: Some(contact.clone()),
                    after: Some(changed.clone()),
                },
            ]
        );
        let projects: Vec<RecordChange<Project>> =
            store.batch_changes(batch, RecordKind::Project).unwrap();
        assert_eq!(projects.len(), 1);
        assert_eq!(projects[0].after.as_ref(), Some(&project));
        assert_eq!(projects[0].entity_id, project.id.0);
        let companies = store.batch_company_changes(batch).unwrap();
        assert_eq!(companies.len(), 1);
        assert_eq!(companies[0].company_id, w.alpha.id);
        assert_eq!(companies[0].after.as_ref(), Some(&w.alpha));
        let companies_generic: Vec<RecordChange<Company>> =
            store.batch_changes(batch, RecordKind::Company).unwrap();
        assert_eq!(companies_generic[0].entity_id, w.alpha.id.0);

        // An image of another kind is refused as unreadable, not misread.
        assert!(matches!(
            store.batch_changes::<Project>(batch, RecordKind::Contact),
            Err(PersistenceError::Corrupt { .. })
        ));

        let counts = store.batch_change_counts(batch).unwrap();
        assert_eq!(counts.len(), 4);
        assert_eq!(counts[&(RecordKind::Contact, ChangeAction::Created)], 1);
        assert_eq!(counts[&(RecordKind::Contact, ChangeAction::Updated)], 1);
        assert_eq!(counts[&(RecordKind::Project, ChangeAction::Created)], 1);
        assert_eq!(counts[&(RecordKind::Company, ChangeAction::Updated)], 1);
        let other = start_batch(store, w.matti.id);
        assert!(store.batch_change_counts(other).unwrap().is_empty());
        assert!(
            store
                .batch_changes::<Contact>(other, RecordKind::Contact)
                .unwrap()
                .is_empty()
        );
    });
}

#[test]
fn bulk_transactions_check_what_contacts_and_projects_refer_to() {
    on_each_backend(|store, database| {
        let w = world(store);
        let fields = person(Some("Orpo"), "Henkilö", None);
        let mut new: Vec<NewContactRef<'_>> = (0..100)
            .map(|_| NewContactRef {
                company_id: w.alpha.id,
                fields: &fields,
                created_by_batch: None,
            })
            .collect();
        new[50].company_id = CompanyId(9_999);

        // A company that does not exist: refused, nothing kept.
        let refused = store.bulk_transaction(|store| store.insert_new_contacts(&new));
        if is_sqlite(database) {
            match refused {
                Err(PersistenceError::Domain(DomainError::NotFound {
                    entity: Entity::Company,
                    key,
                })) => assert_eq!(key, "9999"),
                other => panic!("expected a missing company, got {other:?}"),
            }
        } else {
            assert!(
                matches!(refused, Err(PersistenceError::Query(_))),
                "{refused:?}"
            );
        }
        assert_eq!(store.count_contacts().unwrap(), 0);

        // A contact written in the same transaction may be referred to; a missing one not.
        let project = project_fields("P-1", "Piha");
        let stored: Result<Vec<ContactId>, PersistenceError> = store.bulk_transaction(|store| {
            let ids = store.insert_new_contacts(&new[..50])?;
            store.insert_new_projects(&[NewProjectRef {
                company_id: w.beta.id,
                fields: &project,
                project_manager_id: Some(w.liisa.id),
                branch_id: None,
                contact_id: Some(ids[49]),
                created_by_batch: None,
            }])?;
            Ok(ids)
        });
        let ids = stored.unwrap();
        assert_eq!(store.count_contacts().unwrap(), 50);
        let second = project_fields("P-2", "Katto");
        for (user, contact, entity) in [
            (w.liisa.id, ContactId(9_999), Entity::Contact),
            (UserId(9_999), ids[0], Entity::User),
        ] {
            let refused = store.bulk_transaction(|store| {
                store.insert_new_projects(&[NewProjectRef {
                    company_id: w.beta.id,
                    fields: &second,
                    project_manager_id: Some(user),
                    branch_id: None,
                    contact_id: Some(contact),
                    created_by_batch: None,
                }])
            });
            if is_sqlite(database) {
                assert!(
                    matches!(
                        &refused,
                        Err(PersistenceError::Domain(DomainError::NotFound { entity: e, .. }))
                            if *e == entity
                    ),
                    "{refused:?}"
                );
            } else {
                assert!(
                    matches!(refused, Err(PersistenceError::Query(_))),
                    "{refused:?}"
                );
            }
            assert_eq!(store.count_projects().unwrap(), 1);
        }

        // Updates are checked too.
        let mut moved = store.contacts_by_ids(&[ids[0]]).unwrap();
        moved[0].company_id = CompanyId(9_999);
        let refused = store.bulk_transaction(|store| store.update_contacts(&moved));
        assert!(refused.is_err(), "{refused:?}");
        assert_eq!(
            store.contacts_by_ids(&[ids[0]]).unwrap()[0].company_id,
            w.alpha.id
        );

        // Deleting a contact in a bulk transaction clears the project's reference.
        let deleted = store.bulk_transaction(|store| store.delete_contacts(&[ids[49]]));
        assert_eq!(deleted.unwrap(), 1);
        assert_eq!(
            store.projects_by_numbers(&["P-1"]).unwrap()[0].contact_id,
            None
        );

        // Foreign keys are enforced again outside bulk transactions.
        assert!(store.insert_new_contacts(&new[50..51]).is_err());
        assert_eq!(store.count_contacts().unwrap(), 49);
    });
}

/// Runs one statement through a connection of the test's own and returns its error, if any.
fn raw_statement(database: &TestDatabase, statement: &str) -> Result<usize, diesel::result::Error> {
    match database.location() {
        DatabaseLocation::Sqlite(_) => {
            let mut conn = diesel::SqliteConnection::establish(&database.url()).unwrap();
            diesel::sql_query(statement).execute(&mut conn)
        }
        #[cfg(feature = "postgres")]
        DatabaseLocation::Postgres(_) => {
            let mut conn = diesel::PgConnection::establish(&database.url()).unwrap();
            diesel::sql_query(statement).execute(&mut conn)
        }
        #[cfg(not(feature = "postgres"))]
        DatabaseLocation::Postgres(_) => unreachable!("no PostgreSQL without the feature"),
    }
}

#[test]
fn batch_references_are_checked_and_batches_are_kept() {
    on_each_backend(|store, database| {
        let w = world(store);
        let batch = start_batch(store, w.matti.id);
        let missing = ImportBatchId(batch.0 + 1_000);
        let fields = person(Some("Eeva"), "Erä", None);
        let contacts = |batch| -> Vec<NewContactRef<'_>> {
            (0..20)
                .map(|_| NewContactRef {
                    company_id: w.alpha.id,
                    fields: &fields,
                    created_by_batch: Some(batch),
                })
                .collect()
        };
        let project = project_fields("E-1", "Erä");
        let projects = |batch| {
            vec![NewProjectRef {
                created_by_batch: Some(batch),
                ..plain_project(w.beta.id, &project)
            }]
        };

        // Rows naming a batch that does not exist are refused, in a bulk transaction or not,
        // and nothing of the call is kept.
        assert!(
            store
                .bulk_transaction(|store| store.insert_new_contacts(&contacts(missing)))
                .is_err()
        );
        assert!(
            store
                .transaction(|store| store.insert_new_contacts(&contacts(missing)))
                .is_err()
        );
        assert!(
            store
                .bulk_transaction(|store| store.insert_new_projects(&projects(missing)))
                .is_err()
        );
        assert!(
            store
                .insert_companies(&[NewCompany {
                    fields: CompanyFields {
                        name: "Orpo Oy".into(),
                        ..CompanyFields::default()
                    },
                    company_type_id: w.alpha.company_type_id,
                    customer_group_id: None,
                    account_manager_id: w.matti.id,
                    created_by_batch: Some(missing),
                }])
                .is_err()
        );
        assert_eq!(store.count_contacts().unwrap(), 0);
        assert_eq!(store.count_projects().unwrap(), 0);

        // The batch that exists is accepted.
        let ids = store
            .bulk_transaction(|store| {
                store.insert_new_projects(&projects(batch))?;
                store.insert_new_contacts(&contacts(batch))
            })
            .unwrap();
        assert_eq!(ids.len(), 20);
        assert_eq!(store.count_contacts().unwrap(), 20);
        assert_eq!(store.count_projects().unwrap(), 1);

        // An update that names a missing batch is refused; the contact keeps its batch.
        let mut moved = store.contacts_by_ids(&ids[..1]).unwrap();
        moved[0].updated_by_batch = Some(missing);
        assert!(store.update_contacts(&moved).is_err());
        assert_eq!(
            store.contacts_by_ids(&ids[..1]).unwrap()[0].updated_by_batch,
            Some(batch)
        );

        // Import batches are history: neither deleted nor renumbered.
        let delete = format!("DELETE FROM import_batches WHERE id = {}", batch.0);
        let error = raw_statement(database, &delete).expect_err("a batch is deleted");
        assert!(
            error.to_string().contains("never deleted or renumbered"),
            "{error}"
        );
        let renumber = format!(
            "UPDATE import_batches SET id = {} WHERE id = {}",
            missing.0, batch.0
        );
        assert!(raw_statement(database, &renumber).is_err());
        assert_eq!(store.contacts_created_by_batch(batch).unwrap().len(), 20);
    });
}

/// Runs `statement` on a connection of the test's own with foreign keys enforced (SQLite
/// enforces them per connection, as the store's connections do).
fn raw_checked(database: &TestDatabase, statement: &str) -> Result<usize, diesel::result::Error> {
    match database.location() {
        DatabaseLocation::Sqlite(_) => {
            let mut conn = diesel::SqliteConnection::establish(&database.url()).unwrap();
            diesel::sql_query("PRAGMA foreign_keys = ON").execute(&mut conn)?;
            diesel::sql_query(statement).execute(&mut conn)
        }
        _ => raw_statement(database, statement),
    }
}

#[test]
fn references_to_setup_lists_are_checked_both_ways() {
    // On PostgreSQL these references are checked once per statement by triggers
    // (migration 2026-12-05-000300), on SQLite by foreign keys: the same rules either way.
    on_each_backend(|store, database| {
        let w = world(store);
        let group = store.add_customer_group("Helsinki", None).unwrap();
        let branch = store.add_branch("Ohjelmistot", None).unwrap();
        let company = |company_type_id, customer_group_id, account_manager_id| NewCompany {
            fields: CompanyFields {
                name: "Uusi Oy".into(),
                ..CompanyFields::default()
            },
            company_type_id,
            customer_group_id,
            account_manager_id,
            created_by_batch: None,
        };
        let type_id = w.alpha.company_type_id;
        let missing_type = tuonti_domain::CompanyTypeId(type_id.0 + 1_000);
        let missing_group = tuonti_domain::CustomerGroupId(group.id.0 + 1_000);
        let missing_user = UserId(w.liisa.id.0 + 1_000);
        let before = store.count_companies().unwrap();

        // Inserts naming a parent that does not exist are refused by the database, each kind
        // of parent, also in one statement of many rows where only one row is wrong (the
        // store refuses them before the database sees them, too).
        let row = |type_id: i64, group_id: i64, manager_id: i64| {
            format!(
                "('Uusi Oy', 'uusi oy', {type_id}, {group_id}, {manager_id}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        };
        for wrong in [
            row(missing_type.0, group.id.0, w.matti.id.0),
            row(type_id.0, missing_group.0, w.matti.id.0),
            row(type_id.0, group.id.0, missing_user.0),
        ] {
            let mut rows: Vec<String> = (0..50)
                .map(|_| row(type_id.0, group.id.0, w.matti.id.0))
                .collect();
            rows.push(wrong);
            let insert = format!(
                "INSERT INTO companies (name, name_key, company_type_id, customer_group_id, \
                 account_manager_id, created_at, updated_at) VALUES {}",
                rows.join(", ")
            );
            let error = raw_checked(database, &insert).expect_err("a missing parent is stored");
            assert!(
                error.to_string().to_lowercase().contains("foreign key"),
                "{error}"
            );
        }
        for wrong in [
            company(missing_type, None, w.matti.id),
            company(type_id, Some(missing_group), w.matti.id),
            company(type_id, Some(group.id), missing_user),
        ] {
            assert!(store.insert_companies(&[wrong]).is_err());
        }
        assert_eq!(store.count_companies().unwrap(), before);
        let stored = store
            .insert_company(&company(type_id, Some(group.id), w.liisa.id))
            .unwrap();

        // An update that names a missing parent is refused and changes nothing.
        for change in [
            |c: &mut Company, t, _, _| c.company_type_id = t,
            |c: &mut Company, _, g, _| c.customer_group_id = Some(g),
            |c: &mut Company, _, _, u| c.account_manager_id = u,
        ] {
            let mut changed = stored.clone();
            change(&mut changed, missing_type, missing_group, missing_user);
            assert!(store.update_companies(&[changed]).is_err());
        }
        let again = store.companies_by_ids(&[stored.id]).unwrap();
        assert_eq!(again[0].customer_group_id, Some(group.id));
        assert_eq!(again[0].account_manager_id, w.liisa.id);

        // Projects: a missing project manager or branch is refused; existing ones are not.
        let fields = project_fields("P-1", "Uusi projekti");
        for (manager, branch_id) in [
            (Some(missing_user), None),
            (None, Some(BranchId(branch.id.0 + 1_000))),
        ] {
            let project = NewProjectRef {
                project_manager_id: manager,
                branch_id,
                ..plain_project(stored.id, &fields)
            };
            assert!(store.insert_new_projects(&[project]).is_err());
        }
        let project = NewProjectRef {
            project_manager_id: Some(w.matti.id),
            branch_id: Some(branch.id),
            ..plain_project(stored.id, &fields)
        };
        store.insert_new_projects(&[project]).unwrap();
        assert_eq!(store.count_projects().unwrap(), 1);

        // Contacts and projects naming a missing company or contact are refused.
        let missing_company = stored.id.0 + 1_000;
        for statement in [
            format!(
                "INSERT INTO contacts (company_id, last_name, name_key, created_at, updated_at) \
                 VALUES ({}, 'Erä', 'erä', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), \
                 ({missing_company}, 'Erä', 'erä', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                stored.id.0
            ),
            format!(
                "INSERT INTO projects (company_id, project_number, name, status, created_at, \
                 updated_at) VALUES ({missing_company}, 'P-9', 'X', 'active', \
                 CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            format!(
                "INSERT INTO projects (company_id, contact_id, project_number, name, status, \
                 created_at, updated_at) VALUES ({}, 999999, 'P-9', 'X', 'active', \
                 CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                stored.id.0
            ),
        ] {
            let error = raw_checked(database, &statement).expect_err(&statement);
            assert!(
                error.to_string().to_lowercase().contains("foreign key"),
                "{statement}: {error}"
            );
        }
        assert_eq!(store.count_contacts().unwrap(), 0);

        // Deleting a contact clears the project's contact person; deleting a company deletes
        // its contacts, and is refused while a project names it.
        let other = store
            .insert_company(&company(type_id, None, w.matti.id))
            .unwrap();
        let eeva = person(Some("Eeva"), "Erä", None);
        let contact_ids = store
            .insert_new_contacts(&[
                NewContactRef {
                    company_id: stored.id,
                    fields: &eeva,
                    created_by_batch: None,
                },
                NewContactRef {
                    company_id: other.id,
                    fields: &eeva,
                    created_by_batch: None,
                },
            ])
            .unwrap();
        let with_contact = project_fields("P-2", "Yhteyshenkilön projekti");
        store
            .insert_new_projects(&[NewProjectRef {
                contact_id: Some(contact_ids[0]),
                ..plain_project(stored.id, &with_contact)
            }])
            .unwrap();
        let named = store.projects_by_numbers(&["P-2"]).unwrap();
        assert_eq!(named[0].contact_id, Some(contact_ids[0]));
        raw_checked(
            database,
            &format!("DELETE FROM contacts WHERE id = {}", contact_ids[0].0),
        )
        .unwrap();
        let named = store.projects_by_numbers(&["P-2"]).unwrap();
        assert_eq!(named[0].contact_id, None);
        raw_checked(
            database,
            &format!("DELETE FROM companies WHERE id = {}", other.id.0),
        )
        .unwrap();
        assert_eq!(store.count_contacts().unwrap(), 0);
        let delete = format!("DELETE FROM companies WHERE id = {}", stored.id.0);
        let error = raw_checked(database, &delete).expect_err("a company with projects is deleted");
        assert!(
            error.to_string().to_lowercase().contains("foreign key"),
            "{error}"
        );

        // A parent still named is not deleted; once nothing names it, it is.
        for statement in [
            format!("DELETE FROM customer_groups WHERE id = {}", group.id.0),
            format!("DELETE FROM company_types WHERE id = {}", type_id.0),
            format!("DELETE FROM branches WHERE id = {}", branch.id.0),
            format!("DELETE FROM users WHERE id = {}", w.liisa.id.0),
        ] {
            let error = raw_checked(database, &statement).expect_err(&statement);
            assert!(
                error.to_string().to_lowercase().contains("foreign key"),
                "{statement}: {error}"
            );
        }
        let unassign = format!(
            "UPDATE companies SET customer_group_id = NULL WHERE customer_group_id = {}",
            group.id.0
        );
        raw_checked(database, &unassign).unwrap();
        let delete = format!("DELETE FROM customer_groups WHERE id = {}", group.id.0);
        assert_eq!(raw_checked(database, &delete).unwrap(), 1);

        if matches!(database.location(), DatabaseLocation::Postgres(_)) {
            // Ids are never renumbered, and a table rows name is not truncated.
            let renumber = format!(
                "UPDATE branches SET id = {} WHERE id = {}",
                branch.id.0 + 500,
                branch.id.0
            );
            assert!(raw_checked(database, &renumber).is_err());
            assert!(raw_checked(database, "TRUNCATE branches").is_err());
            assert!(raw_checked(database, "TRUNCATE company_types").is_err());
            // Together with the rows that name them, as foreign keys allow.
            raw_checked(database, "TRUNCATE projects, branches").unwrap();
            assert_eq!(store.count_projects().unwrap(), 0);
        }
    });
}
