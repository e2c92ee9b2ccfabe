//! Plan, apply and undo on every backend, with workbooks built in the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rust_xlsxwriter::Workbook;
use tuonti_domain::{NewUser, Role};
use tuonti_importer::Error;
use tuonti_importer::import::{
    self, DuplicatePolicy, ImportChoices, ImportFile, ImportRequest, RowAction,
};
use tuonti_importer::setup;
use tuonti_persistence::testing::TestDatabase;
use tuonti_persistence::{CompanyFilter, OpenOptions, Store};

/// A workbook with one sheet `Yritykset`: a header row and rows of text cells.
fn workbook(headers: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Yritykset").unwrap();
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (row_index, row) in rows.iter().enumerate() {
        for (column, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet
                    .write_string(row_index as u32 + 1, column as u16, value)
                    .unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn file(name: &str, bytes: Vec<u8>) -> ImportFile {
    ImportFile::new(name, bytes)
}

/// A valid business ID for `base` (seven digits), or the next base that has one.
fn business_id(base: u32) -> String {
    let mut digits = [0u8; 7];
    for (slot, c) in digits.iter_mut().zip(format!("{base:07}").bytes()) {
        *slot = c - b'0';
    }
    match tuonti_validation::business_id_check_digit(digits) {
        Some(check) => format!("{base:07}-{check}"),
        None => business_id(base + 1),
    }
}

fn rows(n: u32) -> Vec<Vec<String>> {
    let mut used = std::collections::HashSet::new();
    (0..n)
        .map(|i| {
            let mut id = business_id(100_000 + i * 7);
            while !used.insert(id.clone()) {
                id = business_id(id[..7].parse::<u32>().unwrap() + 1);
            }
            vec![
                format!("Yritys {i} Oy"),
                id,
                format!("Katu {i}"),
                "00100".into(),
                "Helsinki".into(),
                format!("info{i}@example.fi"),
            ]
        })
        .collect()
}

const HEADERS: [&str; 6] = [
    "Yritys",
    "Y-tunnus",
    "Osoite",
    "Postinumero",
    "Postitoimipaikka",
    "Sähköposti",
];

fn on_each_backend(test: impl Fn(&mut Store)) {
    for database in TestDatabase::all().unwrap() {
        let mut store = Store::open(database.location(), OpenOptions { create: true }).unwrap();
        let admin = NewUser::new("Pääkäyttäjä", "admin@example.fi", Role::Admin).unwrap();
        setup::init(&mut store, Some(&admin)).unwrap();
        setup::add_user(
            &mut store,
            "Matti Meikäläinen",
            "matti@example.fi",
            Role::Member,
        )
        .unwrap();
        setup::add_customer_group(&mut store, "Helsinki").unwrap();
        test(&mut store);
    }
}

fn request(files: Vec<ImportFile>) -> ImportRequest {
    let mut choices = ImportChoices::new("Asiakas", "matti@example.fi", "admin@example.fi");
    choices.customer_group = Some("Helsinki".into());
    ImportRequest {
        files,
        choices,
        sheet: None,
        overrides: Vec::new(),
        limits: Default::default(),
        kinds: Vec::new(),
    }
}

#[test]
fn the_seed_flow_imports_companies_with_type_group_and_manager() {
    on_each_backend(|store| {
        let bytes = workbook(&HEADERS, &rows(3));
        let plan = import::plan(store, &request(vec![file("yritykset.xlsx", bytes)])).unwrap();
        assert_eq!(plan.counts.created, 3);
        assert_eq!(plan.files[0].sheet.as_deref(), Some("Yritykset"));
        assert_eq!(plan.files[0].header_row, 1);
        assert_eq!(
            store.count_companies().unwrap(),
            0,
            "planning writes nothing"
        );
        let applied = import::apply(
            store,
            &request(vec![file("yritykset.xlsx", workbook(&HEADERS, &rows(3)))]),
        )
        .unwrap();
        assert_eq!(applied.plan.counts.created, 3);
        let companies = store.companies(&CompanyFilter::default()).unwrap();
        assert_eq!(companies.len(), 3);
        let asiakas = setup::find_company_type(store, "Asiakas").unwrap();
        let helsinki = setup::find_customer_group(store, "Helsinki").unwrap();
        let matti = setup::find_user(store, "matti@example.fi").unwrap();
        for company in &companies {
            assert_eq!(company.company_type_id, asiakas.id);
            assert_eq!(company.customer_group_id, Some(helsinki.id));
            assert_eq!(company.account_manager_id, matti.id);
            assert_eq!(company.created_by_batch, Some(applied.batch_id.unwrap()));
            assert_eq!(company.fields.postal_code.as_deref(), Some("00100"));
            assert_eq!(company.fields.country.as_deref(), Some("FI"));
        }
        let detail = tuonti_importer::batches::show(store, applied.batch_id.unwrap()).unwrap();
        assert_eq!((detail.companies_created, detail.companies_updated), (3, 0));
        let batch = store.require_batch(applied.batch_id.unwrap()).unwrap();
        assert_eq!(batch.counts.created, 3);
        let files = store.batch_files(applied.batch_id.unwrap()).unwrap();
        assert_eq!(files[0].name, "yritykset.xlsx");
        assert_eq!(files[0].sha256.len(), 64);
    });
}

#[test]
fn one_bad_cell_stops_everything_unless_invalid_rows_are_skipped() {
    on_each_backend(|store| {
        let mut data = rows(1_000);
        data[500][1] = "0112038-8".into(); // wrong check digit, on sheet row 502
        let bytes = workbook(&HEADERS, &data);
        let plan = import::plan(store, &request(vec![file("a.xlsx", bytes.clone())])).unwrap();
        assert_eq!(plan.counts.rejected, 1);
        assert_eq!(plan.counts.created, 999);
        let rejected = plan
            .rows
            .iter()
            .find(|r| r.action == RowAction::Reject)
            .unwrap();
        assert_eq!(rejected.row, 502);
        assert_eq!(
            rejected.issues[0].location.cell_ref().as_deref(),
            Some("Yritykset!B502")
        );
        let (table, issues) = plan.files[0].issue_table().unwrap();
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].row, 502);
        assert_eq!(issues.len(), 1);

        let error =
            import::apply(store, &request(vec![file("a.xlsx", bytes.clone())])).unwrap_err();
        assert!(
            matches!(error, Error::RowsRejected { rejected: 1 }) && error.is_user_error(),
            "{error}"
        );
        assert_eq!(store.count_companies().unwrap(), 0);
        assert!(store.batches().unwrap().is_empty());

        let mut skipping = request(vec![file("a.xlsx", bytes)]);
        skipping.choices.skip_invalid = true;
        let applied = import::apply(store, &skipping).unwrap();
        assert_eq!(applied.plan.counts.rejected, 1);
        assert_eq!(applied.plan.files[0].issue_table().unwrap().0.rows.len(), 1);
        assert_eq!(store.count_companies().unwrap(), 999);
        assert_eq!(
            store
                .require_batch(applied.batch_id.unwrap())
                .unwrap()
                .counts
                .rejected,
            1
        );
    });
}

#[test]
fn the_same_file_again_changes_nothing_and_undo_restores_the_database() {
    on_each_backend(|store| {
        let bytes = workbook(&HEADERS, &rows(50));
        let mut first = request(vec![file("a.xlsx", bytes.clone())]);
        first.choices.customer_group = Some("Uusi ryhmä".into());
        first.choices.create_groups = true;
        let plan = import::plan(store, &first).unwrap();
        assert_eq!(plan.new_groups, ["Uusi ryhmä"]);
        let applied = import::apply(store, &first).unwrap();
        assert_eq!(applied.created_groups, ["Uusi ryhmä"]);

        let again = import::plan(store, &first).unwrap();
        assert_eq!(again.counts.created, 0);
        assert_eq!(again.counts.updated, 0);
        assert_eq!(again.counts.unchanged, 50);
        assert_eq!(again.files[0].imported_before, [applied.batch_id.unwrap()]);
        assert!(!again.writes_anything());

        let outcome =
            import::undo(store, applied.batch_id.unwrap(), "admin@example.fi", false).unwrap();
        assert_eq!(outcome.removed, 50);
        assert_eq!(outcome.removed_groups, ["Uusi ryhmä"]);
        assert!(outcome.conflicts.is_empty());
        assert_eq!(store.count_companies().unwrap(), 0);
        assert!(
            store
                .customer_group_by_name("Uusi ryhmä")
                .unwrap()
                .is_none()
        );
        let error =
            import::undo(store, applied.batch_id.unwrap(), "admin@example.fi", false).unwrap_err();
        assert!(error.to_string().contains("undone already"), "{error}");
        let undo_batch = store.require_batch(outcome.undo_batch).unwrap();
        assert_eq!(undo_batch.reverts, Some(applied.batch_id.unwrap()));
    });
}

#[test]
fn duplicate_policies_act_on_an_existing_company() {
    on_each_backend(|store| {
        let original = vec![vec![
            "Esimerkki Oy".to_string(),
            "0112038-9".into(),
            "".into(),
            "00100".into(),
            "Helsinki".into(),
            "".into(),
        ]];
        import::apply(
            store,
            &request(vec![file("a.xlsx", workbook(&HEADERS, &original))]),
        )
        .unwrap();
        let changed = vec![vec![
            "Esimerkki Oyj".to_string(),
            "0112038-9".into(),
            "Mannerheimintie 1".into(),
            "00100".into(),
            "Espoo".into(),
            "info@esimerkki.fi".into(),
        ]];
        let company =
            |store: &mut Store| store.company_by_business_id("0112038-9").unwrap().unwrap();
        for (policy, expect) in [
            (DuplicatePolicy::Skip, RowAction::Skip),
            (DuplicatePolicy::Fail, RowAction::Reject),
            (DuplicatePolicy::FillEmpty, RowAction::Update),
            (DuplicatePolicy::Overwrite, RowAction::Update),
        ] {
            let mut req = request(vec![file("b.xlsx", workbook(&HEADERS, &changed))]);
            req.choices.on_duplicate = policy;
            let plan = import::plan(store, &req).unwrap();
            assert_eq!(plan.rows[0].action, expect, "{policy}");
            let before = company(store);
            let result = import::apply(store, &req);
            let after = company(store);
            match policy {
                DuplicatePolicy::Skip => {
                    result.unwrap();
                    assert_eq!(after, before);
                }
                DuplicatePolicy::Fail => {
                    assert!(result.is_err());
                    assert_eq!(after, before);
                }
                DuplicatePolicy::FillEmpty => {
                    result.unwrap();
                    assert_eq!(
                        after.fields.name, "Esimerkki Oy",
                        "fill-empty keeps the name"
                    );
                    assert_eq!(after.fields.city.as_deref(), Some("Helsinki"));
                    assert_eq!(
                        after.fields.street_address.as_deref(),
                        Some("Mannerheimintie 1")
                    );
                    assert_eq!(after.fields.email.as_deref(), Some("info@esimerkki.fi"));
                }
                DuplicatePolicy::Overwrite => {
                    result.unwrap();
                    assert_eq!(after.fields.name, "Esimerkki Oyj");
                    assert_eq!(after.fields.city.as_deref(), Some("Espoo"));
                }
                _ => unreachable!(),
            }
        }
        // Undo of the overwrite restores what fill-empty left.
        let last = store.batches().unwrap()[0].id;
        import::undo(store, last, "admin@example.fi", false).unwrap();
        let restored = company(store);
        assert_eq!(restored.fields.name, "Esimerkki Oy");
        assert_eq!(restored.fields.city.as_deref(), Some("Helsinki"));
    });
}

#[test]
fn rows_override_the_choices_and_repeat_rows_are_rejected() {
    on_each_backend(|store| {
        let headers = [
            "Yritys",
            "Y-tunnus",
            "Yritystyyppi",
            "Asiakkuusryhmä",
            "Asiakkuusjohtaja",
        ];
        let data = vec![
            vec![
                "Yksi Oy".to_string(),
                "0112038-9".into(),
                "Liidi".into(),
                "".into(),
                "admin@example.fi".into(),
            ],
            vec![
                "Kaksi Oy".to_string(),
                "".into(),
                "".into(),
                "Tampere".into(),
                "".into(),
            ],
            vec![
                "Kolme Oy".to_string(),
                "0112038 9".into(),
                "".into(),
                "".into(),
                "".into(),
            ],
            vec![
                "Neljä Oy".to_string(),
                "".into(),
                "Toimittaja".into(),
                "".into(),
                "nobody@example.fi".into(),
            ],
        ];
        let plan = import::plan(
            store,
            &request(vec![file("a.xlsx", workbook(&headers, &data))]),
        )
        .unwrap();
        let actions: Vec<RowAction> = plan.rows.iter().map(|r| r.action).collect();
        assert_eq!(
            actions,
            [
                RowAction::Create,
                RowAction::Reject,
                RowAction::Reject,
                RowAction::Reject
            ]
        );
        let codes = |i: usize| {
            plan.rows[i]
                .issues
                .iter()
                .map(|issue| issue.code.as_str().to_owned())
                .collect::<Vec<_>>()
        };
        assert!(
            codes(1).contains(&"customer_group.unknown".to_owned()),
            "{:?}",
            codes(1)
        );
        assert!(
            codes(2).contains(&"duplicate.in_import".to_owned()),
            "{:?}",
            codes(2)
        );
        let repeat = plan.rows[2]
            .issues
            .iter()
            .find(|i| i.code.as_str() == "duplicate.in_import")
            .unwrap();
        assert!(
            repeat.message.en.contains("Yritykset!B2"),
            "{}",
            repeat.message.en
        );
        assert!(codes(3).contains(&"company_type.unknown".to_owned()));
        assert!(codes(3).contains(&"account_manager.unknown".to_owned()));

        let mut creating = request(vec![file("a.xlsx", workbook(&headers, &data[..2]))]);
        creating.choices.create_groups = true;
        let plan = import::plan(store, &creating).unwrap();
        assert_eq!(plan.counts.created, 2);
        import::apply(store, &creating).unwrap();
        let yksi = store.company_by_business_id("0112038-9").unwrap().unwrap();
        assert_eq!(
            yksi.company_type_id,
            setup::find_company_type(store, "Lead").unwrap().id
        );
        assert_eq!(
            yksi.account_manager_id,
            setup::find_user(store, "admin@example.fi").unwrap().id
        );
        let tampere = setup::find_customer_group(store, "tampere").unwrap();
        assert_eq!(
            tampere.created_by_batch,
            Some(store.batches().unwrap()[0].id)
        );
    });
}

#[test]
fn choices_are_checked_before_anything_is_read() {
    on_each_backend(|store| {
        let bytes = workbook(&HEADERS, &rows(1));
        let mut req = request(vec![file("a.xlsx", bytes)]);
        req.choices.customer_group = Some("Oulu".into());
        let error = import::plan(store, &req).unwrap_err();
        assert!(error.to_string().contains("--create-groups"), "{error}");
        req.choices.customer_group = None;
        req.choices.account_manager = "nobody@example.fi".into();
        assert!(import::plan(store, &req).unwrap_err().is_user_error());
        req.choices.account_manager = "matti@example.fi".into();
        req.choices.acting_admin = "matti@example.fi".into();
        let error = import::plan(store, &req).unwrap_err();
        assert!(error.to_string().contains("not an active admin"), "{error}");
    });
}

#[test]
fn a_new_business_id_for_a_stored_name_without_one_is_a_warning() {
    on_each_backend(|store| {
        let headers = ["Yritys", "Y-tunnus"];
        let without = vec![vec!["Esimerkki Oy".to_string(), String::new()]];
        import::apply(
            store,
            &request(vec![file("a.xlsx", workbook(&headers, &without))]),
        )
        .unwrap();
        let with = vec![vec!["ESIMERKKI OY".to_string(), "0112038-9".into()]];
        let plan = import::plan(
            store,
            &request(vec![file("b.xlsx", workbook(&headers, &with))]),
        )
        .unwrap();
        assert_eq!(plan.rows[0].action, RowAction::Create);
        let warning = &plan.rows[0].issues[0];
        assert_eq!(warning.code.as_str(), "duplicate.same_name");
        assert!(!warning.is_error());
        assert_eq!(warning.location.cell_ref().as_deref(), Some("Yritykset!A2"));
    });
}

#[test]
fn a_plan_keeps_the_first_rows_with_issues_and_the_error_workbook_has_them_all() {
    on_each_backend(|store| {
        let bad = import::KEPT_ISSUE_ROWS + 1_500;
        let mut data = rows(bad as u32 + 10);
        for row in data.iter_mut().take(bad) {
            row[1] = "0112038-8".into(); // wrong check digit
        }
        let bytes = workbook(&HEADERS, &data);
        let mut skipping = request(vec![file("a.xlsx", bytes)]);
        skipping.choices.skip_invalid = true;
        let plan = import::plan(store, &skipping).unwrap();
        assert_eq!(plan.counts.rejected, bad as u64);
        assert_eq!(plan.rows_with_issues(), bad as u64);
        assert_eq!(plan.files[0].rows_with_issues, bad as u64);
        assert_eq!(plan.issue_count(), bad as u64);
        let kept = plan.rows.iter().filter(|r| !r.issues.is_empty()).count();
        assert_eq!(kept, import::KEPT_ISSUE_ROWS);

        // Every row with an issue is in the error workbook, in order, with its message.
        let (table, issues) = plan.files[0].issue_table().unwrap();
        assert_eq!(table.rows.len(), bad);
        assert_eq!(issues.len(), bad);
        let numbers: Vec<u32> = table.rows.iter().map(|r| r.row).collect();
        let expected: Vec<u32> = (2..2 + bad as u32).collect();
        assert_eq!(numbers, expected);
        assert_eq!(
            issues[bad - 1].location.cell_ref().as_deref(),
            Some(format!("Yritykset!B{}", bad + 1).as_str())
        );
        let options = tuonti_excel_template::ErrorWorkbookOptions::default();
        let bytes = plan.files[0].error_workbook(&options).unwrap();
        let mut errors =
            tuonti_excel_template::Workbook::from_bytes("virheet.xlsx", bytes, &Default::default())
                .unwrap();
        let again = errors
            .read_table(&tuonti_excel_template::ReadOptions::default())
            .unwrap();
        assert_eq!(again.rows.len(), bad);

        // The import writes the valid rows and keeps the same counts.
        let applied = import::apply(store, &skipping).unwrap();
        assert_eq!(applied.plan.counts.created, 10);
        assert_eq!(applied.plan.rows_with_issues(), bad as u64);
        assert_eq!(store.count_companies().unwrap(), 10);
    });
}

/// Two rows share a business ID and the first is rejected for another reason (a bad email):
/// both are rejected, the second naming the first; fixing the first and importing again
/// creates the first company once, and never renames another.
#[test]
fn a_repeated_business_id_is_rejected_even_when_the_first_row_is_rejected_too() {
    on_each_backend(|store| {
        let headers = ["Yritys", "Y-tunnus", "Sähköposti"];
        let id = business_id(112_038);
        let data = vec![
            vec![
                "Ensimmäinen Oy".to_string(),
                id.clone(),
                "not an email".into(),
            ],
            vec!["Toinen Oy".to_string(), id.clone(), "".into()],
            vec!["Kolmas Oy".to_string(), business_id(223_344), "".into()],
        ];
        let mut skipping = request(vec![file("a.xlsx", workbook(&headers, &data))]);
        skipping.choices.skip_invalid = true;
        let plan = import::plan(store, &skipping).unwrap();
        let actions: Vec<RowAction> = plan.rows.iter().map(|r| r.action).collect();
        assert_eq!(
            actions,
            [RowAction::Reject, RowAction::Reject, RowAction::Create]
        );
        let repeat = plan.rows[1]
            .issues
            .iter()
            .find(|issue| issue.code.as_str() == "duplicate.in_import")
            .expect("the second row names the first");
        assert!(
            repeat.message.en.contains("Yritykset!B2"),
            "{}",
            repeat.message.en
        );
        import::apply(store, &skipping).unwrap();
        assert!(store.company_by_business_id(&id).unwrap().is_none());

        // The first row fixed and imported again (the error workbook's way): its company is
        // created with its own name; no other company is touched.
        let fixed = vec![vec![
            "Ensimmäinen Oy".to_string(),
            id.clone(),
            "info@ensimmainen.fi".into(),
        ]];
        let again = request(vec![file("a-fixed.xlsx", workbook(&headers, &fixed))]);
        import::apply(store, &again).unwrap();
        let stored = store.company_by_business_id(&id).unwrap().unwrap();
        assert_eq!(stored.fields.name, "Ensimmäinen Oy");
        let names: Vec<String> = store
            .companies(&CompanyFilter::default())
            .unwrap()
            .into_iter()
            .map(|company| company.fields.name)
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.contains(&"Kolmas Oy".to_owned()), "{names:?}");
    });
}

