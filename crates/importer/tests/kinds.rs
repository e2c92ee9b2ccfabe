//! Companies, contacts and projects in one import: linked by customer number, business ID or
//! name, from one workbook or several files, on every backend.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rust_xlsxwriter::Workbook;
use tuonti_domain::{NewUser, ProjectStatus, RecordKind, Role};
use tuonti_importer::import::{
    self, DuplicatePolicy, ImportChoices, ImportFile, ImportRequest, Plan, PlannedRow, RowAction,
};
use tuonti_importer::setup;
use tuonti_persistence::testing::TestDatabase;
use tuonti_persistence::{CompanyFilter, ContactFilter, OpenOptions, ProjectFilter, Store};

type Sheet<'a> = (&'a str, &'a [&'a str], Vec<Vec<&'a str>>);

/// A workbook with a sheet per `(name, headers, rows)`, every cell text.
fn workbook(sheets: &[Sheet<'_>]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, headers, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (column, header) in headers.iter().enumerate() {
            sheet.write_string(0, column as u16, *header).unwrap();
        }
        for (row_index, row) in rows.iter().enumerate() {
            for (column, value) in row.iter().enumerate() {
                if !value.is_empty() {
                    sheet
                        .write_string(row_index as u32 + 1, column as u16, *value)
                        .unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// The same sheet as a semicolon-separated CSV file.
fn csv((_, headers, rows): &Sheet<'_>) -> Vec<u8> {
    let mut text = headers.join(";");
    text.push('\n');
    for row in rows {
        text.push_str(&row.join(";"));
        text.push('\n');
    }
    text.into_bytes()
}

const COMPANY_HEADERS: &[&str] = &["Asiakasnumero", "Yritys", "Y-tunnus", "Verkkolaskuosoite"];
const CONTACT_HEADERS: &[&str] = &[
    "Asiakasnumero",
    "Y-tunnus",
    "Yritys",
    "Etunimi",
    "Sukunimi",
    "Sähköposti",
    "Puhelin",
];
const PROJECT_HEADERS: &[&str] = &[
    "Projektinumero",
    "Projektin nimi",
    "Asiakasnumero",
    "Yritys",
    "Projektipäällikkö",
    "Tila",
    "Aloituspäivä",
    "Lopetuspäivä",
    "Arvo (€)",
    "Toimiala",
    "Yhteyshenkilö",
];

fn companies() -> Sheet<'static> {
    (
        "Yritykset",
        COMPANY_HEADERS,
        vec![
            vec!["001", "Esimerkki Oy", "0112038-9", ""],
            vec!["002", "Toinen Ab", "2077474-0", ""],
        ],
    )
}

fn contacts() -> Sheet<'static> {
    (
        "Yhteyshenkilöt",
        CONTACT_HEADERS,
        vec![
            // By customer number, by business ID, by name.
            vec![
                "001",
                "",
                "",
                "Maija",
                "Meikäläinen",
                "maija@esimerkki.fi",
                "040 765 4321",
            ],
            vec![
                "",
                "2077474-0",
                "",
                "Pekka",
                "Puupää",
                "pekka@toinen.fi",
                "",
            ],
            vec![
                "",
                "",
                "esimerkki oy",
                "Liisa",
                "Laine",
                "",
                "(09) 123 4567",
            ],
        ],
    )
}

fn projects() -> Sheet<'static> {
    (
        "Projektit",
        PROJECT_HEADERS,
        vec![
            vec![
                "P-001",
                "Verkkosivut",
                "001",
                "",
                "Matti Meikäläinen",
                "Käynnissä",
                "1.3.2024",
                "31.12.2024",
                "12 500,50 €",
                "Ohjelmistot",
                "maija@esimerkki.fi",
            ],
            vec![
                "0002",
                "Ylläpito",
                "",
                "Toinen Ab",
                "matti@example.fi",
                "tarjous",
                "2024-01-01",
                "",
                "1000",
                "",
                "Pekka Puupää",
            ],
        ],
    )
}

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
        setup::add_user(&mut store, "Outi Entinen", "outi@example.fi", Role::Member).unwrap();
        setup::deactivate_user(&mut store, "outi@example.fi", None).unwrap();
        test(&mut store);
    }
}

