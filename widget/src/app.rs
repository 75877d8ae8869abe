//! The chat panel: state, actions and markup. Mounted by loader.js into its shadow root via `mount`.

use crate::net::{self, Api};
use js_sys::Reflect;
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{
    AnswerMode, ChatRequest, DoneEvent, FeedbackRequest, Locale, MAX_QUERY_CHARS, MAX_SELECTED_TEXT_CHARS, Rating,
    Role, Source, SourcesEvent, StreamEvent,
};
use std::cell::{OnceCell, RefCell};
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, HtmlElement, ShadowRoot};
use widget::{errors::Failure, i18n::I18n, urls};

const CSS: &str = include_str!("panel.css");

/// Page-level settings from the loader's script tag; fixed for the life of the page.
pub(crate) struct Cfg {
    pub(crate) api: Api,
    pub(crate) locale: Locale,
    page_url: String,
    pub(crate) site_base: String,
    pub(crate) root: ShadowRoot,
    pub(crate) launcher: Option<HtmlElement>,
}

thread_local! {
    // Browser globals live on the one wasm thread; keeping them here spares non-Send values from Leptos contexts.
    static CFG: OnceCell<Cfg> = const { OnceCell::new() };
    static I18N: OnceCell<I18n> = const { OnceCell::new() };
    static ABORT: RefCell<Option<AbortController>> = const { RefCell::new(None) };
}

pub(crate) fn tr(id: &str) -> String {
    I18N.with(|i| i.get().map(|i| i.t(id)).unwrap_or_else(|| id.to_string()))
}

pub(crate) fn tr_args(id: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    I18N.with(|i| i.get().map(|i| i.t_args(id, args)).unwrap_or_else(|| id.to_string()))
}

pub(crate) fn with_cfg<R>(f: impl FnOnce(&Cfg) -> R) -> Option<R> {
    CFG.with(|c| c.get().map(f))
}

fn api() -> Api {
    with_cfg(|c| c.api.clone()).unwrap_or(Api { base: String::new(), site_key: String::new() })
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session_key() -> String {
    urls::session_storage_key(&api().site_key)
}

/// Runs `f` after the current event handler has returned. Handlers whose action removes their own button (a starter
/// question, Retry) must not tear down that element, and with it the running closure, while still on the stack:
/// doing so trapped the WebAssembly module (`RuntimeError: unreachable`) and left a blank panel.
pub(crate) fn defer(f: impl FnOnce() + 'static) {
    set_timeout(f, std::time::Duration::ZERO);
}

/// Whether the panel covers the whole viewport (phones, landscape phones): see the media query in panel.css.
pub(crate) fn fullscreen() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 480px), (max-height: 480px)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Remembered for this tab so a cited section opened in another chapter reopens the panel there (loader.js).
pub(crate) fn remember_open(open: bool) {
    if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = if open { s.set_item("pai-chat:open", "1") } else { s.remove_item("pai-chat:open") };
    }
}

/// Logs a panic's message before the module traps; loader.js then shows the crash notice and reports it.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("chat widget panic: {info}");
        web_sys::console::error_1(&msg.as_str().into());
        if let Some(w) = web_sys::window() {
            let _ = Reflect::set(&w, &"__paiPanic".into(), &msg.into());
        }
    }));
}

