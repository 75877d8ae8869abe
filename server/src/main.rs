//! `server serve | ingest | migrate` — the textbook's chat backend.

use anyhow::Context;
use clap::{Parser, Subcommand};
use server::config::{Config, Env};
use server::state::AppState;
use std::path::PathBuf;

/// mimalloc instead of glibc malloc: the chat path allocates many short-lived strings and JSON values across
/// threads, and glibc's allocator (its free-list consolidation and per-thread arenas) showed as about a tenth of
/// the CPU in a profile under load.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "server", version, about = "RAG backend for the Physical AI & Humanoid Robotics textbook")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (default). Configuration comes from the environment (see .env.example).
    Serve {
        /// Also serve this built site (e.g. public/) at / — the local all-in-one mode.
        #[arg(long)]
        site: Option<PathBuf>,
    },
    /// Load the corpus (path to corpus.jsonl or its folder, or a URL) into the vector store.
    Ingest {
        source: Option<String>,
        /// Re-check every chunk even when the manifest hash is unchanged.
        #[arg(long)]
        force: bool,
    },
    /// Create or update the session database schema.
    Migrate,
    /// Back up the session database into DIR (checksum beside it), with QDRANT_URL also a snapshot of the Qdrant
    /// collection, and prune backups older than --keep-days.
    Backup {
        #[arg(long, env = "BACKUP_DIR", default_value = "backups")]
        dir: PathBuf,
        #[arg(long, env = "BACKUP_RETENTION_DAYS", default_value_t = 30)]
        keep_days: u64,
    },
    /// Restore the session database from a backup file (its .sha256 must match), or a `vectors-*.snapshot` into
    /// the Qdrant collection of QDRANT_URL. Stop the server first for SQLite.
    Restore { file: PathBuf },
    /// Exit 0 when the local server answers GET /health (for container HEALTHCHECKs; images carry no curl).
    Healthcheck {
        #[arg(long, env = "PORT", default_value_t = 8080)]
        port: u16,
    },
    /// Probe a deployment: health, readiness, locale home pages, one cited chat per locale; non-zero on failure.
    Smoke {
        #[arg(long)]
        api: String,
        #[arg(long)]
        site: String,
        #[arg(long, default_value = "en,ur", value_delimiter = ',')]
        locale: Vec<String>,
        /// Public site key to send (defaults to $SITE_KEY).
        #[arg(long, env = "SITE_KEY")]
        site_key: Option<String>,
        /// Origin header to send, for keys bound to origins (defaults to the site URL's origin).
        #[arg(long)]
        origin: Option<String>,
        /// End-to-end latency objective per check, in milliseconds.
        #[arg(long, default_value_t = 6000)]
        slo_ms: u64,
        /// Fail unless GET /version reports this commit (full or >= 7-digit SHA).
        #[arg(long)]
        expect_sha: Option<String>,
    },
    /// After a deploy: poll GET /version until every instance behind the URL answers with the expected commit.
    RolloutWait {
        #[arg(long)]
        api: String,
        #[arg(long)]
        expect_sha: String,
        /// Distinct instances that must have answered with the new commit.
        #[arg(long, default_value_t = 2)]
        min_instances: usize,
        /// Answers in a row that must all come from the new commit.
        #[arg(long, default_value_t = 30)]
        consecutive: usize,
        #[arg(long, default_value_t = 900)]
        timeout_secs: u64,
        #[arg(long, default_value_t = 500)]
        interval_ms: u64,
    },
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::Healthcheck { port }) = &cli.command {
        let url = format!("http://127.0.0.1:{port}/health");
        let resp = reqwest::Client::new().get(&url).timeout(std::time::Duration::from_secs(3)).send().await;
        return match resp {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => anyhow::bail!("{url} answered HTTP {}", r.status()),
            Err(e) => anyhow::bail!("{url}: {e}"),
        };
    }
    if let Some(Command::RolloutWait { api, expect_sha, min_instances, consecutive, timeout_secs, interval_ms }) =
        &cli.command
    {
        let opts = server::release::RolloutOptions {
            api: api.clone(),
            expect_sha: expect_sha.clone(),
            min_instances: *min_instances,
            consecutive: *consecutive,
            timeout: std::time::Duration::from_secs(*timeout_secs),
            interval: std::time::Duration::from_millis(*interval_ms),
        };
        let summary = server::release::wait(&opts).await.map_err(|e| anyhow::anyhow!(e))?;
        println!("rolled out: {summary}");
        return Ok(());
    }
    if let Some(Command::Smoke { api, site, locale, site_key, origin, slo_ms, expect_sha }) = &cli.command {
        // The probe runs against a deployment; it needs none of the server's own configuration.
        let locales = locale
            .iter()
            .map(|l| protocol::Locale::parse(l).with_context(|| format!("--locale: {l:?} is not en or ur")))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let origin = origin.clone().or_else(|| url::Url::parse(site).ok().map(|u| u.origin().ascii_serialization()));
        let opts = server::smoke::SmokeOptions {
            api: api.clone(),
            site: site.clone(),
            locales,
            site_key: site_key.clone(),
            origin,
            slo: std::time::Duration::from_millis(*slo_ms),
            expect_sha: expect_sha.clone(),
        };
        let checks = server::smoke::run(&opts).await;
        print!("{}", server::smoke::report(&checks));
        if checks.iter().any(|c| !c.ok) {
            anyhow::bail!("smoke test failed");
        }
        return Ok(());
    }
    let config = Config::from_env(&Env::process()).context("invalid configuration")?;
    let telemetry = server::telemetry::init(&config);
    server::http::error_tracking::install_panic_hook();
    let result = dispatch(cli, config).await;
    telemetry.shutdown();
    result
}

