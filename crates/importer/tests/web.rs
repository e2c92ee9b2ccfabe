//! Accounts (passwords, sessions, throttling, login links) and the import wizard's use cases,
//! on every backend.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tuonti_domain::{Lang, Role, User};
use tuonti_importer::accounts::{self, LoginError, THROTTLE_FAILURES};
use tuonti_importer::wizard::{self, WizardChoices};
use tuonti_importer::{Error, setup};
use tuonti_persistence::testing::TestDatabase;
use tuonti_persistence::{JobKind, JobStatus, OpenOptions, Store, WizardStatus};

fn stores() -> Vec<(TestDatabase, Store)> {
    TestDatabase::all()
        .unwrap()
        .into_iter()
        .map(|db| {
            let mut store = Store::open(db.location(), OpenOptions { create: true }).unwrap();
            setup::init(&mut store, None).unwrap();
            (db, store)
        })
        .collect()
}

fn admin(store: &mut Store, email: &str) -> User {
    setup::add_user(store, "Admin", email, Role::Admin).unwrap()
}

#[test]
fn login_sets_up_a_session_that_logout_ends() {
    for (_db, mut store) in stores() {
        admin(&mut store, "matti@example.fi");
        accounts::set_password(&mut store, "matti@example.fi", "oikein pitkä salasana").unwrap();
        let session =
            accounts::login(&mut store, " Matti@Example.FI ", "oikein pitkä salasana").unwrap();
        assert_eq!(session.token.len(), 64);
        assert_eq!(session.session.csrf_token.len(), 64);
        assert_ne!(session.token, session.session.csrf_token);
        // Only the hash is stored.
        assert_ne!(session.session.token_hash, session.token);
        let live = accounts::session(&mut store, &session.token)
            .unwrap()
            .unwrap();
        assert_eq!(live.user.email, "matti@example.fi");
        assert!(
            accounts::session(&mut store, "not a token")
                .unwrap()
                .is_none()
        );
        accounts::logout(&mut store, &session.token).unwrap();
        assert!(
            accounts::session(&mut store, &session.token)
                .unwrap()
                .is_none()
        );
    }
}

#[test]
fn wrong_passwords_unknown_users_and_no_password_get_one_answer() {
    for (_db, mut store) in stores() {
        admin(&mut store, "matti@example.fi");
        setup::add_user(&mut store, "Maija", "maija@example.fi", Role::Member).unwrap();
        accounts::set_password(&mut store, "matti@example.fi", "oikein pitkä salasana").unwrap();
        for (email, password) in [
            ("matti@example.fi", "väärä salasana!"),
            ("nobody@example.fi", "oikein pitkä salasana"),
            ("maija@example.fi", "oikein pitkä salasana"),
        ] {
            let error = accounts::login(&mut store, email, password).unwrap_err();
            assert!(
                matches!(error, Error::Login(LoginError::WrongCredentials)),
                "{error}"
            );
            assert_eq!(
                error.message(Lang::Fi),
                "Väärä sähköpostiosoite tai salasana."
            );
        }
    }
}

#[test]
fn short_passwords_are_refused() {
    for (_db, mut store) in stores() {
        admin(&mut store, "matti@example.fi");
        let error = accounts::set_password(&mut store, "matti@example.fi", "lyhyt").unwrap_err();
        assert!(
            error.to_string().contains("at least 10 characters"),
            "{error}"
        );
        let id = store.user_by_email("matti@example.fi").unwrap().unwrap().id;
        assert!(store.password_hash(id).unwrap().is_none());
    }
}

#[test]
fn repeated_failures_throttle_even_the_right_password() {
    for (_db, mut store) in stores() {
        admin(&mut store, "matti@example.fi");
        accounts::set_password(&mut store, "matti@example.fi", "oikein pitkä salasana").unwrap();
        for _ in 0..THROTTLE_FAILURES {
            let error =
                accounts::login(&mut store, "matti@example.fi", "väärin väärin").unwrap_err();
            assert!(matches!(error, Error::Login(LoginError::WrongCredentials)));
        }
        let error =
            accounts::login(&mut store, "MATTI@example.fi", "oikein pitkä salasana").unwrap_err();
        let Error::Login(LoginError::Throttled {
            retry_after_minutes,
        }) = error
        else {
            panic!("expected throttling, got {error}");
        };
        assert!(
            (1..=15).contains(&retry_after_minutes),
            "{retry_after_minutes}"
        );
        assert!(error_text(&store_login(&mut store)).contains("Too many failed logins"));
        // Another user is not throttled.
        admin(&mut store, "toinen@example.fi");
        accounts::set_password(&mut store, "toinen@example.fi", "toinen pitkä salasana").unwrap();
        accounts::login(&mut store, "toinen@example.fi", "toinen pitkä salasana").unwrap();
    }
}

