//! Clean Markdown renders kept between `site build` runs, in one pack file (`renders.pack` in the cache folder beside
//! the output): a rebuild re-renders only pages whose inputs changed (highlighting and math are most of a build's
//! Markdown time). One file, not one per page: creating thousands of small files made a cold build of a 2,002-page
//! book up to 1.7 s slower on a busy disk (figures: bench/REPORT.md §6).
//!
//! The key adds to `site serve`'s in-memory one what a later run may change: the builder, the page's file path, the
//! UI strings (admonition titles, citation labels), the origin, and the list of files under `static/` (a render
//! checks that its images exist). The pack is rewritten only when a render was added or one went unused, and then
//! holds exactly the renders this run used. Layout: magic, u64 index length, index entries (u16 key length, key,
//! u64 offset into the data, u64 length), then the JSON renders. Anything unreadable is a miss.

use super::load::Loaded;
use crate::hashing::{Hasher, hash_parts};
use crate::markdown::Rendered;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const MAGIC: &[u8] = b"site render cache 1\n";

/// Key -> (offset from the data start, length).
type Index = HashMap<String, (u64, u64)>;

pub(super) struct DiskRenders {
    path: PathBuf,
    /// Fingerprint of everything in the key that is the same for every page.
    common: String,
    /// The pack of the last run, and where each of its renders sits (offset from the data start, length).
    old: Option<Mutex<File>>,
    data_start: u64,
    index: Index,
    used: Mutex<HashSet<String>>,
    fresh: Mutex<Vec<(String, Vec<u8>)>>,
}

impl DiskRenders {
    pub(super) fn open(cache_dir: &Path, l: &Loaded, static_dir: &Path) -> Self {
        let mut h = Hasher::new();
        h.part("renders").part(env!("CARGO_PKG_VERSION")).part(super::search::builder_fingerprint());
        h.part(&l.urls.absolute("/")).end_group();
        for (loc, strings) in &l.strings {
            h.part(loc);
            for (k, v) in strings {
                h.part(k).part(v);
            }
            h.end_group();
        }
        let mut statics: Vec<String> = walkdir::WalkDir::new(static_dir)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().to_string_lossy().into_owned())
            .collect();
        statics.sort();
        for s in &statics {
            h.part(s);
        }
        let path = cache_dir.join("renders.pack");
        let (old, data_start, index) = match read_index(&path) {
            Some((file, start, index)) => (Some(Mutex::new(file)), start, index),
            None => (None, 0, HashMap::new()),
        };
        DiskRenders { path, common: h.hex(), old, data_start, index, used: Mutex::default(), fresh: Mutex::default() }
    }

    pub(super) fn key(&self, page_key: &str, repo_path: &str) -> String {
        hash_parts(&[&self.common, page_key, repo_path])
    }

    pub(super) fn get(&self, key: &str) -> Option<Rendered> {
        let bytes = self.read(key)?;
        let r = serde_json::from_slice(&bytes).ok()?;
        if let Ok(mut u) = self.used.lock() {
            u.insert(key.to_string());
        }
        Some(r)
    }

    fn read(&self, key: &str) -> Option<Vec<u8>> {
        let &(offset, len) = self.index.get(key)?;
        let mut file = self.old.as_ref()?.lock().ok()?;
        file.seek(SeekFrom::Start(self.data_start + offset)).ok()?;
        let mut bytes = vec![0; usize::try_from(len).ok()?];
        file.read_exact(&mut bytes).ok()?;
        Some(bytes)
    }

    /// Best effort: a render that cannot be stored is rendered again next time.
    pub(super) fn put(&self, key: &str, r: &Rendered) {
        if let (Ok(bytes), Ok(mut fresh)) = (serde_json::to_vec(r), self.fresh.lock()) {
            fresh.push((key.to_string(), bytes));
        }
    }

    /// Writes the pack of this run's renders, unless it would equal the last one.
    pub(super) fn finish(self) {
        let used = self.used.lock().map(|u| u.clone()).unwrap_or_default();
        let fresh = self.fresh.lock().map(|mut f| std::mem::take(&mut *f)).unwrap_or_default();
        if fresh.is_empty() && used.len() == self.index.len() {
            return;
        }
        let _ = self.write(&used, fresh);
    }

    fn write(&self, used: &HashSet<String>, fresh: Vec<(String, Vec<u8>)>) -> Option<()> {
        let mut entries: Vec<(String, Vec<u8>)> =
            used.iter().filter_map(|k| Some((k.clone(), self.read(k)?))).collect();
        entries.extend(fresh);
        let mut index = vec![];
        let mut offset = 0u64;
        for (key, bytes) in &entries {
            index.extend_from_slice(&u16::try_from(key.len()).ok()?.to_le_bytes());
            index.extend_from_slice(key.as_bytes());
            index.extend_from_slice(&offset.to_le_bytes());
            index.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            offset += bytes.len() as u64;
        }
        std::fs::create_dir_all(self.path.parent()?).ok()?;
        // Written aside and renamed, so a build stopped half way never leaves a truncated pack under the name.
        let tmp = self.path.with_extension("tmp");
        let mut w = BufWriter::new(File::create(&tmp).ok()?);
        w.write_all(MAGIC).ok()?;
        w.write_all(&(index.len() as u64).to_le_bytes()).ok()?;
        w.write_all(&index).ok()?;
        for (_, bytes) in &entries {
            w.write_all(bytes).ok()?;
        }
        w.into_inner().ok()?;
        std::fs::rename(&tmp, &self.path).ok()
    }
}

