//! Listing and exporting contacts and projects on every backend: the filters by names as users
//! type them, and exports that read back as the template's columns and import again unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rust_xlsxwriter::Workbook;
use tuonti_domain::{CellValue, FieldKey, Lang, NewUser, ProjectStatus, RecordKind, Role};
use tuonti_excel_template::{ExportFormat, ReadOptions};
use tuonti_importer::companies::{self, CompanyQuery};
use tuonti_importer::contacts::{self, ContactQuery};
use tuonti_importer::import::{self, ImportChoices, ImportFile, ImportRequest};
use tuonti_importer::paging::{Listing, Page};
use tuonti_importer::projects::{self, ProjectQuery};
use tuonti_importer::{Error, setup};
use tuonti_persistence::testing::TestDatabase;
use tuonti_persistence::{OpenOptions, Store};

const ADMIN: &str = "admin@example.fi";
const MATTI: &str = "matti@example.fi";

/// A workbook with one sheet per `(name, rows)`, the first row the headers, cells as text.
fn workbook(sheets: &[(&str, Vec<Vec<&str>>)]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (row_index, row) in rows.iter().enumerate() {
            for (column, value) in row.iter().enumerate() {
                if !value.is_empty() {
                    sheet
                        .write_string(row_index as u32, column as u16, *value)
                        .unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn request(files: Vec<ImportFile>) -> ImportRequest {
    let mut choices = ImportChoices::new("Asiakas", MATTI, ADMIN);
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

/// Four companies (two named "Sama Oy"), four contacts and three projects, imported.
fn seed(store: &mut Store) {
    let bytes = workbook(&[
        (
            "Yritykset",
            vec![
                vec!["Asiakasnumero", "Yritys", "Y-tunnus", "Asiakkuusjohtaja"],
                vec!["001", "Esimerkki Oy", "0112038-9", ""],
                vec!["002", "Toinen Oy", "1572860-0", ADMIN],
                vec!["003", "Sama Oy", "0737546-2", ""],
                vec!["004", "Sama Oy", "2617416-4", ""],
            ],
        ),
        (
            "Yhteyshenkilöt",
            vec![
                vec![
                    "Asiakasnumero",
                    "Etunimi",
                    "Sukunimi",
                    "Titteli",
                    "Sähköposti",
                    "Puhelin",
                ],
                vec![
                    "001",
                    "Maija",
                    "Meikäläinen",
                    "toimitusjohtaja",
                    "maija@esimerkki.fi",
                    "040 123 4567",
                ],
                vec!["001", "", "Virtanen", "", "", ""],
                vec!["002", "Pekka", "Puupää", "", "pekka@toinen.fi", ""],
                vec!["003", "Liisa", "Laine", "", "", "+358 9 123 4567"],
            ],
        ),
        (
            "Projektit",
            vec![
                vec![
                    "Projektinumero",
                    "Projektin nimi",
                    "Asiakasnumero",
                    "Projektipäällikkö",
                    "Tila",
                    "Aloituspäivä",
                    "Lopetuspäivä",
                    "Arvo (€)",
                    "Toimiala",
                    "Yhteyshenkilö",
                    "Kuvaus",
                ],
                vec![
                    "P-001",
                    "Verkkosivut",
                    "001",
                    MATTI,
                    "Käynnissä",
                    "1.3.2024",
                    "31.12.2024",
                    "12 500,50 €",
                    "Ohjelmistot",
                    "maija@esimerkki.fi",
                    "Uudet sivut, ei kaavoja",
                ],
                vec![
                    "P-002",
                    "Varasto",
                    "002",
                    "Pääkäyttäjä",
                    "Valmis",
                    "15.1.2023",
                    "",
                    "0,07",
                    "Rakentaminen",
                    "",
                    "",
                ],
                vec![
                    "P-003",
                    "Kartoitus",
                    "003",
                    "",
                    "Tarjous",
                    "",
                    "",
                    "",
                    "",
                    "Liisa Laine",
                    "",
                ],
            ],
        ),
    ]);
    let applied =
        import::apply(store, &request(vec![ImportFile::new("tiedot.xlsx", bytes)])).unwrap();
    assert_eq!(applied.plan.counts.created, 11, "{:?}", applied.plan.rows);
}

fn on_each_backend(test: impl Fn(&mut Store)) {
    for database in TestDatabase::all().unwrap() {
        let mut store = Store::open(database.location(), OpenOptions { create: true }).unwrap();
        let admin = NewUser::new("Pääkäyttäjä", ADMIN, Role::Admin).unwrap();
        setup::init(&mut store, Some(&admin)).unwrap();
        setup::add_user(&mut store, "Matti Meikäläinen", MATTI, Role::Member).unwrap();
        seed(&mut store);
        test(&mut store);
    }
}

fn contact_names(store: &mut Store, query: ContactQuery) -> Vec<String> {
    contacts::list(store, &query, Lang::En)
        .unwrap()
        .into_iter()
        .map(|contact| contact.full_name)
        .collect()
}

fn project_numbers(store: &mut Store, query: ProjectQuery) -> Vec<String> {
    projects::list(store, &query, Lang::En)
        .unwrap()
        .into_iter()
        .map(|project| project.project_number)
        .collect()
}

#[test]
fn contacts_are_listed_with_their_companies_and_filtered_by_names() {
    on_each_backend(|store| {
        let all = contacts::list(store, &ContactQuery::default(), Lang::Fi).unwrap();
        let names: Vec<(&str, &str)> = all
            .iter()
            .map(|c| (c.company.name.as_str(), c.full_name.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("Esimerkki Oy", "Maija Meikäläinen"),
                ("Esimerkki Oy", "Virtanen"),
                ("Sama Oy", "Liisa Laine"),
                ("Toinen Oy", "Pekka Puupää"),
            ]
        );
        let maija = &all[0];
        assert_eq!(maija.company.business_id.as_deref(), Some("0112038-9"));
        assert_eq!(maija.company.customer_number.as_deref(), Some("001"));
        assert_eq!(maija.account_manager, MATTI);
        assert_eq!(maija.fields.phone.as_deref(), Some("+358401234567"));
        assert!(maija.created_by_batch.is_some());
        let json = serde_json::to_value(maija).unwrap();
        assert_eq!(json["first_name"], "Maija");
        assert_eq!(json["company"]["name"], "Esimerkki Oy");

        // The company by customer number, business ID in either form, or exact name.
        for key in ["001", "0112038-9", "01120389", " esimerkki oy "] {
            assert_eq!(
                contact_names(
                    store,
                    ContactQuery {
                        company: Some(key.into()),
                        ..ContactQuery::default()
                    }
                ),
                ["Maija Meikäläinen", "Virtanen"],
                "{key}"
            );
        }
        // The account manager of the companies, by email or name.
        for key in [ADMIN, "pääkäyttäjä"] {
            assert_eq!(
                contact_names(
                    store,
                    ContactQuery {
                        account_manager: Some(key.into()),
                        ..ContactQuery::default()
                    }
                ),
                ["Pekka Puupää"]
            );
        }

        // A name two companies have: refused, naming both so the user can choose.
        let error = contacts::list(
            store,
            &ContactQuery {
                company: Some("Sama Oy".into()),
                ..ContactQuery::default()
            },
            Lang::En,
        )
        .unwrap_err();
        assert!(error.is_user_error());
        assert!(matches!(error, Error::AmbiguousCompany { .. }));
        let message = error.message(Lang::En);
        assert!(
            message.contains("2 companies are named \"Sama Oy\"")
                && message.contains("Sama Oy (0737546-2, #003)")
                && message.contains("Sama Oy (2617416-4, #004)"),
            "{message}"
        );
        assert!(
            error
                .message(Lang::Fi)
                .contains("nimeä yritys asiakasnumerolla")
        );
        let error = contacts::list(
            store,
            &ContactQuery {
                company: Some("Esimerkki".into()),
                ..ContactQuery::default()
            },
            Lang::En,
        )
        .unwrap_err();
        assert!(error.is_user_error());
        assert!(error.message(Lang::Fi).contains("\"Esimerkki\" ei löydy"));
    });
}

#[test]
fn projects_are_listed_with_references_named_and_filtered() {
    on_each_backend(|store| {
        let all = projects::list(store, &ProjectQuery::default(), Lang::Fi).unwrap();
        assert_eq!(all.len(), 3);
        let first = &all[0];
        assert_eq!(first.project_number, "P-001");
        assert_eq!(first.company.name, "Esimerkki Oy");
        assert_eq!(first.company.business_id.as_deref(), Some("0112038-9"));
        assert_eq!(first.company.customer_number.as_deref(), Some("001"));
        assert_eq!(first.project_manager.as_deref(), Some(MATTI));
        assert_eq!(first.branch.as_deref(), Some("Ohjelmistot"));
        assert_eq!(first.contact_person.as_deref(), Some("Maija Meikäläinen"));
        assert_eq!(first.status, ProjectStatus::Active);
        assert_eq!(first.status_label, "Käynnissä");
        assert_eq!(first.value.as_deref(), Some("12500.50"));
        assert_eq!(all[1].value.as_deref(), Some("0.07"));
        assert_eq!(all[2].value, None);
        assert_eq!(all[2].contact_person.as_deref(), Some("Liisa Laine"));
        assert_eq!(all[2].contact_email, None);
        // JSON: the value an exact decimal string, the status its stable name.
        let json = serde_json::to_value(first).unwrap();
        assert_eq!(json["value"], "12500.50");
        assert_eq!(json["status"], "active");
        assert_eq!(json["start_date"], "2024-03-01");

        let by_status = |store: &mut Store, word: &str| {
            project_numbers(
                store,
                ProjectQuery {
                    status: Some(word.into()),
                    ..ProjectQuery::default()
                },
            )
        };
        assert_eq!(by_status(store, "käynnissä"), ["P-001"]);
        assert_eq!(by_status(store, "Active"), ["P-001"]);
        assert_eq!(by_status(store, "avslutad"), ["P-002"]);
        assert_eq!(by_status(store, "offer"), ["P-003"]);
        assert!(by_status(store, "cancelled").is_empty());
        let error = projects::list(
            store,
            &ProjectQuery {
                status: Some("ehkä".into()),
                ..ProjectQuery::default()
            },
            Lang::En,
        )
        .unwrap_err();
        assert!(error.is_user_error());
        assert!(
            error
                .message(Lang::En)
                .contains("\"ehkä\" is not a project status")
        );
        assert!(
            error
                .message(Lang::Fi)
                .contains("\"ehkä\" ei ole projektin tila")
        );

        assert_eq!(
            project_numbers(
                store,
                ProjectQuery {
                    project_manager: Some("Matti Meikäläinen".into()),
                    ..ProjectQuery::default()
                }
            ),
            ["P-001"]
        );
        assert_eq!(
            project_numbers(
                store,
                ProjectQuery {
                    branch: Some("rakentaminen".into()),
                    ..ProjectQuery::default()
                }
            ),
            ["P-002"]
        );
        assert_eq!(
            project_numbers(
                store,
                ProjectQuery {
                    company: Some("003".into()),
                    status: Some("tarjous".into()),
                    ..ProjectQuery::default()
                }
            ),
            ["P-003"]
        );
        assert!(
            project_numbers(
                store,
                ProjectQuery {
                    company: Some("Toinen Oy".into()),
                    status: Some("active".into()),
                    ..ProjectQuery::default()
                }
            )
            .is_empty()
        );
        let error = projects::list(
            store,
            &ProjectQuery {
                branch: Some("Kauppa".into()),
                ..ProjectQuery::default()
            },
            Lang::En,
        )
        .unwrap_err();
        assert!(error.is_user_error());
        assert!(error.message(Lang::En).contains("Kauppa"));
    });
}

/// Reads an export back as an import reads it: every column maps, in the template's order,
/// to the kind's fields; returns the rows as text by field.
fn read_back(kind: RecordKind, name: &str, bytes: Vec<u8>) -> Vec<Vec<(FieldKey, String)>> {
    let mut workbook =
        tuonti_excel_template::Workbook::from_bytes(name, bytes, &Default::default()).unwrap();
    let table = workbook.read_table(&ReadOptions::default()).unwrap();
    let mapping = table.mapping();
    assert_eq!(mapping.kind, kind, "{name}");
    for (index, &field) in kind.fields().iter().enumerate() {
        assert_eq!(
            mapping.column_of(field),
            Some(index as u32),
            "{name}: {field}"
        );
    }
    assert_eq!(mapping.fields().count(), kind.fields().len(), "{name}");
    table
        .rows
        .iter()
        .map(|row| {
            kind.fields()
                .iter()
                .map(|&field| {
                    let text = match table.value(row, field) {
                        CellValue::Empty => String::new(),
                        // A CSV export marks text that could start a formula with a `'`,
                        // which validation drops.
                        CellValue::Text(text) => match text.strip_prefix('\'') {
                            Some(rest) if name.ends_with(".csv") && rest.starts_with('+') => {
                                rest.to_owned()
                            }
                            _ => text.clone(),
                        },
                        other => panic!("{name}: {field} is not text: {other:?}"),
                    };
                    (field, text)
                })
                .collect()
        })
        .collect()
}

fn value(row: &[(FieldKey, String)], field: FieldKey) -> &str {
    row.iter()
        .find(|(key, _)| *key == field)
        .map(|(_, text)| text.as_str())
        .unwrap()
}

#[test]
fn exports_read_back_as_the_template_and_import_again_unchanged() {
    on_each_backend(|store| {
        let contacts_list = contacts::list(store, &ContactQuery::default(), Lang::Fi).unwrap();
        let projects_list = projects::list(store, &ProjectQuery::default(), Lang::Fi).unwrap();
        for lang in [Lang::Fi, Lang::Sv, Lang::En] {
            for (format, extension) in [(ExportFormat::Xlsx, "xlsx"), (ExportFormat::Csv, "csv")] {
                let (contact_bytes, n_contacts) =
                    contacts::export_bytes(store, &ContactQuery::default(), lang, format).unwrap();
                assert_eq!(n_contacts, 4);
                let contact_name = format!("yhteyshenkilot.{extension}");
                let rows = read_back(RecordKind::Contact, &contact_name, contact_bytes.clone());
                assert_eq!(rows.len(), 4);
                for (row, contact) in rows.iter().zip(&contacts_list) {
                    assert_eq!(value(row, FieldKey::Name), contact.company.name);
                    assert_eq!(
                        value(row, FieldKey::CustomerNumber),
                        contact.company.customer_number.as_deref().unwrap_or("")
                    );
                    assert_eq!(
                        value(row, FieldKey::BusinessId),
                        contact.company.business_id.as_deref().unwrap_or("")
                    );
                    assert_eq!(value(row, FieldKey::LastName), contact.fields.last_name);
                    for field in [
                        FieldKey::FirstName,
                        FieldKey::Title,
                        FieldKey::Email,
                        FieldKey::Phone,
                    ] {
                        let stored = contact.fields.optional_field(field).unwrap();
                        let exported = value(row, field);
                        assert_eq!(exported, stored.as_deref().unwrap_or(""), "{field}");
                    }
                }

                let (project_bytes, n_projects) =
                    projects::export_bytes(store, &ProjectQuery::default(), lang, format).unwrap();
                assert_eq!(n_projects, 3);
                let project_name = format!("projektit.{extension}");
                let rows = read_back(RecordKind::Project, &project_name, project_bytes.clone());
                assert_eq!(rows.len(), 3);
                for (row, project) in rows.iter().zip(&projects_list) {
                    assert_eq!(value(row, FieldKey::ProjectNumber), project.project_number);
                    assert_eq!(value(row, FieldKey::ProjectName), project.name);
                    assert_eq!(value(row, FieldKey::Name), project.company.name);
                    assert_eq!(
                        value(row, FieldKey::ProjectManager),
                        project.project_manager.as_deref().unwrap_or("")
                    );
                    assert_eq!(
                        value(row, FieldKey::Status).parse::<ProjectStatus>(),
                        Ok(project.status)
                    );
                    assert_eq!(
                        value(row, FieldKey::Value),
                        project.value.as_deref().unwrap_or("")
                    );
                    assert_eq!(
                        value(row, FieldKey::Branch),
                        project.branch.as_deref().unwrap_or("")
                    );
                    assert_eq!(
                        value(row, FieldKey::Description),
                        project.description.as_deref().unwrap_or("")
                    );
                }
                assert_eq!(value(&rows[0], FieldKey::StartDate), "1.3.2024");
                assert_eq!(value(&rows[0], FieldKey::EndDate), "31.12.2024");
                assert_eq!(value(&rows[0], FieldKey::Value), "12500.50");
                assert_eq!(
                    value(&rows[0], FieldKey::ContactPerson),
                    "maija@esimerkki.fi"
                );
                assert_eq!(value(&rows[2], FieldKey::ContactPerson), "Liisa Laine");
                assert_eq!(value(&rows[1], FieldKey::ProjectManager), ADMIN);

                // The exports import again as they are: every row found and unchanged.
                let plan = import::plan(
                    store,
                    &request(vec![
                        ImportFile::new(&contact_name, contact_bytes),
                        ImportFile::new(&project_name, project_bytes),
                    ]),
                )
                .unwrap();
                assert_eq!(
                    plan.rows_with_issues(),
                    0,
                    "{lang:?} {extension}: {:?}",
                    plan.rows
                );
                assert_eq!(
                    plan.counts.unchanged, 7,
                    "{lang:?} {extension}: {:?}",
                    plan.rows
                );
                assert_eq!(plan.counts.created + plan.counts.updated, 0);
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("projektit.xlsx");
        assert_eq!(
            projects::export(store, &ProjectQuery::default(), Lang::Fi, &path).unwrap(),
            3
        );
        assert!(std::fs::metadata(&path).unwrap().len() > 0);
        let error = contacts::export(
            store,
            &ContactQuery::default(),
            Lang::Fi,
            &dir.path().join("yhteyshenkilot.ods"),
        )
        .unwrap_err();
        assert!(error.is_user_error());
    });
}

/// Every page of `limit` rows of a listing, walked by `next_offset` from the first: the pages
/// in a row give the whole listing, each says the total, and a page past the end is empty.
fn walk_pages<T: Clone + PartialEq + std::fmt::Debug>(
    limit: i64,
    all: &[T],
    mut page_of: impl FnMut(Page) -> Listing<T>,
) {
    let mut walked = Vec::new();
    let mut offset = Some(0);
    while let Some(at) = offset {
        let listing = page_of(Page::new(limit, at as i64).unwrap());
        assert_eq!(listing.total, all.len() as u64);
        assert!(listing.rows.len() as i64 <= limit);
        assert_eq!(listing.offset(), at);
        walked.extend(listing.rows.iter().cloned());
        offset = listing.next_offset();
    }
    assert_eq!(walked, all, "pages of {limit}");
    let past = page_of(Page::new(limit, all.len() as i64 + 5).unwrap());
    assert!(past.rows.is_empty());
    assert_eq!(past.total, all.len() as u64);
}

#[test]
fn listings_come_a_page_at_a_time_in_their_order_with_the_total() {
    on_each_backend(|store| {
        // Companies: two named "Sama Oy", so the order's tie is broken by id on every page.
        let query = CompanyQuery::default();
        let all = companies::list(store, &query, Lang::Fi).unwrap();
        assert_eq!(all.len(), 4);
        for limit in 1..=5 {
            walk_pages(limit, &all, |page| {
                companies::list_page(store, &query, Some(page), Lang::Fi).unwrap()
            });
        }
        let page =
            companies::list_page(store, &query, Some(Page::new(2, 1).unwrap()), Lang::Fi).unwrap();
        assert_eq!(page.rows, all[1..3]);
        assert_eq!(page.span(), Some((2, 3)));
        // The count has the listing's filter.
        let of_admin = CompanyQuery {
            account_manager: Some(ADMIN.into()),
            ..CompanyQuery::default()
        };
        let page = companies::list_page(store, &of_admin, Some(Page::first()), Lang::Fi).unwrap();
        assert_eq!((page.rows.len(), page.total), (1, 1));
        // Without a page: every row, the total their count.
        let everything = companies::list_page(store, &query, None, Lang::Fi).unwrap();
        assert_eq!((everything.rows, everything.total), (all, 4));

        let query = ContactQuery::default();
        let all = contacts::list(store, &query, Lang::Fi).unwrap();
        assert_eq!(all.len(), 4);
        for limit in 1..=4 {
            walk_pages(limit, &all, |page| {
                contacts::list_page(store, &query, Some(page), Lang::Fi).unwrap()
            });
        }
        let of_first = ContactQuery {
            company: Some("001".into()),
            ..ContactQuery::default()
        };
        let page = contacts::list_page(store, &of_first, Some(Page::new(1, 1).unwrap()), Lang::Fi)
            .unwrap();
        assert_eq!((page.rows.len(), page.total), (1, 2));
        assert_eq!(page.rows[0].full_name, "Virtanen");

        let query = ProjectQuery::default();
        let all = projects::list(store, &query, Lang::Fi).unwrap();
        assert_eq!(all.len(), 3);
        for limit in 1..=3 {
            walk_pages(limit, &all, |page| {
                projects::list_page(store, &query, Some(page), Lang::Fi).unwrap()
            });
        }
        let offers = ProjectQuery {
            status: Some("tarjous".into()),
            ..ProjectQuery::default()
        };
        let page = projects::list_page(store, &offers, Some(Page::first()), Lang::Fi).unwrap();
        assert_eq!((page.rows.len(), page.total), (1, 1));
        assert_eq!(page.next_offset(), None);
    });
}

#[test]
fn bad_paging_is_refused_in_every_language() {
    let error = Error::from(Page::parse(Some("0"), None).unwrap_err());
    assert!(error.is_user_error());
    assert!(error.message(Lang::Fi).contains("1–1000"));
    assert!(error.message(Lang::Sv).contains("inte \"0\""));
    assert!(error.message(Lang::En).contains("not \"0\""));
    let error = Error::from(Page::parse(Some("10"), Some("-1")).unwrap_err());
    assert!(error.message(Lang::En).contains("offset"), "{error}");
}
