generated_client::generate!("specs/default_not_allowed");

fn main() {}
