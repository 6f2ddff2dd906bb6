generated_client::generate!("specs/path_param_mismatch");

fn main() {}
