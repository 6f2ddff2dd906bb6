generated_client::generate!("specs/unknown_key");

fn use_the_client(client: &shop::Client) -> &shop::Client {
    client
}

fn main() {}
