//! A protocol fake of a Qdrant server on loopback: its gRPC API (HTTP/2, length-prefixed protobuf, the status in
//! trailers) for the collection and payload-index calls `QdrantStore::connect` makes, and its REST snapshot API
//! (create, download, delete, upload-recover) for the backup job. Every call is recorded so tests assert what the
//! server sent; the collection state (payload schema, stored snapshots) lives in `state`.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use prost::Message;
use qdrant_client::qdrant::{
    CollectionExists, CollectionExistsRequest, CollectionExistsResponse, CollectionInfo, CollectionOperationResponse,
    CreateCollection, CreateFieldIndexCollection, FieldType, GetCollectionInfoRequest, GetCollectionInfoResponse,
    HealthCheckReply, PayloadSchemaInfo, PayloadSchemaType, PointsOperationResponse, UpdateResult, UpdateStatus,
};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

type Body = BoxBody<Bytes, Infallible>;

#[derive(Default)]
pub struct FakeState {
    /// Collection name -> payload schema (field -> index type).
    pub collections: BTreeMap<String, HashMap<String, PayloadSchemaInfo>>,
    /// (method, detail): gRPC path and the request's Debug form, or REST method and path with query.
    pub calls: Vec<(String, String)>,
    /// Snapshot name -> bytes, as Qdrant keeps them until deleted.
    pub snapshots: BTreeMap<String, Vec<u8>>,
    /// Uploaded snapshot bodies (multipart, raw) per collection.
    pub uploads: Vec<(String, Vec<u8>)>,
    /// When set, REST calls must carry this `api-key` header (401 otherwise), like a Qdrant with an API key.
    pub api_key: Option<String>,
    /// When set, downloads differ from the checksum the snapshot was reported with (a transfer gone wrong).
    pub corrupt_downloads: bool,
}

impl FakeState {
    pub fn calls_to(&self, method: &str) -> Vec<String> {
        self.calls.iter().filter(|(m, _)| m == method).map(|(_, d)| d.clone()).collect()
    }
}

pub struct FakeQdrant {
    /// gRPC and REST share the port here (Qdrant uses 6334 and 6333); routing is by path and content type.
    pub url: String,
    pub state: Arc<Mutex<FakeState>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeQdrant {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub async fn start() -> FakeQdrant {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = Arc::new(Mutex::new(FakeState::default()));
    let shared = state.clone();
    let task = tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let state = shared.clone();
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(move |req| handle(state.clone(), req));
                // gRPC clients speak HTTP/2 with prior knowledge; reqwest speaks HTTP/1.1: the auto builder takes both.
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(sock), svc)
                    .await;
            });
        }
    });
    FakeQdrant { url, state, task }
}

async fn handle(state: Arc<Mutex<FakeState>>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let grpc = req.headers().get("content-type").is_some_and(|v| v.as_bytes().starts_with(b"application/grpc"));
    let (parts, body) = req.into_parts();
    let body = body.collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    if grpc {
        // Frame: 1 byte compressed flag (never set by the client here), 4 bytes big-endian length, the message.
        let msg = body.get(5..).unwrap_or_default();
        let mut st = state.lock().unwrap();
        return Ok(match grpc_call(&mut st, parts.uri.path(), msg) {
            Ok(reply) => grpc_reply(reply),
            Err((code, message)) => grpc_error(code, &message),
        });
    }
    let mut st = state.lock().unwrap();
    let path_q = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    st.calls.push((parts.method.to_string(), path_q));
    if let Some(key) = &st.api_key
        && parts.headers.get("api-key").and_then(|v| v.to_str().ok()) != Some(key.as_str())
    {
        return Ok(rest(StatusCode::UNAUTHORIZED, json!({"status": {"error": "Invalid API key"}}).to_string()));
    }
    Ok(rest_call(&mut st, parts.method.as_str(), parts.uri.path(), body))
}

fn rest(status: StatusCode, body: impl Into<Bytes>) -> Response<Body> {
    Response::builder().status(status).body(Full::new(body.into()).boxed()).unwrap()
}

/// The snapshot endpoints of Qdrant's REST API, `/collections/{name}/snapshots[/...]`.
fn rest_call(st: &mut FakeState, method: &str, path: &str, body: Bytes) -> Response<Body> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, segments.as_slice()) {
        ("POST", ["collections", c, "snapshots"]) => {
            if !st.collections.contains_key(*c) {
                return rest(StatusCode::NOT_FOUND, json!({"status": {"error": "Not found"}}).to_string());
            }
            // A recognisable, checksummed payload standing in for the tar archive Qdrant writes.
            let data = format!("snapshot of {c} with {} indexes", st.collections[*c].len()).into_bytes();
            let name = format!("{c}-{}.snapshot", st.snapshots.len() + 1);
            let checksum = sha256_hex(&data);
            let size = data.len();
            st.snapshots.insert(name.clone(), data);
            let result = json!({"name": name, "size": size, "checksum": checksum, "creation_time": null});
            rest(StatusCode::OK, json!({"result": result, "status": "ok", "time": 0.01}).to_string())
        }
        ("GET", ["collections", _, "snapshots", name]) => match st.snapshots.get(*name) {
            Some(data) if st.corrupt_downloads => rest(StatusCode::OK, [data.as_slice(), b"!"].concat()),
            Some(data) => rest(StatusCode::OK, data.clone()),
            None => rest(StatusCode::NOT_FOUND, json!({"status": {"error": "Snapshot not found"}}).to_string()),
        },
        ("DELETE", ["collections", _, "snapshots", name]) => {
            let found = st.snapshots.remove(*name).is_some();
            let status = if found { StatusCode::OK } else { StatusCode::NOT_FOUND };
            rest(status, json!({"result": found, "status": "ok", "time": 0.0}).to_string())
        }
        ("POST", ["collections", c, "snapshots", "upload"]) => {
            st.uploads.push((c.to_string(), body.to_vec()));
            st.collections.entry(c.to_string()).or_default();
            rest(StatusCode::OK, json!({"result": true, "status": "ok", "time": 0.02}).to_string())
        }
        _ => rest(StatusCode::NOT_FOUND, format!("the fake has no {method} {path}")),
    }
}

pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(data))
}

fn decode<M: Message + Default + std::fmt::Debug>(
    st: &mut FakeState,
    path: &str,
    msg: &[u8],
) -> Result<M, (i32, String)> {
    let m = M::decode(msg).map_err(|e| (3, format!("bad request: {e}")))?;
    st.calls.push((path.to_string(), format!("{m:?}")));
    Ok(m)
}

const NOT_FOUND: i32 = 5;
const UNIMPLEMENTED: i32 = 12;

fn grpc_call(st: &mut FakeState, path: &str, msg: &[u8]) -> Result<Vec<u8>, (i32, String)> {
    let reply = match path {
        "/qdrant.Qdrant/HealthCheck" => {
            st.calls.push((path.to_string(), String::new()));
            HealthCheckReply { title: "qdrant fake".into(), version: "1.19.0".into(), commit: None }.encode_to_vec()
        }
        "/qdrant.Collections/CollectionExists" => {
            let r: CollectionExistsRequest = decode(st, path, msg)?;
            let exists = st.collections.contains_key(&r.collection_name);
            CollectionExistsResponse { result: Some(CollectionExists { exists }), time: 0.0 }.encode_to_vec()
        }
        "/qdrant.Collections/Create" => {
            let r: CreateCollection = decode(st, path, msg)?;
            st.collections.insert(r.collection_name, HashMap::new());
            CollectionOperationResponse { result: true, time: 0.0 }.encode_to_vec()
        }
        "/qdrant.Collections/Get" => {
            let r: GetCollectionInfoRequest = decode(st, path, msg)?;
            let schema = st.collections.get(&r.collection_name).ok_or((NOT_FOUND, "Not found".to_string()))?;
            let info = CollectionInfo { payload_schema: schema.clone(), ..Default::default() };
            GetCollectionInfoResponse { result: Some(info), time: 0.0 }.encode_to_vec()
        }
        "/qdrant.Points/CreateFieldIndex" => {
            let r: CreateFieldIndexCollection = decode(st, path, msg)?;
            let schema = st.collections.get_mut(&r.collection_name).ok_or((NOT_FOUND, "Not found".to_string()))?;
            let data_type = match FieldType::try_from(r.field_type.unwrap_or_default()) {
                Ok(FieldType::Keyword) => PayloadSchemaType::Keyword,
                Ok(FieldType::Text) => PayloadSchemaType::Text,
                _ => return Err((UNIMPLEMENTED, "the fake indexes keyword and text fields only".into())),
            };
            let info = PayloadSchemaInfo { data_type: data_type as i32, params: None, points: Some(0) };
            schema.insert(r.field_name, info);
            let result = UpdateResult { operation_id: Some(1), status: UpdateStatus::Completed as i32 };
            PointsOperationResponse { result: Some(result), time: 0.0, usage: None }.encode_to_vec()
        }
        other => return Err((UNIMPLEMENTED, format!("the fake has no {other}"))),
    };
    Ok(reply)
}

fn grpc_reply(msg: Vec<u8>) -> Response<Body> {
    let mut framed = Vec::with_capacity(msg.len() + 5);
    framed.push(0);
    framed.extend_from_slice(&(msg.len() as u32).to_be_bytes());
    framed.extend_from_slice(&msg);
    let mut trailers = hyper::HeaderMap::new();
    trailers.insert("grpc-status", "0".parse().unwrap());
    let frames: Vec<Result<Frame<Bytes>, Infallible>> =
        vec![Ok(Frame::data(Bytes::from(framed))), Ok(Frame::trailers(trailers))];
    Response::builder()
        .header("content-type", "application/grpc")
        .body(StreamBody::new(futures::stream::iter(frames)).boxed())
        .unwrap()
}

/// A trailers-only response: the status travels in the headers and there is no message.
fn grpc_error(code: i32, message: &str) -> Response<Body> {
    Response::builder()
        .header("content-type", "application/grpc")
        .header("grpc-status", code.to_string())
        .header("grpc-message", message.replace(['\r', '\n'], " "))
        .body(Full::new(Bytes::new()).boxed())
        .unwrap()
}