fn request(files: Vec<ImportFile>) -> ImportRequest {
    let mut choices = ImportChoices::new("Asiakas", "matti@example.fi", "admin@example.fi");
    choices.create_branches = true;
    ImportRequest {
        files,
        choices,
        sheet: None,
        overrides: Vec::new(),
        limits: Default::default(),
        kinds: Vec::new(),
    }
}

fn three_sheets() -> ImportFile {
    ImportFile::new(
        "siirto.xlsx",
        workbook(&[companies(), contacts(), projects()]),
    )
}

fn three_csvs() -> Vec<ImportFile> {
    vec![
        ImportFile::new("projektit.csv", csv(&projects())),
        ImportFile::new("yhteyshenkilot.csv", csv(&contacts())),
        ImportFile::new("yritykset.csv", csv(&companies())),
    ]
}

fn counts(plan: &Plan, kind: RecordKind) -> (u64, u64, u64, u64) {
    let counts = plan.counts_by_kind.get(&kind).copied().unwrap_or_default();
    (
        counts.created,
        counts.updated,
        counts.unchanged,
        counts.rejected,
    )
}

/// The codes of a kept row's issues.
fn codes(row: &PlannedRow) -> Vec<&str> {
    row.issues.iter().map(|issue| issue.code.as_str()).collect()
}

fn row_of(plan: &Plan, kind: RecordKind, row: u32) -> &PlannedRow {
    plan.rows
        .iter()
        .find(|planned| planned.kind == kind && planned.row == row)
        .unwrap_or_else(|| panic!("no {kind} row {row} in {:#?}", plan.rows))
}

fn check_linked(store: &mut Store) {
    let companies = store.companies(&CompanyFilter::default()).unwrap();
    assert_eq!(companies.len(), 2);
    let esimerkki = companies
        .iter()
        .find(|c| c.fields.customer_number.as_deref() == Some("001"))
        .unwrap();
    let toinen = companies
        .iter()
        .find(|c| c.fields.customer_number.as_deref() == Some("002"))
        .unwrap();
    let contacts = store.contacts(&ContactFilter::default()).unwrap();
    assert_eq!(contacts.len(), 3);
    let maija = contacts
        .iter()
        .find(|c| c.fields.last_name == "Meikäläinen")
        .unwrap();
    let pekka = contacts
        .iter()
        .find(|c| c.fields.last_name == "Puupää")
        .unwrap();
    let liisa = contacts
        .iter()
        .find(|c| c.fields.last_name == "Laine")
        .unwrap();
    assert_eq!(maija.company_id, esimerkki.id);
    assert_eq!(maija.fields.phone.as_deref(), Some("+358407654321"));
    assert_eq!(pekka.company_id, toinen.id);
    assert_eq!(
        liisa.company_id, esimerkki.id,
        "by the name, in any letter case"
    );
    let projects = store.projects(&ProjectFilter::default()).unwrap();
    assert_eq!(projects.len(), 2);
    let web = projects
        .iter()
        .find(|p| p.fields.project_number == "P-001")
        .unwrap();
    let upkeep = projects
        .iter()
        .find(|p| p.fields.project_number == "0002")
        .unwrap();
    let matti = setup::find_user(store, "matti@example.fi").unwrap();
    assert_eq!(web.company_id, esimerkki.id);
    assert_eq!(web.contact_id, Some(maija.id));
    assert_eq!(web.project_manager_id, Some(matti.id), "by the full name");
    assert_eq!(web.fields.status, Some(ProjectStatus::Active));
    assert_eq!(web.fields.value_cents, Some(1_250_050));
    assert_eq!(
        web.fields.start_date,
        chrono::NaiveDate::from_ymd_opt(2024, 3, 1)
    );
    assert_eq!(
        web.fields.end_date,
        chrono::NaiveDate::from_ymd_opt(2024, 12, 31)
    );
    let branch = setup::find_branch(store, "Ohjelmistot").unwrap();
    assert_eq!(web.branch_id, Some(branch.id));
    assert_eq!(upkeep.company_id, toinen.id);
    assert_eq!(upkeep.contact_id, Some(pekka.id), "by the full name");
    assert_eq!(upkeep.fields.status, Some(ProjectStatus::Offer));
    assert_eq!(upkeep.fields.value_cents, Some(100_000));
}

