generated_client::generate!("specs/example_mismatch");

fn main() {}
