//! The site's one hashing helper (SHA-256, hex): corpus record ids, the corpus hash, asset fingerprints and the
//! `site serve` cache keys all go through it.

use sha2::{Digest, Sha256};

/// Hashes a sequence of strings. `part` puts a 0 byte between parts, so ("a", "bc") and ("ab", "c") differ.
#[derive(Default)]
pub struct Hasher {
    h: Sha256,
    started: bool,
}

impl Hasher {
    pub fn new() -> Hasher {
        Hasher::default()
    }

    /// Adds one part, separated from the previous one.
    pub fn part(&mut self, s: &str) -> &mut Hasher {
        if self.started {
            self.h.update([0]);
        }
        self.started = true;
        self.h.update(s.as_bytes());
        self
    }

    /// Ends a group of parts (one page of many), so groups cannot run into each other.
    pub fn end_group(&mut self) -> &mut Hasher {
        self.h.update([1]);
        self.started = false;
        self
    }

    /// Adds bytes with no separator: for fixed-length parts such as hex ids.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Hasher {
        self.h.update(b);
        self
    }

    pub fn hex(self) -> String {
        hex::encode(self.h.finalize())
    }
}

/// The hex SHA-256 of `parts`, separated as [`Hasher::part`] does.
pub fn hash_parts(parts: &[&str]) -> String {
    let mut h = Hasher::new();
    for p in parts {
        h.part(p);
    }
    h.hex()
}

/// The first 10 hex digits of the SHA-256 of `bytes`: cache-busting names and version tags.
pub fn short_hash(bytes: &[u8]) -> String {
    let mut h = Hasher::new();
    h.bytes(bytes);
    h.hex()[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_separated_and_groups_ended() {
        // The corpus record ids of earlier builds: locale, url and text joined by 0 bytes.
        assert_eq!(
            hash_parts(&["ur", "/ur/x/#a", "some text"]),
            "ba228b5527aed6885c63e42566a736316118a8b8e69bed72c90af79b035b2e19"
        );
        assert_ne!(hash_parts(&["a", "bc"]), hash_parts(&["ab", "c"]));
        let grouped = |groups: &[&[&str]]| {
            let mut h = Hasher::new();
            for g in groups {
                for p in *g {
                    h.part(p);
                }
                h.end_group();
            }
            h.hex()
        };
        assert_ne!(grouped(&[&["a", "b"], &["c"]]), grouped(&[&["a"], &["b", "c"]]));
        let mut raw = Hasher::new();
        raw.bytes(b"ab").bytes(b"cd");
        assert_eq!(raw.hex(), "88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589");
        assert_eq!(short_hash(b"abcd").len(), 10);
    }
}
