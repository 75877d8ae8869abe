//! Test harness: a small bilingual fixture corpus, and the real server on a loopback port.
#![allow(dead_code)]

pub mod fake_qdrant;
pub mod nul;
pub mod process;

use protocol::{CorpusManifest, CorpusRecord, Locale};
use server::config::{Config, Env};
use server::state::AppState;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

pub fn record(locale: Locale, page: &str, title: &str, heading: &str, anchor: &str, text: &str) -> CorpusRecord {
    let prefix = if locale == Locale::Ur { "/ur" } else { "" };
    let page_url = format!("{prefix}/{page}/");
    let url = format!("{page_url}#{anchor}");
    let id = hex::encode(Sha256::digest(format!("{locale}\n{url}\n{text}").as_bytes()));
    CorpusRecord {
        id,
        locale,
        title: title.into(),
        heading_path: vec![heading.into()],
        page_url,
        anchor: anchor.into(),
        url,
        text: text.into(),
        ..Default::default()
    }
}

pub fn fixture_records() -> Vec<CorpusRecord> {
    use Locale::*;
    vec![
        record(
            En,
            "locomotion",
            "Locomotion",
            "Zero moment point",
            "zmp",
            "The zero moment point is the point on the ground where the net moment of the inertial and gravity forces has no horizontal component. A walking robot stays dynamically balanced while the zero moment point remains inside the support polygon formed by the feet in contact with the ground.",
        ),
        record(
            En,
            "locomotion",
            "Locomotion",
            "Capture point",
            "capture-point",
            "The capture point tells a humanoid where it must step to come to a complete stop. It is computed from the position and velocity of the center of mass using the linear inverted pendulum model.",
        ),
        record(
            En,
            "kinematics",
            "Kinematics",
            "Forward kinematics",
            "forward-kinematics",
            "Forward kinematics computes the pose of the end effector from the joint angles by chaining homogeneous transforms from the base frame to the tool frame. Denavit-Hartenberg parameters give each link a compact description with four numbers.",
        ),
        record(
            En,
            "kinematics",
            "Kinematics",
            "Jacobians",
            "jacobians",
            "The Jacobian matrix maps joint velocities to the linear and angular velocity of the end effector. At a singularity the Jacobian loses rank and the arm cannot move in some direction.",
        ),
        record(
            En,
            "ros2",
            "ROS 2",
            "Topics",
            "topics",
            "In ROS 2 a node publishes messages on a topic and any number of subscribers receive them. Quality of service settings control reliability and history depth.",
        ),
        record(
            Ur,
            "locomotion",
            "چلنا",
            "زیرو مومنٹ پوائنٹ",
            "zmp",
            "زیرو مومنٹ پوائنٹ (zero moment point) زمین پر وہ نقطہ ہے جہاں جمود اور کششِ ثقل کی قوتوں کے مجموعی مومنٹ کا کوئی افقی جزو نہیں ہوتا۔ چلنے والا روبوٹ اس وقت تک متوازن رہتا ہے جب تک یہ نقطہ پیروں کے سہارا کثیرالاضلاع کے اندر رہے۔",
        ),
        record(
            Ur,
            "kinematics",
            "حرکیات",
            "فارورڈ کائنیمیٹکس",
            "forward-kinematics",
            "فارورڈ کائنیمیٹکس (forward kinematics) جوڑوں کے زاویوں سے آخری سرے کی پوزیشن معلوم کرتی ہے۔ اس کے لیے بیس فریم سے ٹول فریم تک ہوموجینیس ٹرانسفارم ضرب کیے جاتے ہیں۔",
        ),
    ]
}

/// Writes corpus.jsonl + manifest.json the way the site build does.
pub fn write_corpus(dir: &Path, records: &[CorpusRecord]) {
    std::fs::create_dir_all(dir).unwrap();
    let mut jsonl = String::new();
    let mut hasher = Sha256::new();
    for r in records {
        jsonl.push_str(&serde_json::to_string(r).unwrap());
        jsonl.push('\n');
        hasher.update(r.id.as_bytes());
    }
    let pages: std::collections::HashSet<&str> = records.iter().map(|r| r.page_url.as_str()).collect();
    let manifest = CorpusManifest {
        format_version: protocol::CORPUS_FORMAT_VERSION,
        corpus_hash: hex::encode(hasher.finalize()),
        records: records.len(),
        pages: pages.len(),
    };
    std::fs::write(dir.join("corpus.jsonl"), jsonl).unwrap();
    std::fs::write(dir.join("manifest.json"), serde_json::to_string(&manifest).unwrap()).unwrap();
}

pub struct TestServer {
    pub base: String,
    pub state: AppState,
    pub dir: tempfile::TempDir,
    pub client: reqwest::Client,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

/// Starts the real router on 127.0.0.1:<free port> with the fixture corpus ingested.
pub async fn start(extra: &[(&str, &str)]) -> TestServer {
    start_with_records(&fixture_records(), extra).await
}

/// [`start`] with a corpus of the caller's records.
pub async fn start_with_records(records: &[CorpusRecord], extra: &[(&str, &str)]) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("rag");
    write_corpus(&corpus, records);
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    env.insert("DATA_DIR".into(), dir.path().join("data").display().to_string());
    env.insert("CORPUS_SOURCE".into(), corpus.display().to_string());
    env.insert("RATE_LIMIT_PER_IP_PER_MINUTE".into(), "10000".into());
    for (k, v) in extra {
        env.insert(k.to_string(), v.to_string());
    }
    let config = Config::from_env(&Env::from_map(&env)).expect("test config");
    start_with(config, dir).await
}

pub async fn start_with(config: Config, dir: tempfile::TempDir) -> TestServer {
    let state = AppState::build(config).await.expect("state");
    state.ingest(None, false).await.expect("ingest");
    // The production connection loop (connection cap, header-read timeout), not a stand-in.
    let app = server::http::router(state.clone(), None);
    let limits = state.config.limits;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(server::connections::serve(listener, app, limits, std::future::pending()));
    TestServer { base: format!("http://{addr}"), state, dir, client: reqwest::Client::new() }
}

/// Parses an SSE body into (event name, data JSON) pairs.
pub fn parse_sse(body: &str) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for block in body.split("\n\n") {
        let mut name = None;
        let mut data = String::new();
        for line in block.lines() {
            if let Some(n) = line.strip_prefix("event:") {
                name = Some(n.trim().to_string());
            } else if let Some(d) = line.strip_prefix("data:") {
                data.push_str(d.trim_start());
            }
        }
        if let Some(n) = name {
            out.push((n, serde_json::from_str(&data).unwrap_or(serde_json::Value::Null)));
        }
    }
    out
}

impl TestServer {
    /// POST /api/chat and return the JSON body (whatever the status).
    pub async fn chat(&self, body: serde_json::Value) -> serde_json::Value {
        self.client.post(self.url("/api/chat")).json(&body).send().await.unwrap().json().await.unwrap()
    }

    /// GET a path and return the JSON body.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        self.client.get(self.url(path)).send().await.unwrap().json().await.unwrap()
    }
}
