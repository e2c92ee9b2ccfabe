//! The `tuonti` binary: commands, output formats, messages and exit codes, on SQLite and (when
//! `TUONTI_TEST_POSTGRES_URL` is set) PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tuonti_persistence::testing::TestDatabase;

/// `tuonti --db <db> --lang en ARGS...`, with no database variables from the environment.
fn tuonti(db: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    tuonti_in("en", db, args)
}

/// `tuonti --db <db> --lang <lang> ARGS...`, with no database variables from the environment.
fn tuonti_in(lang: &str, db: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("tuonti")
        .unwrap()
        .env_remove("TUONTI_DATABASE_URL")
        .env_remove("TUONTI_LANG")
        .env_remove("COLUMNS")
        .args(["--db", db, "--lang", lang])
        .args(args)
        .assert()
}

/// `tuonti --db <db> --lang en ARGS...` run in `dir`, where the error workbooks of rejected
/// rows are written (`<file>-errors.xlsx` in the working folder).
fn tuonti_at(dir: &std::path::Path, db: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    tuonti_at_in("en", dir, db, args)
}

/// `tuonti --db <db> --lang <lang> ARGS...` run in `dir`.
fn tuonti_at_in(
    lang: &str,
    dir: &std::path::Path,
    db: &str,
    args: &[&str],
) -> assert_cmd::assert::Assert {
    Command::cargo_bin("tuonti")
        .unwrap()
        .current_dir(dir)
        .env_remove("TUONTI_DATABASE_URL")
        .env_remove("TUONTI_LANG")
        .args(["--db", db, "--lang", lang])
        .args(args)
        .assert()
}

fn json(assert: assert_cmd::assert::Assert) -> Value {
    let output = assert.success().get_output().stdout.clone();
    serde_json::from_slice(&output).unwrap()
}

fn on_each_backend(test: impl Fn(&str)) {
    for database in TestDatabase::all().unwrap() {
        test(&database.url());
    }
}

#[test]
fn init_seeds_the_four_default_types_once() {
    on_each_backend(|db| {
        tuonti(db, &["init"])
            .success()
            .stdout(predicate::str::contains("Liidi, Kumppani, Kylmä, Asiakas"));
        let types = json(tuonti(db, &["types", "list", "--format", "json"]));
        let names: Vec<(&str, &str, &str)> = types
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["name_fi"].as_str().unwrap(),
                    t["name_sv"].as_str().unwrap(),
                    t["name_en"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("Liidi", "Lead", "Lead"),
                ("Kumppani", "Partner", "Partner"),
                ("Kylmä", "Kall", "Cold"),
                ("Asiakas", "Kund", "Customer"),
            ]
        );
        tuonti(db, &["init"])
            .success()
            .stdout(predicate::str::contains("nothing changed"));
        assert_eq!(
            json(tuonti(db, &["types", "list", "--format", "json"])),
            types
        );
    });
}

#[test]
fn a_users_email_in_capitals_is_refused() {
    on_each_backend(|db| {
        tuonti(db, &["init"]).success();
        tuonti(
            db,
            &[
                "users",
                "add",
                "--name",
                "Matti Meikäläinen",
                "--email",
                "matti@example.fi",
                "--role",
                "admin",
            ],
        )
        .success();
        tuonti(
            db,
            &[
                "users",
                "add",
                "--name",
                "Matti Meikäläinen",
                "--email",
                "MATTI@EXAMPLE.FI",
                "--role",
                "admin",
            ],
        )
        .code(1)
        .stderr(
            predicate::str::contains("MATTI@EXAMPLE.FI")
                .and(predicate::str::contains("already exists")),
        );
        let users = json(tuonti(db, &["users", "list", "--format", "json"]));
        assert_eq!(users.as_array().unwrap().len(), 1);
        assert_eq!(users[0]["email"], "matti@example.fi");
        assert_eq!(users[0]["role"], "admin");
        assert_eq!(users[0]["active"], true);
    });
}

#[test]
fn a_group_in_other_letters_is_refused() {
    on_each_backend(|db| {
        tuonti(db, &["init"]).success();
        tuonti(db, &["groups", "add", "Helsinki"]).success();
        tuonti(db, &["groups", "add", "helsinki"])
            .code(1)
            .stderr(predicate::str::contains("\"helsinki\""));
        tuonti(db, &["groups", "add", "Espoo"]).success();
        tuonti(db, &["groups", "rename", "Espoo", "HELSINKI"]).code(1);
        tuonti(db, &["groups", "rename", "Espoo", "Espoon ryhmä"]).success();
        let groups = json(tuonti(db, &["groups", "list", "--format", "json"]));
        let names: Vec<&str> = groups
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Espoon ryhmä", "Helsinki"]);
        tuonti(db, &["groups", "remove", "Helsinki"]).success();
        tuonti(db, &["groups", "remove", "Helsinki"])
            .code(1)
            .stderr(predicate::str::contains("no customer group"));
    });
}

/// Adds a company with `n` projects in `branch` straight to the database.
fn add_projects(db: &str, branch: &str, n: usize) {
    use tuonti_persistence::{DatabaseLocation, OpenOptions, Store};
    let mut store = Store::open(&DatabaseLocation::parse(db), OpenOptions::default()).unwrap();
    let branch = store.branch_by_name(branch).unwrap().unwrap();
    let manager = store.users().unwrap().remove(0);
    let company_type = store.company_types(false).unwrap().remove(0);
    let company = store
        .insert_company(&tuonti_domain::NewCompany {
            fields: tuonti_domain::CompanyFields {
                name: "Rakennus Oy".into(),
                ..Default::default()
            },
            company_type_id: company_type.id,
            customer_group_id: None,
            account_manager_id: manager.id,
            created_by_batch: None,
        })
        .unwrap();
    for index in 0..n {
        let name = format!("Projekti {index}");
        tuonti_persistence::testing::add_project(&mut store, company.id, &name, Some(branch.id))
            .unwrap();
    }
}

