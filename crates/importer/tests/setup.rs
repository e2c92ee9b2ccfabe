//! The setup use cases on every backend.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tuonti_domain::{Company, CompanyFields, DomainError, Entity, NewCompany, NewUser, Role};
use tuonti_importer::Error;
use tuonti_importer::setup::{self, BranchMove, GroupMove, TypeRename};
use tuonti_persistence::testing::{TestDatabase, add_project};
use tuonti_persistence::{OpenOptions, Store};

fn on_each_backend(test: impl Fn(&mut Store)) {
    for database in TestDatabase::all().unwrap() {
        let mut store = Store::open(database.location(), OpenOptions { create: true }).unwrap();
        let admin = NewUser::new("Matti Meikäläinen", "matti@example.fi", Role::Admin).unwrap();
        setup::init(&mut store, Some(&admin)).unwrap();
        test(&mut store);
    }
}

fn add_company(
    store: &mut Store,
    name: &str,
    type_name: &str,
    group: Option<&str>,
    manager: &str,
) -> Company {
    let company_type = setup::find_company_type(store, type_name).unwrap();
    let group = group.map(|g| setup::find_customer_group(store, g).unwrap().id);
    let manager = setup::find_user(store, manager).unwrap();
    store
        .insert_company(&NewCompany {
            fields: CompanyFields {
                name: name.into(),
                ..CompanyFields::default()
            },
            company_type_id: company_type.id,
            customer_group_id: group,
            account_manager_id: manager.id,
            created_by_batch: None,
        })
        .unwrap()
}

fn domain(error: Error) -> DomainError {
    match error {
        Error::Domain(domain) => domain,
        other => panic!("expected a domain error, got {other:?}"),
    }
}

#[test]
fn init_is_idempotent() {
    on_each_backend(|store| {
        let admin = NewUser::new("Matti Meikäläinen", "MATTI@example.fi", Role::Admin).unwrap();
        let again = setup::init(store, Some(&admin)).unwrap();
        assert!(!again.seeded_default_types);
        let (user, created) = again.admin.unwrap();
        assert!(!created);
        assert_eq!(user.email, "matti@example.fi");
        assert_eq!(store.users().unwrap().len(), 1);
        assert_eq!(store.company_types(true).unwrap().len(), 4);
    });
}

#[test]
fn the_last_admin_stays() {
    on_each_backend(|store| {
        let error = setup::set_user_role(store, "matti@example.fi", Role::Member).unwrap_err();
        assert!(matches!(domain(error), DomainError::LastAdmin { .. }));
        let error = setup::deactivate_user(store, "Matti Meikäläinen", None).unwrap_err();
        assert!(matches!(domain(error), DomainError::LastAdmin { .. }));
        setup::add_user(store, "Liisa Virtanen", "liisa@example.fi", Role::Admin).unwrap();
        let matti = setup::set_user_role(store, "matti@example.fi", Role::Member).unwrap();
        assert_eq!(matti.role, Role::Member);
    });
}

