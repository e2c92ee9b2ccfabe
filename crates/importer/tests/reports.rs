//! Reports over imported companies, contacts and projects: every report's rows and totals
//! equal the sums computed here from the rows written into the workbooks, to the cent, on
//! every backend.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;
use std::collections::BTreeMap;
use tuonti_domain::{ImportBatchId, Lang, NewUser, Role};
use tuonti_importer::import::{self, ImportChoices, ImportFile, ImportRequest};
use tuonti_importer::projects::status_label;
use tuonti_importer::reports::{self, ReportError, ReportRequest};
use tuonti_importer::{Error, setup};
use tuonti_persistence::testing::TestDatabase;
use tuonti_persistence::{OpenOptions, REPORT_STATUSES, ReportCounts, ReportSubject, Store};

const TYPES: [&str; 4] = ["Liidi", "Kumppani", "Kylmä", "Asiakas"];
const GROUPS: [Option<&str>; 4] = [Some("Helsinki"), Some("Tampere"), None, Some("Turku")];
const MANAGERS: [(&str, &str); 2] = [
    ("matti@example.fi", "Matti Meikäläinen"),
    ("liisa@example.fi", "Liisa Laine"),
];
const BRANCHES: [Option<&str>; 3] = [Some("Ohjelmistot"), None, Some("Rakentaminen")];
const STATUS_WORDS: [&str; 5] = ["tarjous", "käynnissä", "tauolla", "valmis", "peruttu"];

/// A company as written into a workbook.
#[derive(Debug, Clone)]
struct Company {
    number: String,
    company_type: &'static str,
    group: Option<&'static str>,
    manager: usize,
    batch: usize,
}

/// A project as written into a workbook.
#[derive(Debug, Clone)]
struct Project {
    number: String,
    company: usize,
    status: usize,
    value_cents: Option<i64>,
    branch: Option<&'static str>,
    manager: Option<usize>,
    start: Option<NaiveDate>,
    batch: usize,
}

/// The records of the imports: `batch` 0 is the first import, 1 the second.
fn data() -> (Vec<Company>, Vec<Project>) {
    let mut companies = Vec::new();
    for index in 0..30 {
        companies.push(Company {
            number: format!("C{index:03}"),
            company_type: TYPES[(index * 7) % 4],
            group: GROUPS[index % 4],
            manager: (index / 3) % 2,
            batch: usize::from(index >= 24),
        });
    }
    let mut projects = Vec::new();
    for index in 0..90usize {
        let company = (index * 11) % 30;
        // A project of the second import may belong to a company of the first.
        let batch = usize::from(index >= 70 || companies[company].batch == 1);
        projects.push(Project {
            number: format!("P-{index:03}"),
            company,
            status: (index * 3) % 5,
            value_cents: (index % 9 != 4).then(|| (index as i64 * 7_919_431) % 9_876_543 + 1),
            branch: BRANCHES[index % 3],
            manager: match index % 5 {
                0 => None,
                n => Some(n % 2),
            },
            start: (index % 6 != 0).then(|| {
                NaiveDate::from_ymd_opt(2023 + (index % 3) as i32, (index % 12) as u32 + 1, 15)
                    .unwrap()
            }),
            batch,
        });
    }
    (companies, projects)
}

