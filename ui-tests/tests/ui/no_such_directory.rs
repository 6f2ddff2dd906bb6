generated_client::generate!("specs/nowhere");

fn main() {}
