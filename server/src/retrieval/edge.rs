//! The embedded vector store: a qdrant-edge shard in the data dir (the default; no server needed).

use super::{Chunk, Hit, StoreError, payload_to_record, point_uuid, record_payload};
use crate::retrieval::analyzer::Sparse;
use protocol::Locale;
use qdrant_edge::external::serde_json::Value;
use qdrant_edge::{
    Condition, CreateIndex, Distance, EdgeConfig, EdgeShard, EdgeSparseVectorParams, EdgeVectorParamsBuilder,
    FieldCondition, FieldIndexOperations, Filter, Fusion, JsonPath, Match, Modifier, NamedQuery, PayloadFieldSchema,
    PayloadSchemaType, PointId, PointInsertOperations, PointOperations, PointStruct, Prefetch, QueryEnum, QueryRequest,
    ScoringQuery, ScrollRequest, SparseVector, UpdateOperation, Vector, VectorInternal, Vectors, WithPayloadInterface,
    WithVector,
};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const SPARSE_NAME: &str = "bm25";
pub const DENSE_NAME: &str = "dense";
/// Reciprocal rank fusion constant (the usual 60): ranks matter, raw scores of the two retrievers do not mix.
pub const RRF_K: usize = 60;

#[derive(Clone)]
pub struct EdgeStore {
    shard: Arc<EdgeShard>,
    path: PathBuf,
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// One search thread, which qdrant-edge takes to mean "read the segments on the calling thread". Its default
/// (four threads per core, for disk-bound loads) hands every query to a pool thread and back; this index is small
/// and in memory, so a profile of `/api/chat` at 50 clients showed those hand-offs and context switches as a third
/// of the CPU. Concurrent requests still search in parallel, each on its own runtime thread.
const SEARCH_THREADS: usize = 1;

fn config(dense_dim: Option<usize>) -> EdgeConfig {
    let vectors = match dense_dim {
        Some(d) => HashMap::from([(DENSE_NAME.to_string(), EdgeVectorParamsBuilder::new(d, Distance::Cosine).build())]),
        None => HashMap::new(),
    };
    EdgeConfig {
        sparse_vectors: HashMap::from([(
            SPARSE_NAME.to_string(),
            EdgeSparseVectorParams { modifier: Some(Modifier::Idf), ..Default::default() },
        )]),
        vectors,
        max_search_threads: Some(SEARCH_THREADS),
        ..Default::default()
    }
}

pub(crate) fn locale_filter(locale: Locale) -> Result<Filter, StoreError> {
    let key: JsonPath = "locale".parse().map_err(|_| StoreError::Backend("invalid payload key".into()))?;
    Ok(Filter::new_must(Condition::Field(FieldCondition::new_match(key, Match::from(locale.as_str().to_string())))))
}

/// A keyword index on `locale`, which every search filters by. Without it the filter reads (decompresses and
/// parses) the payload of each candidate point: profiling `/api/search` showed that as most of a query's time.
/// Creating it again on an existing shard (one built before this index existed) is a no-op rebuild.
fn index_locale(shard: &EdgeShard) -> Result<(), StoreError> {
    let field: JsonPath = "locale".parse().map_err(|_| StoreError::Backend("invalid payload key".into()))?;
    shard
        .update(UpdateOperation::FieldIndexOperation(FieldIndexOperations::CreateIndex(CreateIndex {
            field_name: field,
            field_schema: Some(PayloadFieldSchema::FieldType(PayloadSchemaType::Keyword)),
        })))
        .map_err(err)
}

impl EdgeStore {
    /// Opens the shard under `dir`, creating it on first use. A hybrid index (with dense vectors of `dense_dim`)
    /// lives in its own folder, so switching embeddings on or off never meets a shard of the other schema.
    pub fn open(dir: &Path, dense_dim: Option<usize>) -> Result<EdgeStore, StoreError> {
        let path = match dense_dim {
            Some(d) => dir.join(format!("index-dense{d}")),
            None => dir.join("index"),
        };
        let shard = if path.join("edge_config.json").exists() || path.join(qdrant_edge::WAL_PATH).exists() {
            // Only the thread count is given: everything else comes from the shard's saved config.
            let tunables = EdgeConfig { max_search_threads: Some(SEARCH_THREADS), ..Default::default() };
            EdgeShard::load(&path, Some(tunables)).map_err(err)?
        } else {
            std::fs::create_dir_all(&path).map_err(err)?;
            EdgeShard::new(&path, config(dense_dim)).map_err(err)?
        };
        index_locale(&shard)?;
        Ok(EdgeStore { shard: Arc::new(shard), path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn upsert(&self, chunks: &[Chunk]) -> Result<(), StoreError> {
        if chunks.is_empty() {
            return Ok(());
        }
        let points = chunks
            .iter()
            .map(|c| {
                let sparse = SparseVector { indices: c.sparse.indices.clone(), values: c.sparse.values.clone() };
                let mut named: Vec<(&str, Vector)> = vec![(SPARSE_NAME, Vector::from(sparse))];
                if let Some(d) = &c.dense {
                    named.push((DENSE_NAME, Vector::from(d.clone())));
                }
                PointStruct::new(
                    PointId::Uuid(point_uuid(&c.record.id)),
                    Vectors::from(named),
                    record_payload(&c.record),
                )
                .into()
            })
            .collect();
        self.shard
            .update(UpdateOperation::PointOperation(PointOperations::UpsertPoints(PointInsertOperations::PointsList(
                points,
            ))))
            .map_err(err)
    }

    pub fn delete(&self, chunk_ids: &[String]) -> Result<(), StoreError> {
        if chunk_ids.is_empty() {
            return Ok(());
        }
        let ids = chunk_ids.iter().map(|id| PointId::Uuid(point_uuid(id))).collect();
        self.shard.update(UpdateOperation::PointOperation(PointOperations::DeletePoints { ids })).map_err(err)
    }

    /// Makes the writes durable and searchable with built indexes.
    pub fn commit(&self) -> Result<(), StoreError> {
        self.shard.optimize().map_err(err)?;
        self.shard.flush().map_err(err)
    }

    pub fn chunk_ids(&self) -> Result<HashSet<String>, StoreError> {
        let mut out = HashSet::new();
        let mut offset = None;
        loop {
            let req = ScrollRequest {
                offset,
                limit: Some(1000),
                with_payload: Some(WithPayloadInterface::Bool(true)),
                ..ScrollRequest::new()
            };
            let (records, next) = self.shard.scroll(req).map_err(err)?;
            for r in records {
                if let Some(Value::String(id)) = r.payload.as_ref().and_then(|p| p.0.get("chunk_id")) {
                    out.insert(id.clone());
                }
            }
            match next {
                Some(n) => offset = Some(n),
                None => break,
            }
        }
        Ok(out)
    }

    pub fn count(&self) -> Result<usize, StoreError> {
        self.shard.count(qdrant_edge::CountRequest { filter: None, exact: true }).map_err(err)
    }

    pub fn search(
        &self,
        query: &Sparse,
        dense: Option<&[f32]>,
        locale: Locale,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        if query.indices.is_empty() && dense.is_none() {
            return Ok(Vec::new());
        }
        let nearest = |v: VectorInternal, using: &str| {
            ScoringQuery::Vector(QueryEnum::Nearest(NamedQuery { query: v, using: Some(using.to_string()) }))
        };
        let sparse = nearest(
            VectorInternal::from(SparseVector { indices: query.indices.clone(), values: query.values.clone() }),
            SPARSE_NAME,
        );
        let (prefetches, scoring) = match dense {
            None => (vec![], sparse),
            Some(d) => {
                let stage = |q: ScoringQuery| -> Result<Prefetch, StoreError> {
                    Ok(Prefetch {
                        prefetches: vec![],
                        query: Some(q),
                        limit: limit * 4,
                        params: None,
                        filter: Some(locale_filter(locale)?),
                        score_threshold: None,
                    })
                };
                let dense_q = nearest(VectorInternal::from(d.to_vec()), DENSE_NAME);
                let mut stages = vec![stage(dense_q)?];
                if !query.indices.is_empty() {
                    stages.push(stage(sparse)?);
                }
                (stages, ScoringQuery::Fusion(Fusion::Rrf { k: RRF_K, weights: None }))
            }
        };
        let results = self
            .shard
            .query(QueryRequest {
                prefetches,
                query: Some(scoring),
                filter: Some(locale_filter(locale)?),
                score_threshold: None,
                limit,
                offset: 0,
                params: None,
                with_vector: WithVector::Bool(false),
                with_payload: WithPayloadInterface::Bool(true),
            })
            .map_err(err)?;
        Ok(results
            .into_iter()
            .filter_map(|p| {
                let payload = p.payload?;
                Some(Hit { record: payload_to_record(Value::Object(payload.0.into_iter().collect()))?, score: p.score })
            })
            .collect())
    }
}
