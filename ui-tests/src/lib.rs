//! Nothing but tests: `tests/ui.rs` holds what `generated_client::generate!` does at compile time
//! (located spec errors, no cascade, typed calls, and any accepted spec compiling).
