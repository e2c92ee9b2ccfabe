//! Rebuilds the crate when a migration is added or changed: `embed_migrations!` reads the
//! `migrations/` folders at compile time, which Cargo does not otherwise watch.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