#[test]
fn a_manager_with_companies_is_deactivated_only_with_a_successor() {
    on_each_backend(|store| {
        setup::add_user(store, "Liisa Virtanen", "liisa@example.fi", Role::Member).unwrap();
        setup::add_user(
            store,
            "Pekka Ei-aktiivinen",
            "pekka@example.fi",
            Role::Member,
        )
        .unwrap();
        setup::deactivate_user(store, "pekka@example.fi", None).unwrap();
        add_company(store, "Esimerkki Oy", "Asiakas", None, "liisa@example.fi");
        add_company(store, "Toinen Oy", "Liidi", None, "liisa@example.fi");
        let error = domain(setup::deactivate_user(store, "liisa@example.fi", None).unwrap_err());
        assert!(
            matches!(error, DomainError::InUse { companies: 2, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("2 companies"), "{error}");
        let error = setup::deactivate_user(store, "liisa@example.fi", Some("pekka@example.fi"))
            .unwrap_err();
        assert!(matches!(domain(error), DomainError::RefusedIn(_)));
        assert!(
            store
                .user_by_email("liisa@example.fi")
                .unwrap()
                .unwrap()
                .active
        );
        let done =
            setup::deactivate_user(store, "liisa@example.fi", Some("Matti Meikäläinen")).unwrap();
        assert!(!done.user.active);
        assert_eq!(done.moved.companies, 2);
        assert_eq!(done.moved_to.unwrap().email, "matti@example.fi");
    });
}

#[test]
fn users_are_found_by_email_or_unique_name() {
    on_each_backend(|store| {
        setup::add_user(store, "Liisa Virtanen", "liisa@example.fi", Role::Member).unwrap();
        setup::add_user(store, "Liisa Virtanen", "liisa.v@example.fi", Role::Member).unwrap();
        assert!(matches!(
            domain(setup::find_user(store, "liisa virtanen").unwrap_err()),
            DomainError::RefusedIn(_)
        ));
        assert_eq!(
            setup::find_user(store, "LIISA@example.fi").unwrap().email,
            "liisa@example.fi"
        );
        assert!(matches!(
            domain(setup::find_user(store, "nobody@example.fi").unwrap_err()),
            DomainError::NotFound { .. }
        ));
    });
}

#[test]
fn types_are_renamed_per_language_and_archived_with_their_companies_moved() {
    on_each_backend(|store| {
        let renamed = setup::rename_company_type(
            store,
            "Cold",
            TypeRename {
                fi: Some("Kylmä liidi"),
                sv: None,
                en: Some(""),
            },
        )
        .unwrap();
        assert_eq!(renamed.names.fi, "Kylmä liidi");
        assert_eq!(renamed.names.sv.as_deref(), Some("Kall"));
        assert_eq!(renamed.names.en, None);
        let error = setup::rename_company_type(
            store,
            "Kylmä liidi",
            TypeRename {
                fi: Some("asiakas"),
                ..TypeRename::default()
            },
        );
        assert!(matches!(
            domain(error.unwrap_err()),
            DomainError::Conflict { .. }
        ));

        add_company(store, "Esimerkki Oy", "Kall", None, "matti@example.fi");
        let error = domain(setup::archive_company_type(store, "Kylmä liidi", None).unwrap_err());
        assert!(
            matches!(error, DomainError::InUse { companies: 1, .. }),
            "{error}"
        );
        let archived = setup::archive_company_type(store, "Kylmä liidi", Some("Lead")).unwrap();
        assert!(archived.company_type.archived);
        assert_eq!(archived.moved, 1);
        let error = setup::archive_company_type(store, "Asiakas", Some("Kylmä liidi")).unwrap_err();
        assert!(matches!(domain(error), DomainError::RefusedIn(_)));
        setup::restore_company_type(store, "Kylmä liidi").unwrap();
        assert_eq!(store.company_types(false).unwrap().len(), 4);
    });
}

#[test]
fn the_last_active_type_stays() {
    on_each_backend(|store| {
        for name in ["Liidi", "Kumppani", "Kylmä"] {
            setup::archive_company_type(store, name, None).unwrap();
        }
        let error = setup::archive_company_type(store, "Asiakas", None).unwrap_err();
        assert!(matches!(domain(error), DomainError::RefusedIn(_)));
    });
}

#[test]
fn groups_are_removed_only_when_told_where_companies_go() {
    on_each_backend(|store| {
        setup::add_customer_group(store, "Helsinki").unwrap();
        setup::add_customer_group(store, "Espoo").unwrap();
        let error = domain(setup::add_customer_group(store, "helsinki").unwrap_err());
        assert!(matches!(error, DomainError::Conflict { .. }));
        add_company(
            store,
            "Esimerkki Oy",
            "Asiakas",
            Some("Helsinki"),
            "matti@example.fi",
        );
        let error =
            domain(setup::remove_customer_group(store, "Helsinki", GroupMove::Refuse).unwrap_err());
        assert!(
            matches!(error, DomainError::InUse { companies: 1, .. }),
            "{error}"
        );
        let error = setup::rename_customer_group(store, "Espoo", "HELSINKI").unwrap_err();
        assert!(matches!(domain(error), DomainError::Conflict { .. }));
        let removed =
            setup::remove_customer_group(store, "Helsinki", GroupMove::To("espoo")).unwrap();
        assert_eq!(removed.moved, 1);
        let removed = setup::remove_customer_group(store, "Espoo", GroupMove::Unassign).unwrap();
        assert_eq!(removed.moved, 1);
        assert!(store.customer_groups().unwrap().is_empty());
        assert_eq!(
            store.companies(&Default::default()).unwrap()[0].customer_group_id,
            None
        );
    });
}

#[test]
fn branches_are_added_renamed_and_listed_with_their_projects() {
    on_each_backend(|store| {
        assert!(setup::list_branches(store).unwrap().is_empty());
        let construction = setup::add_branch(store, "  Rakentaminen ").unwrap();
        assert_eq!(construction.name, "Rakentaminen");
        setup::add_branch(store, "Kauppa").unwrap();
        let error = domain(setup::add_branch(store, "RAKENTAMINEN").unwrap_err());
        assert!(
            matches!(&error, DomainError::Conflict { entity: Entity::Branch, existing, .. }
                if existing.as_deref() == Some("Rakentaminen")),
            "{error}"
        );
        let error = domain(setup::add_branch(store, " ").unwrap_err());
        assert!(matches!(error, DomainError::Invalid { .. }), "{error}");
        let error = domain(setup::rename_branch(store, "Kauppa", "rakentaminen").unwrap_err());
        assert!(matches!(error, DomainError::Conflict { .. }), "{error}");
        let error = domain(setup::rename_branch(store, "Teollisuus", "Energia").unwrap_err());
        assert!(
            matches!(&error, DomainError::NotFound { entity: Entity::Branch, key } if key == "Teollisuus"),
            "{error}"
        );
        let renamed = setup::rename_branch(store, "kauppa", "Tukku- ja vähittäiskauppa").unwrap();
        assert_eq!(renamed.name, "Tukku- ja vähittäiskauppa");

        let customer = add_company(store, "Esimerkki Oy", "Asiakas", None, "matti@example.fi");
        add_project(store, customer.id, "Koulu", Some(construction.id)).unwrap();
        let listed: Vec<(String, u64)> = setup::list_branches(store)
            .unwrap()
            .into_iter()
            .map(|usage| (usage.branch.name, usage.projects))
            .collect();
        assert_eq!(
            listed,
            [
                ("Rakentaminen".to_owned(), 1),
                ("Tukku- ja vähittäiskauppa".to_owned(), 0)
            ]
        );
    });
}

#[test]
fn branches_are_removed_only_when_told_where_projects_go() {
    on_each_backend(|store| {
        let construction = setup::add_branch(store, "Rakentaminen").unwrap();
        let retail = setup::add_branch(store, "Kauppa").unwrap();
        setup::add_branch(store, "Teollisuus").unwrap();
        let customer = add_company(store, "Esimerkki Oy", "Asiakas", None, "matti@example.fi");
        for name in ["Koulu", "Silta"] {
            add_project(store, customer.id, name, Some(construction.id)).unwrap();
        }

        // Refused, each with nothing changed: in use, into itself, into a missing branch.
        let error =
            domain(setup::remove_branch(store, "rakentaminen", BranchMove::Refuse).unwrap_err());
        assert!(
            matches!(
                error,
                DomainError::InUse {
                    entity: Entity::Branch,
                    companies: 0,
                    projects: 2,
                    ..
                }
            ),
            "{error}"
        );
        assert!(error.to_string().contains("2 projects"), "{error}");
        let error = domain(
            setup::remove_branch(store, "Rakentaminen", BranchMove::To("RAKENTAMINEN"))
                .unwrap_err(),
        );
        assert!(matches!(error, DomainError::MoveToItself { .. }), "{error}");
        let error = domain(
            setup::remove_branch(store, "Rakentaminen", BranchMove::To("Energia")).unwrap_err(),
        );
        assert!(
            matches!(&error, DomainError::NotFound { entity: Entity::Branch, key } if key == "Energia"),
            "{error}"
        );
        let error =
            domain(setup::remove_branch(store, "Energia", BranchMove::Unassign).unwrap_err());
        assert!(matches!(error, DomainError::NotFound { .. }), "{error}");
        assert_eq!(setup::list_branches(store).unwrap().len(), 3);
        assert_eq!(store.branch_usage(construction.id).unwrap(), 2);

        // Told where they go: moved, then out of any branch.
        let removed =
            setup::remove_branch(store, "Rakentaminen", BranchMove::To("kauppa")).unwrap();
        assert_eq!(removed.branch.id, construction.id);
        assert_eq!(removed.moved_to.map(|b| b.id), Some(retail.id));
        assert_eq!(removed.moved, 2);
        assert_eq!(store.branch_usage(retail.id).unwrap(), 2);
        let removed = setup::remove_branch(store, "Kauppa", BranchMove::Unassign).unwrap();
        assert_eq!((removed.moved_to, removed.moved), (None, 2));
        // An unused branch goes without being told; its projects stay, without a branch.
        let removed = setup::remove_branch(store, "Teollisuus", BranchMove::Refuse).unwrap();
        assert_eq!(removed.moved, 0);
        assert!(setup::list_branches(store).unwrap().is_empty());
        assert_eq!(
            store.companies_with_projects(&[customer.id]).unwrap(),
            [customer.id]
        );
    });
}

#[test]
fn profiles_keep_overrides_by_name() {
    use tuonti_excel_template::{ColumnMapping, MappingOverride};
    use tuonti_importer::profiles;
    on_each_backend(|store| {
        let mut mapping = ColumnMapping::from_headers(&["Nimi", "Asnro", "Muuta"]);
        mapping
            .apply_overrides(&MappingOverride::parse_all(["Asnro=business_id"]).unwrap())
            .unwrap();
        let saved = profiles::save(store, "Visma", &mapping.to_overrides()).unwrap();
        assert_eq!(saved.name, "Visma");

        let overrides = profiles::overrides(store, "VISMA").unwrap();
        assert_eq!(overrides, mapping.to_overrides());
        let mut again = ColumnMapping::from_headers(&["Muuta", "Asnro", "Nimi"]);
        again.apply_overrides(&overrides).unwrap();
        assert_eq!(
            again.column_of(tuonti_domain::FieldKey::BusinessId),
            Some(1)
        );
        assert_eq!(again.column_of(tuonti_domain::FieldKey::Name), Some(2));

        // Saving again replaces; an empty mapping is refused.
        let replaced = MappingOverride::parse_all(["Asnro=ignore"]).unwrap();
        profiles::save(store, "visma", &replaced).unwrap();
        assert_eq!(profiles::overrides(store, "Visma").unwrap(), replaced);
        assert!(matches!(
            domain(profiles::save(store, "Tyhjä", &[]).unwrap_err()),
            DomainError::Invalid { .. }
        ));
        assert_eq!(profiles::list(store).unwrap().len(), 1);

        profiles::delete(store, "Visma").unwrap();
        for error in [
            profiles::overrides(store, "Visma").unwrap_err(),
            profiles::delete(store, "Visma").unwrap_err(),
        ] {
            assert!(error.is_user_error());
            assert!(matches!(
                domain(error),
                DomainError::NotFound {
                    entity: tuonti_domain::Entity::MappingProfile,
                    ..
                }
            ));
        }
    });
}

#[test]
fn template_options_offer_what_an_import_accepts() {
    use tuonti_domain::Lang;
    use tuonti_importer::template;
    on_each_backend(|store| {
        setup::add_company_type(store, "Toimittaja", None, Some("Supplier")).unwrap();
        setup::add_company_type(store, "Vanha", None, None).unwrap();
        setup::archive_company_type(store, "Vanha", None).unwrap();
        setup::add_customer_group(store, "Helsinki").unwrap();
        setup::add_user(store, "Liisa Virtanen", "liisa@example.fi", Role::Member).unwrap();
        setup::add_user(store, "Pekka Poissa", "pekka@example.fi", Role::Member).unwrap();
        setup::deactivate_user(store, "pekka@example.fi", None).unwrap();

        let options = template::options(store, Lang::En).unwrap();
        assert_eq!(options.lang, Lang::En);
        assert!(!options.with_examples);
        assert_eq!(
            options.company_types,
            ["Lead", "Partner", "Cold", "Customer", "Supplier"]
        );
        assert_eq!(options.customer_groups, ["Helsinki"]);
        let managers: Vec<&str> = options
            .account_managers
            .iter()
            .map(|m| m.email.as_str())
            .collect();
        assert_eq!(managers, ["liisa@example.fi", "matti@example.fi"]);
        assert_eq!(options.countries.len(), 249);
        assert_eq!(options.countries[0].name, "Afghanistan");

        let finnish = template::options(store, Lang::Fi).unwrap();
        assert_eq!(finnish.company_types[4], "Toimittaja");
        assert!(
            finnish
                .countries
                .iter()
                .any(|c| c.code == "FI" && c.name == "Suomi")
        );
    });
}
