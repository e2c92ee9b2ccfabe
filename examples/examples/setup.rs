//! Embedding Tuonti's setup in a service: open (or create) a database, seed the default
//! company types, add an admin and customer groups, and list what an import can choose from.
//!
//! Run with `cargo run -p tuonti-examples --example setup [DATABASE]`; without an argument the
//! database is a temporary file.

use tuonti_domain::{Lang, NewUser, Role};
use tuonti_importer::setup;
use tuonti_persistence::{DatabaseLocation, OpenOptions, Store};

fn main() -> anyhow::Result<()> {
    let folder = tempfile::tempdir()?;
    let location = match std::env::args().nth(1) {
        Some(database) => DatabaseLocation::parse(&database),
        None => DatabaseLocation::Sqlite(folder.path().join("tuonti.db")),
    };
    let mut store = Store::open(&location, OpenOptions { create: true })?;

    let admin = NewUser::new("Matti Meikäläinen", "matti@example.fi", Role::Admin)?;
    let outcome = setup::init(&mut store, Some(&admin))?;
    println!(
        "database: {location} (defaults seeded now: {})",
        outcome.seeded_default_types
    );

    for group in ["Helsinki", "Tampere"] {
        match setup::add_customer_group(&mut store, group) {
            Ok(group) => println!("added group {}", group.name),
            // Running the example twice on one database: the group exists already.
            Err(error) if error.is_user_error() => println!("{}", error.message(Lang::En)),
            Err(error) => return Err(error.into()),
        }
    }

    println!("company types an import can use:");
    for company_type in store.company_types(false)? {
        println!(
            "  {} / {} / {}",
            company_type.names.get(Lang::Fi),
            company_type.names.get(Lang::Sv),
            company_type.names.get(Lang::En)
        );
    }
    println!("account managers:");
    for user in store
        .users()?
        .into_iter()
        .filter(|u| u.can_manage_accounts())
    {
        println!("  {} <{}>", user.display_name, user.email);
    }
    Ok(())
}
