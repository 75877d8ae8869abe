//! Static-site builder for the bilingual (English + Urdu) textbook.
//!
//! Entry points: [`build`] (writes the site), [`check`] (validates only) and [`generate`] (in memory).

pub mod assets;
pub mod cite;
pub mod codeblock;
pub mod config;
pub mod content;
pub mod corpus;
pub mod docusaurus;
pub mod error;
pub mod figures;
pub mod frontmatter;
pub mod git;
pub mod hashing;
pub mod highlight;
pub mod html;
pub mod i18n;
pub mod import;
pub mod layout;
pub mod links;
pub mod markdown;
pub mod mathtext;
pub mod mdx;
pub mod nav;
pub mod output;
pub mod overlay;
pub mod pagemeta;
pub mod pipeline;
pub mod search;
pub mod seo;
pub mod serve;
pub mod sidebar;
pub mod slug;
pub mod terms;
pub mod tex;
pub mod textcache;
pub mod urls;

pub use config::{BuildOptions, SiteConfig};
pub use error::{Diagnostic, SiteError};
pub use pipeline::{
    BuildMode, BuildReport, Parity, RenderCache, build, check, generate, generate_cached, generate_with,
};
