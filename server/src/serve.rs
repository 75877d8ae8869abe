//! Running the service: auto-ingest, background upkeep, and graceful shutdown that lets in-flight requests and
//! streams finish (bounded by SHUTDOWN_GRACE_SECS, which Render's maxShutdownDelaySeconds matches).

use crate::state::AppState;
use anyhow::Context;
use std::path::PathBuf;
use std::time::Duration;

/// Brings the index up to date at start: a no-op when the manifest hash matches, so restarts are fast.
pub async fn auto_ingest(state: &AppState) {
    match state.ingest(None, false).await {
        Ok(r) => tracing::info!(report = %r, "index ready"),
        Err(e) => tracing::warn!(
            error = %format!("{e:#}"),
            "could not ingest the corpus at start; /ready stays 503 until `server ingest` or an admin reindex"
        ),
    }
}

fn spawn_upkeep(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            match state.sessions.purge_older_than(state.config.retention_days).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(audit = true, purged = n, "retention purge of old sessions"),
                Err(e) => tracing::warn!(error = %e, "retention purge failed"),
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown requested; draining in-flight requests");
}

pub async fn run(state: AppState, site_dir: Option<PathBuf>) -> anyhow::Result<()> {
    auto_ingest(&state).await;
    spawn_upkeep(state.clone());
    let bind = state.config.bind;
    let grace = state.config.shutdown_grace;
    let limits = state.config.limits;
    let app = crate::http::router(state, site_dir);
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("binding {bind}"))?;
    tracing::info!(address = %format!("http://{bind}"), "listening");
    let (drain_tx, drain_rx) = tokio::sync::oneshot::channel::<()>();
    let server = crate::connections::serve(listener, app, limits, async move {
        shutdown_signal().await;
        let _ = drain_tx.send(());
    });
    // After the signal, in-flight work gets `grace` to finish; then the process exits regardless.
    let deadline = async move {
        let _ = drain_rx.await;
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        () = server => {}
        _ = deadline => tracing::warn!("grace period over; exiting with requests still open"),
    }
    tracing::info!("stopped");
    Ok(())
}