fn store_login(store: &mut Store) -> Error {
    accounts::login(store, "matti@example.fi", "oikein pitkä salasana").unwrap_err()
}

fn error_text(error: &Error) -> String {
    error.message(Lang::En)
}

#[test]
fn deactivated_users_and_new_passwords_end_sessions() {
    for (_db, mut store) in stores() {
        admin(&mut store, "matti@example.fi");
        admin(&mut store, "toinen@example.fi");
        accounts::set_password(&mut store, "toinen@example.fi", "toinen pitkä salasana").unwrap();
        let session =
            accounts::login(&mut store, "toinen@example.fi", "toinen pitkä salasana").unwrap();
        setup::deactivate_user(&mut store, "toinen@example.fi", None).unwrap();
        assert!(
            accounts::session(&mut store, &session.token)
                .unwrap()
                .is_none()
        );
        setup::activate_user(&mut store, "toinen@example.fi").unwrap();
        let session =
            accounts::login(&mut store, "toinen@example.fi", "toinen pitkä salasana").unwrap();
        accounts::set_password(&mut store, "toinen@example.fi", "uusi pitkä salasana").unwrap();
        assert!(
            accounts::session(&mut store, &session.token)
                .unwrap()
                .is_none()
        );
        accounts::login(&mut store, "toinen@example.fi", "uusi pitkä salasana").unwrap();
    }
}

#[test]
fn a_login_link_sets_a_password_once() {
    for (_db, mut store) in stores() {
        admin(&mut store, "matti@example.fi");
        let (user, token) = accounts::create_login_link(&mut store, "matti@example.fi").unwrap();
        assert_eq!(
            accounts::login_link_user(&mut store, &token).unwrap().id,
            user.id
        );
        // A too short password leaves the link usable.
        assert!(accounts::redeem_login_link(&mut store, &token, "lyhyt").is_err());
        let session =
            accounts::redeem_login_link(&mut store, &token, "oma pitkä salasana").unwrap();
        assert_eq!(session.user.id, user.id);
        let again =
            accounts::redeem_login_link(&mut store, &token, "toinen pitkä salasana").unwrap_err();
        assert!(matches!(again, Error::Login(LoginError::BadLink)));
        assert!(accounts::login_link_user(&mut store, "0000").is_err());
        accounts::login(&mut store, "matti@example.fi", "oma pitkä salasana").unwrap();
    }
}

