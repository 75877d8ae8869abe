//! Configuration from the environment. Every variable is listed in `.env.example`; an invalid value fails start-up
//! with a message naming the variable. Secrets are wrapped in `SecretString` so they never reach logs or Debug output.

use ipnet::IpNet;
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
#[error("configuration variable {var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn bad(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError { var, message: message.into() }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

/// A public site key and the origins it may be used from (rotation: list the old and the new key together).
#[derive(Debug, Clone)]
pub struct SiteKey {
    pub key: String,
    pub origins: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct LlmConfig {
    pub base_url: String,
    pub api_key: Option<SecretString>,
    pub model: String,
    pub max_tokens: u32,
    pub timeout: Duration,
    /// USD per million tokens, for the cost metric.
    pub price_prompt_per_m: f64,
    pub price_completion_per_m: f64,
}

#[derive(Debug, Clone)]
pub struct EmbeddingsConfig {
    pub base_url: String,
    pub api_key: Option<SecretString>,
    pub model: String,
}

#[derive(Debug, Clone)]
pub struct QdrantConfig {
    /// The gRPC URL (port 6334) that retrieval uses.
    pub url: String,
    /// The REST URL (port 6333) for snapshots, which Qdrant's gRPC API can take but not download or recover:
    /// `QDRANT_REST_URL`, or the gRPC URL with port 6334 changed to 6333; `None` when neither applies.
    pub rest_url: Option<String>,
    pub api_key: Option<SecretString>,
    pub collection: String,
}

/// What one client connection may hold: the server stops accepting at `max_connections` (each costs a file
/// descriptor), a connection that has not sent a complete request head within `header_read_timeout` (silent or
/// trickling) is closed, a kept-alive connection with no request for `idle_timeout` is closed, and a request body
/// must arrive within `body_read_timeout` (408 otherwise).
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub body_read_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// Where `ingest` and auto-ingest read the corpus: a path to corpus.jsonl (or its folder) or an http(s) URL.
    pub corpus_source: String,
    pub cors_origins: Vec<String>,
    pub site_keys: Vec<SiteKey>,
    /// `cors_origins` and the site keys' origins, sorted and deduplicated once here: checked on every request.
    allowed_origins: Vec<String>,
    /// Hex SHA-256 digests of the admin keys; the keys themselves are never stored.
    pub admin_key_hashes: Vec<String>,
    pub rate_per_ip_per_min: u32,
    pub rate_per_key_per_min: u32,
    pub trusted_proxies: Vec<IpNet>,
    pub qdrant: Option<QdrantConfig>,
    /// Holds the database password for Postgres: kept secret like the API keys.
    pub database_url: SecretString,
    pub llm: Option<LlmConfig>,
    pub embeddings: Option<EmbeddingsConfig>,
    pub request_timeout: Duration,
    /// Limits on connections and slow clients (see `crate::connections`).
    pub limits: ConnectionLimits,
    /// Admin requests per client IP and minute (key guessing is refused with 429 beyond it).
    pub admin_rate_per_min: u32,
    pub shutdown_grace: Duration,
    pub retention_days: u32,
    pub relevance_threshold: f32,
    pub log_format: LogFormat,
    pub log_level: String,
    pub metrics_token: Option<SecretString>,
    pub environment: String,
    /// Allows `POST /api/admin/faults` (incident lab, alerting tests). Never in production.
    pub enable_fault_injection: bool,
}

/// Reads variables through a lookup function so tests can pass a map instead of mutating the process environment.
type Lookup<'a> = Box<dyn Fn(&str) -> Option<String> + 'a>;

pub struct Env<'a> {
    get: Lookup<'a>,
}

impl<'a> Env<'a> {
    pub fn process() -> Env<'static> {
        Env { get: Box::new(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty())) }
    }

    pub fn from_map(map: &'a BTreeMap<String, String>) -> Env<'a> {
        Env { get: Box::new(move |k| map.get(k).cloned().filter(|v| !v.trim().is_empty())) }
    }

    fn str(&self, k: &str) -> Option<String> {
        (self.get)(k).map(|v| v.trim().to_string())
    }

    fn parse<T: std::str::FromStr>(&self, k: &'static str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.str(k) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|e| bad(k, format!("cannot parse {v:?}: {e}"))),
        }
    }

    /// A positive, finite number of seconds (`Duration::from_secs_f64` would panic on a negative or NaN value).
    fn secs(&self, k: &'static str, default: f64) -> Result<Duration, ConfigError> {
        let v: f64 = self.parse(k, default)?;
        if !(v.is_finite() && v > 0.0 && v <= 86_400.0) {
            return Err(bad(k, format!("{v} is not a number of seconds between 0 and 86400")));
        }
        Ok(Duration::from_secs_f64(v))
    }

    fn list(&self, k: &str) -> Vec<String> {
        self.str(k)
            .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    }
}

