//! The retrieval suite against a real Qdrant server. Gated on QDRANT_URL (gRPC URL, e.g. http://127.0.0.1:6334;
//! QDRANT_API_KEY if needed; QDRANT_REST_URL when REST is not on port 6333): `scripts/qdrant-local.sh start` runs
//! one on loopback. Without it the test says so and returns. The adapter's requests are checked without a server
//! in `src/retrieval/qdrant.rs` and against a protocol fake in `tests/qdrant_protocol.rs`.

mod common;

use serde_json::{Value, json};
use server::retrieval::snapshot::SnapshotClient;

/// `GET /collections/{name}` through Qdrant's REST API.
async fn collection_info(s: &common::TestServer, rest: &str, key: &str, name: &str) -> Value {
    let r = s.client.get(format!("{rest}/collections/{name}")).header("api-key", key).send().await.unwrap();
    assert!(r.status().is_success(), "{name}: HTTP {}", r.status());
    r.json::<Value>().await.unwrap()["result"].clone()
}

#[tokio::test]
async fn retrieval_suite_on_a_qdrant_server() {
    let Ok(url) = std::env::var("QDRANT_URL") else {
        eprintln!("qdrant_live: QDRANT_URL is not set; the Qdrant-server suite did not run");
        return;
    };
    let collection = format!("textbook_test_{}", uuid::Uuid::new_v4().simple());
    let key = std::env::var("QDRANT_API_KEY").unwrap_or_default();
    let mut env =
        vec![("QDRANT_URL", url.clone()), ("QDRANT_API_KEY", key.clone()), ("QDRANT_COLLECTION", collection.clone())];
    if let Ok(rest) = std::env::var("QDRANT_REST_URL") {
        env.push(("QDRANT_REST_URL", rest));
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let s = common::start(&env).await;
    let qdrant = s.state.config.qdrant.clone().unwrap();
    let rest = qdrant.rest_url.clone().expect("QDRANT_REST_URL or a gRPC URL on port 6334");
    assert_eq!(s.state.retriever.store.backend_name(), "qdrant");
    let records = common::fixture_records().len();
    assert_eq!(s.state.retriever.store.count().await.unwrap(), records);

    // The payload index every query filters through, as Qdrant itself reports it.
    let info = collection_info(&s, &rest, &key, &collection).await;
    assert_eq!(info["payload_schema"]["locale"]["data_type"], "keyword", "{info}");
    assert_eq!(info["payload_schema"]["locale"]["points"], records, "{info}");

    let r: Value = s.chat(json!({"query": "What is the zero moment point?"})).await;
    assert_eq!(r["sources"][0]["url"], "/locomotion/#zmp", "{r}");
    let r: Value = s.chat(json!({"query": "زیرو مومنٹ پوائنٹ کیا ہے؟", "locale": "ur"})).await;
    assert_eq!(r["sources"][0]["url"], "/ur/locomotion/#zmp", "{r}");
    assert!(s.state.ingest(None, false).await.unwrap().skipped);

    // Snapshot round trip: the backup job's file recovers into a collection that did not exist.
    let dir = tempfile::tempdir().unwrap();
    let file = SnapshotClient::new(&qdrant).unwrap().backup(dir.path(), "live").await.unwrap();
    let mut copy = qdrant.clone();
    copy.collection = format!("{collection}_restored");
    SnapshotClient::new(&copy).unwrap().restore(&file).await.unwrap();
    let restored = collection_info(&s, &rest, &key, &copy.collection).await;
    assert_eq!(restored["points_count"], records, "{restored}");
    assert_eq!(restored["payload_schema"]["locale"]["data_type"], "keyword", "{restored}");

    for name in [&collection, &copy.collection] {
        let r = s.client.delete(format!("{rest}/collections/{name}")).header("api-key", &key).send().await.unwrap();
        assert!(r.status().is_success(), "deleting {name}: HTTP {}", r.status());
    }
}
