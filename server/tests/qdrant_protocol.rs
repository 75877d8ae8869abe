//! The Qdrant-server adapter against a protocol fake on loopback (tests/common/fake_qdrant.rs): what it sends at
//! connect. The same calls run against a real Qdrant in tests/qdrant_live.rs when QDRANT_URL is set.

mod common;

use common::fake_qdrant;
use qdrant_client::qdrant::PayloadSchemaType;
use server::config::QdrantConfig;
use server::retrieval::qdrant::QdrantStore;
use server::retrieval::snapshot::{self, SnapshotClient};

fn config(url: &str, collection: &str) -> QdrantConfig {
    QdrantConfig { url: url.to_string(), rest_url: None, api_key: None, collection: collection.to_string() }
}

const INDEX: &str = "/qdrant.Points/CreateFieldIndex";

#[tokio::test]
async fn connect_creates_the_collection_and_a_keyword_index_on_locale() {
    let fake = fake_qdrant::start().await;
    QdrantStore::connect(&config(&fake.url, "textbook"), None).await.unwrap();
    let st = fake.state.lock().unwrap();
    assert_eq!(st.calls_to("/qdrant.Collections/Create").len(), 1);
    let index = st.calls_to(INDEX);
    assert_eq!(index.len(), 1, "{:?}", st.calls);
    // Keyword type, on the collection just made, and waited for so the first query uses it.
    assert!(index[0].contains("collection_name: \"textbook\""), "{}", index[0]);
    assert!(index[0].contains("field_name: \"locale\""), "{}", index[0]);
    assert!(index[0].contains("field_type: Some(Keyword)"), "{}", index[0]);
    assert!(index[0].contains("wait: Some(true)"), "{}", index[0]);
    let schema = &st.collections["textbook"];
    assert_eq!(schema["locale"].data_type, PayloadSchemaType::Keyword as i32);
}

#[tokio::test]
async fn reconnecting_sends_no_second_index_build() {
    let fake = fake_qdrant::start().await;
    let cfg = config(&fake.url, "textbook");
    QdrantStore::connect(&cfg, None).await.unwrap();
    QdrantStore::connect(&cfg, None).await.unwrap();
    let st = fake.state.lock().unwrap();
    assert_eq!(st.calls_to("/qdrant.Collections/Create").len(), 1);
    assert_eq!(st.calls_to("/qdrant.Collections/Get").len(), 2, "the schema is read at every connect");
    assert_eq!(st.calls_to(INDEX).len(), 1, "{:?}", st.calls);
}

#[tokio::test]
async fn a_collection_made_before_the_index_gets_it_at_the_next_start() {
    let fake = fake_qdrant::start().await;
    fake.state.lock().unwrap().collections.insert("old".into(), Default::default());
    QdrantStore::connect(&config(&fake.url, "old"), None).await.unwrap();
    let st = fake.state.lock().unwrap();
    assert!(st.calls_to("/qdrant.Collections/Create").is_empty(), "an existing collection is kept");
    assert_eq!(st.calls_to(INDEX).len(), 1);
    assert_eq!(st.collections["old"]["locale"].data_type, PayloadSchemaType::Keyword as i32);
}

fn rest_config(fake: &fake_qdrant::FakeQdrant, collection: &str, key: Option<&str>) -> QdrantConfig {
    QdrantConfig {
        url: fake.url.clone(),
        rest_url: Some(fake.url.clone()),
        api_key: key.map(|k| secrecy::SecretString::from(k.to_string())),
        collection: collection.to_string(),
    }
}

#[tokio::test]
async fn backup_downloads_a_verified_snapshot_and_removes_the_servers_copy() {
    let fake = fake_qdrant::start().await;
    fake.state.lock().unwrap().collections.insert("textbook".into(), Default::default());
    let dir = tempfile::tempdir().unwrap();
    let client = SnapshotClient::new(&rest_config(&fake, "textbook", None)).unwrap();
    let file = client.backup(dir.path(), "20261204T210000Z").await.unwrap();
    assert_eq!(file.file_name().unwrap(), "vectors-textbook-20261204T210000Z.snapshot");
    let data = std::fs::read(&file).unwrap();
    assert_eq!(data, b"snapshot of textbook with 0 indexes");
    let sums = std::fs::read_to_string(snapshot::checksum_path(&file)).unwrap();
    assert_eq!(sums, format!("{}  vectors-textbook-20261204T210000Z.snapshot\n", fake_qdrant::sha256_hex(&data)));
    let st = fake.state.lock().unwrap();
    assert!(st.snapshots.is_empty(), "the snapshot stays on Qdrant's disk: {:?}", st.snapshots.keys());
    let rest: Vec<_> = st.calls.iter().filter(|(m, _)| !m.starts_with('/')).cloned().collect();
    assert_eq!(
        rest,
        [
            ("POST".to_string(), "/collections/textbook/snapshots?wait=true".to_string()),
            ("GET".to_string(), "/collections/textbook/snapshots/textbook-1.snapshot".to_string()),
            ("DELETE".to_string(), "/collections/textbook/snapshots/textbook-1.snapshot?wait=true".to_string()),
        ]
    );
}

