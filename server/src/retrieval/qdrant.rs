//! A Qdrant server (self-hosted or Cloud) as the vector store, through the official gRPC client. Requests are built
//! by plain functions so their shape is unit-tested without a server; the live suite runs when `QDRANT_URL` is set.

use super::analyzer::Sparse;
use super::{Chunk, Hit, StoreError, payload_to_record, point_uuid, record_payload};
use crate::config::QdrantConfig;
use protocol::Locale;
use qdrant_client::qdrant::{
    Condition, CountPointsBuilder, CreateCollectionBuilder, CreateFieldIndexCollectionBuilder, DeletePointsBuilder,
    Distance, FieldType, Filter, Fusion, Modifier, NamedVectors, PayloadSchemaInfo, PayloadSchemaType, PointStruct,
    PointsIdsList, PrefetchQueryBuilder, Query, QueryPoints, QueryPointsBuilder, ScrollPointsBuilder,
    SparseVectorParamsBuilder, SparseVectorsConfigBuilder, UpsertPointsBuilder, Vector, VectorInput,
    VectorParamsBuilder, VectorsConfigBuilder,
};
use qdrant_client::{Payload, Qdrant};
use secrecy::ExposeSecret;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::edge::{DENSE_NAME, SPARSE_NAME};

#[derive(Clone)]
pub struct QdrantStore {
    client: Arc<Qdrant>,
    collection: String,
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// BM25 alone, or BM25 and dense prefetches fused by reciprocal rank fusion (the same plan as the embedded shard).
pub fn build_query(collection: &str, q: &Sparse, dense: Option<&[f32]>, locale: Locale, limit: usize) -> QueryPoints {
    let filter = || Filter::must([Condition::matches("locale", locale.as_str().to_string())]);
    let sparse = || VectorInput::new_sparse(q.indices.clone(), q.values.clone());
    let builder = QueryPointsBuilder::new(collection).filter(filter()).limit(limit as u64).with_payload(true);
    let builder = match dense {
        None => builder.query(sparse()).using(SPARSE_NAME),
        Some(d) => {
            let stage = |query: Query, using: &str| {
                PrefetchQueryBuilder::default().query(query).using(using).filter(filter()).limit((limit * 4) as u64)
            };
            let mut b = builder.add_prefetch(stage(Query::new_nearest(d.to_vec()), DENSE_NAME));
            if !q.indices.is_empty() {
                b = b.add_prefetch(stage(Query::new_nearest(sparse()), SPARSE_NAME));
            }
            // Qdrant's server-side RRF uses its own k, 60 by default: the embedded shard's `edge::RRF_K` matches it.
            b.query(Query::new_fusion(Fusion::Rrf))
        }
    };
    builder.build()
}

/// The payload fields a query filters on, with the index each needs. Without an index Qdrant evaluates the filter
/// by reading (and, with on-disk payload, decompressing) every candidate's payload; the embedded shard indexes the
/// same field (`edge::index_locale`).
pub const INDEXED_FIELDS: &[(&str, FieldType, PayloadSchemaType)] =
    &[("locale", FieldType::Keyword, PayloadSchemaType::Keyword)];

/// The indexes of [`INDEXED_FIELDS`] that the collection's payload schema lacks (or has with another type).
pub fn missing_indexes(schema: &HashMap<String, PayloadSchemaInfo>) -> Vec<(&'static str, FieldType)> {
    INDEXED_FIELDS
        .iter()
        .filter(|(field, _, want)| schema.get(*field).is_none_or(|info| info.data_type != *want as i32))
        .map(|(field, ty, _)| (*field, *ty))
        .collect()
}

pub fn build_point(c: &Chunk) -> Result<PointStruct, StoreError> {
    let payload = Payload::try_from(record_payload(&c.record)).map_err(|e| StoreError::Backend(e.to_string()))?;
    let mut vectors = NamedVectors::default()
        .add_vector(SPARSE_NAME, Vector::new_sparse(c.sparse.indices.clone(), c.sparse.values.clone()));
    if let Some(d) = &c.dense {
        vectors = vectors.add_vector(DENSE_NAME, Vector::new_dense(d.clone()));
    }
    Ok(PointStruct::new(point_uuid(&c.record.id).to_string(), vectors, payload))
}

/// Creates each missing index and waits for it, so the first query after start already filters through it.
/// Asking the schema first keeps restarts from re-sending index builds to a collection that has them.
async fn ensure_indexes(client: &Qdrant, collection: &str) -> Result<(), StoreError> {
    let info = client.collection_info(collection).await.map_err(unavailable)?;
    let schema = info.result.map(|r| r.payload_schema).unwrap_or_default();
    for (field, ty) in missing_indexes(&schema) {
        client
            .create_field_index(CreateFieldIndexCollectionBuilder::new(collection, field, ty).wait(true))
            .await
            .map_err(|e| StoreError::Backend(format!("creating the {field} payload index on {collection}: {e}")))?;
    }
    Ok(())
}

impl QdrantStore {
    /// Connects, creates the collection (sparse BM25 vector with the IDF modifier) when it does not exist, and
    /// creates the payload indexes it lacks (a collection made before they existed gets them at the next start).
    pub async fn connect(cfg: &QdrantConfig, dense_dim: Option<usize>) -> Result<QdrantStore, StoreError> {
        let mut builder = Qdrant::from_url(&cfg.url);
        if let Some(key) = &cfg.api_key {
            builder = builder.api_key(key.expose_secret().to_string());
        }
        let client = builder.build().map_err(unavailable)?;
        if !client.collection_exists(&cfg.collection).await.map_err(unavailable)? {
            let mut sparse = SparseVectorsConfigBuilder::default();
            sparse.add_named_vector_params(SPARSE_NAME, SparseVectorParamsBuilder::default().modifier(Modifier::Idf));
            let mut create = CreateCollectionBuilder::new(&cfg.collection).sparse_vectors_config(sparse);
            if let Some(d) = dense_dim {
                let mut dense = VectorsConfigBuilder::default();
                dense.add_named_vector_params(DENSE_NAME, VectorParamsBuilder::new(d as u64, Distance::Cosine));
                create = create.vectors_config(dense);
            }
            client.create_collection(create).await.map_err(unavailable)?;
        }
        ensure_indexes(&client, &cfg.collection).await?;
        Ok(QdrantStore { client: Arc::new(client), collection: cfg.collection.clone() })
    }