fn workbook(companies: &[&Company], projects: &[&Project], all: &[Company]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Yritykset").unwrap();
    let headers = [
        "Asiakasnumero",
        "Yritys",
        "Yritystyyppi",
        "Asiakkuusryhmä",
        "Asiakkuusjohtaja",
    ];
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (index, company) in companies.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, &company.number).unwrap();
        sheet
            .write_string(row, 1, format!("Yritys {} Oy", company.number))
            .unwrap();
        sheet.write_string(row, 2, company.company_type).unwrap();
        if let Some(group) = company.group {
            sheet.write_string(row, 3, group).unwrap();
        }
        // The manager by email for some, by name for the others.
        let (email, name) = MANAGERS[company.manager];
        sheet
            .write_string(row, 4, if index % 2 == 0 { email } else { name })
            .unwrap();
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Yhteyshenkilöt").unwrap();
    for (column, header) in ["Asiakasnumero", "Etunimi", "Sukunimi", "Sähköposti"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (index, company) in companies.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, &company.number).unwrap();
        sheet.write_string(row, 1, "Anna").unwrap();
        sheet.write_string(row, 2, "Asiakas").unwrap();
        sheet
            .write_string(row, 3, format!("anna.{}@example.fi", company.number))
            .unwrap();
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Projektit").unwrap();
    let headers = [
        "Projektinumero",
        "Projektin nimi",
        "Asiakasnumero",
        "Projektipäällikkö",
        "Tila",
        "Aloituspäivä",
        "Arvo (€)",
        "Toimiala",
    ];
    for (column, header) in headers.iter().enumerate() {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (index, project) in projects.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, &project.number).unwrap();
        sheet
            .write_string(row, 1, format!("Projekti {}", project.number))
            .unwrap();
        sheet
            .write_string(row, 2, &all[project.company].number)
            .unwrap();
        if let Some(manager) = project.manager {
            sheet.write_string(row, 3, MANAGERS[manager].0).unwrap();
        }
        sheet
            .write_string(row, 4, STATUS_WORDS[project.status])
            .unwrap();
        if let Some(start) = project.start {
            sheet
                .write_string(row, 5, start.format("%-d.%-m.%Y").to_string())
                .unwrap();
        }
        if let Some(cents) = project.value_cents {
            // Finnish: thousands separated by spaces, a decimal comma.
            let euros = cents / 100;
            let text = if euros >= 1000 {
                format!("{} {:03},{:02}", euros / 1000, euros % 1000, cents % 100)
            } else {
                format!("{euros},{:02}", cents % 100)
            };
            sheet.write_string(row, 6, text).unwrap();
        }
        if let Some(branch) = project.branch {
            sheet.write_string(row, 7, branch).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn request(bytes: Vec<u8>) -> ImportRequest {
    let mut choices = ImportChoices::new("Asiakas", "matti@example.fi", "admin@example.fi");
    choices.create_branches = true;
    choices.create_groups = true;
    ImportRequest {
        files: vec![ImportFile::new("siirto.xlsx", bytes)],
        choices,
        sheet: None,
        overrides: Vec::new(),
        limits: Default::default(),
        kinds: Vec::new(),
    }
}

/// The admin and the managers.
fn add_users(store: &mut Store) {
    let admin = NewUser::new("Pääkäyttäjä", "admin@example.fi", Role::Admin).unwrap();
    setup::init(store, Some(&admin)).unwrap();
    for (email, name) in MANAGERS {
        setup::add_user(store, name, email, Role::Member).unwrap();
    }
}

/// Imports the data in two batches and returns their ids.
fn import_all(store: &mut Store, companies: &[Company], projects: &[Project]) -> [i64; 2] {
    add_users(store);
    let mut batches = [0; 2];
    for (batch, id) in batches.iter_mut().enumerate() {
        let of_companies: Vec<&Company> = companies.iter().filter(|c| c.batch == batch).collect();
        let of_projects: Vec<&Project> = projects.iter().filter(|p| p.batch == batch).collect();
        let applied = import::apply(
            store,
            &request(workbook(&of_companies, &of_projects, companies)),
        )
        .unwrap();
        assert_eq!(applied.plan.counts.rejected, 0, "{:#?}", applied.plan.rows);
        *id = applied.batch_id.unwrap().get();
    }
    batches
}

/// What a report asks, in the terms of the test's data.
#[derive(Debug, Clone, Default)]
struct Ask {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    company_type: Option<&'static str>,
    group: Option<&'static str>,
    manager: Option<usize>,
    batch: Option<usize>,
}

fn missing(dimension: &str) -> String {
    match dimension {
        "group" => "(ei ryhmää)",
        "branch" => "(ei toimialaa)",
        _ => "(ei projektipäällikköä)",
    }
    .to_owned()
}

fn company_key(company: &Company, dimension: &str) -> String {
    match dimension {
        "group" => company
            .group
            .map(str::to_owned)
            .unwrap_or_else(|| missing(dimension)),
        "manager" => MANAGERS[company.manager].1.to_owned(),
        _ => company.company_type.to_owned(),
    }
}

fn project_key(project: &Project, companies: &[Company], dimension: &str) -> String {
    match dimension {
        "branch" => project
            .branch
            .map(str::to_owned)
            .unwrap_or_else(|| missing(dimension)),
        "status" => status_label(REPORT_STATUSES[project.status], Lang::Fi).to_owned(),
        "project-manager" => project
            .manager
            .map(|m| MANAGERS[m].1.to_owned())
            .unwrap_or_else(|| missing(dimension)),
        _ => company_key(&companies[project.company], dimension),
    }
}

/// The report computed from the data: rows by their labels, and the totals.
fn expected(
    subject: ReportSubject,
    dimensions: &[&str],
    ask: &Ask,
    companies: &[Company],
    projects: &[Project],
    today: NaiveDate,
) -> (BTreeMap<Vec<String>, ReportCounts>, ReportCounts) {
    let in_period = |day: NaiveDate| {
        ask.from.is_none_or(|from| day >= from) && ask.to.is_none_or(|to| day <= to)
    };
    let company_matches = |company: &Company| {
        ask.company_type.is_none_or(|t| company.company_type == t)
            && ask.group.is_none_or(|g| company.group == Some(g))
            && ask.manager.is_none_or(|m| company.manager == m)
    };
    let mut rows: BTreeMap<Vec<String>, ReportCounts> = BTreeMap::new();
    if subject == ReportSubject::Companies {
        for company in companies {
            if !company_matches(company) || ask.batch.is_some_and(|b| company.batch != b) {
                continue;
            }
            let keys = dimensions.iter().map(|d| company_key(company, d)).collect();
            let counts = rows.entry(keys).or_default();
            counts.companies += 1;
            // Every company was created today.
            counts.new_companies += u64::from(in_period(today));
        }
    }
    for project in projects {
        if !company_matches(&companies[project.company])
            || ask.batch.is_some_and(|b| project.batch != b)
            || !in_period(project.start.unwrap_or(today))
        {
            continue;
        }
        let keys = dimensions
            .iter()
            .map(|d| project_key(project, companies, d))
            .collect();
        let counts = rows.entry(keys).or_default();
        counts.projects += 1;
        counts.new_projects += u64::from(in_period(today));
        counts.by_status[project.status] += 1;
        let value = project.value_cents.unwrap_or(0);
        counts.value_cents += value;
        if project.status == 1 {
            counts.active_value_cents += value;
        }
    }
    let mut totals = ReportCounts::default();
    for counts in rows.values() {
        totals.add(counts);
    }
    (rows, totals)
}

fn check(
    store: &mut Store,
    batches: [i64; 2],
    subject: ReportSubject,
    dimensions: &[&str],
    ask: &Ask,
    (companies, projects): (&[Company], &[Project]),
) {
    let today = chrono::Utc::now().date_naive();
    let mut request = ReportRequest::new(subject, dimensions);
    request.from = ask.from.map(|d| d.format("%-d.%-m.%Y").to_string());
    request.to = ask.to.map(|d| d.to_string());
    request.company_type = ask.company_type.map(str::to_owned);
    request.customer_group = ask.group.map(str::to_owned);
    request.account_manager = ask.manager.map(|m| MANAGERS[m].0.to_owned());
    request.batch = ask.batch.map(|b| batches[b]);
    let report = reports::report(store, &request, Lang::Fi).unwrap();
    let got: BTreeMap<Vec<String>, ReportCounts> = report
        .rows
        .iter()
        .map(|row| (row.labels.clone(), row.counts))
        .collect();
    assert_eq!(got.len(), report.rows.len(), "a row per key");
    let (want, totals) = expected(subject, dimensions, ask, companies, projects, today);
    assert_eq!(got, want, "{subject:?} by {dimensions:?}, {ask:?}");
    assert_eq!(
        report.totals, totals,
        "{subject:?} by {dimensions:?}, {ask:?}"
    );

    // The JSON says the same, money as exact strings.
    let json = report.to_json();
    let value = &json["totals"]["value"];
    assert_eq!(
        value.as_str().unwrap(),
        tuonti_validation::format_cents(totals.value_cents)
    );
    assert_eq!(json["rows"].as_array().unwrap().len(), report.rows.len());
}

fn on_each_backend(test: impl Fn(&mut Store)) {
    for database in TestDatabase::all().unwrap() {
        let mut store = Store::open(database.location(), OpenOptions { create: true }).unwrap();
        test(&mut store);
    }
    // A large SQLite report is shared between worker connections, each grouping the rows of
    // a range of companies: here every report, between three (uneven ranges of 30 ids).
    let database = TestDatabase::sqlite().unwrap();
    let mut store = Store::open(database.location(), OpenOptions { create: true }).unwrap();
    store.set_report_workers(3, 1);
    test(&mut store);
}

#[test]
fn every_report_equals_the_sums_of_the_imported_rows() {
    let (companies, projects) = data();
    on_each_backend(|store| {
        let batches = import_all(store, &companies, &projects);
        let data = (companies.as_slice(), projects.as_slice());
        let company_dimensions = ["group", "manager", "type"];
        let all_dimensions = [
            "group",
            "manager",
            "type",
            "branch",
            "status",
            "project-manager",
        ];
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let asks = [
            Ask::default(),
            Ask {
                from: day(2024, 1, 1),
                to: day(2024, 12, 31),
                ..Ask::default()
            },
            Ask {
                from: day(2024, 6, 1),
                ..Ask::default()
            },
            Ask {
                to: day(2024, 6, 15),
                company_type: Some("Kumppani"),
                ..Ask::default()
            },
            Ask {
                group: Some("Helsinki"),
                ..Ask::default()
            },
            Ask {
                manager: Some(1),
                ..Ask::default()
            },
            Ask {
                batch: Some(1),
                ..Ask::default()
            },
            Ask {
                batch: Some(0),
                from: day(2023, 3, 1),
                to: day(2025, 3, 31),
                ..Ask::default()
            },
        ];
        for ask in &asks {
            for first in company_dimensions {
                check(
                    store,
                    batches,
                    ReportSubject::Companies,
                    &[first],
                    ask,
                    data,
                );
                for second in company_dimensions.iter().filter(|d| **d != first) {
                    check(
                        store,
                        batches,
                        ReportSubject::Companies,
                        &[first, second],
                        ask,
                        data,
                    );
                }
            }
            for first in all_dimensions {
                check(store, batches, ReportSubject::Projects, &[first], ask, data);
            }
            for pair in [
                ["group", "status"],
                ["status", "branch"],
                ["project-manager", "type"],
                ["branch", "manager"],
            ] {
                check(store, batches, ReportSubject::Projects, &pair, ask, data);
            }
        }
        // The whole: every project's value, to the cent.
        let all = reports::report(
            store,
            &ReportRequest::new(ReportSubject::Projects, &["status"]),
            Lang::En,
        )
        .unwrap();
        let sum: i64 = projects.iter().filter_map(|p| p.value_cents).sum();
        assert_eq!(all.totals.value_cents, sum);
        assert_eq!(all.totals.projects, projects.len() as u64);
        assert_eq!(all.rows[0].labels, ["Offer"]);
    });
}

fn refusal(store: &mut Store, request: &ReportRequest) -> ReportError {
    match reports::report(store, request, Lang::En) {
        Err(Error::Report(error)) => error,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn bad_requests_are_refused_and_an_empty_database_reports_zeros() {
    on_each_backend(|store| {
        add_users(store);
        for subject in [ReportSubject::Companies, ReportSubject::Projects] {
            let report =
                reports::report(store, &ReportRequest::new(subject, &["group"]), Lang::Fi).unwrap();
            assert!(report.rows.is_empty());
            assert_eq!(report.totals, ReportCounts::default());
            assert_eq!(report.to_json()["totals"]["value"], "0.00");
        }

        let projects =
            |dimensions: &[&str]| ReportRequest::new(ReportSubject::Projects, dimensions);
        assert_eq!(
            refusal(store, &projects(&["colour"])),
            ReportError::UnknownDimension {
                value: "colour".into()
            }
        );
        assert_eq!(
            refusal(store, &projects(&["group", "status", "branch"])),
            ReportError::DimensionCount { count: 3 }
        );
        assert_eq!(
            refusal(store, &projects(&[])),
            ReportError::DimensionCount { count: 0 }
        );
        assert_eq!(
            refusal(store, &projects(&["group", "ryhmä"])),
            ReportError::RepeatedDimension { dimension: "group" }
        );
        assert_eq!(
            refusal(
                store,
                &ReportRequest::new(ReportSubject::Companies, &["status"])
            ),
            ReportError::NotOfCompanies {
                dimension: "status"
            }
        );
        let mut dated = projects(&["group"]);
        dated.from = Some("1/2/2024".into());
        assert_eq!(
            refusal(store, &dated),
            ReportError::BadDate {
                value: "1/2/2024".into()
            }
        );
        dated.from = Some("2.2.2024".into());
        dated.to = Some("2024-02-01".into());
        let reversed = refusal(store, &dated);
        assert!(matches!(reversed, ReportError::PeriodReversed { .. }));
        assert!(reversed.message(Lang::Fi).contains("2.2.2024"));
        let mut batch = projects(&["group"]);
        batch.batch = Some(99);
        assert_eq!(refusal(store, &batch), ReportError::UnknownBatch { id: 99 });

        // An undone batch.
        let (companies, _) = data();
        let first: Vec<&Company> = companies.iter().take(2).collect();
        let applied = import::apply(store, &request(workbook(&first, &[], &companies)));
        let id: ImportBatchId = applied.unwrap().batch_id.unwrap();
        import::undo(store, id, "admin@example.fi", false).unwrap();
        batch.batch = Some(id.get());
        assert_eq!(
            refusal(store, &batch),
            ReportError::UndoneBatch { id: id.get() }
        );
        assert!(
            ReportError::UndoneBatch { id: 7 }
                .message(Lang::Fi)
                .contains("peruttu")
        );
    });
}