pub(crate) fn failure_text(f: Failure) -> String {
    match f {
        Failure::RateLimited { retry_after_secs: Some(s) } => tr_args(f.message_id(), &[("seconds", &s)]),
        _ => tr(f.message_id()),
    }
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Status {
    Streaming,
    Done,
    Stopped,
    Failed(Failure),
}

/// One question and its answer.
#[derive(Clone)]
pub(crate) struct Turn {
    pub(crate) id: u32,
    pub(crate) question: String,
    pub(crate) selected: Option<String>,
    pub(crate) answer: RwSignal<String>,
    pub(crate) sources: RwSignal<Vec<Source>>,
    pub(crate) mode: RwSignal<Option<AnswerMode>>,
    pub(crate) fallback: RwSignal<Option<Locale>>,
    pub(crate) status: RwSignal<Status>,
    pub(crate) message_id: RwSignal<Option<String>>,
    pub(crate) rated: RwSignal<Option<Rating>>,
    pub(crate) saved: RwSignal<bool>,
    pub(crate) copied: RwSignal<bool>,
}

impl Turn {
    fn new(id: u32, question: String, selected: Option<String>, status: Status) -> Self {
        Turn {
            id,
            question,
            selected,
            answer: RwSignal::new(String::new()),
            sources: RwSignal::new(Vec::new()),
            mode: RwSignal::new(None),
            fallback: RwSignal::new(None),
            status: RwSignal::new(status),
            message_id: RwSignal::new(None),
            rated: RwSignal::new(None),
            saved: RwSignal::new(true),
            copied: RwSignal::new(false),
        }
    }
}

/// All reactive state of the panel (Copy, so closures capture it freely).
#[derive(Clone, Copy)]
pub(crate) struct State {
    pub(crate) open: RwSignal<bool>,
    pub(crate) attached: RwSignal<Option<String>>,
    pub(crate) turns: RwSignal<Vec<Turn>>,
    pub(crate) next_id: RwSignal<u32>,
    pub(crate) session: RwSignal<Option<String>>,
    pub(crate) busy: RwSignal<bool>,
    pub(crate) announce: RwSignal<String>,
    pub(crate) draft: RwSignal<String>,
    /// The Delete button was pressed and waits for confirmation.
    pub(crate) confirming: RwSignal<bool>,
}

impl State {
    fn set_session(self, id: Option<String>) {
        if let Some(s) = storage() {
            let _ = match &id {
                Some(v) => s.set_item(&session_key(), v),
                None => s.remove_item(&session_key()),
            };
        }
        self.session.set(id);
    }

    fn new_id(self) -> u32 {
        let id = self.next_id.get_untracked();
        self.next_id.set(id.wrapping_add(1));
        id
    }

    pub(crate) fn ask(self, question: String) {
        let question = question.trim().to_string();
        if question.is_empty() || question.chars().count() > MAX_QUERY_CHARS || self.busy.get_untracked() {
            return;
        }
        let selected = self.attached.get_untracked();
        self.attached.set(None);
        self.draft.set(String::new());
        let turn = Turn::new(self.new_id(), question, selected, Status::Streaming);
        self.turns.update(|t| t.push(turn.clone()));
        self.run(turn);
    }

    /// Streams the answer to `turn` (also used by Retry, which resets it first).
    pub(crate) fn run(self, turn: Turn) {
        turn.answer.set(String::new());
        turn.sources.set(Vec::new());
        turn.status.set(Status::Streaming);
        self.busy.set(true);
        let Ok(ctrl) = AbortController::new() else {
            turn.status.set(Status::Failed(Failure::Server));
            self.busy.set(false);
            return;
        };
        let signal = ctrl.signal();
        ABORT.with(|a| *a.borrow_mut() = Some(ctrl));
        let req = ChatRequest {
            query: turn.question.clone(),
            locale: with_cfg(|c| c.locale).unwrap_or_default(),
            session_id: self.session.get_untracked(),
            selected_text: turn.selected.clone(),
            page_url: with_cfg(|c| c.page_url.clone()).filter(|p| !p.is_empty()),
        };
        spawn_local(async move {
            let t = turn.clone();
            let result = net::stream_chat(&api(), &req, &signal, |ev| match ev {
                StreamEvent::Sources(SourcesEvent {
                    sources, session_id, message_id, mode, fallback_locale, ..
                }) => {
                    t.sources.set(sources);
                    t.mode.set(Some(mode));
                    t.fallback.set(fallback_locale);
                    t.message_id.set(Some(message_id));
                    self.set_session(Some(session_id));
                }
                StreamEvent::Delta(d) => t.answer.update(|a| a.push_str(&d.text)),
                StreamEvent::Done(DoneEvent { saved, message_id, mode, .. }) => {
                    t.saved.set(saved);
                    t.mode.set(Some(mode));
                    t.message_id.set(Some(message_id));
                    t.status.set(Status::Done);
                }
                StreamEvent::Error(e) => t.status.set(Status::Failed(Failure::from_code(e.code, None))),
            })
            .await;
            self.busy.set(false);
            ABORT.with(|a| a.borrow_mut().take());
            match result {
                Err(_) if signal.aborted() => turn.status.set(Status::Stopped),
                Err(f) => turn.status.set(Status::Failed(f)),
                Ok(()) if turn.status.get_untracked() == Status::Streaming => turn.status.set(Status::Done),
                Ok(()) => {}
            }
            match turn.status.get_untracked() {
                Status::Done => {
                    let text: String = turn.answer.get_untracked().chars().take(300).collect();
                    self.announce.set(tr_args("answer-ready", &[("text", &text)]));
                }
                Status::Failed(f) => self.announce.set(failure_text(f)),
                _ => {}
            }
        });
    }

    pub(crate) fn stop(self) {
        ABORT.with(|a| {
            if let Some(c) = a.borrow_mut().take() {
                c.abort();
            }
        });
    }

    pub(crate) fn clear(self) {
        self.stop();
        self.turns.set(Vec::new());
        self.set_session(None);
    }

    pub(crate) fn delete(self) {
        let Some(id) = self.session.get_untracked() else {
            self.clear();
            return;
        };
        spawn_local(async move {
            match net::delete_session(&api(), &id).await {
                Ok(()) => {
                    self.clear();
                    self.announce.set(tr("deleted"));
                }
                Err(f) => self.announce.set(failure_text(f)),
            }
        });
    }

    /// Brings back the stored conversation after a reload or navigation.
    fn restore(self) {
        let Some(id) = storage().and_then(|s| s.get_item(&session_key()).ok().flatten()) else { return };
        self.session.set(Some(id.clone()));
        spawn_local(async move {
            match net::history(&api(), &id).await {
                Ok(Some(h)) => {
                    let mut turns: Vec<Turn> = Vec::new();
                    for m in h.messages {
                        match m.role {
                            Role::User => {
                                turns.push(Turn::new(self.new_id(), m.content, m.selected_text, Status::Done));
                            }
                            Role::Assistant => {
                                if let Some(t) = turns.last().filter(|t| t.message_id.get_untracked().is_none()) {
                                    t.answer.set(m.content);
                                    t.sources.set(m.sources);
                                    t.mode.set(m.mode);
                                    t.message_id.set(Some(m.id));
                                }
                            }
                        }
                    }
                    // Only restore if nothing was asked meanwhile.
                    if self.turns.get_untracked().is_empty() {
                        self.turns.set(turns);
                    }
                }
                Ok(None) => self.set_session(None),
                Err(_) => {}
            }
        });
    }

    pub(crate) fn rate(self, turn: &Turn, rating: Rating) {
        let (Some(session_id), Some(message_id)) = (self.session.get_untracked(), turn.message_id.get_untracked())
        else {
            return;
        };
        let rated = turn.rated;
        spawn_local(async move {
            let fb = FeedbackRequest { session_id, message_id, rating, comment: None };
            match net::feedback(&api(), &fb).await {
                Ok(()) => {
                    rated.set(Some(rating));
                    self.announce.set(tr("feedback-thanks"));
                }
                Err(f) => self.announce.set(failure_text(f)),
            }
        });
    }

    pub(crate) fn close(self) {
        self.open.set(false);
        self.confirming.set(false);
        if let Some(l) = with_cfg(|c| c.launcher.clone()).flatten() {
            let _ = l.focus();
        }
    }
}

/// Handle returned to loader.js.
#[wasm_bindgen]
pub struct WidgetHandle {
    state: State,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Opens the panel, optionally attaching text the reader selected on the page.
    pub fn open(&self, selected: Option<String>) {
        let selected = selected.map(|s| s.trim().chars().take(MAX_SELECTED_TEXT_CHARS).collect::<String>());
        if let Some(s) = selected.filter(|s| !s.is_empty()) {
            self.state.attached.set(Some(s));
        }
        self.state.open.set(true);
    }
}

fn prop(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn prop_str(obj: &JsValue, key: &str) -> String {
    prop(obj, key).as_string().unwrap_or_default()
}

/// Called once by loader.js with `{apiUrl, siteKey, locale, pageUrl, base, root, container, launcher}`.
#[wasm_bindgen]
pub fn mount(config: JsValue) -> Option<WidgetHandle> {
    let root: ShadowRoot = prop(&config, "root").dyn_into().ok()?;
    let container: HtmlElement = prop(&config, "container").dyn_into().ok()?;
    let locale = Locale::parse(&prop_str(&config, "locale")).unwrap_or_default();
    let cfg = Cfg {
        api: Api { base: prop_str(&config, "apiUrl"), site_key: prop_str(&config, "siteKey") },
        locale,
        page_url: prop_str(&config, "pageUrl"),
        site_base: urls::site_base(&prop_str(&config, "base")),
        root: root.clone(),
        launcher: prop(&config, "launcher").dyn_into().ok(),
    };
    if CFG.with(|c| c.set(cfg)).is_err() {
        return None; // mounted already
    }
    I18N.with(|i| {
        let _ = i.set(I18n::new(locale));
    });
    let document = web_sys::window()?.document()?;
    let style = document.create_element("style").ok()?;
    style.set_text_content(Some(CSS));
    let _ = root.append_child(&style);

    install_panic_hook();
    let state = State {
        confirming: RwSignal::new(false),
        open: RwSignal::new(false),
        attached: RwSignal::new(None),
        turns: RwSignal::new(Vec::new()),
        next_id: RwSignal::new(0),
        session: RwSignal::new(None),
        busy: RwSignal::new(false),
        announce: RwSignal::new(String::new()),
        draft: RwSignal::new(String::new()),
    };
    // mount_to starts the async executor, so restoring (which spawns a fetch) must come after it.
    leptos::mount::mount_to(container, move || crate::panel::panel(state)).forget();
    state.restore();
    Some(WidgetHandle { state })
}