async fn dispatch(cli: Cli, config: Config) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve { site: None }) {
        Command::Serve { site } => {
            if let Some(dir) = &site
                && !dir.join("index.html").exists()
            {
                anyhow::bail!("--site {}: no index.html there; build the site first (site build)", dir.display());
            }
            let state = AppState::build(config).await?;
            server::serve::run(state, site).await
        }
        Command::Ingest { source, force } => {
            let state = AppState::build(config).await?;
            let report = state.ingest(source.as_deref(), force).await?;
            println!("{report}");
            Ok(())
        }
        Command::Smoke { .. } | Command::Healthcheck { .. } | Command::RolloutWait { .. } => Ok(()),
        Command::Backup { dir, keep_days } => {
            let started = std::time::Instant::now();
            let stamp = server::backup::stamp_now();
            let url = secrecy::ExposeSecret::expose_secret(&config.database_url);
            let file = server::backup::backup_at(url, &dir, &stamp).await?;
            println!("backup {} written in {:.2}s", file.display(), started.elapsed().as_secs_f64());
            if let Some(q) = &config.qdrant {
                let started = std::time::Instant::now();
                let snap = server::retrieval::snapshot::SnapshotClient::new(q)?.backup(&dir, &stamp).await?;
                println!("vector snapshot {} written in {:.2}s", snap.display(), started.elapsed().as_secs_f64());
            }
            let pruned = server::backup::prune(&dir, std::time::Duration::from_secs(keep_days * 86_400))?;
            println!("pruned {pruned} backups older than {keep_days} days");
            Ok(())
        }
        Command::Restore { file } => {
            let started = std::time::Instant::now();
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if server::retrieval::snapshot::is_snapshot_file(&name) {
                let q = config.qdrant.as_ref().with_context(|| {
                    format!("{}: a Qdrant snapshot; set QDRANT_URL to the Qdrant to restore it into", file.display())
                })?;
                server::retrieval::snapshot::SnapshotClient::new(q)?.restore(&file).await?;
                println!(
                    "restored collection {} from {} in {:.2}s",
                    q.collection,
                    file.display(),
                    started.elapsed().as_secs_f64()
                );
                return Ok(());
            }
            server::backup::restore(secrecy::ExposeSecret::expose_secret(&config.database_url), &file).await?;
            println!("restored {} in {:.2}s", file.display(), started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Migrate => {
            let store =
                server::sessions::SessionStore::connect(secrecy::ExposeSecret::expose_secret(&config.database_url), 2)
                    .await
                    .context("connecting to DATABASE_URL")?;
            store.migrate().await?;
            println!("migrations applied");
            Ok(())
        }
    }
}
