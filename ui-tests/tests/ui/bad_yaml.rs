generated_client::generate!("specs/bad_yaml");

fn main() {}
