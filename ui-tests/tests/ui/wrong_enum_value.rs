generated_client::generate!("specs/valid");

fn main() {
    let client = shop::Client::builder().api_key("k").build().unwrap();
    // `lang` takes the generated `Lang` (or a string), not a bool.
    let _request = client.store().item().get("i-1").lang(true);
}
