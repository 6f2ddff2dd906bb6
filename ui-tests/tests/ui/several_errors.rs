generated_client::generate!("specs/several_errors");

fn main() {}
