//! The `tuonti` binary: commands, output formats, messages and exit codes, on SQLite and (when
//! `TUONTI_TEST_POSTGRES_URL` is set) PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tuonti_persistence::testing::TestDatabase;

/// `tuonti --db <db> --lang en ARGS...`, with no database variables from the environment.
fn tuonti(db: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("tuonti")
        .unwrap()
        .env_remove("TUONTI_DATABASE_URL")
        .env_remove("TUONTI_LANG")
        .args(["--db", db, "--lang", "en"])
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
