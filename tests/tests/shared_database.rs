//! The `tuonti` binary and a service embedding the crates share one database: what one writes,
//! the other reads, on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;
use tuonti_domain::Role;
use tuonti_importer::setup;
use tuonti_persistence::testing::TestDatabase;
use tuonti_persistence::{OpenOptions, Store};

fn tuonti(db: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::new(tuonti_tests::tuonti_bin())
        .env_remove("TUONTI_DATABASE_URL")
        .args(["--db", db, "--lang", "en"])
        .args(args)
        .assert()
}

fn json(args: &[&str], db: &str) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_slice(&tuonti(db, &all).success().get_output().stdout).unwrap()
}

#[test]
fn the_seeds_setup_steps_through_the_cli_are_seen_by_the_library_and_back() {
    for database in TestDatabase::all().unwrap() {
        let db = database.url();
        // 1. Users first (mandatory), 2. company types reviewed, 3. customer groups (optional).
        tuonti(
            &db,
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
        tuonti(&db, &["types", "rename", "Kylmä", "--en", "Cold lead"]).success();
        tuonti(&db, &["groups", "add", "Matti Meikäläisen asiakkuusryhmä"]).success();
        tuonti(&db, &["groups", "add", "Helsingin asiakkuusryhmä"]).success();

        // A service embedding the crates opens the same database and sees it all.
        let mut store = Store::open(database.location(), OpenOptions::default()).unwrap();
        let users = store.users().unwrap();
        assert_eq!(users.len(), 2);
        assert!(
            users
                .iter()
                .any(|u| u.email == "admin@example.fi" && u.role == Role::Admin)
        );
        let cold = setup::find_company_type(&mut store, "cold lead").unwrap();
        assert_eq!(cold.names.fi, "Kylmä");
        assert_eq!(store.customer_groups().unwrap().len(), 2);

        // What the service changes, the CLI lists.
        setup::add_customer_group(&mut store, "Tampere").unwrap();
        setup::set_user_role(&mut store, "Matti Meikäläinen", Role::Admin).unwrap();
        drop(store);
        let groups = json(&["groups", "list"], &db);
        assert_eq!(groups.as_array().unwrap().len(), 3);
        let users = json(&["users", "list"], &db);
        assert!(
            users
                .as_array()
                .unwrap()
                .iter()
                .all(|u| u["role"] == "admin")
        );
    }
}
