//! RAG backend for the "Physical AI & Humanoid Robotics" textbook: retrieval over the site's corpus with the
//! Qdrant engine, answers with section citations (LLM or extractive), chat sessions in SQLite or PostgreSQL.

pub mod answer;
pub mod backup;
pub mod build_info;
pub mod chat;
pub mod config;
pub mod connections;
pub mod corpus;
pub mod error;
pub mod faults;
pub mod http;
pub mod log_export;
pub mod metrics;
pub mod release;
pub mod retrieval;
pub mod serve;
pub mod sessions;
pub mod smoke;
pub mod state;
pub mod telemetry;
