//! The import end to end through the `tuonti` binary, on SQLite and PostgreSQL: the seed's
//! flow, all or nothing, the error workbook, re-import, undo, a killed process and two imports
//! at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use rust_xlsxwriter::Workbook;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tuonti_excel_template::{ReadOptions, read_file};
use tuonti_persistence::testing::TestDatabase;

fn tuonti(db: &str, dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::new(tuonti_tests::tuonti_bin())
        .env_remove("TUONTI_DATABASE_URL")
        .current_dir(dir)
        .args(["--db", db, "--lang", "en"])
        .args(args)
        .assert()
}

fn stdout_json(assert: &assert_cmd::assert::Assert) -> Value {
    serde_json::from_slice(&assert.get_output().stdout).unwrap()
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

/// `n` company rows from `first` on, each with its own business ID.
fn company_rows(first: u32, n: u32) -> Vec<[String; 5]> {
    (first..first + n)
        .map(|i| {
            [
                format!("Yritys {i} Oy"),
                business_id(1_000_000 + i * 11),
                format!("Testikatu {i}"),
                format!("{:05}", 100 + (i % 900) * 10),
                "Helsinki".to_owned(),
            ]
        })
        .collect()
}

fn write_workbook(path: &Path, rows: &[[String; 5]]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Yritykset").unwrap();
    for (column, header) in [
        "Yritys",
        "Y-tunnus",
        "Osoite",
        "Postinumero",
        "Postitoimipaikka",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (index, row) in rows.iter().enumerate() {
        for (column, value) in row.iter().enumerate() {
            sheet
                .write_string(index as u32 + 1, column as u16, value)
                .unwrap();
        }
    }
    book.save(path).unwrap();
}

/// A fresh database with the seed's setup done: an admin, an account manager, a group.
fn prepared(database: &TestDatabase, dir: &Path) -> String {
    let db = database.url();
    tuonti(
        &db,
        dir,
        &[
            "init",
            "--admin-name",
            "Pääkäyttäjä",
            "--admin-email",
            "admin@example.fi",
        ],
    )
    .success();
    tuonti(
        &db,
        dir,
        &[
            "users",
            "add",
            "--name",
            "Matti Meikäläinen",
            "--email",
            "matti@example.fi",
        ],
    )
    .success();
    tuonti(&db, dir, &["groups", "add", "Helsinki"]).success();
    db
}

const IMPORT: [&str; 9] = [
    "--type",
    "Asiakas",
    "--group",
    "Helsinki",
    "--manager",
    "matti@example.fi",
    "--as",
    "admin@example.fi",
    "--yes",
];

fn import(db: &str, dir: &Path, file: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut args = vec!["import", file.to_str().unwrap()];
    args.extend(IMPORT);
    args.extend(extra);
    tuonti(db, dir, &args)
}

fn companies(db: &str, dir: &Path) -> Vec<Value> {
    let assert = tuonti(db, dir, &["companies", "list", "--format", "json"]).success();
    stdout_json(&assert).as_array().unwrap().clone()
}

#[test]
fn the_seed_flow_lists_companies_with_type_group_and_manager() {
    for database in TestDatabase::all().unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let db = prepared(&database, dir.path());
        let file = dir.path().join("yritykset.xlsx");
        write_workbook(&file, &company_rows(0, 5));
        import(&db, dir.path(), &file, &[])
            .success()
            .stdout(predicates::str::contains("Imported as batch"));
        let listed = companies(&db, dir.path());
        assert_eq!(listed.len(), 5);
        for company in &listed {
            assert_eq!(company["company_type"], "Customer");
            assert_eq!(company["customer_group"], "Helsinki");
            assert_eq!(company["account_manager"], "matti@example.fi");
        }
        let asiakas = tuonti(
            &db,
            dir.path(),
            &[
                "companies",
                "list",
                "--type",
                "Asiakas",
                "--group",
                "helsinki",
                "--manager",
                "Matti Meikäläinen",
                "--format",
                "json",
            ],
        )
        .success();
        assert_eq!(stdout_json(&asiakas).as_array().unwrap().len(), 5);
    }
}

#[test]
fn the_seed_flow_with_the_generated_template_and_a_saved_profile() {
    for database in TestDatabase::all().unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let db = prepared(&database, dir.path());
        let template = dir.path().join("pohja.xlsx");
        tuonti(
            &db,
            dir.path(),
            &[
                "--lang",
                "fi",
                "template",
                "--out",
                template.to_str().unwrap(),
            ],
        )
        .success();
        // Fill the template as a user would: its data sheet's headers, in its order.
        let read = read_file(&template, &ReadOptions::default()).unwrap();
        let headers = read.layout.headers.clone();
        let column =
            |field: tuonti_domain::FieldKey| read.mapping().column_of(field).unwrap() as u16;
        let filled = dir.path().join("taytetty.xlsx");
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet
            .set_name(read.layout.sheet.as_deref().unwrap())
            .unwrap();
        for (index, header) in headers.iter().enumerate() {
            sheet.write_string(0, index as u16, header).unwrap();
        }
        for (row, (name, id)) in [("Esimerkki Oy", "0112038-9"), ("Toinen Oy", "1234567-1")]
            .iter()
            .enumerate()
        {
            let row = row as u32 + 1;
            sheet
                .write_string(row, column(tuonti_domain::FieldKey::Name), *name)
                .unwrap();
            sheet
                .write_string(row, column(tuonti_domain::FieldKey::BusinessId), *id)
                .unwrap();
            sheet
                .write_string(row, column(tuonti_domain::FieldKey::PostalCode), "00100")
                .unwrap();
        }
        book.save(&filled).unwrap();
        import(&db, dir.path(), &filled, &["--save-profile", "pohja"]).success();
        let listed = companies(&db, dir.path());
        assert_eq!(listed.len(), 2);
        for company in &listed {
            assert_eq!(company["company_type"], "Customer");
            assert_eq!(company["customer_group"], "Helsinki");
            assert_eq!(company["account_manager"], "matti@example.fi");
            assert_eq!(company["postal_code"], "00100");
        }
        // A file from the old system with its own headers maps through a saved profile.
        let old = dir.path().join("vanha.csv");
        std::fs::write(&old, "Firma;Tunnus\nKolmas Oy;2331972-7\n").unwrap();
        tuonti(
            &db,
            dir.path(),
            &[
                "profiles",
                "save",
                "vanha",
                "--map",
                "Firma=name",
                "--map",
                "Tunnus=business_id",
            ],
        )
        .success();
        import(&db, dir.path(), &old, &["--profile", "vanha"]).success();
        assert_eq!(companies(&db, dir.path()).len(), 3);
        tuonti(&db, dir.path(), &["profiles", "show", "pohja"]).success();
    }
}

