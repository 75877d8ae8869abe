//! Wire types shared by `site` (writes the corpus), `server` (reads it, answers chats) and `widget` (calls the API).
//!
//! Kept dependency-light (serde only) so it compiles for `wasm32-unknown-unknown` as well as native.

mod api;
mod client_error;
mod corpus;
mod tex;

pub use api::*;
pub use client_error::*;
pub use corpus::*;
pub use tex::*;

use serde::{Deserialize, Serialize};

/// The two languages the textbook is published in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    Ur,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Ur];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ur => "ur",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        match s {
            "en" => Some(Locale::En),
            "ur" => Some(Locale::Ur),
            _ => None,
        }
    }

    /// The locale a cross-lingual fallback goes to.
    pub fn other(self) -> Locale {
        match self {
            Locale::En => Locale::Ur,
            Locale::Ur => Locale::En,
        }
    }

    /// Text direction for `dir=` attributes.
    pub fn dir(self) -> &'static str {
        match self {
            Locale::En => "ltr",
            Locale::Ur => "rtl",
        }
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_round_trips_and_mirrors() {
        for l in Locale::ALL {
            assert_eq!(Locale::parse(l.as_str()), Some(l));
            assert_eq!(l.other().other(), l);
        }
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::Ur.dir(), "rtl");
        assert_eq!(serde_json::to_string(&Locale::Ur).unwrap(), "\"ur\"");
    }
}
