//! A Qdrant server (self-hosted or Cloud) as the vector store, through the official gRPC client. Requests are built
//! by plain functions so their shape is unit-tested without a server; the live suite runs when `QDRANT_URL` is set.

use super::analyzer::Sparse;
use super::{Chunk, Hit, StoreError, payload_to_record, point_uuid, record_payload};
use crate::config::QdrantConfig;
use protocol::Locale;
use qdrant_client::qdrant::{
    Condition, CountPointsBuilder, CreateCollectionBuilder, DeletePointsBuilder, Filter, Modifier, NamedVectors,
    PointStruct, PointsIdsList, QueryPoints, QueryPointsBuilder, ScrollPointsBuilder, SparseVectorParamsBuilder,
    SparseVectorsConfigBuilder, UpsertPointsBuilder, Vector, VectorInput,
};
use qdrant_client::{Payload, Qdrant};
use secrecy::ExposeSecret;
use std::collections::HashSet;
use std::sync::Arc;

use super::edge::SPARSE_NAME;

#[derive(Clone)]
pub struct QdrantStore {
    client: Arc<Qdrant>,
    collection: String,
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

pub fn build_query(collection: &str, q: &Sparse, locale: Locale, limit: usize) -> QueryPoints {
    QueryPointsBuilder::new(collection)
        .query(VectorInput::new_sparse(q.indices.clone(), q.values.clone()))
        .using(SPARSE_NAME)
        .filter(Filter::must([Condition::matches("locale", locale.as_str().to_string())]))
        .limit(limit as u64)
        .with_payload(true)
        .build()
}

pub fn build_point(c: &Chunk) -> Result<PointStruct, StoreError> {
    let payload = Payload::try_from(record_payload(&c.record)).map_err(|e| StoreError::Backend(e.to_string()))?;
    let vectors = NamedVectors::default()
        .add_vector(SPARSE_NAME, Vector::new_sparse(c.sparse.indices.clone(), c.sparse.values.clone()));
    Ok(PointStruct::new(point_uuid(&c.record.id).to_string(), vectors, payload))
}

impl QdrantStore {
    /// Connects and creates the collection (sparse BM25 vector with the IDF modifier) when it does not exist.
    pub async fn connect(cfg: &QdrantConfig) -> Result<QdrantStore, StoreError> {
        let mut builder = Qdrant::from_url(&cfg.url);
        if let Some(key) = &cfg.api_key {
            builder = builder.api_key(key.expose_secret().to_string());
        }
        let client = builder.build().map_err(unavailable)?;
        if !client.collection_exists(&cfg.collection).await.map_err(unavailable)? {
            let mut sparse = SparseVectorsConfigBuilder::default();
            sparse.add_named_vector_params(SPARSE_NAME, SparseVectorParamsBuilder::default().modifier(Modifier::Idf));
            client
                .create_collection(CreateCollectionBuilder::new(&cfg.collection).sparse_vectors_config(sparse))
                .await
                .map_err(unavailable)?;
        }
        Ok(QdrantStore { client: Arc::new(client), collection: cfg.collection.clone() })
    }

    pub async fn search(&self, q: &Sparse, locale: Locale, limit: usize) -> Result<Vec<Hit>, StoreError> {
        if q.indices.is_empty() {
            return Ok(Vec::new());
        }
        let resp = self.client.query(build_query(&self.collection, q, locale, limit)).await.map_err(unavailable)?;
        Ok(resp
            .result
            .into_iter()
            .filter_map(|p| {
                let json: serde_json::Map<String, serde_json::Value> =
                    p.payload.into_iter().map(|(k, v)| (k, v.into_json())).collect();
                Some(Hit { record: payload_to_record(&serde_json::Value::Object(json))?, score: p.score })
            })
            .collect())
    }

    pub async fn count(&self) -> Result<usize, StoreError> {
        let r = self.client.count(CountPointsBuilder::new(&self.collection).exact(true)).await.map_err(unavailable)?;
        Ok(r.result.map(|c| c.count as usize).unwrap_or(0))
    }

    pub async fn chunk_ids(&self) -> Result<HashSet<String>, StoreError> {
        let mut out = HashSet::new();
        let mut offset = None;
        loop {
            let mut req = ScrollPointsBuilder::new(&self.collection).limit(1000).with_payload(true);
            if let Some(o) = offset.take() {
                req = req.offset(o);
            }
            let r = self.client.scroll(req).await.map_err(unavailable)?;
            for p in r.result {
                if let Some(id) = p.payload.get("chunk_id").and_then(|v| v.as_str()) {
                    out.insert(id.to_string());
                }
            }
            match r.next_page_offset {
                Some(o) => offset = Some(o),
                None => break,
            }
        }
        Ok(out)
    }

    pub async fn upsert(&self, chunks: &[Chunk]) -> Result<(), StoreError> {
        let points = chunks.iter().map(build_point).collect::<Result<Vec<_>, _>>()?;
        self.client
            .upsert_points(UpsertPointsBuilder::new(&self.collection, points).wait(true))
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    pub async fn delete(&self, chunk_ids: &[String]) -> Result<(), StoreError> {
        if chunk_ids.is_empty() {
            return Ok(());
        }
        let ids = PointsIdsList { ids: chunk_ids.iter().map(|id| point_uuid(id).to_string().into()).collect() };
        self.client
            .delete_points(DeletePointsBuilder::new(&self.collection).points(ids).wait(true))
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::CorpusRecord;

    #[test]
    fn query_request_filters_locale_and_uses_bm25() {
        let q = Sparse { indices: vec![3, 9], values: vec![1.0, 1.0] };
        let req = build_query("textbook", &q, Locale::Ur, 5);
        assert_eq!(req.collection_name, "textbook");
        assert_eq!(req.using.as_deref(), Some(SPARSE_NAME));
        assert_eq!(req.limit, Some(5));
        let filter = format!("{:?}", req.filter);
        assert!(filter.contains("locale") && filter.contains("\"ur\""), "{filter}");
    }

    #[test]
    fn point_carries_payload_and_sparse_vector() {
        let c = Chunk {
            record: CorpusRecord {
                id: "00112233445566778899aabbccddeeff00".into(),
                locale: Locale::En,
                title: "T".into(),
                heading_path: vec![],
                page_url: "/p/".into(),
                anchor: "a".into(),
                url: "/p/#a".into(),
                text: "body".into(),
            },
            sparse: Sparse { indices: vec![1], values: vec![0.5] },
        };
        let p = build_point(&c).unwrap();
        assert_eq!(p.payload.get("url").and_then(|v| v.as_str()).map(String::as_str), Some("/p/#a"));
        assert!(format!("{:?}", p.id).contains("00112233-4455-6677-8899-aabbccddeeff"));
    }
}
