//! Logging and tracing. Logs: JSON lines in production (one object per event, with the request span's id),
//! readable text locally. Traces: OpenTelemetry over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (Jaeger,
//! Tempo and collectors accept it); nothing is exported when it is unset.

use crate::config::{Config, LogFormat};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Keeps the trace and log pipelines alive; dropping it (or calling `shutdown`) flushes what is still buffered.
pub struct Telemetry {
    provider: Option<SdkTracerProvider>,
    logs: Option<opentelemetry_sdk::logs::SdkLoggerProvider>,
}

impl Telemetry {
    pub fn shutdown(self) {
        if let Some(p) = self.provider
            && let Err(e) = p.shutdown()
        {
            eprintln!("trace export shutdown: {e}");
        }
        if let Some(p) = self.logs
            && let Err(e) = p.shutdown()
        {
            eprintln!("log export shutdown: {e}");
        }
    }
}

/// Session ids in logs are hashed: enough to correlate lines, not enough to fetch a student's history.
pub fn hash_id(id: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(id.as_bytes())[..6])
}

fn tracer_provider(endpoint: &str) -> Result<SdkTracerProvider, opentelemetry_otlp::ExporterBuildError> {
    let base = endpoint.trim_end_matches('/');
    let exporter =
        opentelemetry_otlp::SpanExporter::builder().with_http().with_endpoint(format!("{base}/v1/traces")).build()?;
    let resource = opentelemetry_sdk::Resource::builder().with_service_name("textbook-rag-server").build();
    Ok(SdkTracerProvider::builder().with_batch_exporter(exporter).with_resource(resource).build())
}

pub fn init(config: &Config) -> Telemetry {
    // RUST_LOG wins when set (fine-grained debugging); otherwise LOG_LEVEL for our crate and warnings elsewhere.
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(format!("warn,server={0},tower_http={0},qdrant_edge=error", config.log_level))
    });
    let provider = match std::env::var("OTEL_EXPORTER_OTLP_ENDPOINT").ok().filter(|v| !v.trim().is_empty()) {
        None => None,
        Some(endpoint) => match tracer_provider(&endpoint) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("OTEL_EXPORTER_OTLP_ENDPOINT={endpoint}: traces disabled: {e}");
                None
            }
        },
    };
    let otel = provider.as_ref().map(|p| tracing_opentelemetry::layer().with_tracer(p.tracer("server")));
    let logs = std::env::var(crate::log_export::ENDPOINT_VAR).ok().filter(|v| !v.trim().is_empty()).and_then(|url| {
        crate::log_export::provider(&url)
            .map_err(|e| eprintln!("{}={url}: log export disabled: {e}", crate::log_export::ENDPOINT_VAR))
            .ok()
    });
    let log_layer = logs.as_ref().map(|p| {
        use tracing_subscriber::Layer;
        crate::log_export::bridge(p).with_filter(crate::log_export::exclude_exporter_events())
    });
    let registry = tracing_subscriber::registry().with(filter).with(otel).with(log_layer);
    let _ = match config.log_format {
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_target(false),
            )
            .try_init(),
        LogFormat::Pretty => registry.with(tracing_subscriber::fmt::layer().compact().with_target(false)).try_init(),
    };
    Telemetry { provider, logs }
}