#[test]
fn a_three_sheet_workbook_and_three_csv_files_import_linked_again_unchanged_and_undo_whole() {
    for files in [vec![three_sheets()], three_csvs()] {
        on_each_backend(|store| {
            let plan = import::plan(store, &request(files.clone())).unwrap();
            assert_eq!(plan.counts.created, 7, "{:#?}", plan.rows);
            assert_eq!(counts(&plan, RecordKind::Company), (2, 0, 0, 0));
            assert_eq!(counts(&plan, RecordKind::Contact), (3, 0, 0, 0));
            assert_eq!(counts(&plan, RecordKind::Project), (2, 0, 0, 0));
            // Planned in dependency order whatever the files' order.
            let kinds: Vec<RecordKind> = plan.files.iter().map(|file| file.kind).collect();
            assert_eq!(
                kinds,
                [
                    RecordKind::Company,
                    RecordKind::Contact,
                    RecordKind::Project
                ]
            );
            assert_eq!(store.count_companies().unwrap(), 0, "a plan writes nothing");

            let applied = import::apply(store, &request(files.clone())).unwrap();
            let batch = applied.batch_id.unwrap();
            assert_eq!(applied.created_branches, ["Ohjelmistot"]);
            check_linked(store);
            let stored = store.require_batch(batch).unwrap();
            assert_eq!(stored.counts.created, 7);
            assert_eq!(stored.counts_by_kind[&RecordKind::Project].created, 2);

            // The same files again: nothing changes, nothing is recorded.
            let again = import::apply(store, &request(files.clone())).unwrap();
            assert_eq!(again.batch_id, None);
            assert_eq!(again.plan.counts.unchanged, 7, "{:#?}", again.plan.rows);

            // Changed values, overwriting: every kind updated, then undone.
            let mut changed = request(vec![ImportFile::new(
                "muutos.xlsx",
                workbook(&[
                    (
                        "Yritykset",
                        COMPANY_HEADERS,
                        vec![vec!["001", "Esimerkki Oyj", "0112038-9", ""]],
                    ),
                    (
                        "Kontaktpersoner",
                        CONTACT_HEADERS,
                        vec![vec![
                            "001",
                            "",
                            "",
                            "Maija",
                            "Meikäläinen",
                            "maija@esimerkki.fi",
                            "040 111 2222",
                        ]],
                    ),
                    (
                        "Projects",
                        PROJECT_HEADERS,
                        vec![vec![
                            "P-001",
                            "Verkkosivut",
                            "001",
                            "",
                            "Matti Meikäläinen",
                            "valmis",
                            "1.3.2024",
                            "31.12.2024",
                            "13 000 €",
                            "Ohjelmistot",
                            "maija@esimerkki.fi",
                        ]],
                    ),
                ]),
            )]);
            changed.choices.on_duplicate = DuplicatePolicy::Overwrite;
            let update = import::apply(store, &changed).unwrap();
            assert_eq!(update.plan.counts.updated, 3, "{:#?}", update.plan.rows);
            let update_batch = update.batch_id.unwrap();
            let undone = import::undo(store, update_batch, "admin@example.fi", false).unwrap();
            assert_eq!((undone.removed, undone.restored), (0, 3), "{undone:#?}");
            check_linked(store);

            // Undo of the first batch (after the undo of the second restored what it changed,
            // exactly): everything it created is gone, without --force.
            let undone = import::undo(store, batch, "admin@example.fi", false).unwrap();
            assert!(undone.conflicts.is_empty(), "{undone:#?}");
            assert_eq!(undone.removed, 7, "{undone:#?}");
            assert_eq!(store.count_companies().unwrap(), 0);
            assert_eq!(store.count_contacts().unwrap(), 0);
            assert_eq!(store.count_projects().unwrap(), 0);
            assert_eq!(undone.removed_branches, ["Ohjelmistot"]);
        });
    }
}

