generated_client::generate!("specs/valid");

fn main() {
    let client = shop::Client::builder().api_key("k").build().unwrap();
    // A path parameter is a string: an integer does not convert.
    let _request = client.store().item().get(42);
}
