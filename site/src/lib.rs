//! Static-site builder for the bilingual (English + Urdu) textbook.
//!
//! Entry points: [`build`] (writes the site), [`check`] (validates only) and [`generate`] (in memory).

pub mod assets;
pub mod config;
pub mod content;
pub mod corpus;
pub mod error;
pub mod frontmatter;
pub mod git;
pub mod highlight;
pub mod i18n;
pub mod layout;
pub mod links;
pub mod markdown;
pub mod mathtext;
pub mod nav;
pub mod output;
pub mod pipeline;
pub mod search;
pub mod seo;
pub mod serve;
pub mod slug;

pub use config::{BuildOptions, SiteConfig};
pub use error::{Diagnostic, SiteError};
pub use pipeline::{BuildReport, Parity, RenderCache, build, check, generate, generate_cached};