fn http_url(var: &'static str, v: String) -> Result<String, ConfigError> {
    let parsed = url::Url::parse(&v).map_err(|e| bad(var, format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad(var, "must be an http(s) URL"));
    }
    Ok(v.trim_end_matches('/').to_string())
}

/// Qdrant (and Qdrant Cloud) serve REST on 6333 next to gRPC on 6334 of the same host.
fn rest_from_grpc(grpc: &str) -> Option<String> {
    let mut u = url::Url::parse(grpc).ok()?;
    if u.port() != Some(6334) {
        return None;
    }
    u.set_port(Some(6333)).ok()?;
    Some(u.as_str().trim_end_matches('/').to_string())
}

fn origin(var: &'static str, v: &str) -> Result<String, ConfigError> {
    let u = url::Url::parse(v).map_err(|e| bad(var, format!("origin {v:?} is not a URL ({e})")))?;
    if u.path() != "/" || u.query().is_some() {
        return Err(bad(var, format!("origin {v:?} must be scheme://host[:port] with no path")));
    }
    Ok(u.origin().ascii_serialization())
}

impl Config {
    pub fn from_env(env: &Env) -> Result<Config, ConfigError> {
        let host = env.str("HOST").unwrap_or_else(|| "127.0.0.1".into());
        let port: u16 = env.parse("PORT", 8080)?;
        let bind: SocketAddr = format!("{host}:{port}")
            .parse()
            .map_err(|e| bad("HOST", format!("{host:?} is not an IP address ({e})")))?;
        let data_dir = PathBuf::from(env.str("DATA_DIR").unwrap_or_else(|| "data".into()));

        let cors_origins: Vec<String> = env
            .list("CORS_ALLOWED_ORIGINS")
            .iter()
            .map(|o| origin("CORS_ALLOWED_ORIGINS", o))
            .collect::<Result<_, _>>()?;

        let mut site_keys = Vec::new();
        for entry in env.list("SITE_KEYS") {
            let (key, origins) = entry.split_once('=').ok_or_else(|| {
                bad("SITE_KEYS", format!("entry {entry:?} must look like key=https://origin|https://other"))
            })?;
            if key.len() < 8 {
                return Err(bad("SITE_KEYS", "each key must be at least 8 characters"));
            }
            let origins = origins.split('|').map(|o| origin("SITE_KEYS", o.trim())).collect::<Result<Vec<_>, _>>()?;
            site_keys.push(SiteKey { key: key.to_string(), origins });
        }

        let mut admin_key_hashes = Vec::new();
        for h in env.list("ADMIN_KEY_SHA256") {
            if h.len() != 64 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(bad("ADMIN_KEY_SHA256", "each entry must be a 64-character hex SHA-256 digest"));
            }
            admin_key_hashes.push(h.to_ascii_lowercase());
        }

        let trusted_proxies = env
            .list("TRUSTED_PROXIES")
            .iter()
            .map(|p| {
                p.parse::<IpNet>()
                    .or_else(|_| p.parse::<std::net::IpAddr>().map(IpNet::from))
                    .map_err(|_| bad("TRUSTED_PROXIES", format!("{p:?} is not an IP or CIDR")))
            })
            .collect::<Result<_, _>>()?;

        let qdrant = match env.str("QDRANT_URL") {
            None => None,
            Some(u) => Some(QdrantConfig {
                rest_url: match env.str("QDRANT_REST_URL") {
                    Some(r) => Some(http_url("QDRANT_REST_URL", r)?),
                    None => rest_from_grpc(&u),
                },
                url: http_url("QDRANT_URL", u)?,
                api_key: env.str("QDRANT_API_KEY").map(SecretString::from),
                collection: env.str("QDRANT_COLLECTION").unwrap_or_else(|| "textbook".into()),
            }),
        };

        let database_url = match env.str("DATABASE_URL") {
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") || u.starts_with("sqlite:") => u,
            Some(_) => return Err(bad("DATABASE_URL", "must start with postgres://, postgresql:// or sqlite:")),
            None => format!("sqlite://{}?mode=rwc", data_dir.join("sessions.db").display()),
        };