#[test]
fn undo_restores_a_company_the_import_updated_and_removes_its_new_projects() {
    on_each_backend(|store| {
        import::apply(
            store,
            &request(vec![ImportFile::new("a.xlsx", workbook(&[companies()]))]),
        )
        .unwrap();
        let mut both = request(vec![ImportFile::new(
            "b.xlsx",
            workbook(&[
                (
                    "Yritykset",
                    COMPANY_HEADERS,
                    vec![vec!["001", "Esimerkki Oyj", "0112038-9", ""]],
                ),
                projects(),
            ]),
        )]);
        both.choices.on_duplicate = DuplicatePolicy::Overwrite;
        both.kinds = vec![RecordKind::Company, RecordKind::Project];
        // The projects name a contact that does not exist: with --skip-invalid the rest goes in.
        both.choices.skip_invalid = true;
        let applied = import::apply(store, &both).unwrap();
        assert_eq!(counts(&applied.plan, RecordKind::Project), (0, 0, 0, 2));
        let rejected = row_of(&applied.plan, RecordKind::Project, 2);
        assert_eq!(codes(rejected), ["contact_person.unknown"]);
        assert_eq!(applied.plan.counts_by_kind[&RecordKind::Company].updated, 1);
        import::undo(store, applied.batch_id.unwrap(), "admin@example.fi", false).unwrap();
        let names: Vec<String> = store
            .companies(&CompanyFilter::default())
            .unwrap()
            .into_iter()
            .map(|c| c.fields.name)
            .collect();
        assert!(names.contains(&"Esimerkki Oy".to_owned()), "{names:?}");
    });
}

#[test]
fn a_rejected_company_row_rejects_the_contacts_and_projects_that_name_it() {
    on_each_backend(|store| {
        let mut bad = companies();
        bad.2[0][3] = "0037 0112038-8"; // an OVT code with a wrong check digit
        let file = ImportFile::new("siirto.xlsx", workbook(&[bad, contacts(), projects()]));
        let plan = import::plan(store, &request(vec![file.clone()])).unwrap();
        assert_eq!(counts(&plan, RecordKind::Company), (1, 0, 0, 1));
        let contact = row_of(&plan, RecordKind::Contact, 2);
        assert_eq!(contact.action, RowAction::Reject);
        assert_eq!(codes(contact), ["company.rejected"]);
        let message = contact.issues[0].message.get(tuonti_domain::Lang::En);
        assert!(message.contains("Yritykset!B2"), "{message}");
        // By name, too.
        assert_eq!(
            codes(row_of(&plan, RecordKind::Contact, 4)),
            ["company.rejected"]
        );
        assert_eq!(
            codes(row_of(&plan, RecordKind::Project, 2)),
            ["company.rejected"]
        );
        // The other company's contact and project are fine.
        assert_eq!(
            row_of(&plan, RecordKind::Contact, 3).action,
            RowAction::Create
        );
        assert_eq!(
            row_of(&plan, RecordKind::Project, 3).action,
            RowAction::Create
        );

        // All or nothing: nothing is stored.
        let refused = import::apply(store, &request(vec![file.clone()]));
        assert!(matches!(
            refused,
            Err(tuonti_importer::Error::RowsRejected { .. })
        ));
        assert_eq!(store.count_companies().unwrap(), 0);
        assert_eq!(store.count_contacts().unwrap(), 0);
        // With --skip-invalid the valid rows of every kind go in.
        let mut skip = request(vec![file]);
        skip.choices.skip_invalid = true;
        let applied = import::apply(store, &skip).unwrap();
        assert_eq!(applied.plan.counts.created, 3, "{:#?}", applied.plan.rows);
        assert_eq!(store.count_contacts().unwrap(), 1);
        assert_eq!(store.count_projects().unwrap(), 1);
    });
}

