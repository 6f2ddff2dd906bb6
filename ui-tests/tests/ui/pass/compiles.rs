generated_client::generate!("../specs/valid");

fn main() {
    let client = shop::Client::builder().api_key("k").build().unwrap();
    let _request = client.store().item().get("i-1").lang(shop::store::Lang::Zh);
}