        let llm_key = env.str("LLM_API_KEY").or_else(|| env.str("OPENAI_API_KEY")).map(SecretString::from);
        let llm_base = match env.str("LLM_BASE_URL") {
            Some(u) => Some(http_url("LLM_BASE_URL", u)?),
            // An OpenAI key alone means the OpenAI API.
            None if llm_key.is_some() => Some("https://api.openai.com/v1".to_string()),
            None => None,
        };
        let llm = match llm_base {
            None => None,
            Some(base_url) => Some(LlmConfig {
                base_url,
                api_key: llm_key,
                model: env.str("LLM_MODEL").unwrap_or_else(|| "gpt-4o-mini".into()),
                max_tokens: env.parse("LLM_MAX_TOKENS", 500)?,
                timeout: env.secs("LLM_TIMEOUT_SECS", 20.0)?,
                price_prompt_per_m: env.parse("LLM_PRICE_PROMPT_PER_1M", 0.15)?,
                price_completion_per_m: env.parse("LLM_PRICE_COMPLETION_PER_1M", 0.60)?,
            }),
        };

        let embeddings = match env.str("EMBEDDINGS_BASE_URL") {
            None => None,
            Some(u) => Some(EmbeddingsConfig {
                base_url: http_url("EMBEDDINGS_BASE_URL", u)?,
                api_key: env.str("EMBEDDINGS_API_KEY").or_else(|| env.str("OPENAI_API_KEY")).map(SecretString::from),
                model: env
                    .str("EMBEDDINGS_MODEL")
                    .ok_or_else(|| bad("EMBEDDINGS_MODEL", "required with EMBEDDINGS_BASE_URL"))?,
            }),
        };

        let log_format = match env.str("LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(bad("LOG_FORMAT", format!("{other:?} is not json or pretty"))),
        };
        let relevance_threshold: f32 = env.parse("RELEVANCE_THRESHOLD", 0.5)?;
        if !(0.0..=1.0).contains(&relevance_threshold) {
            return Err(bad("RELEVANCE_THRESHOLD", "must be between 0 and 1"));
        }
        let retention_days: u32 = env.parse("SESSION_RETENTION_DAYS", 30)?;
        if retention_days == 0 {
            return Err(bad("SESSION_RETENTION_DAYS", "must be at least 1"));
        }

        let request_timeout = env.secs("REQUEST_TIMEOUT_SECS", 30.0)?;
        let limits = ConnectionLimits {
            max_connections: env.parse("MAX_CONNECTIONS", 1024)?,
            header_read_timeout: env.secs("HEADER_READ_TIMEOUT_SECS", 30.0)?,
            // Longer than the usual proxy keep-alive (60 s), so the proxy, not this server, closes a pooled
            // connection first and never sends a request into a socket being closed.
            idle_timeout: env.secs("IDLE_TIMEOUT_SECS", 75.0)?,
            body_read_timeout: env.secs("BODY_READ_TIMEOUT_SECS", 10.0)?,
        };
        if limits.max_connections == 0 {
            return Err(bad("MAX_CONNECTIONS", "must be at least 1"));
        }
        // A slow upload must meet the body deadline (408, the client's fault) before the request deadline (504).
        if limits.body_read_timeout >= request_timeout {
            return Err(bad("BODY_READ_TIMEOUT_SECS", "must be shorter than REQUEST_TIMEOUT_SECS"));
        }

