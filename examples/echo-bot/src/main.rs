//! `echo-bot webhook [addr]` or `echo-bot long-connection`: the echo bot, configured from the
//! environment (FEISHU_APP_ID, FEISHU_APP_SECRET; FEISHU_VERIFICATION_TOKEN and optionally
//! FEISHU_ENCRYPT_KEY for the webhook; optionally FEISHU_BASE_URL).

use std::error::Error;
use std::process::ExitCode;

use generated_client::feishu;

const USAGE: &str = "usage: echo-bot webhook [addr] | echo-bot long-connection";

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt().init();
    match run(std::env::args().skip(1).collect()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("echo-bot: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Vec<String>) -> Result<(), Box<dyn Error>> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let addr = match args.as_slice() {
        ["webhook"] => Some("127.0.0.1:3000"),
        ["webhook", addr] => Some(*addr),
        ["long-connection"] => None,
        _ => return Err(USAGE.into()),
    };
    let (app_id, app_secret) = (var("FEISHU_APP_ID")?, var("FEISHU_APP_SECRET")?);
    let base_url = std::env::var("FEISHU_BASE_URL").unwrap_or_else(|_| "https://open.feishu.cn".to_owned());
    let client = feishu::Client::builder().app_id(&app_id).app_secret(&app_secret).base_url(&base_url).build()?;
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match addr {
        Some(addr) => {
            let token = var("FEISHU_VERIFICATION_TOKEN")?;
            let key = std::env::var("FEISHU_ENCRYPT_KEY").ok();
            let router = echo_bot::webhook_router(client, &token, key.as_deref());
            let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
            eprintln!("echo-bot: listening on http://{}{}", listener.local_addr()?, echo_bot::WEBHOOK_PATH);
            axum::serve(listener, router).with_graceful_shutdown(shutdown).await?;
        }
        None => echo_bot::run_long_connection(client, &app_id, &app_secret, &base_url, shutdown).await?,
    }
    Ok(())
}

/// A required environment variable, or an error naming it.
fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name} (from the app's page in the developer console)"))
}
