generated_client::generate!(specs / shop);

fn main() {}
