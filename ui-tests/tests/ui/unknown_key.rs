generated_client::generate!("specs/unknown_key");

fn main() {}
