//! `GET /version`: the build that answered (crate version, git commit, instance). Deploys poll it to see the new
//! build on every instance; it needs no key, like `/health`, and reveals nothing beyond the public repository.

use crate::build_info::BuildInfo;
use axum::Json;
use axum::http::header;
use axum::response::IntoResponse;

pub async fn version() -> impl IntoResponse {
    // Never cached: a cached answer would hide which instance is behind the balancer now.
    ([(header::CACHE_CONTROL, "no-store")], Json(BuildInfo::current()))
}
