//! `site serve`: builds into memory, serves both locales, rebuilds on file changes and tells open
//! browser tabs to reload over Server-Sent Events. Build errors are shown in the terminal and, in the browser, as an
//! overlay over the last good page naming each `file:line:col` (see overlay.rs); `/__site_errors` serves them as
//! JSON.

use crate::assets::Files;
use crate::config::BuildOptions;
use crate::error::{Result, SiteError};
use crate::overlay::{OverlayItem, overlay_items};
use crate::pipeline::RenderCache;
use notify::{RecursiveMode, Watcher};
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

const RELOAD_PATH: &str = "/__site_reload";
const ERRORS_PATH: &str = "/__site_errors";

#[derive(Default)]
struct State {
    files: Arc<Files>,
    error: Option<Arc<Vec<OverlayItem>>>,
    version: u64,
}

type Shared = Arc<(Mutex<State>, Condvar)>;

fn rebuild(opts: &BuildOptions, shared: &Shared, cache: &RenderCache) {
    let t0 = Instant::now();
    let result = crate::pipeline::generate_with(opts, crate::pipeline::BuildMode::DeferredSearch, Some(cache));
    let (lock, cvar) = &**shared;
    let Ok(mut st) = lock.lock() else { return };
    let search_pages = match result {
        Ok(r) => {
            for w in &r.warnings {
                eprintln!("warning: {w}");
            }
            eprintln!(
                "built {} pages ({} re-rendered) in {:.0} ms",
                r.pages,
                r.rendered,
                t0.elapsed().as_secs_f64() * 1000.0
            );
            if std::env::var_os("SITE_TIMINGS").is_some() {
                let t: Vec<String> =
                    r.timings.iter().map(|(k, d)| format!("{}={:.1}", k.trim(), d.as_secs_f64() * 1000.0)).collect();
                eprintln!("  {}", t.join(" "));
            }
            st.files = Arc::new(r.files);
            st.error = None;
            Some((r.search_pages, r.urls))
        }
        Err(e) => {
            eprintln!("build failed:\n{e}");
            // The last good pages stay served, with the errors over them.
            st.error = Some(Arc::new(overlay_items(&e)));
            None
        }
    };
    st.version += 1;
    let version = st.version;
    cvar.notify_all();
    drop(st);

    // The pages are live (and the browser reloading); now index them. Search results lag a change by this step.
    let Some((search_pages, urls)) = search_pages else { return };
    let t1 = Instant::now();
    // On one core: the open page is fetching and swapping in its new content at this moment, and indexing on every
    // core slowed that down (median write to screen 146-151 ms in three runs of bench/site.py, 127-131 ms on one
    // core, bench/serve_visible.mjs); the search follows as fast either way (about 100 ms after the rebuild).
    static ONE_CORE: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let pool = ONE_CORE.get_or_init(|| rayon::ThreadPoolBuilder::new().num_threads(1).build().ok());
    let index = || crate::pipeline::search_bundle(&search_pages, &urls, Some(cache), None);
    let built = match pool {
        Some(p) => p.install(index),
        None => index(),
    };
    match built {
        Ok(bundle) => {
            let Ok(mut st) = lock.lock() else { return };
            // A newer build already replaced the files; its own indexing step will follow.
            if st.version == version {
                let mut files = (*st.files).clone();
                files.extend(bundle);
                st.files = Arc::new(files);
                eprintln!("search index ready in {:.0} ms", t1.elapsed().as_secs_f64() * 1000.0);
            }
        }
        Err(e) => eprintln!("search index failed: {e}"),
    }
}

/// The live-reload hook of a page served at build `version`. The page names its version when it subscribes, so a
/// rebuild that finished after the page was sent but before it subscribed still reloads it (without it, such an
/// edit was lost until the next one).
/// After a rebuild the page swaps its new content in place, or reloads when more than the content changed
/// (live_reload.js).
fn reload_script(version: u64) -> String {
    let js = include_str!("live_reload.js").replace("SINCE", &version.to_string());
    debug_assert!(js.contains(RELOAD_PATH));
    format!("<script>{js}</script>")
}