/// A valid business ID from a seven-digit base.
fn business_id(base: u32) -> String {
    let digits = format!("{base:07}");
    let weights = [7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = digits
        .bytes()
        .zip(weights)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = match sum % 11 {
        0 => 0,
        1 => return business_id(base + 1),
        r => 11 - r,
    };
    format!("{digits}-{check}")
}

fn csv(rows: &[(&str, String)]) -> Vec<u8> {
    let mut text = String::from("Yritys;Y-tunnus;Postinumero\n");
    for (name, id) in rows {
        text.push_str(&format!("{name};{id};00100\n"));
    }
    text.into_bytes()
}

fn choices(manager: &str) -> WizardChoices {
    WizardChoices {
        company_type: Some("Asiakas".into()),
        account_manager: Some(manager.into()),
        ..WizardChoices::default()
    }
}

#[test]
fn the_wizard_keeps_each_admins_state_and_imports_as_a_job() {
    for (_db, mut store) in stores() {
        let matti = admin(&mut store, "matti@example.fi");
        let maija = admin(&mut store, "maija@example.fi");
        let member =
            setup::add_user(&mut store, "Jäsen", "jasen@example.fi", Role::Member).unwrap();
        assert!(wizard::current(&mut store, &member).is_err());

        let matti_wizard = wizard::current(&mut store, &matti).unwrap();
        let maija_wizard = wizard::current(&mut store, &maija).unwrap();
        assert_ne!(matti_wizard.id, maija_wizard.id);
        // The same open wizard comes back.
        assert_eq!(
            wizard::current(&mut store, &matti).unwrap().id,
            matti_wizard.id
        );
        // Another admin's wizard is not found.
        assert!(wizard::get(&mut store, &maija, matti_wizard.id).is_err());

        let good = csv(&[
            ("Oy Yksi Ab", business_id(1_234_560)),
            ("Kaksi Oy", business_id(2_345_670)),
        ]);
        let (file, inspection) = wizard::add_file(
            &mut store,
            &matti,
            matti_wizard.id,
            "C:\\data\\asiakkaat.csv",
            good,
        )
        .unwrap();
        assert_eq!(file.name, "asiakkaat.csv");
        assert_eq!(inspection.data_rows, 2);
        let refused = wizard::add_file(
            &mut store,
            &matti,
            matti_wizard.id,
            "kuva.xlsx",
            b"\x89PNG\r\n".to_vec(),
        );
        assert!(matches!(refused, Err(Error::Workbook(_))), "{refused:?}");
        let view = wizard::get(&mut store, &matti, matti_wizard.id).unwrap();
        assert_eq!(view.files.len(), 1);
        assert_eq!(view.state.total_rows(), 2);
        assert!(
            wizard::get(&mut store, &maija, maija_wizard.id)
                .unwrap()
                .files
                .is_empty()
        );

        // No job before the choices; a choice that does not resolve is refused.
        assert!(wizard::start_job(&mut store, &matti, view.id, JobKind::Preview).is_err());
        let mut bad = choices("matti@example.fi");
        bad.company_type = Some("Ei ole".into());
        assert!(wizard::set_choices(&mut store, &matti, view.id, &bad).is_err());
        let mut with_group = choices("matti@example.fi");
        with_group.new_group = Some("Uusimaa".into());
        wizard::set_choices(&mut store, &matti, view.id, &with_group).unwrap();

        let (preview, created) =
            wizard::start_job(&mut store, &matti, view.id, JobKind::Preview).unwrap();
        assert!(created);
        let result = wizard::run_job(&mut store, preview.id, Lang::Fi, &mut |_| {}).unwrap();
        assert!(!result.applied);
        assert_eq!(result.counts.created, 2);
        assert_eq!(result.new_groups, vec!["Uusimaa".to_owned()]);
        assert!(store.customer_group_by_name("Uusimaa").unwrap().is_none());

        let (job, _) = wizard::start_job(&mut store, &matti, view.id, JobKind::Import).unwrap();
        let mut progress = Vec::new();
        let result = wizard::run_job(&mut store, job.id, Lang::Fi, &mut |rows| {
            progress.push(rows)
        })
        .unwrap();
        assert!(result.applied);
        assert_eq!(result.counts.created, 2);
        assert_eq!(progress.last(), Some(&2));
        let stored = wizard::job(&mut store, &matti, job.id).unwrap();
        assert_eq!(stored.job.status, JobStatus::Succeeded);
        assert_eq!(stored.result.unwrap().batch_id, result.batch_id);
        // The wizard is closed and its files dropped; the next one is new.
        let closed = wizard::get(&mut store, &matti, view.id).unwrap();
        assert_eq!(closed.status, WizardStatus::Imported);
        assert!(closed.files.is_empty());
        assert_ne!(wizard::current(&mut store, &matti).unwrap().id, view.id);
        assert!(store.customer_group_by_name("Uusimaa").unwrap().is_some());
        // Maija cannot read Matti's job.
        assert!(wizard::job(&mut store, &maija, job.id).is_err());
    }
}

#[test]
fn rejected_rows_give_an_error_workbook_and_all_or_nothing_stores_the_refusal() {
    for (_db, mut store) in stores() {
        let matti = admin(&mut store, "matti@example.fi");
        let view = wizard::current(&mut store, &matti).unwrap();
        let rows = csv(&[
            ("Hyvä Oy", business_id(3_456_780)),
            ("Huono Oy", "1234567-0".into()),
        ]);
        wizard::add_file(&mut store, &matti, view.id, "asiakkaat.csv", rows).unwrap();
        wizard::set_choices(&mut store, &matti, view.id, &choices("matti@example.fi")).unwrap();

        let (job, _) = wizard::start_job(&mut store, &matti, view.id, JobKind::Import).unwrap();
        let error = wizard::run_job(&mut store, job.id, Lang::Fi, &mut |_| {}).unwrap_err();
        assert!(
            matches!(error, Error::RowsRejected { rejected: 1 }),
            "{error}"
        );
        let stored = wizard::job(&mut store, &matti, job.id).unwrap();
        assert_eq!(stored.job.status, JobStatus::Failed);
        assert!(stored.error.unwrap().fi.contains("hylättiin"));
        assert_eq!(
            store
                .company_counts()
                .unwrap()
                .by_manager
                .values()
                .sum::<u64>(),
            0
        );
        // The wizard stays open; the preview has the error workbook.
        let (preview, _) =
            wizard::start_job(&mut store, &matti, view.id, JobKind::Preview).unwrap();
        let result = wizard::run_job(&mut store, preview.id, Lang::Fi, &mut |_| {}).unwrap();
        assert_eq!(result.counts.rejected, 1);
        assert!(
            result
                .issues
                .iter()
                .any(|issue| issue.cell == "B3" && issue.code.starts_with("business_id"))
        );
        let outputs = wizard::job(&mut store, &matti, preview.id).unwrap().outputs;
        assert_eq!(outputs.len(), 1);
        assert_eq!(outputs[0].name, "asiakkaat-virheet.xlsx");
        let (_, bytes) = wizard::job_output(&mut store, &matti, preview.id, outputs[0].id).unwrap();
        assert!(bytes.starts_with(b"PK"));
        // Skip-invalid imports the good row.
        let mut skip = choices("matti@example.fi");
        skip.skip_invalid = true;
        wizard::set_choices(&mut store, &matti, view.id, &skip).unwrap();
        let (job, _) = wizard::start_job(&mut store, &matti, view.id, JobKind::Import).unwrap();
        let result = wizard::run_job(&mut store, job.id, Lang::En, &mut |_| {}).unwrap();
        assert_eq!((result.counts.created, result.counts.rejected), (1, 1));
        let outputs = wizard::job(&mut store, &matti, job.id).unwrap().outputs;
        assert_eq!(outputs[0].name, "asiakkaat-errors.xlsx");
    }
}

#[test]
fn mapping_overrides_are_checked_against_every_file() {
    for (_db, mut store) in stores() {
        let matti = admin(&mut store, "matti@example.fi");
        let view = wizard::current(&mut store, &matti).unwrap();
        let file = "Nimi;Vanha koodi\nOy Yksi Ab;0112038-9\n"
            .as_bytes()
            .to_vec();
        wizard::add_file(&mut store, &matti, view.id, "vanha.csv", file).unwrap();
        let before = wizard::mapping(&mut store, &matti, view.id).unwrap();
        assert_eq!(before[0].columns[1].field, None);
        let overrides = vec!["Vanha koodi=business_id".parse().unwrap()];
        let after = wizard::set_mapping(&mut store, &matti, view.id, None, overrides).unwrap();
        assert_eq!(
            after[0].columns[1].field,
            Some(tuonti_domain::FieldKey::BusinessId)
        );
        let unknown = vec!["Puuttuva=email".parse().unwrap()];
        assert!(wizard::set_mapping(&mut store, &matti, view.id, None, unknown).is_err());
        // The refused override was not stored.
        assert_eq!(
            wizard::get(&mut store, &matti, view.id)
                .unwrap()
                .state
                .overrides
                .len(),
            1
        );
        wizard::cancel(&mut store, &matti, view.id).unwrap();
        assert_eq!(
            wizard::get(&mut store, &matti, view.id).unwrap().status,
            WizardStatus::Cancelled
        );
    }
}

#[test]
fn a_wizards_mapping_is_saved_as_a_profile_and_applied_to_the_next_import() {
    for (_db, mut store) in stores() {
        let matti = admin(&mut store, "matti@example.fi");
        let file = "Nimi;Vanha koodi;Muuta\nOy Yksi Ab;0112038-9;x\n"
            .as_bytes()
            .to_vec();
        let view = wizard::current(&mut store, &matti).unwrap();
        wizard::add_file(&mut store, &matti, view.id, "vanha.csv", file.clone()).unwrap();
        let overrides = vec!["Vanha koodi=business_id".parse().unwrap()];
        wizard::set_mapping(&mut store, &matti, view.id, None, overrides).unwrap();
        let profile = wizard::save_profile(&mut store, &matti, view.id, "Vanha CRM").unwrap();
        assert_eq!(profile.name, "Vanha CRM");
        wizard::cancel(&mut store, &matti, view.id).unwrap();

        let next = wizard::current(&mut store, &matti).unwrap();
        wizard::add_file(&mut store, &matti, next.id, "uusi.csv", file).unwrap();
        assert_eq!(
            wizard::mapping(&mut store, &matti, next.id).unwrap()[0].columns[1].field,
            None
        );
        let applied = wizard::apply_profile(&mut store, &matti, next.id, "vanha crm").unwrap();
        let fields: Vec<_> = applied[0].columns.iter().map(|c| c.field).collect();
        use tuonti_domain::FieldKey;
        assert_eq!(
            fields,
            [Some(FieldKey::Name), Some(FieldKey::BusinessId), None]
        );
        assert!(wizard::apply_profile(&mut store, &matti, next.id, "ei ole").is_err());
        // A wizard without files cannot save a profile.
        let empty_admin = admin(&mut store, "toinen@example.fi");
        let empty = wizard::current(&mut store, &empty_admin).unwrap();
        assert!(wizard::save_profile(&mut store, &empty_admin, empty.id, "Tyhjä").is_err());
    }
}

#[test]
fn the_wizard_maps_every_sheet_of_a_three_sheet_workbook_and_imports_them_linked() {
    for (_db, mut store) in stores() {
        let matti = admin(&mut store, "matti@example.fi");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheets: [(&str, &[&str], &[&str]); 3] = [
            (
                "Yritykset",
                &["Asiakasnumero", "Yritys"],
                &["001", "Esimerkki Oy"],
            ),
            (
                "Yhteyshenkilöt",
                &["Asiakasnumero", "Etunimi", "Sukunimi", "Sähköposti"],
                &["001", "Maija", "Meikäläinen", "maija@esimerkki.fi"],
            ),
            (
                "Projektit",
                &[
                    "Projektinumero",
                    "Projektin nimi",
                    "Asiakasnumero",
                    "Arvo (€)",
                    "Yhteyshenkilö",
                ],
                &["P-1", "Verkkosivut", "001", "1 000,50", "Maija Meikäläinen"],
            ),
        ];
        for (name, headers, values) in sheets {
            let sheet = book.add_worksheet();
            sheet.set_name(name).unwrap();
            for (column, (header, value)) in headers.iter().zip(values.iter()).enumerate() {
                sheet.write_string(0, column as u16, *header).unwrap();
                sheet.write_string(1, column as u16, *value).unwrap();
            }
        }
        let view = wizard::current(&mut store, &matti).unwrap();
        wizard::add_file(
            &mut store,
            &matti,
            view.id,
            "siirto.xlsx",
            book.save_to_buffer().unwrap(),
        )
        .unwrap();
        let view = wizard::get(&mut store, &matti, view.id).unwrap();
        assert_eq!(view.state.total_rows(), 3, "every sheet's rows");
        let mapping = wizard::mapping(&mut store, &matti, view.id).unwrap();
        let kinds: Vec<_> = mapping.iter().map(|inspection| inspection.kind).collect();
        assert_eq!(
            kinds,
            [
                tuonti_domain::RecordKind::Company,
                tuonti_domain::RecordKind::Contact,
                tuonti_domain::RecordKind::Project
            ]
        );
        assert!(
            mapping[2]
                .columns
                .iter()
                .all(|column| column.field.is_some())
        );
        wizard::set_choices(&mut store, &matti, view.id, &choices("matti@example.fi")).unwrap();
        let (job, _) = wizard::start_job(&mut store, &matti, view.id, JobKind::Import).unwrap();
        let result = wizard::run_job(&mut store, job.id, Lang::En, &mut |_| {}).unwrap();
        assert_eq!(result.counts.created, 3, "{result:#?}");
        assert_eq!(result.counts_by_kind.len(), 3);
        let projects = store
            .projects(&tuonti_persistence::ProjectFilter::default())
            .unwrap();
        assert_eq!(projects[0].fields.value_cents, Some(100_050));
        assert!(projects[0].contact_id.is_some());
    }
}

/// A workbook of one company (`number`, `name`) and one project of it (`project`).
fn company_and_project(number: &str, name: &str, project: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheets: [(&str, &[&str], [&str; 3]); 2] = [
        (
            "Yritykset",
            &["Asiakasnumero", "Yritys"],
            [number, name, ""],
        ),
        (
            "Projektit",
            &["Projektinumero", "Projektin nimi", "Asiakasnumero"],
            [project, "Verkkosivut", number],
        ),
    ];
    for (sheet_name, headers, values) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name).unwrap();
        for (column, (header, value)) in headers.iter().zip(values).enumerate() {
            sheet.write_string(0, column as u16, *header).unwrap();
            sheet.write_string(1, column as u16, value).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn each_file_has_its_own_choices_over_the_ones_for_every_file() {
    for (_db, mut store) in stores() {
        let matti = admin(&mut store, "matti@example.fi");
        let liisa = setup::add_user(
            &mut store,
            "Liisa Virtanen",
            "liisa@example.fi",
            Role::Member,
        )
        .unwrap();
        setup::add_customer_group(&mut store, "Etelä").unwrap();
        let view = wizard::current(&mut store, &matti).unwrap();
        let (first, _) = wizard::add_file(
            &mut store,
            &matti,
            view.id,
            "eka.xlsx",
            company_and_project("001", "Eka Oy", "P-1"),
        )
        .unwrap();
        let (second, _) = wizard::add_file(
            &mut store,
            &matti,
            view.id,
            "toka.xlsx",
            company_and_project("002", "Toka Oy", "P-2"),
        )
        .unwrap();
        let (plain, _) = wizard::add_file(
            &mut store,
            &matti,
            view.id,
            "kolmas.csv",
            csv(&[("Kolmas Oy", business_id(3_300_000))]),
        )
        .unwrap();
        let state = wizard::get(&mut store, &matti, view.id).unwrap().state;
        assert!(state.may_hold_projects(first.id));
        assert!(!state.may_hold_projects(plain.id), "{:?}", state.file_kinds);

        let own = |file: wizard::FileRef| wizard::WizardFileChoices {
            file,
            company_type: None,
            customer_group: None,
            account_manager: None,
            project_manager: None,
        };
        let mut chosen = choices("matti@example.fi");
        chosen.project_manager = Some("matti@example.fi".into());
        chosen.files = vec![
            wizard::WizardFileChoices {
                project_manager: Some("Liisa Virtanen".into()),
                customer_group: Some("Etelä".into()),
                ..own(wizard::FileRef::Name("toka.xlsx".into()))
            },
            wizard::WizardFileChoices {
                account_manager: Some("liisa@example.fi".into()),
                ..own(wizard::FileRef::Id(plain.id))
            },
            // All "as for every file": not kept.
            own(wizard::FileRef::Id(first.id)),
        ];
        let saved = wizard::set_choices(&mut store, &matti, view.id, &chosen).unwrap();
        let ids: Vec<_> = saved
            .state
            .choices
            .files
            .iter()
            .map(|f| f.file.clone())
            .collect();
        assert_eq!(
            ids,
            [
                wizard::FileRef::Id(second.id),
                wizard::FileRef::Id(plain.id)
            ],
            "by id, in upload order, the empty one left out"
        );
        assert_eq!(
            saved
                .state
                .choices
                .for_file(first.id)
                .project_manager
                .as_deref(),
            Some("matti@example.fi"),
            "the project manager for every file"
        );

        // Removing a file drops its choices; the import takes each file's own.
        wizard::remove_file(&mut store, &matti, view.id, plain.id).unwrap();
        let state = wizard::get(&mut store, &matti, view.id).unwrap().state;
        assert_eq!(state.choices.files.len(), 1);
        let (job, _) = wizard::start_job(&mut store, &matti, view.id, JobKind::Import).unwrap();
        let result = wizard::run_job(&mut store, job.id, Lang::En, &mut |_| {}).unwrap();
        assert_eq!(result.counts.created, 4, "{result:#?}");
        let mut managers: Vec<_> = store
            .projects(&tuonti_persistence::ProjectFilter::default())
            .unwrap()
            .into_iter()
            .map(|project| (project.fields.project_number, project.project_manager_id))
            .collect();
        managers.sort();
        assert_eq!(
            managers,
            [
                ("P-1".to_owned(), Some(matti.id)),
                ("P-2".to_owned(), Some(liisa.id))
            ]
        );
        let toka = result
            .files
            .iter()
            .find(|file| file.name == "toka.xlsx")
            .unwrap();
        assert_eq!(
            toka.choices.as_ref().unwrap().customer_group.as_deref(),
            Some("Etelä")
        );
    }
}

#[test]
fn a_wizard_state_saved_before_choices_per_file_still_reads() {
    let old = r#"{"choices":{"company_type":"Asiakas","customer_group":null,"new_group":null,
        "create_groups":false,"account_manager":"matti@example.fi","on_duplicate":"skip",
        "skip_invalid":false,"default_country":"FI","create_branches":false},
        "choices_saved":true,"sheet":null,"overrides":[],"file_rows":{"7":3}}"#;
    let state: wizard::WizardState = serde_json::from_str(old).unwrap();
    assert!(state.choices.files.is_empty());
    assert_eq!(state.choices.project_manager, None);
    assert_eq!(state.total_rows(), 3);
    assert!(
        state.may_hold_projects(7),
        "kinds not recorded: projects offered"
    );
    assert!(state.choices.for_file(7).is_empty());
}
