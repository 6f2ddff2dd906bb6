generated_client::generate!("specs/unknown_type");

fn main() {}