/// Plans a workbook of the companies and `sheet`, returning the codes of `sheet`'s row `row`.
fn rejected_codes(store: &mut Store, sheet: Sheet<'_>, row: u32) -> Vec<String> {
    let kind = RecordKind::from_sheet_name(sheet.0).unwrap();
    let plan = import::plan(
        store,
        &request(vec![ImportFile::new(
            "siirto.xlsx",
            workbook(&[companies(), contacts(), sheet]),
        )]),
    )
    .unwrap();
    let planned = row_of(&plan, kind, row);
    assert_eq!(planned.action, RowAction::Reject, "{planned:#?}");
    assert!(
        planned
            .issues
            .iter()
            .all(|issue| issue.location.row == Some(row)
                && issue.location.sheet.is_some()
                && issue.location.column.is_some()),
        "{planned:#?}"
    );
    planned
        .issues
        .iter()
        .map(|i| i.code.as_str().to_owned())
        .collect()
}

fn project_row(values: [&'static str; 11]) -> Sheet<'static> {
    ("Projektit", PROJECT_HEADERS, vec![values.to_vec()])
}

const GOOD: [&str; 11] = ["P-9", "Työ", "001", "", "", "", "", "", "", "", ""];

fn with(changes: &[(usize, &'static str)]) -> [&'static str; 11] {
    let mut values = GOOD;
    for (index, value) in changes {
        values[*index] = value;
    }
    values
}

/// Changed cells of a good project row, and the codes they give.
type Case = (Vec<(usize, &'static str)>, &'static [&'static str]);

#[test]
fn every_bad_project_value_is_rejected_at_its_cell() {
    on_each_backend(|store| {
        let cases: Vec<Case> = vec![
            (vec![(0, "")], &["project_number.required"]),
            (vec![(1, "")], &["project_name.required"]),
            (vec![(2, "999")], &["company.unknown"]),
            (vec![(4, "Nobody")], &["project_manager.unknown"]),
            (vec![(4, "outi@example.fi")], &["project_manager.unknown"]),
            (vec![(6, "31.2.2024")], &["date.impossible"]),
            (
                vec![(6, "2.3.2024"), (7, "1.3.2024")],
                &["date.end_before_start"],
            ),
            (vec![(8, "n/a")], &["money.format"]),
            (vec![(8, "-5 €")], &["money.negative"]),
            (vec![(8, "1.234,5.6")], &["money.format"]),
            (vec![(5, "ehkä")], &["status.unknown"]),
            (
                vec![(10, "Tuntematon Henkilö")],
                &["contact_person.unknown"],
            ),
        ];
        for (changes, expected) in cases {
            let codes = rejected_codes(store, project_row(with(&changes)), 2);
            assert_eq!(codes, expected, "{changes:?}");
        }
        // An unknown branch is created only when allowed.
        let mut no_create = request(vec![ImportFile::new(
            "p.xlsx",
            workbook(&[companies(), project_row(with(&[(9, "Kaivokset")]))]),
        )]);
        no_create.choices.create_branches = false;
        let plan = import::plan(store, &no_create).unwrap();
        assert_eq!(
            codes(row_of(&plan, RecordKind::Project, 2)),
            ["branch.unknown"]
        );
    });
}

#[test]
fn repeated_and_taken_keys_are_rejected_naming_the_first() {
    on_each_backend(|store| {
        // The same project number twice: the later names the first.
        let plan = import::plan(
            store,
            &request(vec![ImportFile::new(
                "p.xlsx",
                workbook(&[
                    companies(),
                    (
                        "Projektit",
                        PROJECT_HEADERS,
                        vec![GOOD.to_vec(), GOOD.to_vec()],
                    ),
                ]),
            )]),
        )
        .unwrap();
        let second = row_of(&plan, RecordKind::Project, 3);
        assert_eq!(codes(second), ["duplicate.in_import"]);
        assert!(
            second.issues[0]
                .message
                .get(tuonti_domain::Lang::En)
                .contains("A2")
        );

        // The same email twice at one company.
        let plan = import::plan(
            store,
            &request(vec![ImportFile::new(
                "c.xlsx",
                workbook(&[
                    companies(),
                    (
                        "Yhteyshenkilöt",
                        CONTACT_HEADERS,
                        vec![
                            vec!["001", "", "", "A", "Aalto", "sama@esimerkki.fi", ""],
                            vec!["001", "", "", "B", "Beta", "SAMA@esimerkki.fi", ""],
                            vec!["001", "", "", "C", "", "", ""],
                        ],
                    ),
                ]),
            )]),
        )
        .unwrap();
        assert_eq!(
            codes(row_of(&plan, RecordKind::Contact, 3)),
            ["duplicate.in_import"]
        );
        assert_eq!(
            codes(row_of(&plan, RecordKind::Contact, 4)),
            ["last_name.required"]
        );

        // A project number a stored project of another company has: a conflict, never a move.
        import::apply(store, &request(vec![three_sheets()])).unwrap();
        let moved = with(&[(0, "P-001"), (2, "002")]);
        let codes = rejected_codes(store, project_row(moved), 2);
        assert_eq!(codes, ["project_number.taken"]);

        // An ambiguous company name: two stored companies share it.
        let same_name = (
            "Yritykset",
            COMPANY_HEADERS,
            vec![vec!["003", "Toinen Ab", "0201256-6", ""]],
        );
        let mut add = request(vec![ImportFile::new("y.xlsx", workbook(&[same_name]))]);
        add.kinds = vec![RecordKind::Company];
        import::apply(store, &add).unwrap();
        let by_name = with(&[(2, ""), (3, "Toinen Ab")]);
        let plan = import::plan(
            store,
            &request(vec![ImportFile::new(
                "p.xlsx",
                workbook(&[project_row(by_name)]),
            )]),
        )
        .unwrap();
        let row = row_of(&plan, RecordKind::Project, 2);
        assert_eq!(codes_of(row), ["company.ambiguous"]);
        let message = row.issues[0].message.get(tuonti_domain::Lang::En);
        assert!(
            message.contains("2077474-0") && message.contains("0201256-6"),
            "{message}"
        );
    });
}

fn codes_of(row: &PlannedRow) -> Vec<&str> {
    codes(row)
}

#[test]
fn a_sheet_that_is_no_kind_is_passed_over_and_a_file_of_none_is_refused() {
    on_each_backend(|store| {
        let file = ImportFile::new(
            "x.xlsx",
            workbook(&[(
                "Taul1",
                &["Kenkänumero", "Väri"],
                vec![vec!["44", "sininen"]],
            )]),
        );
        let error = import::plan(store, &request(vec![file])).unwrap_err();
        assert!(error.to_string().contains("Taul1"), "{error}");
        // A projects sheet without the columns a project needs.
        let file = ImportFile::new(
            "p.xlsx",
            workbook(&[(
                "Projektit",
                &["Projektin nimi", "Asiakasnumero"],
                vec![vec!["Työ", "001"]],
            )]),
        );
        let error = import::plan(store, &request(vec![file]))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("project number") && error.contains("Projektit"),
            "{error}"
        );
    });
}

/// Every message in Finnish, Swedish and English, the Swedish its own text.
fn check_languages(what: &str, message: &tuonti_domain::LocalizedText) {
    for (lang, text) in [
        ("fi", &message.fi),
        ("sv", &message.sv),
        ("en", &message.en),
    ] {
        assert!(
            !text.trim().is_empty(),
            "{what}: no {lang} text: {message:?}"
        );
    }
    assert!(
        message.sv != message.en && message.sv != message.fi,
        "{what}: the Swedish text is a copy of another language: {message:?}"
    );
}

fn issues_of(plan: &Plan, issues: &mut Vec<tuonti_domain::Issue>) {
    for row in &plan.rows {
        issues.extend(row.issues.iter().cloned());
    }
}

/// The issue codes of the import's own rules (duplicates and references): a corpus of plans
/// that triggers each, and every issue's message in the three languages.
#[test]
fn every_import_issue_speaks_finnish_swedish_and_english() {
    use tuonti_domain::FieldKey;
    const CODES: &[&str] = &[
        "company.rejected",
        "company.unknown",
        "company.ambiguous",
        "contact_person.unknown",
        "contact_person.ambiguous",
        "contact_person.rejected",
        "project_manager.unknown",
        "branch.unknown",
        "project_number.taken",
        "duplicate.in_import",
        "duplicate.exists",
        "duplicate.skipped",
        "duplicate.same_name",
        "company_type.unknown",
        "customer_group.unknown",
        "account_manager.unknown",
    ];
    on_each_backend(|store| {
        let mut issues = Vec::new();
        let mut plan = |store: &mut Store, request: &ImportRequest| {
            let plan = import::plan(store, request).unwrap();
            issues_of(&plan, &mut issues);
        };
        // A rejected company rejects its contacts and projects.
        let mut bad = companies();
        bad.2[0][3] = "0037 0112038-8";
        plan(
            store,
            &request(vec![ImportFile::new(
                "a.xlsx",
                workbook(&[bad, contacts(), projects()]),
            )]),
        );
        // References of projects: a rejected contact, two contacts of one name, unknown ones.
        let contacts = (
            "Yhteyshenkilöt",
            CONTACT_HEADERS,
            vec![
                // Rejected as a repeat of the email above it.
                vec![
                    "001",
                    "",
                    "",
                    "Maija",
                    "Meikäläinen",
                    "sama@esimerkki.fi",
                    "",
                ],
                vec!["001", "", "", "Bertta", "Beta", "SAMA@esimerkki.fi", ""],
                vec!["002", "", "", "Aino", "Aalto", "aino1@toinen.fi", ""],
                vec!["002", "", "", "Aino", "Aalto", "aino2@toinen.fi", ""],
            ],
        );
        let projects = (
            "Projektit",
            PROJECT_HEADERS,
            vec![
                with(&[(10, "Bertta Beta")]).to_vec(),
                with(&[(0, "P-2"), (2, "002"), (10, "Aino Aalto")]).to_vec(),
                with(&[(0, "P-3"), (2, "999")]).to_vec(),
                with(&[(0, "P-4"), (4, "Nobody")]).to_vec(),
                with(&[(0, "P-5"), (10, "Tuntematon Henkilö")]).to_vec(),
                with(&[(0, "P-6"), (9, "Kaivokset")]).to_vec(),
                with(&[(0, "P-6")]).to_vec(),
            ],
        );
        let mut references = request(vec![ImportFile::new(
            "b.xlsx",
            workbook(&[companies(), contacts, projects]),
        )]);
        references.choices.create_branches = false;
        plan(store, &references);
        // Companies naming what does not exist, and two companies of one name.
        let headers: &[&str] = &[
            FieldKey::Name.spec().header.fi,
            FieldKey::CompanyType.spec().header.fi,
            FieldKey::CustomerGroup.spec().header.fi,
            FieldKey::AccountManager.spec().header.fi,
        ];
        let names = (
            "Yritykset",
            headers,
            vec![vec![
                "Kolmas Oy",
                "Tuntematon",
                "Ei ryhmää",
                "nobody@example.fi",
            ]],
        );
        let namesakes = (
            "Yritykset",
            COMPANY_HEADERS,
            vec![
                vec!["010", "Sama Oy", "", ""],
                vec!["011", "Sama Oy", "", ""],
            ],
        );
        let by_name = (
            "Projektit",
            PROJECT_HEADERS,
            vec![with(&[(2, ""), (3, "Sama Oy")]).to_vec()],
        );
        plan(
            store,
            &request(vec![ImportFile::new("c.xlsx", workbook(&[names]))]),
        );
        plan(
            store,
            &request(vec![ImportFile::new(
                "c2.xlsx",
                workbook(&[namesakes, by_name]),
            )]),
        );
        // Stored records: a taken project number, duplicates with other values, a name stored
        // without a business ID.
        import::apply(store, &request(vec![three_sheets()])).unwrap();
        plan(
            store,
            &request(vec![ImportFile::new(
                "d.xlsx",
                workbook(&[companies(), project_row(with(&[(0, "P-001"), (2, "002")]))]),
            )]),
        );
        let changed = (
            "Yritykset",
            COMPANY_HEADERS,
            vec![vec!["001", "Esimerkki Oyj", "0112038-9", ""]],
        );
        for policy in [DuplicatePolicy::Skip, DuplicatePolicy::Fail] {
            let mut again = request(vec![ImportFile::new(
                "e.xlsx",
                workbook(std::slice::from_ref(&changed)),
            )]);
            again.choices.on_duplicate = policy;
            plan(store, &again);
        }
        let without_id = (
            "Yritykset",
            COMPANY_HEADERS,
            vec![vec!["", "Nimetön Oy", "", ""]],
        );
        import::apply(
            store,
            &request(vec![ImportFile::new("f.xlsx", workbook(&[without_id]))]),
        )
        .unwrap();
        let with_id = (
            "Yritykset",
            COMPANY_HEADERS,
            vec![vec!["", "NIMETÖN OY", "0201256-6", ""]],
        );
        plan(
            store,
            &request(vec![ImportFile::new("g.xlsx", workbook(&[with_id]))]),
        );

        let missing: Vec<&str> = CODES
            .iter()
            .copied()
            .filter(|code| !issues.iter().any(|issue| issue.code.as_str() == *code))
            .collect();
        assert!(missing.is_empty(), "no plan gave {missing:?}");
        for issue in &issues {
            check_languages(issue.code.as_str(), &issue.message);
        }
    });
}

/// An undo that leaves records alone says why in the three languages.
#[test]
fn undo_conflicts_speak_finnish_swedish_and_english() {
    on_each_backend(|store| {
        let first = import::apply(
            store,
            &request(vec![ImportFile::new("a.xlsx", workbook(&[companies()]))]),
        )
        .unwrap();
        // Projects of the first batch's companies, and one company changed since.
        let mut second = request(vec![ImportFile::new(
            "b.xlsx",
            workbook(&[
                (
                    "Yritykset",
                    COMPANY_HEADERS,
                    vec![vec!["002", "Toinen Ab Oy", "2077474-0", ""]],
                ),
                project_row(GOOD),
            ]),
        )]);
        second.choices.on_duplicate = DuplicatePolicy::Overwrite;
        second.kinds = vec![RecordKind::Company, RecordKind::Project];
        import::apply(store, &second).unwrap();
        let undone =
            import::undo(store, first.batch_id.unwrap(), "admin@example.fi", false).unwrap();
        assert!(!undone.conflicts.is_empty(), "{undone:#?}");
        for conflict in &undone.conflicts {
            check_languages(&conflict.name, &conflict.reason);
        }
        // Undoing the undo is refused, in every language.
        let refused = import::undo(store, undone.undo_batch, "admin@example.fi", false);
        let error = refused.unwrap_err();
        let message = tuonti_domain::LocalizedText::new(
            error.message(tuonti_domain::Lang::Fi),
            error.message(tuonti_domain::Lang::Sv),
            error.message(tuonti_domain::Lang::En),
        );
        check_languages("undo of an undo", &message);
    });
}

/// Chosen rows apply to every sheet of the workbook: a range that ends within the longest
/// sheet (contacts, rows 2–4) is not refused for the shorter ones (companies and projects end
/// at row 3); one past every sheet's end is, naming the file's last row of data.
#[test]
fn chosen_rows_may_pass_a_shorter_sheets_end_but_not_the_files() {
    on_each_backend(|store| {
        let mut file = three_sheets();
        file.rows = Some("2-4".parse().unwrap());
        let plan = import::plan(store, &request(vec![file])).unwrap();
        let counted = |kind: RecordKind| {
            plan.files
                .iter()
                .filter(|file| file.kind == kind)
                .map(|file| file.counts.created)
                .sum::<u64>()
        };
        assert_eq!(counted(RecordKind::Company), 2);
        assert_eq!(counted(RecordKind::Contact), 3);
        assert_eq!(counted(RecordKind::Project), 2);

        let mut file = three_sheets();
        file.rows = Some("3-5".parse().unwrap());
        let error = import::plan(store, &request(vec![file])).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("siirto.xlsx: rows 3-5: row 5 is past the file's last row of data, 4"),
            "{error}"
        );
    });
}