/// A cell fixed without editing the file (the wizard's way): the row is validated with the
/// fixed value and imported, and the batch records the fix; a fix that is still invalid keeps
/// the row rejected with the rule's message; a fix of a column the file lacks, or of a row
/// past the end, is refused before anything is written.
#[test]
fn fixed_cells_are_validated_imported_and_recorded() {
    use tuonti_domain::FieldKey;
    use tuonti_importer::import::CellFix;
    on_each_backend(|store| {
        let headers = ["Yritys", "Y-tunnus", "Sähköposti"];
        let data = vec![
            vec!["Eka Oy".to_string(), business_id(300_000), "eka@".into()],
            vec!["Toka Oy".to_string(), business_id(300_100), "".into()],
        ];
        let bytes = workbook(&headers, &data);
        let fix = |value: &str| CellFix {
            row: 2,
            field: FieldKey::Email,
            value: value.into(),
            by: Some("admin@example.fi".into()),
        };
        let with_fix = |fixes: Vec<CellFix>| {
            let mut file = file("a.xlsx", bytes.clone());
            file.fixes = fixes;
            request(vec![file])
        };
        // Still invalid: kept, and still rejected with the email rule's message.
        let plan = import::plan(store, &with_fix(vec![fix("eka@example")])).unwrap();
        assert_eq!(plan.rows[0].action, RowAction::Reject);
        assert!(
            plan.rows[0]
                .issues
                .iter()
                .any(|issue| issue.code.as_str().starts_with("email.")),
            "{:?}",
            plan.rows[0].issues
        );
        assert_eq!(plan.files[0].choices.fixes[0].after, "eka@example");

        let fixed = with_fix(vec![fix(" eka@example.fi ")]);
        let plan = import::plan(store, &fixed).unwrap();
        assert_eq!(plan.counts.created, 2, "{:?}", plan.rows[0].issues);
        let applied = import::apply(store, &fixed).unwrap();
        let company = store
            .company_by_business_id(&business_id(300_000))
            .unwrap()
            .unwrap();
        assert_eq!(company.fields.email.as_deref(), Some("eka@example.fi"));
        let batch = tuonti_importer::batches::show(store, applied.batch_id.unwrap()).unwrap();
        let recorded: serde_json::Value =
            serde_json::from_str(batch.view.files[0].choices.as_deref().unwrap()).unwrap();
        assert_eq!(recorded["fixes"][0]["row"], 2);
        assert_eq!(recorded["fixes"][0]["field"], "email");
        assert_eq!(recorded["fixes"][0]["before"], "eka@");
        assert_eq!(recorded["fixes"][0]["after"], " eka@example.fi ");
        assert_eq!(recorded["fixes"][0]["by"], "admin@example.fi");

        let unmapped = CellFix {
            field: FieldKey::Website,
            ..fix("www.example.fi")
        };
        let error = import::plan(store, &with_fix(vec![unmapped])).unwrap_err();
        assert!(error.to_string().contains("no column"), "{error}");
        let past = CellFix {
            row: 9,
            ..fix("x@example.fi")
        };
        let error = import::plan(store, &with_fix(vec![past])).unwrap_err();
        assert!(
            error.to_string().contains("past the sheet's last row"),
            "{error}"
        );
    });
}

/// A UTF-8 CSV with a NUL and a BEL byte inside two cells: read as CSV; those two cells get
/// the control-character issue and the other rows import.
#[test]
fn control_bytes_in_csv_cells_reject_their_rows_only() {
    on_each_backend(|store| {
        let csv = b"Yritys;Puhelin;Kaupunki\nNul\x00 Oy;040 1234567;Helsinki\n\
                    Bel Oy;040 12\x0734567;Espoo\nHyv\xc3\xa4 Oy;;Turku\n"
            .to_vec();
        let mut skipping = request(vec![file("ohjaus.csv", csv)]);
        skipping.choices.skip_invalid = true;
        let plan = import::plan(store, &skipping).unwrap();
        let actions: Vec<RowAction> = plan.rows.iter().map(|r| r.action).collect();
        assert_eq!(
            actions,
            [RowAction::Reject, RowAction::Reject, RowAction::Create]
        );
        for row in &plan.rows[..2] {
            assert!(
                row.issues
                    .iter()
                    .any(|issue| issue.code.as_str() == "text.control_character"),
                "{:?}",
                row.issues
            );
        }
        import::apply(store, &skipping).unwrap();
        assert_eq!(store.companies(&CompanyFilter::default()).unwrap().len(), 1);
    });
}