/// The branches as `tuonti branches list --format json` gives them: name and project count.
fn branches(db: &str) -> Vec<(String, u64)> {
    json(tuonti(db, &["branches", "list", "--format", "json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap().to_owned(),
                b["projects"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn branches_are_added_renamed_and_removed_only_when_told_where_projects_go() {
    on_each_backend(|db| {
        tuonti(
            db,
            &[
                "init",
                "--admin-name",
                "Matti",
                "--admin-email",
                "matti@example.fi",
            ],
        )
        .success();
        assert!(branches(db).is_empty());
        tuonti(db, &["branches", "add", " Rakentaminen "])
            .success()
            .stdout("Added branch of business Rakentaminen\n");
        tuonti(db, &["branches", "add", "RAKENTAMINEN"])
            .code(1)
            .stderr(
                predicate::str::contains("\"RAKENTAMINEN\" already exists")
                    .and(predicate::str::contains("(as \"Rakentaminen\")")),
            );
        tuonti(db, &["branches", "add", "  "])
            .code(1)
            .stderr(predicate::str::contains("a name of 1 to 100 characters"));
        tuonti(db, &["branches", "add", "Kauppa"]).success();
        tuonti(db, &["branches", "rename", "Kauppa", "rakentaminen"]).code(1);
        tuonti(db, &["branches", "rename", "Teollisuus", "Energia"])
            .code(1)
            .stderr(predicate::str::contains(
                "no branch of business \"Teollisuus\"",
            ));
        tuonti(db, &["branches", "rename", "kauppa", "Vähittäiskauppa"])
            .success()
            .stdout(predicate::str::contains(
                "Renamed the branch of business to Vähittäiskauppa",
            ));
        add_projects(db, "Rakentaminen", 2);
        let before = vec![
            ("Rakentaminen".to_owned(), 2),
            ("Vähittäiskauppa".to_owned(), 0),
        ];
        assert_eq!(branches(db), before);

        // Refused, each with nothing changed.
        tuonti(db, &["branches", "remove", "Rakentaminen"])
            .code(1)
            .stderr(predicate::str::contains(
                "\"Rakentaminen\" is still used by 2 projects",
            ));
        tuonti(
            db,
            &["branches", "remove", "Rakentaminen", "--move-to", "Energia"],
        )
        .code(1)
        .stderr(predicate::str::contains(
            "no branch of business \"Energia\"",
        ));
        tuonti(
            db,
            &[
                "branches",
                "remove",
                "Rakentaminen",
                "--move-to",
                "rakentaminen",
            ],
        )
        .code(1)
        .stderr(predicate::str::contains("the one being removed"));
        tuonti(
            db,
            &[
                "branches",
                "remove",
                "Rakentaminen",
                "--move-to",
                "Vähittäiskauppa",
                "--unassign",
            ],
        )
        .code(1)
        .stderr(predicate::str::contains(
            "Give either --move-to or --unassign, not both.",
        ));
        tuonti(db, &["branches", "remove", "Teollisuus", "--unassign"])
            .code(1)
            .stderr(predicate::str::contains("no branch of business"));
        assert_eq!(branches(db), before);

        tuonti(
            db,
            &[
                "branches",
                "remove",
                "Rakentaminen",
                "--move-to",
                "vähittäiskauppa",
            ],
        )
        .success()
        .stdout(
            "Removed branch of business Rakentaminen\n\
             Moved 2 projects to branch of business Vähittäiskauppa\n",
        );
        assert_eq!(branches(db), [("Vähittäiskauppa".to_owned(), 2)]);
        tuonti(db, &["branches", "remove", "Vähittäiskauppa", "--unassign"])
            .success()
            .stdout(predicate::str::contains(
                "2 projects are now without a branch of business",
            ));
        assert!(branches(db).is_empty());
    });
}

#[test]
fn branch_messages_come_in_finnish() {
    let database = TestDatabase::sqlite().unwrap();
    let db = database.url();
    tuonti(
        &db,
        &[
            "init",
            "--admin-name",
            "Matti",
            "--admin-email",
            "matti@example.fi",
        ],
    )
    .success();
    tuonti_in("fi", &db, &["branches", "add", "Rakentaminen"])
        .success()
        .stdout("Toimiala lisättiin: Rakentaminen\n");
    tuonti_in("fi", &db, &["branches", "add", "rakentaminen"])
        .code(1)
        .stderr(predicate::str::starts_with(
            "virhe: Toimiala arvolla \"rakentaminen\"",
        ));
    add_projects(&db, "Rakentaminen", 1);
    tuonti_in("fi", &db, &["branches", "remove", "Rakentaminen"])
        .code(1)
        .stderr(predicate::str::contains("on yhä käytössä: 1 projekti;"));
    tuonti_in(
        "fi",
        &db,
        &[
            "branches",
            "remove",
            "Rakentaminen",
            "--move-to",
            "X",
            "--unassign",
        ],
    )
    .code(1)
    .stderr("virhe: Anna joko --move-to tai --unassign, ei molempia.\n");
    tuonti_in("fi", &db, &["branches", "list"])
        .success()
        .stdout(predicate::str::contains("Projekteja"));
    tuonti_in(
        "fi",
        &db,
        &["branches", "remove", "Rakentaminen", "--unassign"],
    )
    .success()
    .stdout("Toimiala poistettiin: Rakentaminen\n1 projekti jäi ilman toimialaa\n");
}

#[test]
fn types_are_added_renamed_and_archived() {
    on_each_backend(|db| {
        tuonti(db, &["init"]).success();
        tuonti(
            db,
            &[
                "types",
                "add",
                "--fi",
                "Toimittaja",
                "--sv",
                "Leverantör",
                "--en",
                "Supplier",
            ],
        )
        .success();
        tuonti(db, &["types", "add", "--fi", "Kund"])
            .code(1)
            .stderr(predicate::str::contains("Asiakas"));
        tuonti(db, &["types", "rename", "Supplier", "--en", "Vendor"]).success();
        tuonti(db, &["types", "rename", "Vendor", "--fi", "Liidi"]).code(1);
        tuonti(db, &["types", "archive", "Toimittaja"]).success();
        let active = json(tuonti(db, &["types", "list", "--format", "json"]));
        assert_eq!(active.as_array().unwrap().len(), 4);
        let all = json(tuonti(db, &["types", "list", "--all", "--format", "json"]));
        assert_eq!(all[4]["name_en"], "Vendor");
        assert_eq!(all[4]["archived"], true);
        tuonti(db, &["types", "restore", "vendor"]).success();
    });
}

#[test]
fn the_last_admin_cannot_be_demoted_or_deactivated() {
    on_each_backend(|db| {
        tuonti(
            db,
            &[
                "init",
                "--admin-name",
                "Matti Meikäläinen",
                "--admin-email",
                "matti@example.fi",
            ],
        )
        .success();
        tuonti(db, &["users", "set-role", "matti@example.fi", "member"])
            .code(1)
            .stderr(predicate::str::contains("last active admin"));
        tuonti(db, &["users", "deactivate", "Matti Meikäläinen"]).code(1);
        tuonti(
            db,
            &[
                "users",
                "add",
                "--name",
                "Liisa",
                "--email",
                "liisa@example.fi",
            ],
        )
        .success();
        tuonti(db, &["users", "deactivate", "liisa@example.fi"]).success();
        let users = json(tuonti(db, &["users", "list", "--format", "json"]));
        let liisa = users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["email"] == "liisa@example.fi")
            .unwrap();
        assert_eq!(liisa["active"], false);
    });
}

#[test]
fn commands_other_than_init_need_a_database() {
    let database = TestDatabase::sqlite().unwrap();
    tuonti(&database.url(), &["users", "list"])
        .code(1)
        .stderr(predicate::str::contains("tuonti init"));
}

#[test]
fn a_file_that_is_not_a_database_is_left_alone() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("asiakkaat.db");
    std::fs::write(&path, "Y-tunnus;Yritys\n0112038-9;Esimerkki Oy\n").unwrap();
    tuonti(path.to_str().unwrap(), &["init"]).code(1).stderr(
        predicate::str::contains("not a Tuonti database")
            .and(predicate::str::contains("plain text")),
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "Y-tunnus;Yritys\n0112038-9;Esimerkki Oy\n"
    );
}

#[test]
fn an_unreachable_server_is_one_line_with_its_host_and_exit_2() {
    let assert = tuonti(
        "postgres://tuonti:salasana@127.0.0.1:1/tuonti",
        &["users", "list"],
    )
    .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("127.0.0.1:1/tuonti"), "{stderr}");
    assert!(!stderr.contains("salasana"), "{stderr}");
}

#[test]
fn bad_arguments_exit_1_and_help_exits_0() {
    let database = TestDatabase::sqlite().unwrap();
    tuonti(&database.url(), &["users", "add", "--name", "X"]).code(1);
    tuonti(&database.url(), &["users", "frobnicate"]).code(1);
    tuonti(&database.url(), &["--help"])
        .success()
        .stdout(predicate::str::contains("Exit codes"));
}

#[test]
fn messages_come_in_finnish() {
    let database = TestDatabase::sqlite().unwrap();
    let db = database.url();
    tuonti(&db, &["init"]).success();
    tuonti(&db, &["groups", "add", "Helsinki"]).success();
    Command::cargo_bin("tuonti")
        .unwrap()
        .args(["--db", &db, "--lang", "fi", "groups", "add", "HELSINKI"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::starts_with("virhe:").and(predicate::str::contains("on jo olemassa")),
        );
}

fn check(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("tuonti")
        .unwrap()
        .env_remove("TUONTI_LANG")
        .arg("check")
        .args(args)
        .assert()
}

fn json_lines(assert: assert_cmd::assert::Assert) -> Vec<Value> {
    let output = assert.get_output().stdout.clone();
    String::from_utf8(output)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn check_business_ids_as_json_lines() {
    let lines = json_lines(
        check(&[
            "business-id",
            "0112038-9",
            "0112038 9",
            "FI01120389",
            "0112038-8",
            "1234568-1",
            "--format",
            "json",
        ])
        .code(1),
    );
    assert_eq!(lines.len(), 5);
    for line in &lines[..3] {
        assert_eq!(line["valid"], true, "{line}");
        assert_eq!(line["normalized"], "0112038-9", "{line}");
    }
    assert!(lines[0]["issues"].as_array().unwrap().is_empty());
    assert_eq!(lines[1]["issues"][0]["severity"], "warning");
    assert_eq!(lines[2]["issues"][0]["severity"], "warning");
    assert_eq!(lines[3]["valid"], false);
    assert_eq!(lines[3]["normalized"], Value::Null);
    assert_eq!(lines[3]["issues"][0]["code"], "business_id.check_digit");
    assert_eq!(
        lines[4]["issues"][0]["code"],
        "business_id.no_valid_check_digit"
    );
    assert!(
        lines[4]["issues"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no check digit")
    );
}

#[test]
fn check_streams_standard_input_and_exits_0_when_all_are_valid() {
    let assert = Command::cargo_bin("tuonti")
        .unwrap()
        .args(["--lang", "fi", "check", "phone", "--format", "json"])
        .write_stdin("040 123 4567\r\n09 123 4567\n")
        .assert()
        .success();
    let lines = json_lines(assert);
    assert_eq!(lines[0]["input"], "040 123 4567");
    assert_eq!(lines[0]["normalized"], "+358401234567");
    assert_eq!(lines[1]["normalized"], "+35891234567");
    check(&["postal-code", "123 45", "--country", "Ruotsi"])
        .success()
        .stdout(predicate::str::contains("123 45"));
    check(&["postal-code", "1234"]).code(1);
}

#[test]
fn check_refuses_unknown_kinds_and_countries() {
    check(&["shoe-size", "42"])
        .code(1)
        .stderr(predicate::str::contains("business-id"));
    check(&["phone", "040 123 4567", "--country", "Narnia"])
        .code(1)
        .stderr(predicate::str::contains("Narnia"));
}

// ---------------------------------------------------------------------------------------------
// template, inspect, profiles

fn path_str(path: &std::path::Path) -> &str {
    path.to_str().unwrap()
}

fn zip_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Every value a template's dropdowns offer: the inline lists of the data sheet (the second
/// sheet) and the cells of the hidden lists sheet, as the excel-template crate's tests read
/// them. Also returns the inline lists as written.
fn dropdown_values(bytes: &[u8]) -> (Vec<String>, Vec<String>) {
    use calamine::Reader;
    let data_xml = zip_part(bytes, "xl/worksheets/sheet2.xml");
    let formulas: Vec<String> = data_xml
        .split("<formula1>")
        .skip(1)
        .filter_map(|part| part.split("</formula1>").next())
        .map(str::to_owned)
        .collect();
    let mut values: Vec<String> = formulas
        .iter()
        .filter_map(|formula| formula.strip_prefix('"')?.strip_suffix('"'))
        .flat_map(|list| list.split(','))
        .map(str::to_owned)
        .collect();
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let lists = workbook
        .worksheet_range(tuonti_excel_template::LISTS_SHEET)
        .unwrap();
    values.extend(lists.rows().flatten().map(ToString::to_string));
    (values, formulas)
}

#[test]
fn template_maps_exactly_and_offers_the_databases_choices() {
    on_each_backend(|db| {
        tuonti(
            db,
            &[
                "init",
                "--admin-name",
                "Matti",
                "--admin-email",
                "matti@example.fi",
            ],
        )
        .success();
        tuonti(
            db,
            &["types", "add", "--fi", "Toimittaja", "--en", "Supplier"],
        )
        .success();
        tuonti(db, &["types", "add", "--fi", "Entinen"]).success();
        tuonti(db, &["types", "archive", "Entinen"]).success();
        tuonti(db, &["groups", "add", "Helsinki"]).success();
        tuonti(
            db,
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
        tuonti(
            db,
            &[
                "users",
                "add",
                "--name",
                "Pekka",
                "--email",
                "pekka@example.fi",
            ],
        )
        .success();
        tuonti(db, &["users", "deactivate", "pekka@example.fi"]).success();
        tuonti(db, &["branches", "add", "Rakentaminen"]).success();

        let folder = tempfile::tempdir().unwrap();
        let out = folder.path().join("yritykset.xlsx");
        tuonti_in("fi", db, &["template", "--out", path_str(&out)])
            .success()
            .stdout(predicate::str::contains("yritykset.xlsx"))
            .stdout(predicate::str::contains(
                "välilehdet: Yritykset, Yhteyshenkilöt, Projektit",
            ))
            .stdout(predicate::str::contains("2 projektipäällikköä"))
            .stdout(predicate::str::contains("1 toimialaa"));
        let bytes = std::fs::read(&out).unwrap();

        // Every sheet maps exactly: companies, contacts, projects.
        let mut workbook = tuonti_excel_template::Workbook::from_bytes(
            "yritykset.xlsx",
            bytes.clone(),
            &Default::default(),
        )
        .unwrap();
        let layouts = workbook.locate_all(None, &[]).unwrap();
        assert_eq!(layouts.len(), 3);
        for (layout, kind) in layouts.iter().zip(tuonti_domain::RecordKind::ALL) {
            assert_eq!(layout.mapping.kind, kind);
            assert_eq!(
                layout.sheet.as_deref(),
                Some(kind.sheet_name(tuonti_domain::Lang::Fi))
            );
            assert!(layout.from_template);
            let fields: Vec<_> = layout.mapping.columns.iter().map(|c| c.field).collect();
            let expected: Vec<_> = kind.fields().iter().copied().map(Some).collect();
            assert_eq!(fields, expected, "{kind}");
            assert!(
                layout
                    .mapping
                    .columns
                    .iter()
                    .all(|c| c.source == tuonti_excel_template::MatchSource::Template
                        && c.confidence == 1.0)
            );
        }
        // The project sheet offers the active users, the statuses and the branches.
        let projects_xml = zip_part(&bytes, "xl/worksheets/sheet4.xml");
        for expected in [
            "matti@example.fi",
            "liisa@example.fi",
            "Tarjous,Käynnissä,Tauolla,Valmis,Peruttu",
            "Rakentaminen",
        ] {
            assert!(
                projects_xml.contains(expected),
                "{expected}: {projects_xml}"
            );
        }
        assert!(!projects_xml.contains("pekka@example.fi"));

        // Read back: every column maps, from the template's metadata, with confidence 1.
        let table = tuonti_excel_template::read_file(&out, &Default::default()).unwrap();
        assert!(table.layout.from_template);
        assert_eq!(table.layout.sheet.as_deref(), Some("Yritykset"));
        let columns = &table.mapping().columns;
        let fields = tuonti_domain::RecordKind::Company.fields();
        assert_eq!(columns.len(), fields.len());
        for (column, field) in columns.iter().zip(fields.iter().copied()) {
            assert_eq!(column.field, Some(field), "{}", column.header);
            assert_eq!(column.confidence, 1.0, "{}", column.header);
        }

        let (values, formulas) = dropdown_values(&bytes);
        assert!(
            formulas.contains(&"\"Liidi,Kumppani,Kylmä,Asiakas,Toimittaja\"".to_owned()),
            "{formulas:?}"
        );
        for expected in [
            "Helsinki",
            "liisa@example.fi",
            "matti@example.fi",
            "Suomi",
            "Ruotsi",
            "Ahvenanmaa",
        ] {
            assert!(
                values.contains(&expected.to_owned()),
                "{expected} in {values:?}"
            );
        }
        for absent in ["Entinen", "pekka@example.fi", "Finland"] {
            assert!(
                !values.contains(&absent.to_owned()),
                "{absent} in {values:?}"
            );
        }

        // --lang sv writes a Swedish template; --with-examples an example row.
        let swedish = folder.path().join("foretag.xlsx");
        tuonti_in(
            "sv",
            db,
            &["template", "--out", path_str(&swedish), "--with-examples"],
        )
        .success();
        // Every sheet of records, as an import reads them; one of them with --sheet.
        let inspections = json(tuonti(
            db,
            &["inspect", path_str(&swedish), "--format", "json"],
        ));
        let kinds: Vec<&str> = inspections
            .as_array()
            .expect("three sheets, an array")
            .iter()
            .map(|inspection| inspection["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["companies", "contacts", "projects"]);
        let inspection = &inspections[0];
        assert_eq!(inspection["sheet"], "Företag");
        assert_eq!(inspection["from_template"], true);
        assert_eq!(inspection["data_rows"], 0, "the example row is skipped");
        tuonti_in("sv", db, &["inspect", path_str(&swedish)])
            .success()
            .stdout(predicate::str::contains(
                "Innehåll (kontaktpersoner): blad Kontaktpersoner, rubrikrad 1, 0 datarader",
            ));
        for sheet in ["Kontaktpersoner", "Projekt"] {
            let inspection = json(tuonti(
                db,
                &[
                    "inspect",
                    path_str(&swedish),
                    "--sheet",
                    sheet,
                    "--format",
                    "json",
                ],
            ));
            assert_eq!(inspection["from_template"], true, "{sheet}");
            assert_eq!(
                inspection["data_rows"], 0,
                "{sheet}: the example row is skipped"
            );
        }
        // --kinds writes only the sheets asked for.
        let contacts = folder.path().join("kontakter.xlsx");
        tuonti_in(
            "sv",
            db,
            &[
                "template",
                "--out",
                path_str(&contacts),
                "--kinds",
                "contacts",
            ],
        )
        .success();
        let table = tuonti_excel_template::read_file(&contacts, &Default::default()).unwrap();
        assert_eq!(table.layout.sheet.as_deref(), Some("Kontaktpersoner"));
        assert_eq!(table.mapping().kind, tuonti_domain::RecordKind::Contact);
        tuonti(
            db,
            &[
                "template",
                "--out",
                path_str(&contacts),
                "--kinds",
                "invoices",
            ],
        )
        .code(1)
        .stderr(predicate::str::contains("invoices"));
        let (values, _) = dropdown_values(&std::fs::read(&swedish).unwrap());
        assert!(values.contains(&"Kund".to_owned()), "{values:?}");
        assert!(!values.contains(&"Supplier".to_owned()), "{values:?}");
        assert!(
            values.contains(&"Toimittaja".to_owned()),
            "no Swedish name: Finnish"
        );
    });
}

/// Rewrites the shared strings of an xlsx: every `(old, new)` whole string, each present.
fn replace_strings(bytes: &[u8], edits: &[(&str, &str)]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).unwrap();
            let name = entry.name().unwrap().into_owned();
            let mut content = Vec::new();
            entry.read_to_end(&mut content).unwrap();
            if name == "xl/sharedStrings.xml" {
                let mut xml = String::from_utf8(content).unwrap();
                for (old, new) in edits {
                    let old = format!(">{old}<");
                    assert!(xml.contains(&old), "{old}");
                    xml = xml.replace(&old, &format!(">{new}<"));
                }
                content = xml.into_bytes();
            }
            writer
                .start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(&content).unwrap();
        }
        writer.finish().unwrap();
    }
    out
}

#[test]
fn a_filled_template_imports_a_company_its_contact_and_its_project_together() {
    on_each_backend(|db| {
        tuonti(
            db,
            &[
                "init",
                "--admin-name",
                "Matti",
                "--admin-email",
                "matti@example.fi",
            ],
        )
        .success();
        tuonti(db, &["groups", "add", "Helsinki"]).success();
        tuonti(db, &["branches", "add", "Ohjelmistot"]).success();
        let folder = tempfile::tempdir().unwrap();
        let template = folder.path().join("pohja.xlsx");
        tuonti_in(
            "fi",
            db,
            &["template", "--out", path_str(&template), "--with-examples"],
        )
        .success();
        let import = |file: &std::path::Path, mode: &str| {
            tuonti(
                db,
                &[
                    "import",
                    path_str(file),
                    mode,
                    "--type",
                    "Asiakas",
                    "--manager",
                    "matti@example.fi",
                    "--as",
                    "matti@example.fi",
                ],
            )
        };
        // As written: three sheets mapped, their example rows skipped.
        import(&template, "--dry-run")
            .success()
            .stdout(predicate::str::contains("sheet Yritykset, header row 1"))
            .stdout(predicate::str::contains(
                "sheet Yhteyshenkilöt, header row 1",
            ))
            .stdout(predicate::str::contains("sheet Projektit, header row 1"))
            .stdout(predicate::str::contains("Plan: 0 create"));

        // Filled in: the example rows changed into a new company (its customer number named
        // by the contact and the project too), its contact, and its project naming both.
        let filled = folder.path().join("taytetty.xlsx");
        let bytes = replace_strings(
            &std::fs::read(&template).unwrap(),
            &[
                ("Esimerkki Oy", "Testi Oy"),
                ("001234", "004321"),
                ("P-0001", "P-0100"),
                ("matti@esimerkki.fi", "matti@example.fi"),
            ],
        );
        std::fs::write(&filled, bytes).unwrap();
        import(&filled, "--yes")
            .success()
            .stdout(predicate::str::contains("companies: 1 created"))
            .stdout(predicate::str::contains("contacts: 1 created"))
            .stdout(predicate::str::contains("projects: 1 created"));
        let listed = json(tuonti(db, &["companies", "list", "--format", "json"]));
        assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
        assert_eq!(listed[0]["name"], "Testi Oy");
        assert_eq!(listed[0]["customer_number"], "004321");
        // One workbook of three sheets is one file in the history, named once.
        let history = json(tuonti(db, &["batches", "list", "--format", "json"]));
        assert_eq!(history[0]["files"], serde_json::json!(["taytetty.xlsx"]));
    });
}

#[test]
fn template_into_a_missing_folder_names_the_path_and_exits_1() {
    let database = TestDatabase::sqlite().unwrap();
    let db = database.url();
    tuonti(&db, &["init"]).success();
    let folder = tempfile::tempdir().unwrap();
    let out = folder.path().join("puuttuu").join("pohja.xlsx");
    tuonti(&db, &["template", "--out", path_str(&out)])
        .code(1)
        .stderr(predicate::str::contains("puuttuu"));
}

/// A workbook as people send them: a hidden first sheet of old data, then a sheet with a
/// title row, a blank row, English headers in their own order and a column no field knows.
fn customer_workbook(path: &std::path::Path) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let hidden = workbook.add_worksheet();
    hidden.set_name("Vanhat").unwrap();
    hidden.set_hidden(true);
    hidden.write_row(0, 0, ["Yritys", "Y-tunnus"]).unwrap();
    hidden.write_row(1, 0, ["Vanha Oy", "1234567-8"]).unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Asiakkaat").unwrap();
    sheet.set_active(true);
    sheet.write(0, 0, "Customer register 2025").unwrap();
    sheet
        .write_row(
            2,
            0,
            ["City", "Shoe size", "Business ID", "Company name", "Email"],
        )
        .unwrap();
    let rows = [
        [
            "Helsinki",
            "44",
            "0112038-9",
            "Esimerkki Oy",
            "info@esimerkki.fi",
        ],
        ["Espoo", "", "1572860-0", "Toinen Oy", ""],
        ["Tampere", "41", "", "Kolmas Oy", "kolmas@example.fi"],
        ["Turku", "", "", "Neljäs Oy", ""],
    ];
    for (offset, row) in rows.iter().enumerate() {
        for (column, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet
                    .write(3 + offset as u32, column as u16, *value)
                    .unwrap();
            }
        }
    }
    workbook.save(path).unwrap();
}

fn fields(inspection: &Value) -> Vec<(String, Value)> {
    inspection["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["header"].as_str().unwrap().to_owned(), c["field"].clone()))
        .collect()
}

#[test]
fn inspect_finds_the_sheet_the_header_row_and_the_mapping_without_a_database() {
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("none.db");
    let db = path_str(&db);
    let xlsx = folder.path().join("asiakkaat.xlsx");
    customer_workbook(&xlsx);

    let inspection = json(tuonti(
        db,
        &["inspect", path_str(&xlsx), "--format", "json"],
    ));
    assert_eq!(inspection["file"], "asiakkaat.xlsx");
    assert_eq!(inspection["format"], "xlsx");
    assert_eq!(inspection["sheets"][0]["name"], "Vanhat");
    assert_eq!(inspection["sheets"][0]["hidden"], true);
    assert_eq!(inspection["sheets"][1]["hidden"], false);
    assert_eq!(inspection["sheet"], "Asiakkaat");
    assert_eq!(inspection["header_row"], 3);
    assert_eq!(inspection["data_rows"], 4);
    assert_eq!(
        fields(&inspection),
        [
            ("City".to_owned(), Value::from("city")),
            ("Shoe size".to_owned(), Value::Null),
            ("Business ID".to_owned(), Value::from("business_id")),
            ("Company name".to_owned(), Value::from("name")),
            ("Email".to_owned(), Value::from("email")),
        ]
    );
    let columns = &inspection["columns"];
    assert_eq!(columns[1]["ignored"]["reason"], "unknown");
    assert_eq!(columns[2]["confidence"], 1.0);
    assert_eq!(columns[2]["source"], "exact");
    assert_eq!(
        columns[3]["samples"],
        serde_json::json!(["Esimerkki Oy", "Toinen Oy", "Kolmas Oy"])
    );
    assert!(
        !std::path::Path::new(db).exists(),
        "inspect needs no database"
    );

    // --map corrects the mapping; --sheet reads the hidden sheet.
    let corrected = json(tuonti(
        db,
        &[
            "inspect",
            path_str(&xlsx),
            "--map",
            "Shoe size=phone",
            "--map",
            "Email=ignore",
            "--format",
            "json",
        ],
    ));
    assert_eq!(corrected["columns"][1]["field"], "phone");
    assert_eq!(corrected["columns"][1]["source"], "override");
    assert_eq!(corrected["columns"][4]["field"], Value::Null);
    let hidden = json(tuonti(
        db,
        &[
            "inspect",
            path_str(&xlsx),
            "--sheet",
            "Vanhat",
            "--format",
            "json",
        ],
    ));
    assert_eq!(hidden["sheet"], "Vanhat");
    assert_eq!(hidden["header_row"], 1);

    // The table names the sheet, marks the hidden one and shows samples.
    tuonti(db, &["inspect", path_str(&xlsx)]).success().stdout(
        predicate::str::contains("Vanhat (hidden)")
            .and(predicate::str::contains("header row 3"))
            .and(predicate::str::contains("business_id"))
            .and(predicate::str::contains(
                "Esimerkki Oy; Toinen Oy; Kolmas Oy",
            )),
    );

    // An unknown header or sheet is the user's to fix.
    tuonti(db, &["inspect", path_str(&xlsx), "--map", "Kenkä=phone"])
        .code(1)
        .stderr(predicate::str::contains("\"Shoe size\""));
    tuonti(db, &["inspect", path_str(&xlsx), "--sheet", "Puuttuu"])
        .code(1)
        .stderr(predicate::str::contains("Vanhat, Asiakkaat"));
    tuonti(
        db,
        &["inspect", path_str(&xlsx), "--map", "Kenkä=kengännumero"],
    )
    .code(1)
    .stderr(predicate::str::contains("business_id"));
}

#[test]
fn inspect_reads_a_semicolon_windows_1252_csv_and_several_files_as_an_array() {
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("none.db");
    let db = path_str(&db);
    let text = "Yritys;Y-tunnus;Postinumero;Kaupunki\r\n\
                Äänekosken Öljy Oy;0112038-9;00100;Äänekoski\r\n\
                Smörgås Ab;;65100;Vaasa\r\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let csv = folder.path().join("yritykset.csv");
    std::fs::write(&csv, &bytes).unwrap();

    let inspection = json(tuonti(db, &["inspect", path_str(&csv), "--format", "json"]));
    assert_eq!(inspection["format"], "csv");
    assert_eq!(inspection["encoding"], "windows-1252");
    assert_eq!(inspection["delimiter"], ";");
    assert_eq!(inspection["sheets"], serde_json::json!([]));
    assert_eq!(inspection["sheet"], Value::Null);
    assert_eq!(inspection["header_row"], 1);
    assert_eq!(inspection["data_rows"], 2);
    assert_eq!(
        fields(&inspection),
        [
            ("Yritys".to_owned(), Value::from("name")),
            ("Y-tunnus".to_owned(), Value::from("business_id")),
            ("Postinumero".to_owned(), Value::from("postal_code")),
            ("Kaupunki".to_owned(), Value::from("city")),
        ]
    );
    assert_eq!(
        inspection["columns"][0]["samples"],
        serde_json::json!(["Äänekosken Öljy Oy", "Smörgås Ab"])
    );
    assert_eq!(inspection["columns"][2]["samples"][0], "00100");
    tuonti(db, &["inspect", path_str(&csv)])
        .success()
        .stdout(predicate::str::contains("csv, windows-1252, delimiter ';'"));

    let xlsx = folder.path().join("asiakkaat.xlsx");
    customer_workbook(&xlsx);
    let both = json(tuonti(
        db,
        &[
            "inspect",
            path_str(&csv),
            path_str(&xlsx),
            "--format",
            "json",
        ],
    ));
    assert_eq!(both.as_array().unwrap().len(), 2);
    assert_eq!(both[0]["file"], "yritykset.csv");
    assert_eq!(both[1]["sheet"], "Asiakkaat");
}

#[test]
fn inspect_refuses_hostile_and_missing_files_with_exit_1() {
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("none.db");
    let db = path_str(&db);
    let html = folder.path().join("raportti.xlsx");
    std::fs::write(
        &html,
        "<!DOCTYPE html><html><body><table><tr><td>Yritys</td></tr></table></body></html>",
    )
    .unwrap();
    tuonti(db, &["inspect", path_str(&html)]).code(1).stderr(
        predicate::str::contains("raportti.xlsx")
            .and(predicate::str::contains("looks like an HTML page")),
    );
    let empty = folder.path().join("tyhja.csv");
    std::fs::write(&empty, "").unwrap();
    tuonti(db, &["inspect", path_str(&empty)])
        .code(1)
        .stderr(predicate::str::contains("the file is empty"));
    let missing = folder.path().join("puuttuu.xlsx");
    tuonti(db, &["inspect", path_str(&missing)])
        .code(1)
        .stderr(predicate::str::contains("puuttuu.xlsx"));
    tuonti(db, &["inspect", path_str(&html), "--map", "no equals sign"])
        .code(1)
        .stderr(predicate::str::contains("Header=field"));
}

#[test]
fn profiles_save_list_show_and_delete() {
    on_each_backend(|db| {
        tuonti(db, &["init"]).success();
        assert_eq!(
            json(tuonti(db, &["profiles", "list", "--format", "json"])),
            serde_json::json!([])
        );
        tuonti(
            db,
            &[
                "profiles",
                "save",
                "Visma",
                "--map",
                "Asnro=business_id",
                "--map",
                "Muuta=ignore",
                "--map",
                "Nimi=Yritys",
            ],
        )
        .success()
        .stdout(predicate::str::contains(
            "Saved the mapping profile Visma (3 columns)",
        ));
        let shown = json(tuonti(
            db,
            &["profiles", "show", "visma", "--format", "json"],
        ));
        assert_eq!(shown["name"], "Visma");
        assert_eq!(
            shown["mapping"],
            serde_json::json!(["Asnro=business_id", "Muuta=ignore", "Nimi=name"])
        );
        tuonti(db, &["profiles", "show", "Visma"]).success().stdout(
            predicate::str::contains("Asnro")
                .and(predicate::str::contains("business_id"))
                .and(predicate::str::contains("ignored")),
        );

        // The same name in other letters replaces the mapping.
        tuonti(
            db,
            &["profiles", "save", "VISMA", "--map", "Asnro=Y-tunnus"],
        )
        .success()
        .stdout(predicate::str::contains("Updated"));
        tuonti(db, &["profiles", "save", "Asiakkaat", "--map", "A=city"]).success();
        let listed = json(tuonti(db, &["profiles", "list", "--format", "json"]));
        let names: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Asiakkaat", "Visma"]);
        assert_eq!(
            listed[1]["mapping"],
            serde_json::json!(["Asnro=business_id"])
        );

        tuonti(db, &["profiles", "save", "X", "--map", "A=kengännumero"])
            .code(1)
            .stderr(predicate::str::contains("unknown field"));
        tuonti(db, &["profiles", "save", "X"]).code(1);

        tuonti(db, &["profiles", "delete", "visma"]).success();
        tuonti(db, &["profiles", "show", "Visma"])
            .code(1)
            .stderr(predicate::str::contains("no mapping profile \"Visma\""));
        tuonti(db, &["profiles", "delete", "Visma"]).code(1);
        tuonti_in("fi", db, &["profiles", "delete", "Visma"])
            .code(1)
            .stderr(predicate::str::contains(
                "Sarakeprofiili \"Visma\" ei löydy",
            ));
        assert_eq!(
            json(tuonti(db, &["profiles", "list", "--format", "json"]))
                .as_array()
                .unwrap()
                .len(),
            1
        );
    });
}

#[test]
fn passwords_and_login_links_for_the_web_server() {
    on_each_backend(|db| {
        tuonti(db, &["init"]).success();
        tuonti(
            db,
            &[
                "users",
                "add",
                "--name",
                "Matti",
                "--email",
                "matti@example.fi",
                "--role",
                "admin",
            ],
        )
        .success();
        Command::cargo_bin("tuonti")
            .unwrap()
            .env_remove("TUONTI_DATABASE_URL")
            .args([
                "--db",
                db,
                "--lang",
                "en",
                "users",
                "set-password",
                "matti@example.fi",
            ])
            .write_stdin("lyhyt\n")
            .assert()
            .code(1)
            .stderr(predicate::str::contains("at least 10 characters"));
        Command::cargo_bin("tuonti")
            .unwrap()
            .env_remove("TUONTI_DATABASE_URL")
            .args([
                "--db",
                db,
                "--lang",
                "en",
                "users",
                "set-password",
                "matti@example.fi",
            ])
            .write_stdin("oikein pitkä salasana\n")
            .assert()
            .success()
            .stdout(predicate::str::contains("Set the password of Matti"));
        let mut store = tuonti_persistence::Store::open(
            &tuonti_persistence::DatabaseLocation::parse(db),
            tuonti_persistence::OpenOptions::default(),
        )
        .unwrap();
        tuonti_importer::accounts::login(&mut store, "matti@example.fi", "oikein pitkä salasana")
            .unwrap();

        let output = tuonti(
            db,
            &[
                "users",
                "login-link",
                "matti@example.fi",
                "--base-url",
                "https://crm.example.fi/",
            ],
        )
        .success()
        .get_output()
        .stdout
        .clone();
        let link = String::from_utf8(output).unwrap();
        let token = link
            .trim()
            .strip_prefix("https://crm.example.fi/login/link/")
            .unwrap();
        assert_eq!(token.len(), 64);
        let user = tuonti_importer::accounts::login_link_user(&mut store, token).unwrap();
        assert_eq!(user.email, "matti@example.fi");
        tuonti(db, &["users", "login-link", "nobody@example.fi"]).code(1);
    });
}

/// Imports a company, two contacts and two projects (one active, one done) through
/// `tuonti import` from CSV files in `dir`.
fn import_contacts_and_projects(db: &str, dir: &std::path::Path) {
    tuonti(
        db,
        &[
            "init",
            "--admin-name",
            "Anna Admin",
            "--admin-email",
            "admin@example.fi",
        ],
    )
    .success();
    tuonti(
        db,
        &[
            "users",
            "add",
            "--name",
            "Matti M",
            "--email",
            "matti@example.fi",
        ],
    )
    .success();
    let files = [
        (
            "yritykset.csv",
            "Asiakasnumero;Yritys;Y-tunnus\n001;Esimerkki Oy;0112038-9\n",
        ),
        (
            "yhteyshenkilot.csv",
            "Asiakasnumero;Etunimi;Sukunimi;Sähköposti\n\
             001;Maija;Meikäläinen;maija@esimerkki.fi\n\
             001;Pekka;Puupää;\n",
        ),
        (
            "projektit.csv",
            "Projektinumero;Projektin nimi;Asiakasnumero;Tila;Aloituspäivä;Arvo (€);Toimiala;Yhteyshenkilö;Projektipäällikkö\n\
             P-001;Verkkosivut;001;Käynnissä;1.3.2024;12 500,00 €;Ohjelmistot;maija@esimerkki.fi;matti@example.fi\n\
             P-002;Varasto;001;Valmis;;0,10;;;\n",
        ),
    ];
    let mut args = vec!["import".to_owned()];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        args.push(path_str(&path).to_owned());
    }
    for arg in [
        "--type",
        "Asiakas",
        "--manager",
        "matti@example.fi",
        "--as",
        "admin@example.fi",
        "--create-branches",
        "--yes",
    ] {
        args.push(arg.to_owned());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    tuonti(db, &args).success();
    // The same files again: one batch named once, however many of its files come again.
    tuonti(db, &args).success().stdout(predicate::str::contains(
        "The same files were imported before in batch 1; nothing changed.",
    ));
}

#[test]
fn listings_page_with_limit_and_offset() {
    on_each_backend(|db| {
        let dir = tempfile::tempdir().unwrap();
        import_contacts_and_projects(db, dir.path());
        let page = json(tuonti(
            db,
            &[
                "contacts", "list", "--limit", "1", "--offset", "1", "--format", "json",
            ],
        ));
        assert_eq!(
            (
                &page["count"],
                &page["total"],
                &page["limit"],
                &page["offset"]
            ),
            (&1.into(), &2.into(), &1.into(), &1.into()),
            "{page}"
        );
        assert_eq!(page["next_offset"], Value::Null);
        assert_eq!(page["contacts"][0]["full_name"], "Pekka Puupää");
        let first = json(tuonti(
            db,
            &["projects", "list", "--limit", "1", "--format", "json"],
        ));
        assert_eq!(first["next_offset"], 1, "{first}");
        assert_eq!(first["projects"].as_array().unwrap().len(), 1);
        tuonti(db, &["companies", "list", "--limit", "1"])
            .success()
            .stdout(predicate::str::contains("Rows 1–1 of 1"));
        tuonti(db, &["companies", "list", "--offset", "1"])
            .success()
            .stdout(predicate::str::contains("No rows on this page; 1 in all"));
        // Without either, every row as before.
        let all = json(tuonti(db, &["companies", "list", "--format", "json"]));
        assert_eq!(all.as_array().unwrap().len(), 1);
        tuonti_in("fi", db, &["projects", "list", "--limit", "1001"])
            .code(1)
            .stderr(predicate::str::contains("1–1000"));
        tuonti(db, &["contacts", "list", "--offset", "-3"])
            .code(1)
            .stderr(predicate::str::contains("\"-3\""));
        tuonti(db, &["contacts", "list", "--limit", "1", "--format", "csv"])
            .code(1)
            .stderr(predicate::str::contains(
                "csv and xlsx always have every row",
            ));
    });
}

#[test]
fn contacts_list_as_json_names_their_companies() {
    on_each_backend(|db| {
        let dir = tempfile::tempdir().unwrap();
        import_contacts_and_projects(db, dir.path());
        let contacts = json(tuonti(db, &["contacts", "list", "--format", "json"]));
        let contacts = contacts.as_array().unwrap();
        assert_eq!(contacts.len(), 2);
        assert_eq!(contacts[0]["full_name"], "Maija Meikäläinen");
        assert_eq!(contacts[0]["email"], "maija@esimerkki.fi");
        assert_eq!(contacts[0]["company"]["name"], "Esimerkki Oy");
        assert_eq!(contacts[0]["company"]["business_id"], "0112038-9");
        assert_eq!(contacts[0]["company"]["customer_number"], "001");
        assert_eq!(contacts[0]["account_manager"], "matti@example.fi");
        assert_eq!(contacts[1]["full_name"], "Pekka Puupää");
        assert_eq!(contacts[1]["email"], Value::Null);

        // Filters by names as users type them.
        let by_id = json(tuonti(
            db,
            &[
                "contacts",
                "list",
                "--company",
                "01120389",
                "--format",
                "json",
            ],
        ));
        assert_eq!(by_id.as_array().unwrap().len(), 2);
        let none = json(tuonti(
            db,
            &[
                "contacts",
                "list",
                "--manager",
                "Anna Admin",
                "--format",
                "json",
            ],
        ));
        assert_eq!(none, serde_json::json!([]));
        tuonti_in("fi", db, &["contacts", "list", "--company", "Muu Oy"])
            .code(1)
            .stderr(predicate::str::contains("Yritys \"Muu Oy\" ei löydy"));

        let table = tuonti_in("fi", db, &["contacts", "list"]).success();
        let output = String::from_utf8(table.get_output().stdout.clone()).unwrap();
        assert!(output.contains("Sähköposti") && output.contains("Maija Meikäläinen"));

        // The export in the template's columns; CSV also to standard output.
        let out = dir.path().join("yhteyshenkilot.xlsx");
        tuonti_in("fi", db, &["contacts", "export", "--out", path_str(&out)])
            .success()
            .stdout(predicate::str::contains("Vietiin 2 yhteyshenkilöä"));
        assert!(out.exists());
        let csv = tuonti(db, &["contacts", "list", "--format", "csv"]).success();
        let csv = String::from_utf8(csv.get_output().stdout.clone()).unwrap();
        assert!(
            csv.starts_with(
                "\u{feff}Company;Customer number;Business ID;First name;Last name;Title;Email;Phone\r\n"
            ),
            "{csv}"
        );
        assert!(csv.contains("Esimerkki Oy;001;0112038-9;Maija;Meikäläinen;;maija@esimerkki.fi;"));
    });
}

#[test]
fn projects_list_filters_by_status_in_any_language() {
    on_each_backend(|db| {
        let dir = tempfile::tempdir().unwrap();
        import_contacts_and_projects(db, dir.path());
        let active = json(tuonti(
            db,
            &["projects", "list", "--status", "active", "--format", "json"],
        ));
        let active = active.as_array().unwrap();
        assert_eq!(active.len(), 1);
        let project = &active[0];
        assert_eq!(project["project_number"], "P-001");
        assert_eq!(project["status"], "active");
        assert_eq!(project["status_label"], "Active");
        // Decimals as strings, never floats.
        assert_eq!(project["value"], "12500.00");
        assert_eq!(project["start_date"], "2024-03-01");
        assert_eq!(project["company"]["name"], "Esimerkki Oy");
        assert_eq!(project["project_manager"], "matti@example.fi");
        assert_eq!(project["branch"], "Ohjelmistot");
        assert_eq!(project["contact_person"], "Maija Meikäläinen");

        let done = json(tuonti(
            db,
            &["projects", "list", "--status", "valmis", "--format", "json"],
        ));
        assert_eq!(done[0]["project_number"], "P-002");
        assert_eq!(done[0]["value"], "0.10");
        assert_eq!(done.as_array().unwrap().len(), 1);
        let in_branch = json(tuonti(
            db,
            &[
                "projects",
                "list",
                "--branch",
                "ohjelmistot",
                "--format",
                "json",
            ],
        ));
        assert_eq!(in_branch.as_array().unwrap().len(), 1);

        tuonti(db, &["projects", "list", "--status", "active"])
            .success()
            .stdout(
                predicate::str::contains("P-001")
                    .and(predicate::str::contains("Active"))
                    .and(predicate::str::contains("P-002").not()),
            );
        tuonti_in("fi", db, &["projects", "list", "--status", "käynnissä"])
            .success()
            .stdout(predicate::str::contains("Käynnissä"));
        tuonti(db, &["projects", "list", "--status", "maybe"])
            .code(1)
            .stderr(predicate::str::contains(
                "\"maybe\" is not a project status",
            ));
        tuonti(db, &["projects", "export", "--out", "projects.ods"])
            .code(1)
            .stderr(predicate::str::contains("must end in .xlsx or .csv"));

        // The batch shows its counts per kind, in its table and its JSON.
        tuonti(db, &["batches", "show", "1"]).success().stdout(
            predicate::str::contains("contacts: 2 created")
                .and(predicate::str::contains("projects: 2 created"))
                .and(predicate::str::contains("Companies: 1 created")),
        );
        let batch = json(tuonti(db, &["batches", "show", "1", "--format", "json"]));
        assert_eq!(batch["counts_by_kind"]["companies"]["created"], 1);
        assert_eq!(batch["counts_by_kind"]["contacts"]["created"], 2);
        assert_eq!(batch["counts_by_kind"]["projects"]["created"], 2);
        let batches = json(tuonti(db, &["batches", "list", "--format", "json"]));
        assert_eq!(batches[0]["counts_by_kind"]["projects"]["created"], 2);
        assert_eq!(batches[0]["created"], 5);
    });
}

/// A migration of four files (two groups × two managers, one of them xlsx) from one manifest.
fn migration_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/data/yritykset.xlsx");
    std::fs::copy(example, dir.path().join("helsinki-matti.xlsx")).unwrap();
    std::fs::write(
        dir.path().join("helsinki-liisa.csv"),
        "Yritys;Kaupunki\nLiisan Leipomo Oy;Helsinki\nLiisan Kukka Oy;Helsinki\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tampere-matti.csv"),
        "Yritys;Kaupunki\nMatin Metalli Oy;Tampere\n",
    )
    .unwrap();
    // One row names its own manager: the column overrides the file's choice.
    std::fs::write(
        dir.path().join("tampere-liisa.csv"),
        "Yritys;Kaupunki;Asiakasvastaava\nLiisan Laiva Oy;Tampere;\nMatin Mylly Oy;Tampere;matti@example.fi\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("migration.toml"),
        r#"[defaults]
type = "Asiakas"
manager = "matti@example.fi"
as = "admin@example.fi"
create_groups = true

[[file]]
path = "helsinki-matti.xlsx"
group = "Helsinki"

[[file]]
path = "helsinki-liisa.csv"
group = "Helsinki"
manager = "liisa@example.fi"

[[file]]
path = "tampere-matti.csv"
group = "Tampere"
type = "Liidi"

[[file]]
path = "tampere-liisa.csv"
group = "Tampere"
manager = "Liisa Virtanen"
"#,
    )
    .unwrap();
    dir
}

#[test]
fn a_manifest_imports_each_file_with_its_own_choices() {
    on_each_backend(|db| {
        tuonti(
            db,
            &[
                "init",
                "--admin-name",
                "Pääkäyttäjä",
                "--admin-email",
                "admin@example.fi",
            ],
        )
        .success();
        for (name, email) in [
            ("Matti Meikäläinen", "matti@example.fi"),
            ("Liisa Virtanen", "liisa@example.fi"),
        ] {
            tuonti(db, &["users", "add", "--name", name, "--email", email]).success();
        }
        let dir = migration_folder();
        let manifest = dir.path().join("migration.toml");
        let outcome = json(tuonti(
            db,
            &[
                "import",
                "--manifest",
                path_str(&manifest),
                "--yes",
                "--format",
                "json",
            ],
        ));
        assert_eq!(outcome["counts"]["created"], 17, "{outcome}");
        let files = outcome["files"].as_array().unwrap();
        assert_eq!(files.len(), 4);
        assert_eq!(files[1]["choices"]["account_manager"], "liisa@example.fi");
        assert_eq!(files[1]["choices"]["customer_group"], "Helsinki");
        assert_eq!(files[2]["choices"]["company_type"], "Liidi");

        let companies = json(tuonti(db, &["companies", "list", "--format", "json"]));
        let of = |name: &str| {
            companies
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == name)
                .unwrap_or_else(|| panic!("{name} is not stored"))
                .clone()
        };
        let esimerkki = of("Esimerkki Oy");
        assert_eq!(esimerkki["customer_group"], "Helsinki");
        assert_eq!(esimerkki["account_manager"], "matti@example.fi");
        assert_eq!(
            of("Liisan Leipomo Oy")["account_manager"],
            "liisa@example.fi"
        );
        let metalli = of("Matin Metalli Oy");
        assert_eq!(metalli["customer_group"], "Tampere");
        assert_eq!(metalli["company_type"], "Lead");
        assert_eq!(metalli["account_manager"], "matti@example.fi");
        assert_eq!(of("Liisan Laiva Oy")["account_manager"], "liisa@example.fi");
        assert_eq!(of("Matin Mylly Oy")["account_manager"], "matti@example.fi");

        // The batch records each file's choices.
        tuonti(db, &["batches", "show", "1"])
            .success()
            .stdout(predicate::str::contains(
                "company type Asiakas, customer group Tampere, account manager liisa@example.fi",
            ));
    });
}

#[test]
fn bad_manifests_are_refused_with_their_line_before_anything_is_read() {
    on_each_backend(|db| {
        tuonti(
            db,
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
            db,
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
        let dir = migration_folder();
        let manifest = dir.path().join("bad.toml");
        let write = |text: &str| std::fs::write(&manifest, text).unwrap();
        let head = "[defaults]\ntype = \"Asiakas\"\nmanager = \"matti@example.fi\"\nas = \"admin@example.fi\"\n";

        write(&format!(
            "{head}[[file]]\npath = \"tampere-matti.csv\"\ncolour = \"red\"\n"
        ));
        tuonti(db, &["import", "--manifest", path_str(&manifest), "--yes"])
            .code(1)
            .stderr(predicate::str::contains("bad.toml:7").and(predicate::str::contains("colour")));

        write(&format!(
            "{head}[[file]]\npath = \"tampere-matti.csv\"\ntype = \"Kumppanuus\"\n"
        ));
        tuonti(db, &["import", "--manifest", path_str(&manifest), "--yes"])
            .code(1)
            .stderr(
                predicate::str::contains("bad.toml:7: file[1].type")
                    .and(predicate::str::contains("Kumppanuus")),
            );

        write(&format!(
            "{head}[[file]]\npath = \"tampere-matti.csv\"\nmanager = \"nobody@example.fi\"\n"
        ));
        tuonti(db, &["import", "--manifest", path_str(&manifest), "--yes"])
            .code(1)
            .stderr(predicate::str::contains("bad.toml:7: file[1].manager"));

        write(&format!("{head}[[file]]\npath = \"missing.csv\"\n"));
        tuonti(db, &["import", "--manifest", path_str(&manifest), "--yes"])
            .code(1)
            .stderr(
                predicate::str::contains("bad.toml:6: file[1].path")
                    .and(predicate::str::contains("missing.csv")),
            );

        write(
            "[defaults]\ntype = \"Ei tyyppiä\"\nmanager = \"matti@example.fi\"\nas = \"admin@example.fi\"\n[[file]]\npath = \"tampere-matti.csv\"\n",
        );
        tuonti(db, &["import", "--manifest", path_str(&manifest), "--yes"])
            .code(1)
            .stderr(predicate::str::contains("bad.toml:2: defaults.type"));
        write(
            "[defaults]\ntype = \"Asiakas\"\nmanager = \"nobody@example.fi\"\nas = \"admin@example.fi\"\n[[file]]\npath = \"tampere-matti.csv\"\n",
        );
        tuonti(db, &["import", "--manifest", path_str(&manifest), "--yes"])
            .code(1)
            .stderr(predicate::str::contains("bad.toml:3: defaults.manager"));
        write(
            "[defaults]\ntype = \"Ei tyyppiä\"\nmanager = \"matti@example.fi\"\nas = \"admin@example.fi\"\n[[file]]\npath = \"tampere-matti.csv\"\n",
        );
        // The option overrides the manifest's default.
        tuonti(
            db,
            &[
                "import",
                "--manifest",
                path_str(&manifest),
                "--type",
                "Asiakas",
                "--yes",
            ],
        )
        .success();
        // Nothing but that import was written.
        let companies = json(tuonti(db, &["companies", "list", "--format", "json"]));
        assert_eq!(companies.as_array().unwrap().len(), 1);
    });
}

#[test]
fn reports_by_group_and_status_as_json_csv_table_and_xlsx_with_charts() {
    on_each_backend(|db| {
        let dir = tempfile::tempdir().unwrap();
        // An empty database: zero rows and zero totals, not an error.
        tuonti(db, &["init"]).success();
        let empty = json(tuonti(
            db,
            &["report", "projects", "--by", "group", "--format", "json"],
        ));
        assert_eq!(empty["rows"], serde_json::json!([]));
        assert_eq!(empty["totals"]["projects"], 0);
        assert_eq!(empty["totals"]["value"], "0.00");

        import_contacts_and_projects(db, dir.path());
        let report = json(tuonti(
            db,
            &[
                "report", "projects", "--by", "group", "--by", "status", "--format", "json",
            ],
        ));
        assert_eq!(report["report"], "projects");
        assert_eq!(report["dimensions"], serde_json::json!(["group", "status"]));
        let rows = report["rows"].as_array().unwrap();
        let cells: Vec<(&str, &str, u64, &str, &str)> = rows
            .iter()
            .map(|row| {
                (
                    row["group"].as_str().unwrap(),
                    row["status"].as_str().unwrap(),
                    row["projects"].as_u64().unwrap(),
                    row["value"].as_str().unwrap(),
                    row["active_value"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            cells,
            [
                ("(no group)", "Active", 1, "12500.00", "12500.00"),
                ("(no group)", "Completed", 1, "0.10", "0.00"),
            ]
        );
        assert_eq!(report["totals"]["value"], "12500.10");
        assert_eq!(report["totals"]["by_status"]["completed"], 1);

        let companies = json(tuonti(
            db,
            &["report", "companies", "--by", "manager", "--format", "json"],
        ));
        assert_eq!(companies["rows"][0]["manager"], "Matti M");
        assert_eq!(companies["rows"][0]["companies"], 1);
        assert_eq!(companies["totals"]["projects"], 2);

        // Finnish table, with the totals row.
        tuonti_in("fi", db, &["report", "projects", "--by", "toimiala"])
            .success()
            .stdout(predicate::str::contains("Ohjelmistot"))
            .stdout(predicate::str::contains("(ei toimialaa)"))
            .stdout(predicate::str::contains("Yhteensä"))
            .stdout(predicate::str::contains("12500.10"));

        let csv_path = dir.path().join("raportti.csv");
        tuonti(
            db,
            &[
                "report",
                "projects",
                "--by",
                "branch",
                "--out",
                path_str(&csv_path),
            ],
        )
        .success();
        let csv = std::fs::read_to_string(&csv_path).unwrap();
        assert!(csv.starts_with("\u{feff}Branch;Projects;"), "{csv}");
        assert!(
            csv.contains("\r\nTotal;2;2;0;1;0;1;0;12500.10;12500.00\r\n"),
            "{csv}"
        );

        // A workbook: the sheet's numbers, and two native charts over its data rows.
        let xlsx_path = dir.path().join("raportti.xlsx");
        tuonti(
            db,
            &[
                "report",
                "projects",
                "--by",
                "branch",
                "--format",
                "xlsx",
                "--out",
                path_str(&xlsx_path),
            ],
        )
        .success();
        let bytes = std::fs::read(&xlsx_path).unwrap();
        let sheet = zip_part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<pane ySplit=\"1\""), "frozen header");
        assert!(sheet.contains("<autoFilter ref=\"A1:J3\""), "{sheet}");
        let chart = zip_part(&bytes, "xl/charts/chart1.xml");
        // Categories: the branches (rows 2-3); values: the value column (I).
        assert!(chart.contains("$A$2:$A$3"), "{chart}");
        assert!(chart.contains("$I$2:$I$3"), "{chart}");
        let statuses = zip_part(&bytes, "xl/charts/chart2.xml");
        assert!(
            statuses.contains("<c:grouping val=\"stacked\"/>"),
            "{statuses}"
        );
        for column in ["D", "E", "F", "G", "H"] {
            assert!(
                statuses.contains(&format!("${column}$2:${column}$3")),
                "{statuses}"
            );
        }
        let styles = zip_part(&bytes, "xl/styles.xml");
        assert!(styles.contains("#,##0.00"), "euro format: {styles}");
        use calamine::Reader;
        let mut workbook: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = workbook.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(
            range.get_value((3, 8)),
            Some(&calamine::Data::Float(12500.10))
        );

        // Bad input: clear messages, exit 1, in the user's language.
        for (args, message) in [
            (
                vec!["report", "projects", "--by", "colour"],
                "tuntematon jaottelu \"colour\"",
            ),
            (
                vec![
                    "report", "projects", "--by", "group", "--by", "status", "--by", "type",
                ],
                "ei 3",
            ),
            (
                vec![
                    "report",
                    "projects",
                    "--by",
                    "group",
                    "--from",
                    "2024-02-01",
                    "--to",
                    "1.1.2024",
                ],
                "jakso alkaa (1.2.2024) myöhemmin kuin päättyy (1.1.2024)",
            ),
            (
                vec!["report", "projects", "--by", "group", "--from", "1/2/2024"],
                "\"1/2/2024\" ei ole päivämäärä",
            ),
            (
                vec!["report", "projects", "--by", "group", "--batch", "77"],
                "tuontierää 77 ei ole",
            ),
            (
                vec!["report", "companies", "--by", "status"],
                "report projects",
            ),
        ] {
            tuonti_in("fi", db, &args)
                .code(1)
                .stderr(predicate::str::contains(message));
        }
        tuonti(db, &["report", "projects", "--by", "colour"])
            .code(1)
            .stderr(predicate::str::contains("unknown dimension \"colour\""));
        let batch = json(tuonti(
            db,
            &[
                "report", "projects", "--by", "status", "--batch", "1", "--format", "json",
            ],
        ));
        assert_eq!(batch["totals"]["projects"], 2);
        tuonti(
            db,
            &["batches", "undo", "1", "--as", "admin@example.fi", "--yes"],
        )
        .success();
        // The undo's counts: what it removed, in total and by kind, in its own words.
        let history = json(tuonti(db, &["batches", "list", "--format", "json"]));
        assert_eq!(history[0]["kind"], "undo");
        assert_eq!(history[0]["created"], 5, "{history}");
        assert_eq!(history[0]["counts_by_kind"]["projects"]["created"], 2);
        // (On PostgreSQL a batch id may skip numbers: a sequence is not rolled back.)
        let undo_id = history[0]["id"].to_string();
        tuonti_in("fi", db, &["batches", "show", &undo_id])
            .success()
            .stdout(predicate::str::contains(
                "projektit: 2 poistettu, 0 palautettu",
            ))
            .stdout(predicate::str::contains("Perui erän: 1"));
        // Piped, the table wraps at COLUMNS when the shell exports it.
        Command::cargo_bin("tuonti")
            .unwrap()
            .env_remove("TUONTI_DATABASE_URL")
            .env("COLUMNS", "200")
            .args(["--db", db, "--lang", "sv", "batches", "list"])
            .assert()
            .success()
            .stdout(predicate::str::contains("┆ ångring ┆ genomförd (1) ┆"))
            .stdout(predicate::str::contains(format!(
                "┆ import  ┆ ångrad ({undo_id})"
            )))
            .stdout(predicate::str::contains("−5"));
        tuonti(
            db,
            &["report", "projects", "--by", "status", "--batch", "1"],
        )
        .code(1)
        .stderr(predicate::str::contains("import batch 1 was undone"));
    });
}

/// The old system's salespeople as it knew them: "Liisa" and "Matti", 25 rows each, with
/// three users of whom one shares no name with them.
fn salespeople_file(dir: &std::path::Path) -> std::path::PathBuf {
    let mut text = String::from("Yritys;Myyjä\n");
    for i in 0..50 {
        let seller = if i % 2 == 0 { "Liisa" } else { "matti" };
        text.push_str(&format!("Myyjän Yritys {i} Oy;{seller}\n"));
    }
    let path = dir.join("myyjat.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn init_with_salespeople(db: &str) {
    tuonti(
        db,
        &[
            "init",
            "--admin-name",
            "Pääkäyttäjä",
            "--admin-email",
            "admin@example.fi",
        ],
    )
    .success();
    for (name, email) in [
        ("Matti Meikäläinen", "matti@example.fi"),
        ("Liisa Virtanen", "liisa.virtanen@example.fi"),
        ("Pekka Puupää", "pekka@example.fi"),
    ] {
        tuonti(db, &["users", "add", "--name", name, "--email", email]).success();
    }
}

fn managers_by_company(db: &str) -> std::collections::BTreeMap<String, String> {
    json(tuonti(db, &["companies", "list", "--format", "json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["account_manager"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn unknown_values_are_listed_once_each_and_import_after_mapping_or_accepting_suggestions() {
    on_each_backend(|db| {
        init_with_salespeople(db);
        let dir = tempfile::tempdir().unwrap();
        let file = salespeople_file(dir.path());
        let base = [
            "import",
            path_str(&file),
            "--type",
            "Asiakas",
            "--manager",
            "pekka@example.fi",
            "--as",
            "admin@example.fi",
        ];
        let with = |extra: &[&str]| -> Vec<String> {
            base.iter()
                .chain(extra)
                .map(|arg| (*arg).to_owned())
                .collect()
        };
        let run = |args: &[String]| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            tuonti_at(dir.path(), db, &args)
        };

        // Without mappings: refused, one entry per distinct value, not one per row.
        let output = run(&with(&["--dry-run", "--format", "json"]))
            .code(1)
            .get_output()
            .stdout
            .clone();
        let plan: Value = serde_json::from_slice(&output).unwrap();
        assert_eq!(plan["counts"]["rejected"], 50, "{plan}");
        let unresolved = plan["unresolved_values"].as_array().unwrap();
        assert_eq!(unresolved.len(), 2, "{unresolved:?}");
        assert_eq!(unresolved[0]["field"], "account_manager");
        assert_eq!(unresolved[0]["value"], "Liisa");
        assert_eq!(unresolved[0]["rows"], 25);
        assert_eq!(unresolved[0]["first_rows"].as_array().unwrap().len(), 5);
        assert_eq!(unresolved[0]["first_rows"][0]["row"], 2);
        assert_eq!(
            unresolved[0]["suggestions"][0]["target"],
            "liisa.virtanen@example.fi"
        );
        assert_eq!(unresolved[0]["suggestions"][0]["reason"], "first_name");
        assert_eq!(unresolved[1]["value"], "matti");
        assert_eq!(unresolved[1]["rows"], 25);
        assert_eq!(unresolved[1]["suggestions"].as_array().unwrap().len(), 1);
        // The table lists each value once, with the --value to give.
        run(&with(&["--dry-run"]))
            .code(1)
            .stdout(predicate::str::contains("Unknown values"))
            .stdout(predicate::str::contains(
                "--value \"account_manager:Liisa=liisa.virtanen@example.fi\"",
            ))
            .stdout(predicate::str::contains("no user \"Liisa\"").not());
        assert!(managers_by_company(db).is_empty());

        // --accept-suggestions alone: imported, with a warning per value.
        let outcome = json(run(&with(&[
            "--accept-suggestions",
            "--dry-run",
            "--format",
            "json",
        ])));
        assert_eq!(outcome["counts"]["created"], 50, "{outcome}");
        let accepted = outcome["accepted_suggestions"].as_array().unwrap();
        assert_eq!(accepted.len(), 2);
        assert_eq!(accepted[0]["rows"], 25);
        assert_eq!(accepted[1]["suggestion"]["target"], "matti@example.fi");
        run(&with(&["--accept-suggestions", "--dry-run"]))
            .success()
            .stdout(predicate::str::contains(
                "Warning: Account manager \"Liisa\" read as its suggestion Liisa Virtanen",
            ));

        // Two --value mappings: imported, each company with its salesperson.
        let outcome = json(run(&with(&[
            "--value",
            "account_manager:LIISA=liisa.virtanen@example.fi",
            "--value",
            "manager:Matti=Matti Meikäläinen",
            "--save-profile",
            "Vanha CRM",
            "--yes",
            "--format",
            "json",
        ])));
        assert_eq!(outcome["counts"]["created"], 50, "{outcome}");
        assert!(outcome["unresolved_values"].as_array().unwrap().is_empty());
        let managers = managers_by_company(db);
        assert_eq!(managers["Myyjän Yritys 0 Oy"], "liisa.virtanen@example.fi");
        assert_eq!(managers["Myyjän Yritys 1 Oy"], "matti@example.fi");
        // The batch records the mappings.
        let batch = json(tuonti(db, &["batches", "show", "1", "--format", "json"]));
        let choices: Value =
            serde_json::from_str(batch["files"][0]["choices"].as_str().unwrap()).unwrap();
        assert_eq!(
            choices["values"]["account_manager"]["LIISA"],
            "liisa.virtanen@example.fi"
        );
        tuonti(db, &["batches", "show", "1"])
            .success()
            .stdout(predicate::str::contains(
                "account_manager: \"LIISA\" → liisa.virtanen@example.fi",
            ));

        // The profile keeps the value mappings with the columns.
        tuonti(db, &["profiles", "show", "vanha crm"])
            .success()
            .stdout(predicate::str::contains(
                "--value \"account_manager:LIISA=liisa.virtanen@example.fi\"",
            ));
        let again = json(run(&with(&[
            "--profile",
            "Vanha CRM",
            "--dry-run",
            "--format",
            "json",
        ])));
        assert_eq!(again["counts"]["unchanged"], 50, "{again}");

        // The same mappings from a manifest: [defaults.values...] and the file's own.
        let manifest = dir.path().join("migration.toml");
        std::fs::write(
            &manifest,
            "[defaults]\ntype = \"Asiakas\"\nmanager = \"pekka@example.fi\"\n\
             as = \"admin@example.fi\"\n\n\
             [defaults.values.account_manager]\nLiisa = \"liisa.virtanen@example.fi\"\n\n\
             [[file]]\npath = \"myyjat.csv\"\n[file.values.account_manager]\n\
             matti = \"matti@example.fi\"\n",
        )
        .unwrap();
        let again = json(tuonti(
            db,
            &[
                "import",
                "--manifest",
                path_str(&manifest),
                "--dry-run",
                "--format",
                "json",
            ],
        ));
        assert_eq!(again["counts"]["unchanged"], 50, "{again}");
        assert_eq!(again["counts"]["rejected"], 0, "{again}");
        // A target that cannot be used is refused at its line before any file is read.
        std::fs::write(
            &manifest,
            "[defaults]\ntype = \"Asiakas\"\nmanager = \"pekka@example.fi\"\n\
             as = \"admin@example.fi\"\n\n\
             [[file]]\npath = \"myyjat.csv\"\n[file.values.account_manager]\n\
             matti = \"matti@nowhere.fi\"\n",
        )
        .unwrap();
        tuonti(
            db,
            &["import", "--manifest", path_str(&manifest), "--dry-run"],
        )
        .code(1)
        .stderr(predicate::str::contains(
            "migration.toml:9: file[1].values.account_manager.\"matti\"",
        ))
        .stderr(predicate::str::contains("no user \"matti@nowhere.fi\""));
    });
}

#[test]
fn bad_value_mappings_are_refused_before_anything_is_read() {
    on_each_backend(|db| {
        init_with_salespeople(db);
        tuonti(db, &["users", "deactivate", "pekka@example.fi"]).success();
        let dir = tempfile::tempdir().unwrap();
        let file = salespeople_file(dir.path());
        let refused = |value: &[&str], message: &str| {
            let mut args = vec![
                "import",
                path_str(&file),
                "--type",
                "Asiakas",
                "--manager",
                "matti@example.fi",
                "--as",
                "admin@example.fi",
                "--dry-run",
            ];
            args.extend(value);
            tuonti(db, &args)
                .failure()
                .stderr(predicate::str::contains(message));
        };
        refused(
            &["--value", "phone:Liisa=x"],
            "\"phone\" is not a field whose values can be mapped",
        );
        refused(&["--value", "account_manager=Liisa"], "is not of the form");
        refused(
            &[
                "--value",
                "account_manager:Liisa=liisa.virtanen@example.fi",
                "--value",
                "account_manager:liisa=matti@example.fi",
            ],
            "is mapped twice",
        );
        refused(
            &["--value", "account_manager:Liisa=nobody@example.fi"],
            "no user \"nobody@example.fi\"",
        );
        refused(
            &["--value", "account_manager:Liisa=pekka@example.fi"],
            "is not an active user",
        );
        refused(
            &["--value", "customer_group:Hki=Nowhere"],
            "customer group \"Nowhere\" does not exist",
        );
        assert!(managers_by_company(db).is_empty());
    });
}

#[test]
fn only_the_chosen_rows_are_imported_and_bad_choices_are_refused() {
    on_each_backend(|db| {
        init_with_salespeople(db);
        let dir = tempfile::tempdir().unwrap();
        let file = salespeople_file(dir.path());
        let import = |extra: &[&str]| {
            let mut args = vec![
                "import",
                path_str(&file),
                "--type",
                "Asiakas",
                "--manager",
                "pekka@example.fi",
                "--as",
                "admin@example.fi",
                "--accept-suggestions",
            ];
            args.extend(extra);
            tuonti(db, &args)
        };
        // Rows 2..=4 and 9 are the file's first three companies and its eighth.
        let outcome = json(import(&["--rows", "2-4, 9", "--yes", "--format", "json"]));
        assert_eq!(outcome["counts"]["created"], 4, "{outcome}");
        assert_eq!(outcome["counts"]["skipped"], 46, "{outcome}");
        assert_eq!(outcome["files"][0]["rows_not_selected"], 46);
        assert_eq!(outcome["files"][0]["choices"]["rows"], "2-4,9");
        let names: Vec<String> = managers_by_company(db).into_keys().collect();
        assert_eq!(
            names,
            [
                "Myyjän Yritys 0 Oy",
                "Myyjän Yritys 1 Oy",
                "Myyjän Yritys 2 Oy",
                "Myyjän Yritys 7 Oy"
            ]
        );
        tuonti(db, &["batches", "show", "1"])
            .success()
            .stdout(predicate::str::contains("rows 2-4,9"));

        // Backwards, at the header, past the end, several files: refused, nothing written.
        import(&["--rows", "40-2", "--dry-run"])
            .failure()
            .stderr(predicate::str::contains("40-2 is backwards"));
        import(&["--rows", "1-3", "--yes"])
            .code(1)
            .stderr(predicate::str::contains(
                "row 1 is not a data row; the header is row 1",
            ));
        import(&["--rows", "45-60", "--yes"])
            .code(1)
            .stderr(predicate::str::contains(
                "row 60 is past the file's last row of data, 51",
            ));
        let second = dir.path().join("toinen.csv");
        std::fs::write(&second, "Yritys\nToinen Oy\n").unwrap();
        import(&["--rows", "2", path_str(&second), "--dry-run"])
            .failure()
            .stderr(predicate::str::contains(
                "--rows chooses the rows of one file",
            ));
        assert_eq!(managers_by_company(db).len(), 4);

        // A manifest chooses rows per file; a bad choice names its line.
        let manifest = dir.path().join("rows.toml");
        std::fs::write(
            &manifest,
            "[defaults]\ntype = \"Asiakas\"\nmanager = \"pekka@example.fi\"\n\
             as = \"admin@example.fi\"\n\n[[file]]\npath = \"myyjat.csv\"\nrows = \"10-11\"\n",
        )
        .unwrap();
        let outcome = json(tuonti(
            db,
            &[
                "import",
                "--manifest",
                path_str(&manifest),
                "--accept-suggestions",
                "--yes",
                "--format",
                "json",
            ],
        ));
        assert_eq!(outcome["counts"]["created"], 2, "{outcome}");
        assert_eq!(managers_by_company(db).len(), 6);
        std::fs::write(
            &manifest,
            "[[file]]\npath = \"myyjat.csv\"\nrows = \"11-10\"\n",
        )
        .unwrap();
        tuonti(
            db,
            &["import", "--manifest", path_str(&manifest), "--dry-run"],
        )
        .code(1)
        .stderr(predicate::str::contains("rows.toml:3: file[1].rows"))
        .stderr(predicate::str::contains("11-10 is backwards"));
    });
}

#[test]
fn statuses_and_countries_map_like_the_linked_columns() {
    on_each_backend(|db| {
        init_with_salespeople(db);
        let dir = tempfile::tempdir().unwrap();
        let companies = dir.path().join("yritykset.csv");
        std::fs::write(
            &companies,
            "Yritys;Maa\nSvea Ab;Sverge\nSuomi Oy;Suomni\nKesken Oy;FI\n",
        )
        .unwrap();
        let projects = dir.path().join("projektit.csv");
        std::fs::write(
            &projects,
            "Projektinumero;Projektin nimi;Yritys;Tila\n\
             P1;Eka;Svea Ab;Käynnisä\nP2;Toka;Suomi Oy;kesken\nP3;Kolmas;Kesken Oy;KESKEN\n",
        )
        .unwrap();
        let base = [
            "import",
            path_str(&companies),
            path_str(&projects),
            "--type",
            "Asiakas",
            "--manager",
            "matti@example.fi",
            "--as",
            "admin@example.fi",
        ];
        let run = |extra: &[&str]| {
            let args: Vec<&str> = base.iter().chain(extra).copied().collect();
            tuonti_at(dir.path(), db, &args)
        };
        let output = run(&["--dry-run", "--format", "json"])
            .code(1)
            .get_output()
            .stdout
            .clone();
        let plan: Value = serde_json::from_slice(&output).unwrap();
        let unresolved: Vec<(String, String, u64, String)> = plan["unresolved_values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|value| {
                (
                    value["field"].as_str().unwrap().to_owned(),
                    value["value"].as_str().unwrap().to_owned(),
                    value["rows"].as_u64().unwrap(),
                    value["suggestions"][0]["target"]
                        .as_str()
                        .unwrap_or("")
                        .to_owned(),
                )
            })
            .collect();
        // Each value once, however it is written ("kesken", "KESKEN").
        assert_eq!(
            unresolved,
            [
                ("country".into(), "Sverge".into(), 1, "SE".into()),
                ("country".into(), "Suomni".into(), 1, "FI".into()),
                ("status".into(), "Käynnisä".into(), 1, "käynnissä".into()),
                ("status".into(), "kesken".into(), 2, String::new()),
            ],
            "{plan}"
        );
        let outcome = json(run(&[
            "--value",
            "status:kesken=käynnissä",
            "--accept-suggestions",
            "--yes",
            "--format",
            "json",
        ]));
        assert_eq!(outcome["counts"]["created"], 6, "{outcome}");
        let accepted: Vec<&str> = outcome["accepted_suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["value"].as_str().unwrap())
            .collect();
        assert_eq!(accepted, ["Sverge", "Suomni", "Käynnisä"]);
        let stored = json(tuonti(db, &["companies", "list", "--format", "json"]));
        let country = |name: &str| {
            stored
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["name"] == name)
                .map(|c| c["country"].as_str().unwrap().to_owned())
                .unwrap()
        };
        assert_eq!(country("Svea Ab"), "SE");
        assert_eq!(country("Suomi Oy"), "FI");
        let projects = json(tuonti(db, &["projects", "list", "--format", "json"]));
        let statuses: Vec<&str> = projects
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["active", "active", "active"]);
    });
}

/// `tuonti companies list | head`: the reader stops early; tuonti ends quietly (exit 141, as
/// SIGPIPE's default would), without a panic message.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let database = TestDatabase::sqlite().unwrap();
    let db = database.url();
    init_with_salespeople(&db);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("paljon.csv");
    let mut text = String::from("Yritys;Katuosoite;Kaupunki\n");
    for i in 0..3_000 {
        text.push_str(&format!(
            "Pitkänimisen Esimerkkiyrityksen Haara {i} Oy;Katu {i};Helsinki\n"
        ));
    }
    std::fs::write(&file, text).unwrap();
    tuonti_at(
        dir.path(),
        &db,
        &[
            "import",
            path_str(&file),
            "--type",
            "Asiakas",
            "--manager",
            "matti@example.fi",
            "--as",
            "admin@example.fi",
            "--yes",
        ],
    )
    .success();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tuonti"))
        .args([
            "--db",
            &db,
            "--lang",
            "en",
            "companies",
            "list",
            "--format",
            "json",
        ])
        .env_remove("TUONTI_DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is closed here, with most of the output unread.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(141), "{stderr}");
}

/// The files of the language comparison: a manifest without a company type, columns to
/// ignore, a company to update, a company file with errors and unknown values, and a company,
/// contact and project file that import cleanly.
const LANGUAGE_FILES: [(&str, &str); 7] = [
    ("ilman-tyyppia.toml", "[[file]]\npath = \"yritykset.csv\"\n"),
    (
        "sekalaiset.csv",
        "Yritys;Lempiväri;;Yritys\nA Oy;sininen;x;B Oy\n",
    ),
    (
        "kaupungit.csv",
        "Asiakasnumero;Yritys;Y-tunnus;Postitoimipaikka\n001;Esimerkki Oy;0112038-9;Helsinki\n",
    ),
    (
        "asiakkaat.csv",
        "Asiakasnumero;Yritys;Y-tunnus;Sähköposti;Asiakkuusjohtaja;Asiakkuusryhmä\n\
         101;Hyvä Oy;2345678-0;info@hyva.fi;matti@example.fi;Helsinki\n\
         102;Huono Oy;0112038-8;ei-osoite;Liisa;Tampere\n\
         103;;;;;\n",
    ),
    (
        "yritykset.csv",
        "Asiakasnumero;Yritys;Y-tunnus\n001;Esimerkki Oy;0112038-9\n",
    ),
    (
        "yhteyshenkilot.csv",
        "Asiakasnumero;Etunimi;Sukunimi;Sähköposti\n\
         001;Maija;Meikäläinen;maija@esimerkki.fi\n\
         001;Pekka;Puupää;\n",
    ),
    (
        "projektit.csv",
        "Projektinumero;Projektin nimi;Asiakasnumero;Tila;Aloituspäivä;Arvo (€);Toimiala;Yhteyshenkilö;Projektipäällikkö\n\
         P-001;Verkkosivut;001;Käynnissä;1.3.2024;12 500,00 €;Ohjelmistot;maija@esimerkki.fi;matti@example.fi\n\
         P-002;Varasto;001;Valmis;;0,10;;;\n",
    ),
];

/// The commands of the language comparison, run in this order on a fresh database (`tuonti.db`
/// in the working folder): setup, template, check, a refused dry run, imports, listings,
/// reports, an undo and refused arguments.
#[rustfmt::skip]
const LANGUAGE_COMMANDS: &[&[&str]] = &[
    &["init", "--admin-name", "Anna Admin", "--admin-email", "admin@example.fi"],
    &["init"],
    &["users", "add", "--name", "Matti Meikäläinen", "--email", "matti@example.fi"],
    &["users", "add", "--name", "Liisa Virtanen", "--email", "liisa.virtanen@example.fi"],
    &["users", "list"],
    &["types", "add", "--fi", "Toimittaja", "--sv", "Leverantör", "--en", "Supplier"],
    &["types", "list"],
    &["groups", "list"],
    &["groups", "add", "Helsinki"],
    &["groups", "list"],
    &["branches", "add", "Rakentaminen"],
    &["branches", "list"],
    &["template", "--out", "pohja.xlsx"],
    &["check", "business-id", "0112038-9", "0112038-8", "FI01120389"],
    &["check", "email", "matti@example.fi", "ei-osoite"],
    &["inspect", "asiakkaat.csv"],
    &[
        "import", "asiakkaat.csv", "--type", "Asiakas", "--manager", "matti@example.fi", "--as",
        "admin@example.fi", "--dry-run",
    ],
    &[
        "import", "yritykset.csv", "yhteyshenkilot.csv", "projektit.csv", "--type", "Asiakas",
        "--manager", "matti@example.fi", "--as", "admin@example.fi", "--create-branches",
        "--dry-run",
    ],
    &[
        "import", "yritykset.csv", "yhteyshenkilot.csv", "projektit.csv", "--type", "Asiakas",
        "--manager", "matti@example.fi", "--as", "admin@example.fi", "--create-branches",
        "--yes",
    ],
    &[
        "import", "yritykset.csv", "yhteyshenkilot.csv", "projektit.csv", "--type", "Asiakas",
        "--manager", "matti@example.fi", "--as", "admin@example.fi", "--create-branches",
        "--yes",
    ],
    &[
        "import", "asiakkaat.csv", "--type", "Asiakas", "--manager", "matti@example.fi", "--as",
        "admin@example.fi", "--skip-invalid", "--accept-suggestions", "--create-groups",
        "--save-profile", "Asiakkaat", "--yes",
    ],
    &[
        "import", "kaupungit.csv", "--type", "Asiakas", "--manager", "matti@example.fi", "--as",
        "admin@example.fi", "--on-duplicate", "fill-empty", "--rows", "2", "--dry-run",
    ],
    &["batches", "list"],
    &["batches", "show", "1"],
    &["batches", "show", "2"],
    &["companies", "list"],
    &["contacts", "list"],
    &["projects", "list"],
    &["companies", "list", "--limit", "1", "--offset", "1"],
    &["companies", "list", "--offset", "900"],
    &["contacts", "list", "--limit", "0"],
    &["projects", "list", "--offset", "1", "--format", "csv"],
    &["profiles", "list"],
    &["profiles", "show", "Asiakkaat"],
    &["report", "companies", "--by", "group"],
    &["report", "projects", "--by", "status", "--by", "manager"],
    &["companies", "export", "--out", "vienti.xlsx"],
    &["batches", "undo", "2", "--as", "admin@example.fi"],
    &["batches", "undo", "2", "--as", "admin@example.fi", "--yes"],
    &["groups", "add", "helsinki"],
    &["groups", "remove", "Tampere"],
    &["branches", "remove", "Ohjelmistot"],
    &["branches", "remove", "Ohjelmistot", "--move-to", "Rakentaminen", "--unassign"],
    &["branches", "remove", "Ohjelmistot", "--unassign"],
    &["check", "nonsense", "x"],
    &["check", "phone", "--country", "Narnia", "123"],
    &["import", "asiakkaat.csv", "--type", "Asiakas", "--dry-run"],
    &[
        "import", "asiakkaat.csv", "--type", "Asiakas", "--manager", "matti@example.fi", "--as",
        "admin@example.fi", "--value", "account_manager=Liisa", "--dry-run",
    ],
    &[
        "import", "asiakkaat.csv", "yritykset.csv", "--type", "Asiakas", "--manager",
        "matti@example.fi", "--as", "admin@example.fi", "--rows", "2", "--dry-run",
    ],
    &["users", "deactivate", "nobody@example.fi"],
    &["import", "--manifest", "ilman-tyyppia.toml", "--dry-run"],
    &["--db", "puuttuu.db", "users", "list"],
    &["inspect", "sekalaiset.csv", "--map", "Lempiväri=ignore"],
    &["users", "set-role", "liisa.virtanen@example.fi", "admin"],
    &["users", "deactivate", "liisa.virtanen@example.fi", "--move-to", "matti@example.fi"],
    &["users", "activate", "liisa.virtanen@example.fi"],
    &["users", "login-link", "admin@example.fi"],
    &["types", "rename", "Toimittaja", "--sv", "Leverantörer"],
    &["types", "archive", "Toimittaja", "--move-to", "Asiakas"],
    &["types", "restore", "Toimittaja"],
    &["types", "list", "--all"],
    &["groups", "rename", "Helsinki", "Helsingin ryhmä"],
    &["groups", "remove", "Helsingin ryhmä", "--unassign"],
    &["branches", "rename", "Rakentaminen", "Rakennus"],
    &["contacts", "export", "--out", "yhteyshenkilot-ulos.csv"],
    &["projects", "export", "--out", "projektit-ulos.csv"],
    &["report", "projects", "--by", "status", "--out", "raportti.csv"],
    &["profiles", "save", "Visma", "--map", "Yritys=name", "--map", "Lempiväri=ignore"],
    &["profiles", "save", "Visma", "--map", "Yritys=name"],
    &["profiles", "show", "Visma"],
    &["profiles", "delete", "Visma"],
];

/// Words that are the same in Swedish and English and right in both.
const SAME_IN_SWEDISH_AND_ENGLISH: [&str; 3] = ["Status", "Cell", "import"];

/// A piece of a command's output compared across languages: a line, or a table as logical
/// rows of cells (a cell wrapped on several lines joined again).
#[derive(Debug)]
enum Piece {
    Line(String),
    Table(Vec<Vec<String>>),
}

/// The output as pieces. A table is `comfy_table`'s UTF8_FULL_CONDENSED: a row of it starts
/// where its first cell is not empty; lines before the `╞` line are the header.
fn pieces(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut table: Option<(Vec<Vec<String>>, bool)> = None;
    for line in text.lines() {
        let trimmed = line.trim_end();
        match (&mut table, trimmed.chars().next()) {
            (None, Some('┌')) => table = Some((Vec::new(), true)),
            (Some((rows, header)), Some('╞')) => {
                *header = false;
                rows.push(Vec::new());
            }
            (Some((rows, header)), Some('│')) => {
                let cells: Vec<String> = trimmed
                    .trim_start_matches('│')
                    .trim_end_matches('│')
                    .split('┆')
                    .map(|cell| cell.trim().to_owned())
                    .collect();
                let continues = if *header {
                    !rows.is_empty()
                } else {
                    rows.last().is_some_and(|row| !row.is_empty())
                        && cells.first().is_some_and(String::is_empty)
                };
                if continues {
                    let row = rows.last_mut().unwrap();
                    for (cell, more) in row.iter_mut().zip(cells) {
                        if !more.is_empty() {
                            if !cell.is_empty() {
                                cell.push(' ');
                            }
                            cell.push_str(&more);
                        }
                    }
                } else if rows.last().is_some_and(Vec::is_empty) {
                    *rows.last_mut().unwrap() = cells;
                } else {
                    rows.push(cells);
                }
            }
            (Some((rows, _)), Some('└')) => {
                rows.retain(|row| !row.is_empty());
                pieces.push(Piece::Table(std::mem::take(rows)));
                table = None;
            }
            (Some(_), _) => {}
            (None, _) => pieces.push(Piece::Line(trimmed.to_owned())),
        }
    }
    pieces
}

/// Compares one text in the three languages: Swedish the same as English where Finnish
/// differs is untranslated, and Swedish the same as Finnish where English differs is Finnish
/// in the Swedish output. Texts of as many `label: value` parts in all three are compared part
/// by part; with `peel_label` (an error's "virhe: ", "fel: ", "error: "), a first label is
/// compared on its own and the rest after it, so that a message is checked after its label.
fn compare_texts(
    [fi, sv, en]: [&str; 3],
    peel_label: bool,
    place: &str,
    failures: &mut Vec<String>,
) {
    let n_parts = |text: &str| text.matches(": ").count();
    if n_parts(fi) == n_parts(sv) && n_parts(sv) == n_parts(en) {
        for ((fi, sv), en) in fi.split(": ").zip(sv.split(": ")).zip(en.split(": ")) {
            compare_part([fi, sv, en], place, failures);
        }
        return;
    }
    match (
        fi.split_once(": "),
        sv.split_once(": "),
        en.split_once(": "),
    ) {
        (Some((fi_label, fi_rest)), Some((sv_label, sv_rest)), Some((en_label, en_rest)))
            if peel_label =>
        {
            compare_part([fi_label, sv_label, en_label], place, failures);
            compare_texts([fi_rest, sv_rest, en_rest], false, place, failures);
        }
        _ => compare_part([fi, sv, en], place, failures),
    }
}

/// Compares one part of a text (see `compare_texts`).
fn compare_part([fi, sv, en]: [&str; 3], place: &str, failures: &mut Vec<String>) {
    // Spaces do not count (a table cell wrapped in one language and not in another is the same
    // text), and neither do numbers (times and counts that differ between the runs).
    let squeezed = |text: &str| {
        let mut squeezed = String::with_capacity(text.len());
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            if !c.is_ascii_digit() {
                squeezed.push(c);
            } else if !squeezed.ends_with('#') {
                squeezed.push('#');
            }
        }
        squeezed
    };
    let (fi_part, sv_part, en_part) = (squeezed(fi), squeezed(sv), squeezed(en));
    if sv_part.is_empty() || SAME_IN_SWEDISH_AND_ENGLISH.contains(&sv.trim()) {
        return;
    }
    if sv_part == en_part && fi_part != en_part {
        failures.push(format!(
            "{place}: Swedish is English: {:?} (fi {:?})",
            sv.trim(),
            fi.trim()
        ));
    } else if sv_part == fi_part && en_part != fi_part {
        failures.push(format!(
            "{place}: Swedish is Finnish: {:?} (en {:?})",
            sv.trim(),
            en.trim()
        ));
    }
}

/// Compares one stream's pieces in the three languages (`peel_label` as `compare_texts`).
fn compare_outputs(
    [fi, sv, en]: [&str; 3],
    peel_label: bool,
    place: &str,
    failures: &mut Vec<String>,
) {
    let (fi, sv, en) = (pieces(fi), pieces(sv), pieces(en));
    if fi.len() != sv.len() || sv.len() != en.len() {
        failures.push(format!(
            "{place}: {} / {} / {} lines and tables in fi / sv / en",
            fi.len(),
            sv.len(),
            en.len()
        ));
    }
    for (index, ((fi, sv), en)) in fi.iter().zip(&sv).zip(&en).enumerate() {
        match (fi, sv, en) {
            (Piece::Line(fi), Piece::Line(sv), Piece::Line(en)) => {
                let place = format!("{place} line {} {sv:?}", index + 1);
                compare_texts([fi, sv, en], peel_label, &place, failures);
            }
            (Piece::Table(fi), Piece::Table(sv), Piece::Table(en)) => {
                if fi.len() != sv.len() || sv.len() != en.len() {
                    failures.push(format!(
                        "{place} table {}: {} / {} / {} rows in fi / sv / en",
                        index + 1,
                        fi.len(),
                        sv.len(),
                        en.len()
                    ));
                }
                for (row, ((fi, sv), en)) in fi.iter().zip(sv).zip(en).enumerate() {
                    for (column, ((fi, sv), en)) in fi.iter().zip(sv).zip(en).enumerate() {
                        let place = format!(
                            "{place} table {} row {row} column {}",
                            index + 1,
                            column + 1
                        );
                        compare_texts([fi, sv, en], false, &place, failures);
                    }
                }
            }
            _ => failures.push(format!(
                "{place} piece {}: a line in one language, a table in another",
                index + 1
            )),
        }
    }
}

/// What a command printed, with its folder (which differs between the runs) as `<dir>`.
fn normalized(bytes: &[u8], dir: &std::path::Path) -> String {
    String::from_utf8_lossy(bytes).replace(path_str(dir), "<dir>")
}

/// Every text the CLI prints exists in Swedish: the same commands with `--lang fi`, `sv` and
/// `en` on fresh databases (SQLite: the languages do not depend on the backend), compared line
/// by line and table cell by table cell. A line or cell that is the same in Swedish and English
/// but not in Finnish is untranslated; one that is the same in Swedish and Finnish but not in
/// English is Finnish in the Swedish output. Texts from the library crates (issues,
/// refusals) are checked too.
#[test]
fn every_text_comes_in_finnish_swedish_and_english() {
    let langs = ["fi", "sv", "en"];
    let dirs: Vec<tempfile::TempDir> = langs.iter().map(|_| tempfile::tempdir().unwrap()).collect();
    for dir in &dirs {
        for (name, text) in LANGUAGE_FILES {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
    }
    let mut failures = Vec::new();
    let mut swedish = String::new();
    for args in LANGUAGE_COMMANDS {
        let outputs: Vec<(Option<i32>, String, String)> = langs
            .iter()
            .zip(&dirs)
            .map(|(lang, dir)| {
                let output = tuonti_at_in(lang, dir.path(), "tuonti.db", args)
                    .get_output()
                    .clone();
                (
                    output.status.code(),
                    normalized(&output.stdout, dir.path()),
                    normalized(&output.stderr, dir.path()),
                )
            })
            .collect();
        let command = format!("`tuonti {}`", args.join(" "));
        let [
            (fi_code, fi_out, fi_err),
            (sv_code, sv_out, sv_err),
            (en_code, en_out, en_err),
        ] = outputs.as_slice()
        else {
            unreachable!()
        };
        if fi_code != sv_code || sv_code != en_code {
            failures.push(format!(
                "{command}: exit codes {fi_code:?} / {sv_code:?} / {en_code:?} in fi / sv / en"
            ));
        }
        swedish.push_str(sv_out);
        swedish.push_str(sv_err);
        let stdout = format!("{command} stdout");
        compare_outputs([fi_out, sv_out, en_out], false, &stdout, &mut failures);
        let stderr = format!("{command} stderr");
        compare_outputs([fi_err, sv_err, en_err], true, &stderr, &mut failures);
    }
    // The comparison saw Swedish where it should.
    for text in [
        "Lade till användaren Matti Meikäläinen <matti@example.fi> (användare)",
        "│ ID ┆ Företag      ┆ FO-nummer ┆ Ort ┆ Företagstyp ┆ Kundgrupp ┆ Kundansvarig     │",
        "Importerades som omgång 1: 5 nya, 0 uppdaterade.",
        "Samma filer har redan importerats i omgång 1; ingenting ändrades.",
        "Felarbetsbok: asiakkaat-fel.xlsx",
        "Omgång 2 (ångrades med omgång 3)",
        "fel: Utan terminal görs en ångring bara med --yes.",
        // A change names its field as the Swedish template does.
        "Uppdatering Esimerkki Oy: Postanstalt ∅ -> Helsinki",
    ] {
        if !swedish.contains(text) {
            failures.push(format!("no {text:?} in the Swedish output"));
        }
    }
    // The files the CLI names by language.
    for (dir, name) in dirs.iter().zip([
        "asiakkaat-virheet.xlsx",
        "asiakkaat-fel.xlsx",
        "asiakkaat-errors.xlsx",
    ]) {
        if !dir.path().join(name).exists() {
            failures.push(format!("no error workbook {name}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} texts not in Swedish:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `tuonti check` without `--lang`, with `vars` set and every other language variable removed.
fn check_with_env(vars: &[(&str, &str)]) -> String {
    let mut command = Command::cargo_bin("tuonti").unwrap();
    for var in ["TUONTI_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        command.env_remove(var);
    }
    command.envs(vars.iter().copied());
    let output = command
        .args(["check", "business-id", "0112038-9"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(output).unwrap()
}

#[test]
fn the_language_comes_from_tuonti_lang_or_the_locale() {
    let swedish = "Giltigt";
    let finnish = "Kelpaa";
    let english = "Valid";
    let language_of = |vars: &[(&str, &str)]| {
        let output = check_with_env(vars);
        [(finnish, "fi"), (swedish, "sv"), (english, "en")]
            .into_iter()
            .find(|(word, _)| output.contains(word))
            .map(|(_, lang)| lang)
            .unwrap_or_else(|| panic!("no language in {output}"))
    };
    assert_eq!(language_of(&[]), "en");
    assert_eq!(language_of(&[("TUONTI_LANG", "sv")]), "sv");
    assert_eq!(language_of(&[("LANG", "sv_FI.UTF-8")]), "sv");
    assert_eq!(language_of(&[("LANG", "sv_SE.UTF-8")]), "sv");
    assert_eq!(language_of(&[("LANG", "fi_FI.UTF-8")]), "fi");
    assert_eq!(
        language_of(&[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "sv_FI.UTF-8")]),
        "sv"
    );
    assert_eq!(
        language_of(&[("LANG", "fi_FI.UTF-8"), ("LC_ALL", "sv_FI.UTF-8")]),
        "sv"
    );
    // TUONTI_LANG over the locale, --lang over both.
    assert_eq!(
        language_of(&[("LANG", "fi_FI.UTF-8"), ("TUONTI_LANG", "sv")]),
        "sv"
    );
    let output = Command::cargo_bin("tuonti")
        .unwrap()
        .env("TUONTI_LANG", "fi")
        .env("LANG", "fi_FI.UTF-8")
        .args(["--lang", "sv", "check", "business-id", "0112038-9"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(output).unwrap().contains(swedish));
}

/// A file that makes the spreadsheet reader (calamine) panic — found by fuzzing, kept in
/// crates/excel-template/tests/fixtures/fuzz — gets the clean error alone: no "thread
/// 'main' panicked at …" line and no backtrace before it, even with RUST_BACKTRACE set.
#[test]
fn a_reader_panic_prints_nothing_but_the_clean_error() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../excel-template/tests/fixtures/fuzz/calamine-cfb-index.bin"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vanha.xls");
    std::fs::copy(fixture, &file).unwrap();
    for (lang, words) in [
        ("en", "the xls file is truncated or damaged"),
        ("fi", "xls-tiedosto on katkennut tai vioittunut"),
        ("sv", "xls-filen är avbruten eller skadad"),
    ] {
        let output = Command::cargo_bin("tuonti")
            .unwrap()
            .env_remove("TUONTI_DATABASE_URL")
            .env_remove("TUONTI_LANG")
            .env("RUST_BACKTRACE", "1")
            .args(["--lang", lang, "inspect", path_str(&file)])
            .assert()
            .code(1)
            .get_output()
            .clone();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("vanha.xls") && stderr.contains(words),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// A bad command line is told in the user's language too (clap writes English only): an
/// unknown flag with its suggestion, a value that is not allowed with the allowed ones, a
/// missing value, missing required arguments, an unknown command; the language from
/// `--lang` (before or after the command, with `=` or not) or `TUONTI_LANG`.
#[test]
fn argument_errors_come_in_finnish_swedish_and_english() {
    let cases: [(&[&str], [&str; 3]); 6] = [
        (
            &["import", "x.xlsx", "--tpye", "Asiakas"],
            [
                "virhe: tuntematon valitsin '--tpye' (tarkoititko '--type'?)",
                "fel: okänd flagga '--tpye' (menade du '--type'?)",
                "error: unexpected argument '--tpye' found",
            ],
        ),
        (
            &["report", "projects", "--by", "group", "--format", "pdf"],
            [
                "virhe: 'pdf' ei käy valitsimen '--format <FORMAT>' arvoksi; mahdolliset arvot: table, json, csv, xlsx",
                "fel: 'pdf' är inget giltigt värde för '--format <FORMAT>'; möjliga värden: table, json, csv, xlsx",
                "error: invalid value 'pdf' for '--format <FORMAT>'",
            ],
        ),
        (
            &["companies", "list", "--type"],
            [
                "virhe: valitsimelle '--type <COMPANY_TYPE>' puuttuu arvo",
                "fel: '--type <COMPANY_TYPE>' saknar ett värde",
                "error: a value is required for '--type <COMPANY_TYPE>'",
            ],
        ),
        (
            &["import"],
            [
                "virhe: seuraavat pakolliset valitsimet puuttuvat:\n  --type <COMPANY_TYPE>",
                "fel: följande obligatoriska flaggor saknas:\n  --type <COMPANY_TYPE>",
                "error: the following required arguments were not provided:",
            ],
        ),
        (
            &["batches", "--db", "x.db"],
            [
                "virhe: 'tuonti batches' tarvitsee komennon; komennot: list, show, undo, help",
                "fel: 'tuonti batches' behöver ett kommando; kommandon: list, show, undo, help",
                "error: 'tuonti batches' requires a subcommand but one was not provided",
            ],
        ),
        (
            &["companies", "lst"],
            [
                "virhe: tuntematon komento 'lst' (tarkoititko 'list'?)",
                "fel: okänt kommando 'lst' (menade du 'list'?)",
                "error: unrecognized subcommand 'lst'",
            ],
        ),
    ];
    for (args, expected) in cases {
        for (lang, first_line) in ["fi", "sv", "en"].into_iter().zip(expected) {
            for how in 0..3 {
                let mut command = Command::cargo_bin("tuonti").unwrap();
                command
                    .env_remove("TUONTI_DATABASE_URL")
                    .env_remove("TUONTI_LANG")
                    .env("LANG", "C");
                match how {
                    0 => command.args(["--lang", lang]).args(args),
                    1 => command.args(args).arg(format!("--lang={lang}")),
                    _ => command.env("TUONTI_LANG", lang).args(args),
                };
                let output = command.assert().code(1).get_output().clone();
                let stderr = String::from_utf8(output.stderr).unwrap();
                assert!(
                    stderr.starts_with(first_line),
                    "{args:?} in {lang} ({how}): {stderr}"
                );
                if lang != "en" {
                    assert!(
                        stderr.contains("tuonti --help"),
                        "{args:?} in {lang}: {stderr}"
                    );
                }
            }
        }
    }
}

/// What `tuonti ARGS...` prints on standard output (and exits 0), with `TUONTI_LANG` as given,
/// `LANG=C` and no other language or database variables, and no terminal (help 100 wide).
fn help_output(tuonti_lang: Option<&str>, args: &[&str]) -> String {
    let mut command = Command::cargo_bin("tuonti").unwrap();
    command
        .env_remove("TUONTI_DATABASE_URL")
        .env_remove("TUONTI_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("COLUMNS")
        .env("LANG", "C")
        .write_stdin("");
    if let Some(lang) = tuonti_lang {
        command.env("TUONTI_LANG", lang);
    }
    let output = command.args(args).assert().success().get_output().clone();
    String::from_utf8(output.stdout).unwrap()
}

fn assert_has(output: &str, lines: &[&str]) {
    for line in lines {
        assert!(output.contains(line), "{line:?} is missing from:\n{output}");
    }
}

fn assert_has_none(output: &str, lines: &[&str]) {
    for line in lines {
        assert!(!output.contains(line), "{line:?} is in:\n{output}");
    }
}

/// clap's own English words, which Finnish and Swedish help must not show.
const CLAP_ENGLISH: [&str; 9] = [
    "Usage:",
    "Arguments:",
    "Options:",
    "Commands:",
    "[default:",
    "[env:",
    "Possible values",
    "[possible values:",
    "Print help",
];

#[test]
fn help_comes_in_finnish_swedish_and_english() {
    let finnish = help_output(None, &["--lang", "fi", "import", "--help"]);
    assert!(
        finnish.starts_with("Tuo yritykset, yhteyshenkilöt ja projektit taulukkotiedostoista"),
        "{finnish}"
    );
    assert_has(
        &finnish,
        &[
            "\nKäyttö: tuonti import [OPTIONS] [FILES]...\n",
            "\nArgumentit:\n  [FILES]...\n          Tuotavat tiedostot\n",
            "\nValitsimet:\n      --db <DB>\n          Tietokanta: SQLite-tiedoston polku",
            "[ympäristömuuttuja: TUONTI_DATABASE_URL=]",
            "[oletus: tuonti.db]",
            "      --dry-run\n          Pelkkä suunnitelma (kuivaharjoitus): näytä, mitä",
            "Mitä tehdään yrityksille, jotka on jo tallennettu [oletus: skip]",
            "          Mahdolliset arvot:\n          - skip:       Jätä tallennetut yritykset \
             ennalleen\n          - fill-empty: Täytä tallennettujen yritysten tyhjät kentät\n",
            "Mihin virhetyökirja kirjoitetaan (oletus: FILE-errors.xlsx",
            "  -h, --help\n          Näytä ohje (tiivistelmä: '-h')\n",
        ],
    );
    assert_has_none(&finnish, &CLAP_ENGLISH);
    assert_has_none(&finnish, &["The files to import", "Plan only"]);

    let swedish = help_output(None, &["import", "--help", "--lang=sv"]);
    assert_has(
        &swedish,
        &[
            "\nAnvändning: tuonti import [OPTIONS] [FILES]...\n",
            "\nArgument:\n  [FILES]...\n          Filerna som ska importeras\n",
            "\nFlaggor:\n",
            "[miljövariabel: TUONTI_DATABASE_URL=]",
            "Bara en plan (provkörning): visa vad som skulle hända och skriv ingenting",
            "          Möjliga värden:\n          - skip:       Lämna sparade företag som de är\n",
            "Var felarbetsboken skrivs",
            "[standard: table]",
            "  -h, --help\n          Visa hjälp (en sammanfattning med '-h')\n",
        ],
    );
    assert_has_none(&swedish, &CLAP_ENGLISH);

    // TUONTI_LANG, and -h, the summary.
    let report = help_output(Some("sv"), &["report", "--help"]);
    assert_has(
        &report,
        &[
            "Rapporter: företag och projekt räknade",
            "\nAnvändning: tuonti report [OPTIONS] <SUBJECT>\n",
            "\nArgument:\n  <SUBJECT>\n          Vad som räknas\n",
            "- companies: Företag, med antalet projekt och projektens värde",
            "Periodens första dag (2024-01-31 eller 31.1.2024)",
        ],
    );
    assert_has_none(&report, &CLAP_ENGLISH);
    let summary = help_output(Some("sv"), &["report", "-h"]);
    assert_has(
        &summary,
        &[
            "[möjliga värden: companies, projects]",
            "[möjliga värden: table, json, csv, xlsx]",
            "Visa hjälp (mer med '--help')\n",
        ],
    );
    assert_has_none(&summary, &CLAP_ENGLISH);
    // --lang wins over TUONTI_LANG, as for messages.
    let finnish_report = help_output(Some("sv"), &["report", "-h", "--lang", "fi"]);
    assert_has(
        &finnish_report,
        &["[mahdolliset arvot: companies, projects]"],
    );

    // The locale, when neither --lang nor TUONTI_LANG tells.
    let output = Command::cargo_bin("tuonti")
        .unwrap()
        .env_remove("TUONTI_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "fi_FI.UTF-8")
        .args(["batches", "undo", "-h"])
        .write_stdin("")
        .assert()
        .success()
        .get_output()
        .clone();
    assert_has(
        &String::from_utf8(output.stdout).unwrap(),
        &[
            "Peru tuontierä: poista sen luomat yritykset",
            "Käyttö: tuonti batches undo",
        ],
    );

    // English stays clap's.
    let english = help_output(None, &["import", "--help"]);
    assert_has(
        &english,
        &[
            "\nUsage: tuonti import [OPTIONS] [FILES]...\n",
            "\nArguments:\n  [FILES]...\n          The files to import\n",
            "\nOptions:\n      --db <DB>\n",
            "[env: TUONTI_DATABASE_URL=]\n          [default: tuonti.db]",
            "          Possible values:\n          - skip:       Leave stored companies as they \
             are\n",
            "  -h, --help\n          Print help (see a summary with '-h')\n",
        ],
    );
    assert_has_none(&english, &["Käyttö", "Valitsimet", "Flaggor", "oletus"]);
    let english_by_variable = help_output(Some("en"), &["import", "--help"]);
    assert_has(
        &english_by_variable,
        &["[env: TUONTI_LANG=en]", "Print help"],
    );
    assert_eq!(
        english_by_variable.replace("[env: TUONTI_LANG=en]", "[env: TUONTI_LANG=]"),
        english
    );
}

#[test]
fn the_commands_are_listed_in_finnish_and_swedish() {
    let finnish = help_output(None, &["--lang", "fi", "--help"]);
    assert!(
        finnish.starts_with(
            "Tuonti: tuo asiakas- ja projektitiedot taulukoista CRM-järjestelmään\n\n\
             Käyttö: tuonti [OPTIONS] <COMMAND>\n\nKomennot:\n  init       Luo tietokanta"
        ),
        "{finnish}"
    );
    assert_has(
        &finnish,
        &[
            "\n  users      Käyttäjät: tuonteja tekevät pääkäyttäjät ja yritysten \
             asiakkuusjohtajat\n",
            "\n  import     Tuo yritykset, yhteyshenkilöt ja projektit taulukkotiedostoista",
            "\n  batches    Tuontihistoria: luettele, näytä ja peru tuontieriä\n",
            "\n  profiles   Tallennetut sarakkeiden vastaavuusprofiilit\n",
            "\n  help       Näytä tämä ohje tai annettujen alikomentojen ohje\n",
            "\nValitsimet:\n",
            "\n  -h, --help         Näytä ohje\n  -V, --version      Näytä versio\n",
            "\nPaluukoodit: 0 valmis; 1 hylätty",
        ],
    );
    assert_has_none(&finnish, &CLAP_ENGLISH);
    assert_has_none(
        &finnish,
        &["Print version", "Print this message", "Exit codes"],
    );
    // `tuonti help` and `tuonti help COMMAND` print the same as --help.
    assert_eq!(help_output(None, &["--lang", "fi", "help"]), finnish);
    assert_eq!(
        help_output(None, &["--lang", "fi", "help", "batches", "undo"]),
        help_output(None, &["--lang", "fi", "batches", "undo", "--help"])
    );

    let swedish = help_output(Some("sv"), &["batches", "-h"]);
    assert_has(
        &swedish,
        &[
            "Användning: tuonti batches [OPTIONS] <COMMAND>",
            "\nKommandon:\n  list  Lista importpartierna, det nyaste först\n",
            "\n  undo  Ångra ett importparti: ta bort företagen det skapade",
            "\n  help  Visa den här hjälpen eller hjälpen för de angivna underkommandona\n",
        ],
    );
    assert_has_none(&swedish, &CLAP_ENGLISH);
}

#[test]
fn an_unknown_command_after_help_is_an_error_in_the_users_language() {
    let output = Command::cargo_bin("tuonti")
        .unwrap()
        .env_remove("TUONTI_LANG")
        .args(["--lang", "fi", "help", "nosuch"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("virhe: tuntematon komento 'nosuch'"),
        "{stderr}"
    );
}
