generated_client::generate!("specs/unknown_token_kind");

fn main() {}
