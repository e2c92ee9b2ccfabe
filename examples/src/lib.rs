//! Runnable examples of embedding Tuonti's crates in another Rust service.
//!
//! Run one with `cargo run -p tuonti-examples --example NAME`:
//!
//! - `setup`: open an embedded SQLite database, seed the defaults, add an admin and a customer
//!   group, and read them back, the way a service that owns its users would.