/// The pack's index, and where its data starts; `None` when there is no readable pack.
fn read_index(path: &Path) -> Option<(File, u64, Index)> {
    let mut file = File::open(path).ok()?;
    let mut head = vec![0; MAGIC.len() + 8];
    file.read_exact(&mut head).ok()?;
    let len = u64::from_le_bytes(head.strip_prefix(MAGIC)?.try_into().ok()?);
    let mut raw = vec![0; usize::try_from(len).ok()?];
    file.read_exact(&mut raw).ok()?;
    let mut index = HashMap::new();
    let mut at = 0usize;
    let mut take = |n: usize| {
        let s = raw.get(at..at.checked_add(n)?)?;
        at += n;
        Some(s.to_vec())
    };
    while let Some(k) = take(2) {
        let key = String::from_utf8(take(usize::from(u16::from_le_bytes(k.try_into().ok()?)))?).ok()?;
        let offset = u64::from_le_bytes(take(8)?.try_into().ok()?);
        let length = u64::from_le_bytes(take(8)?.try_into().ok()?);
        index.insert(key, (offset, length));
    }
    let start = (MAGIC.len() + 8) as u64 + len;
    let data_len = file.metadata().ok()?.len().checked_sub(start)?;
    // An entry reaching past the end means a damaged pack: no entry of it is trusted.
    index.values().all(|&(o, l)| o.checked_add(l).is_some_and(|end| end <= data_len)).then_some((file, start, index))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(path: &Path) -> DiskRenders {
        let (old, data_start, index) = match read_index(path) {
            Some((f, s, i)) => (Some(Mutex::new(f)), s, i),
            None => (None, 0, HashMap::new()),
        };
        DiskRenders {
            path: path.to_path_buf(),
            common: "c".into(),
            old,
            data_start,
            index,
            used: Mutex::default(),
            fresh: Mutex::default(),
        }
    }

    fn render(html: &str) -> Rendered {
        Rendered { html: html.into(), ..Default::default() }
    }

    #[test]
    fn the_pack_keeps_exactly_the_renders_a_run_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("renders.pack");
        let first = pack(&path);
        first.put("a", &render("<p>a</p>"));
        first.put("b", &render("<p>b</p>"));
        first.finish();
        // The next run uses `a`, renders `c` anew and no longer has `b`.
        let second = pack(&path);
        assert_eq!(second.get("a").map(|r| r.html), Some("<p>a</p>".into()));
        assert!(second.get("c").is_none());
        second.put("c", &render("<p>c</p>"));
        second.finish();
        let third = pack(&path);
        assert_eq!(third.index.len(), 2);
        assert_eq!(third.get("a").map(|r| r.html), Some("<p>a</p>".into()));
        assert_eq!(third.get("c").map(|r| r.html), Some("<p>c</p>".into()));
        assert!(third.get("b").is_none());
        // A truncated pack is not trusted at all.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(read_index(&path).is_none());
    }
}
