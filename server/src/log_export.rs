//! Log shipping to a log store with retention of its own (30 days in ops/). When `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`
//! is set (the full URL, e.g. Loki's `http://loki:3100/otlp/v1/logs`), every event that passes the log filter is
//! also exported as an OTLP log record over HTTP, batched off the request path, with the service, version, commit
//! and instance as resource attributes (Loki turns `service.name` into the `service_name` label). The JSON lines on
//! stdout are unchanged, so the platform's own log window keeps working. Render cannot receive a push from a
//! sidecar, which is why the server ships its logs itself.

use crate::build_info;
use opentelemetry::KeyValue;
use opentelemetry_appender_tracing::layer::OpenTelemetryTracingBridge;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::logs::{SdkLogger, SdkLoggerProvider};
use tracing::Metadata;
use tracing_subscriber::filter::FilterFn;

pub const ENDPOINT_VAR: &str = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT";

pub fn provider(endpoint: &str) -> Result<SdkLoggerProvider, opentelemetry_otlp::ExporterBuildError> {
    let exporter = opentelemetry_otlp::LogExporter::builder().with_http().with_endpoint(endpoint).build()?;
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name("textbook-rag-server")
        .with_attributes([
            KeyValue::new("service.version", build_info::VERSION),
            KeyValue::new("vcs.ref.head.revision", build_info::git_sha()),
            KeyValue::new("service.instance.id", build_info::instance()),
        ])
        .build();
    Ok(SdkLoggerProvider::builder().with_batch_exporter(exporter).with_resource(resource).build())
}

/// The bridge from tracing events to OTLP log records; add [`exclude_exporter_events`] as its filter.
pub fn bridge(provider: &SdkLoggerProvider) -> OpenTelemetryTracingBridge<SdkLoggerProvider, SdkLogger> {
    OpenTelemetryTracingBridge::new(provider)
}

/// Leaves out the exporter's own HTTP stack: its events would otherwise be exported by the exporter, which logs
/// again.
pub fn exclude_exporter_events() -> FilterFn<fn(&Metadata<'_>) -> bool> {
    FilterFn::new(keep as fn(&Metadata<'_>) -> bool)
}

fn keep(meta: &Metadata<'_>) -> bool {
    !["opentelemetry", "hyper", "reqwest", "h2", "tower"].iter().any(|p| meta.target().starts_with(p))
}
