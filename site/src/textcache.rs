//! What `site serve` keeps of each file between rebuilds: the file's text and what was made from it. A rebuild
//! after a one-page edit makes things again only for files whose text changed; a non-content change (templates,
//! locales, config) clears every such cache.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

pub struct TextCache<K, V>(Mutex<HashMap<K, (String, V)>>);

impl<K, V> Default for TextCache<K, V> {
    fn default() -> Self {
        TextCache(Mutex::new(HashMap::new()))
    }
}

impl<K: Hash + Eq + Clone, V: Clone> TextCache<K, V> {
    pub fn clear(&self) {
        if let Ok(mut m) = self.0.lock() {
            m.clear();
        }
    }

    /// `make()`, or what it gave when `key` last had this `text` (without a cache, always `make()`).
    pub fn get_or_make(cache: Option<&Self>, key: &K, text: &str, make: impl FnOnce() -> V) -> V {
        let kept = cache.and_then(|c| c.0.lock().ok()?.get(key).filter(|(t, _)| t == text).map(|(_, v)| v.clone()));
        if let Some(v) = kept {
            return v;
        }
        let v = make();
        if let Some(mut m) = cache.and_then(|c| c.0.lock().ok()) {
            m.insert(key.clone(), (text.to_string(), v.clone()));
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_again_only_when_the_text_changed() {
        let cache = TextCache::<&str, usize>::default();
        let made = std::cell::Cell::new(0);
        let make = |n| {
            made.set(made.get() + 1);
            n
        };
        assert_eq!(TextCache::get_or_make(Some(&cache), &"a", "one", || make(1)), 1);
        assert_eq!(TextCache::get_or_make(Some(&cache), &"a", "one", || make(9)), 1);
        assert_eq!(TextCache::get_or_make(Some(&cache), &"a", "two", || make(2)), 2);
        assert_eq!(made.get(), 2);
        cache.clear();
        assert_eq!(TextCache::get_or_make(Some(&cache), &"a", "two", || make(3)), 3);
        assert_eq!(TextCache::get_or_make(None, &"a", "two", || make(4)), 4);
    }
}