#[tokio::test]
async fn a_download_that_differs_from_qdrants_checksum_is_not_kept() {
    let fake = fake_qdrant::start().await;
    {
        let mut st = fake.state.lock().unwrap();
        st.collections.insert("textbook".into(), Default::default());
        st.corrupt_downloads = true;
    }
    let dir = tempfile::tempdir().unwrap();
    let client = SnapshotClient::new(&rest_config(&fake, "textbook", None)).unwrap();
    let err = client.backup(dir.path(), "s").await.unwrap_err().to_string();
    assert!(err.contains("Qdrant reported SHA-256"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "neither the file nor a .sha256 is left");
    assert!(fake.state.lock().unwrap().snapshots.is_empty(), "the server's copy is deleted on failure too");
}

#[tokio::test]
async fn snapshot_calls_carry_the_api_key_and_a_wrong_key_is_reported() {
    let fake = fake_qdrant::start().await;
    {
        let mut st = fake.state.lock().unwrap();
        st.collections.insert("textbook".into(), Default::default());
        st.api_key = Some("right-key".into());
    }
    let dir = tempfile::tempdir().unwrap();
    let good = SnapshotClient::new(&rest_config(&fake, "textbook", Some("right-key"))).unwrap();
    good.backup(dir.path(), "a").await.unwrap();
    let bad = SnapshotClient::new(&rest_config(&fake, "textbook", Some("wrong-key"))).unwrap();
    let err = bad.backup(dir.path(), "b").await.unwrap_err().to_string();
    assert!(err.contains("HTTP 401") && err.contains("Invalid API key"), "{err}");
    assert!(!err.contains("wrong-key"), "the key is not echoed: {err}");
}

#[tokio::test]
async fn restore_uploads_the_verified_file_with_its_checksum_into_an_empty_qdrant() {
    let source = fake_qdrant::start().await;
    source.state.lock().unwrap().collections.insert("textbook".into(), Default::default());
    let dir = tempfile::tempdir().unwrap();
    let file =
        SnapshotClient::new(&rest_config(&source, "textbook", None)).unwrap().backup(dir.path(), "t").await.unwrap();
    let data = std::fs::read(&file).unwrap();

    let empty = fake_qdrant::start().await;
    SnapshotClient::new(&rest_config(&empty, "textbook", None)).unwrap().restore(&file).await.unwrap();
    let st = empty.state.lock().unwrap();
    assert!(st.collections.contains_key("textbook"), "the collection is created by the recovery");
    let (method, path) = st.calls.last().unwrap();
    assert_eq!(method, "POST");
    let sum = fake_qdrant::sha256_hex(&data);
    assert_eq!(path, &format!("/collections/textbook/snapshots/upload?wait=true&priority=snapshot&checksum={sum}"));
    let (collection, body) = &st.uploads[0];
    assert_eq!(collection, "textbook");
    let body = String::from_utf8_lossy(body);
    assert!(body.contains("name=\"snapshot\"") && body.contains("snapshot of textbook with 0 indexes"), "{body}");
}

#[tokio::test]
async fn a_damaged_or_unverified_snapshot_is_refused_before_upload() {
    let fake = fake_qdrant::start().await;
    let client = SnapshotClient::new(&rest_config(&fake, "textbook", None)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vectors-textbook-x.snapshot");
    std::fs::write(&file, b"data").unwrap();
    let err = client.restore(&file).await.unwrap_err().to_string();
    assert!(err.contains(".sha256 is missing"), "{err}");
    std::fs::write(snapshot::checksum_path(&file), format!("{}  x\n", fake_qdrant::sha256_hex(b"other"))).unwrap();
    let err = client.restore(&file).await.unwrap_err().to_string();
    assert!(err.contains("checksum mismatch"), "{err}");
    assert!(fake.state.lock().unwrap().uploads.is_empty());
}

#[test]
fn snapshots_without_a_rest_url_name_the_variable() {
    let cfg = QdrantConfig { url: "http://q:7000".into(), rest_url: None, api_key: None, collection: "c".into() };
    let err = SnapshotClient::new(&cfg).err().unwrap().to_string();
    assert!(err.contains("QDRANT_REST_URL"), "{err}");
}

/// The backup and restore commands of the binary, as the backup job and the restore drill run them. Multi-thread:
/// the child process is awaited by a blocking call while the fake answers it from another worker.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_backup_and_restore_commands_include_the_vector_snapshot() {
    let fake = fake_qdrant::start().await;
    fake.state.lock().unwrap().collections.insert("textbook".into(), Default::default());
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env_clear()
            .env("DATA_DIR", dir.path().join("data"))
            .env("QDRANT_URL", &fake.url)
            .env("QDRANT_REST_URL", &fake.url)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let backups = dir.path().join("backups");
    let out = run(&["backup", "--dir", backups.to_str().unwrap()]);
    assert!(out.contains("vector snapshot"), "{out}");
    let mut names: Vec<String> =
        std::fs::read_dir(&backups).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    let stamp = names[0].trim_start_matches("sessions-").trim_end_matches(".sqlite").to_string();
    assert!(names.contains(&format!("vectors-textbook-{stamp}.snapshot")), "one stamp per run: {names:?}");
    let snap = backups.join(format!("vectors-textbook-{stamp}.snapshot"));
    let out = run(&["restore", snap.to_str().unwrap()]);
    assert!(out.contains("restored collection textbook"), "{out}");
    assert_eq!(fake.state.lock().unwrap().uploads.len(), 1);
}
