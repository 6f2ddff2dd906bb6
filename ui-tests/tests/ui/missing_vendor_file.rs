generated_client::generate!("specs/missing_vendor_file");

fn main() {}
