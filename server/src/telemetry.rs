//! Logging: JSON lines in production (one object per event, with the request span's id), readable text locally.

use crate::config::{Config, LogFormat};
use tracing_subscriber::EnvFilter;

pub fn init(config: &Config) {
    // RUST_LOG wins when set (fine-grained debugging); otherwise LOG_LEVEL for our crate and warnings elsewhere.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("warn,server={0},tower_http={0}", config.log_level)));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
}