/// The build version a reload subscription names (`/__site_reload?since=3`), if it is one.
fn reload_since(url: &str) -> Option<Option<u64>> {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    (path == RELOAD_PATH).then(|| query.split('&').find_map(|kv| kv.strip_prefix("since=")?.parse().ok()))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "jsonl" => "application/jsonl",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "wasm" => "application/wasm",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Maps a request path (with base) to an output file and its bytes.
fn lookup(files: &Files, base: &str, url: &str) -> Option<(String, Vec<u8>)> {
    let path = url.split(['?', '#']).next().unwrap_or("/");
    let rel = path.strip_prefix(base).or_else(|| path.strip_prefix(base.trim_end_matches('/')))?;
    let rel = rel.trim_start_matches('/');
    let candidates = [rel.to_string(), format!("{rel}index.html"), format!("{rel}/index.html")];
    candidates.into_iter().find_map(|c| files.get(&c).map(|b| (c.clone(), b.clone())))
}

fn handle(req: tiny_http::Request, shared: &Shared, base: &str) {
    let url = req.url().to_string();
    if let Some(since) = reload_since(&url) {
        stream_reloads(req, shared, since);
        return;
    }
    if url == ERRORS_PATH {
        let items = shared.0.lock().ok().and_then(|st| st.error.clone());
        let body = crate::overlay::payload_json(items.as_deref().map_or(&[], |v| v.as_slice()));
        let mut resp = tiny_http::Response::from_data(body);
        if let Ok(h) = tiny_http::Header::from_bytes("Content-Type", "application/json") {
            resp = resp.with_header(h);
        }
        let _ = req.respond(resp);
        return;
    }
    let (files, error, version) = match shared.0.lock() {
        Ok(st) => (st.files.clone(), st.error.clone(), st.version),
        Err(_) => return,
    };
    let header = |ct: &str| tiny_http::Header::from_bytes("Content-Type", ct).ok();
    let (status, ct, mut body) = match lookup(&files, base, &url) {
        Some((path, bytes)) => (200, content_type(&path), bytes),
        // No good build yet: the overlay alone.
        None if error.is_some() => (500, "text/html; charset=utf-8", crate::overlay::standalone_page().into_bytes()),
        None => {
            let nf = if url.starts_with(&format!("{base}ur/")) { "ur/404.html" } else { "404.html" };
            (404, "text/html; charset=utf-8", files.get(nf).cloned().unwrap_or_else(|| b"not found".to_vec()))
        }
    };
    if ct.starts_with("text/html") {
        let overlay = error.as_deref().map(|e| crate::overlay::overlay_html(e)).unwrap_or_default();
        let html = String::from_utf8_lossy(&body);
        let html = if html.contains("</body>") {
            html.replacen("</body>", &format!("{overlay}{}</body>", reload_script(version)), 1)
        } else {
            format!("{html}{overlay}{}", reload_script(version))
        };
        body = html.into_bytes();
    }
    let mut resp = tiny_http::Response::from_data(body).with_status_code(status);
    if let Some(h) = header(ct) {
        resp = resp.with_header(h);
    }
    // A fingerprinted asset never changes under its name: the reload after an edit then fetches only the page.
    if status == 200
        && is_fingerprinted(&url)
        && let Ok(h) = tiny_http::Header::from_bytes("Cache-Control", "public, max-age=31536000, immutable")
    {
        resp = resp.with_header(h);
    }
    let _ = req.respond(resp);
}

/// `css/site.4e2f6bf671.css`: a name whose next-to-last part is the 10-digit content hash the build adds.
fn is_fingerprinted(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplit('.');
    let (_ext, hash) = (parts.next(), parts.next());
    parts.next().is_some() && hash.is_some_and(|h| h.len() == 10 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Holds the connection open and sends one event per rebuild. tiny_http's chunked responses buffer,
/// so the SSE response is written by hand on the raw connection.
fn stream_reloads(req: tiny_http::Request, shared: &Shared, since: Option<u64>) {
    let mut seen = match since {
        Some(v) => v,
        None => shared.0.lock().map(|s| s.version).unwrap_or(0),
    };
    let mut w = req.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n";
    if w.write_all(head.as_bytes()).and_then(|_| w.flush()).is_err() {
        return;
    }
    loop {
        let (lock, cvar) = &**shared;
        let Ok(guard) = lock.lock() else { return };
        let Ok((st, _)) = cvar.wait_timeout_while(guard, Duration::from_secs(15), |s| s.version == seen) else {
            return;
        };
        let msg: &[u8] = if st.version != seen { b"data: reload\n\n" } else { b": keep-alive\n\n" };
        seen = st.version;
        drop(st);
        if w.write_all(msg).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
}

/// Runs the development server until the process is stopped.
pub fn serve(opts: &BuildOptions, port: u16) -> Result<()> {
    let cfg = opts.resolve_config()?;
    let base = cfg.base_url.clone();
    let shared: Shared = Arc::default();
    let cache = Arc::new(RenderCache::default());
    rebuild(opts, &shared, &cache);

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        use notify::EventKind::{Create, Modify, Remove};
        use notify::event::ModifyKind;
        // The build itself opens every watched file; only real changes may trigger a rebuild,
        // otherwise each build would trigger the next.
        if let Ok(ev) = ev
            && matches!(
                ev.kind,
                Create(_) | Remove(_) | Modify(ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any)
            )
        {
            let _ = tx.send(ev.paths);
        }
    })
    .map_err(|e| SiteError::Watch { path: None, source: e })?;
    let mut watched: Vec<PathBuf> = vec![
        opts.content_dir(),
        opts.templates_dir(),
        opts.locales_dir(),
        opts.static_dir(),
        opts.root.join("site.toml"),
    ];
    // A Docusaurus tree (see docusaurus.rs): its docs folder and i18n folder instead of content/.
    if crate::docusaurus::is_docusaurus(&opts.root, &cfg) {
        watched
            .extend(crate::docusaurus::locale_dirs(&opts.root, &opts.content_dir(), &cfg).into_iter().map(|(_, d)| d));
        watched.push(opts.root.join("i18n"));
    }
    for p in watched.iter().filter(|p| p.exists()) {
        watcher
            .watch(p, RecursiveMode::Recursive)
            .map_err(|e| SiteError::Watch { path: Some(p.clone()), source: e })?;
    }
    let opts_bg = opts.clone();
    let shared_bg = shared.clone();
    let content_dirs: Vec<PathBuf> = crate::docusaurus::locale_dirs(&opts.root, &opts.content_dir(), &cfg)
        .into_iter()
        .map(|(_, d)| d)
        .chain([opts.content_dir()])
        .collect();
    std::thread::spawn(move || {
        while let Ok(mut paths) = rx.recv() {
            // Editors write several events per save, within a few milliseconds of each other: wait for a short
            // quiet spell, then rebuild once. The wait is part of what the author waits for (it was 150 ms, most of
            // the time from save to reload); a late event only costs one more rebuild.
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(10)) {
                paths.extend(more);
            }
            // Content edits reuse cached renders of untouched pages; anything else can change every page.
            if paths.iter().any(|p| !content_dirs.iter().any(|d| p.starts_with(d))) {
                cache.clear();
            }
            rebuild(&opts_bg, &shared_bg, &cache);
        }
    });

    let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| SiteError::Bind { port, source: e })?;
    eprintln!("serving on http://127.0.0.1:{port}{base} (Urdu: {base}ur/)");
    for req in server.incoming_requests() {
        let shared = shared.clone();
        let base = base.clone();
        std::thread::spawn(move || handle(req, &shared, &base));
    }
    drop(watcher);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_maps_pretty_urls_under_base() {
        let mut files = Files::new();
        files.insert("kinematics/index.html".into(), b"k".to_vec());
        files.insert("css/a.css".into(), b"c".to_vec());
        assert_eq!(lookup(&files, "/b/", "/b/kinematics/").map(|x| x.1), Some(b"k".to_vec()));
        assert_eq!(lookup(&files, "/b/", "/b/kinematics").map(|x| x.1), Some(b"k".to_vec()));
        assert_eq!(lookup(&files, "/b/", "/b/css/a.css?v=1").map(|x| x.0), Some("css/a.css".into()));
        assert!(lookup(&files, "/b/", "/other/").is_none());
    }

    #[test]
    fn a_reload_subscription_names_the_build_its_page_came_from() {
        assert!(reload_script(7).contains("/__site_reload?since=7"));
        assert_eq!(reload_since("/__site_reload?since=7"), Some(Some(7)));
        assert_eq!(reload_since("/__site_reload"), Some(None));
        assert_eq!(reload_since("/__site_reload?since=x"), Some(None));
        assert_eq!(reload_since("/kinematics/?since=7"), None);
    }

    #[test]
    fn only_content_hashed_names_are_cached_for_good() {
        assert!(is_fingerprinted("/b/css/site.4e2f6bf671.css"));
        assert!(is_fingerprinted("/js/reader.bb48f5c2dd.js?x=1"));
        assert!(!is_fingerprinted("/kinematics/"));
        assert!(!is_fingerprinted("/favicon.svg"));
        assert!(!is_fingerprinted("/widget/loader.js?v=dev"));
        assert!(!is_fingerprinted("/4e2f6bf671.css"), "a bare hash is someone's file name");
    }
}
