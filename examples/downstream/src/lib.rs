//! A downstream crate with specs of its own (`specs/skyline`, a made-up weather vendor): one line
//! turns them into a client with the same shape and runtime as the vendors `generated-client`
//! ships, and the crate builds its own API on top.

generated_client::generate!("specs/skyline");

use skyline::forecast_v1::Sky;

/// Whether to take an umbrella tomorrow in `city`.
pub async fn umbrella_tomorrow(client: &skyline::Client, city: &str) -> Result<bool, skyline::Error> {
    let forecast = client.forecast().v1().city().days(city).days(2).send().await?;
    Ok(forecast.days.get(1).and_then(|d| d.sky.as_ref()).is_some_and(|sky| matches!(sky, Sky::Rain | Sky::Snow)))
}