    pub async fn search(
        &self,
        q: &Sparse,
        dense: Option<&[f32]>,
        locale: Locale,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        if q.indices.is_empty() && dense.is_none() {
            return Ok(Vec::new());
        }
        let resp =
            self.client.query(build_query(&self.collection, q, dense, locale, limit)).await.map_err(unavailable)?;
        Ok(resp
            .result
            .into_iter()
            .filter_map(|p| {
                let json: serde_json::Map<String, serde_json::Value> =
                    p.payload.into_iter().map(|(k, v)| (k, v.into_json())).collect();
                Some(Hit { record: payload_to_record(serde_json::Value::Object(json))?, score: p.score })
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
        let req = build_query("textbook", &q, None, Locale::Ur, 5);
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
                ..Default::default()
            },
            sparse: Sparse { indices: vec![1], values: vec![0.5] },
            dense: Some(vec![0.1, 0.2]),
        };
        let p = build_point(&c).unwrap();
        assert_eq!(p.payload.get("url").and_then(|v| v.as_str()).map(String::as_str), Some("/p/#a"));
        assert!(format!("{:?}", p.id).contains("00112233-4455-6677-8899-aabbccddeeff"));
        let vectors = format!("{:?}", p.vectors);
        assert!(vectors.contains(DENSE_NAME) && vectors.contains(SPARSE_NAME), "{vectors}");
    }

    #[test]
    fn every_filtered_field_is_indexed_once() {
        let info = |t: PayloadSchemaType| PayloadSchemaInfo { data_type: t as i32, params: None, points: Some(3) };
        let mut schema = HashMap::new();
        assert_eq!(missing_indexes(&schema), vec![("locale", FieldType::Keyword)]);
        schema.insert("locale".to_string(), info(PayloadSchemaType::Text));
        assert_eq!(missing_indexes(&schema), vec![("locale", FieldType::Keyword)], "a text index cannot match");
        schema.insert("locale".to_string(), info(PayloadSchemaType::Keyword));
        assert!(missing_indexes(&schema).is_empty());
    }

    #[test]
    fn every_field_a_query_filters_on_is_indexed() {
        use qdrant_client::qdrant::condition::ConditionOneOf;
        let keys = |f: &Filter| -> Vec<String> {
            (f.must.iter().chain(&f.should).chain(&f.must_not))
                .filter_map(|c| match &c.condition_one_of {
                    Some(ConditionOneOf::Field(fc)) => Some(fc.key.clone()),
                    _ => None,
                })
                .collect()
        };
        let q = Sparse { indices: vec![1], values: vec![1.0] };
        for dense in [None, Some(&[0.5f32, 0.5][..])] {
            let req = build_query("c", &q, dense, Locale::En, 3);
            let filters = req.filter.iter().chain(req.prefetch.iter().filter_map(|p| p.filter.as_ref()));
            let used: Vec<String> = filters.flat_map(keys).collect();
            assert!(!used.is_empty());
            for key in used {
                assert!(INDEXED_FIELDS.iter().any(|(f, ..)| *f == key), "{key} is filtered on but not indexed");
            }
        }
    }

    #[test]
    fn hybrid_query_fuses_dense_and_sparse_prefetches() {
        let q = Sparse { indices: vec![3], values: vec![1.0] };
        let req = build_query("textbook", &q, Some(&[0.5, 0.5]), Locale::En, 4);
        assert_eq!(req.prefetch.len(), 2);
        assert!(req.prefetch.iter().all(|p| p.limit == Some(16) && p.filter.is_some()));
        assert!(format!("{:?}", req.query).contains("Fusion"), "{:?}", req.query);
        assert!(req.using.is_none());
    }
}