#[test]
fn one_bad_cell_in_1000_rows_writes_nothing_and_the_error_workbook_marks_it() {
    for database in TestDatabase::all().unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let db = prepared(&database, dir.path());
        let mut rows = company_rows(0, 1_000);
        rows[700][1] = "0112038-8".into(); // a wrong check digit on sheet row 702, column B
        let file = dir.path().join("tuhat.xlsx");
        write_workbook(&file, &rows);
        let errors = dir.path().join("virheet.xlsx");
        let assert = import(
            &db,
            dir.path(),
            &file,
            &["--errors-out", errors.to_str().unwrap(), "--format", "json"],
        )
        .code(1);
        let outcome = stdout_json(&assert);
        assert_eq!(outcome["applied"], false);
        assert_eq!(outcome["counts"]["rejected"], 1);
        let rejected = &outcome["rows"][0];
        assert_eq!(rejected["row"], 702);
        assert_eq!(rejected["action"], "reject");
        assert_eq!(rejected["issues"][0]["cell"], "Yritykset!B702");
        assert_eq!(rejected["issues"][0]["code"], "business_id.check_digit");
        assert!(companies(&db, dir.path()).is_empty());

        // The error workbook holds that row, with the errors column first; it maps again.
        let table = read_file(&errors, &ReadOptions::default()).unwrap();
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].get(2).to_string(), "0112038-8");
        assert!(table.rows[0].get(0).to_string().contains("check digit"));
        assert_eq!(
            table
                .mapping()
                .column_of(tuonti_domain::FieldKey::BusinessId),
            Some(2)
        );

        let assert = import(
            &db,
            dir.path(),
            &file,
            &["--skip-invalid", "--format", "json"],
        )
        .success();
        let outcome = stdout_json(&assert);
        assert_eq!(outcome["applied"], true);
        assert_eq!(outcome["counts"]["created"], 999);
        assert_eq!(outcome["rows"].as_array().unwrap().len(), 1);
        assert_eq!(companies(&db, dir.path()).len(), 999);
    }
}

#[test]
fn the_same_file_again_changes_nothing_and_undo_empties_the_database() {
    for database in TestDatabase::all().unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let db = prepared(&database, dir.path());
        let file = dir.path().join("a.xlsx");
        write_workbook(&file, &company_rows(0, 40));
        let first = stdout_json(&import(&db, dir.path(), &file, &["--format", "json"]).success());
        let batch = first["batch_id"].as_i64().unwrap();
        let again = stdout_json(&import(&db, dir.path(), &file, &["--format", "json"]).success());
        assert_eq!(again["counts"]["created"], 0);
        assert_eq!(again["counts"]["updated"], 0);
        assert_eq!(again["counts"]["unchanged"], 40);
        assert_eq!(again["files"][0]["imported_before"][0], batch);
        import(&db, dir.path(), &file, &[])
            .success()
            .stdout(predicates::str::contains("imported before in batch"));

        tuonti(
            &db,
            dir.path(),
            &[
                "batches",
                "undo",
                &batch.to_string(),
                "--as",
                "admin@example.fi",
            ],
        )
        .code(1);
        tuonti(
            &db,
            dir.path(),
            &[
                "batches",
                "undo",
                &batch.to_string(),
                "--as",
                "admin@example.fi",
                "--yes",
            ],
        )
        .success();
        assert!(companies(&db, dir.path()).is_empty());
        let batches = stdout_json(
            &tuonti(&db, dir.path(), &["batches", "list", "--format", "json"]).success(),
        );
        assert_eq!(batches[0]["kind"], "undo");
        assert_eq!(batches[1]["status"], "undone");
    }
}