        let mut allowed_origins = cors_origins.clone();
        allowed_origins.extend(site_keys.iter().flat_map(|k| k.origins.iter().cloned()));
        allowed_origins.sort();
        allowed_origins.dedup();
        Ok(Config {
            bind,
            data_dir,
            corpus_source: env.str("CORPUS_SOURCE").unwrap_or_else(|| "public/rag/corpus.jsonl".into()),
            cors_origins,
            site_keys,
            allowed_origins,
            admin_key_hashes,
            rate_per_ip_per_min: env.parse("RATE_LIMIT_PER_IP_PER_MINUTE", 30)?,
            rate_per_key_per_min: env.parse("RATE_LIMIT_PER_KEY_PER_MINUTE", 1200)?,
            trusted_proxies,
            qdrant,
            database_url: SecretString::from(database_url),
            llm,
            embeddings,
            request_timeout,
            limits,
            admin_rate_per_min: env.parse("ADMIN_RATE_LIMIT_PER_MINUTE", 10)?,
            shutdown_grace: env.secs("SHUTDOWN_GRACE_SECS", 25.0)?,
            retention_days,
            relevance_threshold,
            log_format,
            log_level: env.str("LOG_LEVEL").unwrap_or_else(|| "info".into()),
            metrics_token: env.str("METRICS_TOKEN").map(SecretString::from),
            environment: env.str("APP_ENV").unwrap_or_else(|| "development".into()),
            enable_fault_injection: env.parse("ENABLE_FAULT_INJECTION", false)?,
        })
    }

    /// Every origin allowed to call the API from a browser: CORS list plus the origins bound to site keys.
    pub fn allowed_origins(&self) -> &[String] {
        &self.allowed_origins
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: BTreeMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_env(&Env::from_map(&map))
    }

    #[test]
    fn defaults_are_embedded_mode() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.bind.port(), 8080);
        assert!(c.qdrant.is_none() && c.llm.is_none());
        assert!(secrecy::ExposeSecret::expose_secret(&c.database_url).starts_with("sqlite://"));
    }

    #[test]
    fn errors_name_the_variable() {
        for (var, val) in [
            ("PORT", "eighty"),
            ("DATABASE_URL", "mysql://x"),
            ("LLM_BASE_URL", "ftp://x"),
            ("SITE_KEYS", "pk_live_123456"),
            ("ADMIN_KEY_SHA256", "abc"),
            ("LOG_FORMAT", "xml"),
            ("TRUSTED_PROXIES", "not-an-ip"),
            ("CORS_ALLOWED_ORIGINS", "https://a.example/path"),
            ("MAX_CONNECTIONS", "0"),
            ("HEADER_READ_TIMEOUT_SECS", "-1"),
            ("HEADER_READ_TIMEOUT_SECS", "NaN"),
            ("IDLE_TIMEOUT_SECS", "0"),
            ("REQUEST_TIMEOUT_SECS", "0"),
            ("BODY_READ_TIMEOUT_SECS", "45"),
            ("ADMIN_RATE_LIMIT_PER_MINUTE", "many"),
        ] {
            let err = cfg(&[(var, val)]).unwrap_err();
            assert_eq!(err.var, var, "{err}");
            assert!(err.to_string().contains(var));
        }
    }

    #[test]
    fn qdrant_rest_url_is_derived_from_the_grpc_port_or_given() {
        let rest = |pairs: &[(&str, &str)]| cfg(pairs).unwrap().qdrant.unwrap().rest_url;
        assert_eq!(
            rest(&[("QDRANT_URL", "https://xyz.cloud.qdrant.io:6334")]).as_deref(),
            Some("https://xyz.cloud.qdrant.io:6333")
        );
        assert_eq!(rest(&[("QDRANT_URL", "http://127.0.0.1:7000")]), None, "no rule for another port");
        let given = [("QDRANT_URL", "http://127.0.0.1:7000"), ("QDRANT_REST_URL", "http://127.0.0.1:7001/")];
        assert_eq!(rest(&given).as_deref(), Some("http://127.0.0.1:7001"));
        let err = cfg(&[("QDRANT_URL", "http://q:6334"), ("QDRANT_REST_URL", "q:6333")]).unwrap_err();
        assert_eq!(err.var, "QDRANT_REST_URL");
    }

    #[test]
    fn openai_key_alone_selects_openai_and_is_not_printed() {
        let c = cfg(&[("OPENAI_API_KEY", "sk-test-secret-value")]).unwrap();
        let llm = c.llm.clone().unwrap();
        assert_eq!(llm.base_url, "https://api.openai.com/v1");
        assert!(!format!("{c:?}").contains("sk-test-secret-value"));
        let c = cfg(&[("DATABASE_URL", "postgres://app:pa55word@db.example/book")]).unwrap();
        assert!(!format!("{c:?}").contains("pa55word"));
    }

    #[test]
    fn site_keys_bind_origins() {
        let c =
            cfg(&[("SITE_KEYS", "pk_live_aaaa=https://book.example|http://localhost:3000,pk_live_bbbb=https://x.io")])
                .unwrap();
        assert_eq!(c.site_keys.len(), 2);
        assert_eq!(c.site_keys[0].origins, vec!["https://book.example", "http://localhost:3000"]);
        assert_eq!(c.allowed_origins(), ["http://localhost:3000", "https://book.example", "https://x.io"]);
    }
}