#[test]
fn an_exported_csv_imports_back_unchanged() {
    for database in TestDatabase::all().unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let db = prepared(&database, dir.path());
        let sample =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/data/yritykset.xlsx");
        tuonti(
            &db,
            dir.path(),
            &[
                "users",
                "add",
                "--name",
                "Liisa Virtanen",
                "--email",
                "liisa@example.fi",
            ],
        )
        .success();
        import(&db, dir.path(), &sample, &["--create-groups"]).success();
        let csv = dir.path().join("vienti.csv");
        tuonti(
            &db,
            dir.path(),
            &["companies", "export", "--out", csv.to_str().unwrap()],
        )
        .success();
        let text = std::fs::read_to_string(&csv).unwrap();
        assert!(
            text.contains("'+35891234567"),
            "phones are escaped against formulas"
        );
        let outcome = stdout_json(&import(&db, dir.path(), &csv, &["--format", "json"]).success());
        assert_eq!(outcome["counts"]["unchanged"], 12, "{outcome}");
        // The export has the company sheet's columns, every one mapped.
        let mapping = outcome["files"][0]["mapping"].as_array().unwrap();
        assert_eq!(
            mapping.len(),
            tuonti_domain::RecordKind::Company.fields().len(),
            "{mapping:?}"
        );
        assert!(
            mapping.iter().all(|column| !column["field"].is_null()),
            "{mapping:?}"
        );
        let xlsx = dir.path().join("vienti.xlsx");
        tuonti(
            &db,
            dir.path(),
            &["companies", "export", "--out", xlsx.to_str().unwrap()],
        )
        .success();
        let outcome = stdout_json(&import(&db, dir.path(), &xlsx, &["--format", "json"]).success());
        assert_eq!(outcome["counts"]["unchanged"], 12, "{outcome}");
    }
}

#[test]
fn a_killed_import_leaves_all_of_its_batch_or_none() {
    for database in TestDatabase::all().unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let db = prepared(&database, dir.path());
        let file = dir.path().join("iso.xlsx");
        let n = 20_000;
        write_workbook(&file, &company_rows(0, n));
        let mut args = vec![
            "--db".to_owned(),
            db.clone(),
            "import".into(),
            file.to_str().unwrap().into(),
        ];
        args.extend(IMPORT.iter().map(|a| (*a).to_owned()));
        let mut child = std::process::Command::new(tuonti_tests::tuonti_bin())
            .args(&args)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The plan is printed just before the writing starts: kill the process then.
        let stdout = child.stdout.take().unwrap();
        for line in BufReader::new(stdout).lines() {
            if line.unwrap().starts_with("Plan:") {
                break;
            }
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let count = companies(&db, dir.path()).len();
        assert!(
            count == 0 || count == n as usize,
            "{count} companies: a half-written batch"
        );
        let batches = stdout_json(
            &tuonti(&db, dir.path(), &["batches", "list", "--format", "json"]).success(),
        );
        assert_eq!(batches.as_array().unwrap().len(), usize::from(count > 0));
        // The database is usable afterwards: the import runs to the end.
        import(&db, dir.path(), &file, &[]).success();
        assert_eq!(companies(&db, dir.path()).len(), n as usize);
    }
}

#[test]
fn two_imports_of_overlapping_files_at_once_store_each_business_id_once() {
    for database in TestDatabase::all().unwrap() {
        let dir = tempfile::tempdir().unwrap();
        let db = prepared(&database, dir.path());
        let first = dir.path().join("eka.xlsx");
        let second = dir.path().join("toka.xlsx");
        write_workbook(&first, &company_rows(0, 3_000));
        write_workbook(&second, &company_rows(1_500, 3_000));
        let spawn = |file: &Path| {
            let mut args = vec![
                "--db".to_owned(),
                db.clone(),
                "import".into(),
                file.to_str().unwrap().into(),
            ];
            args.extend(IMPORT.iter().map(|a| (*a).to_owned()));
            std::process::Command::new(tuonti_tests::tuonti_bin())
                .args(&args)
                .current_dir(dir.path())
                .output()
        };
        let (a, b) = std::thread::scope(|scope| {
            let a = scope.spawn(|| spawn(&first).unwrap());
            let b = scope.spawn(|| spawn(&second).unwrap());
            (a.join().unwrap(), b.join().unwrap())
        });
        for output in [&a, &b] {
            let code = output.status.code().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                code == 0
                    || (code == 1 && stderr.contains("meanwhile"))
                    || (code == 1 && stderr.contains("already exists")),
                "exit {code}: {stderr}"
            );
        }
        let listed = companies(&db, dir.path());
        let mut ids: Vec<&str> = listed
            .iter()
            .map(|c| c["business_id"].as_str().unwrap())
            .collect();
        let total = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), total, "a business ID is stored twice");
        let succeeded = [&a, &b].iter().filter(|o| o.status.success()).count();
        assert!(succeeded >= 1);
        assert!(total == 3_000 || total == 4_500, "{total}");
    }
}
