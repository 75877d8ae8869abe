//! The chat panel: state, actions and markup. Mounted by loader.js into its shadow root via `mount`.

use crate::net::{self, Api};
use crate::turn::turn_view;
use js_sys::Reflect;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{
    AnswerMode, ChatRequest, FeedbackRequest, Locale, MAX_QUERY_CHARS, MAX_SELECTED_TEXT_CHARS, Rating, Role, Source,
    StreamEvent,
};
use std::cell::{OnceCell, RefCell};
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, HtmlElement, ShadowRoot};
use widget::{errors::Failure, i18n::I18n, urls};

const CSS: &str = include_str!("panel.css");

/// Page-level settings from the loader's script tag; fixed for the life of the page.
pub(crate) struct Cfg {
    pub(crate) api: Api,
    locale: Locale,
    page_url: String,
    pub(crate) site_base: String,
    root: ShadowRoot,
    launcher: Option<HtmlElement>,
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
fn fullscreen() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(max-width: 480px), (max-height: 480px)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Remembered for this tab so a cited section opened in another chapter reopens the panel there (loader.js).
fn remember_open(open: bool) {
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

    fn ask(self, question: String) {
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
                StreamEvent::Sources { sources, session_id, message_id, mode, fallback_locale, .. } => {
                    t.sources.set(sources);
                    t.mode.set(Some(mode));
                    t.fallback.set(fallback_locale);
                    t.message_id.set(Some(message_id));
                    self.set_session(Some(session_id));
                }
                StreamEvent::Delta { text } => t.answer.update(|a| a.push_str(&text)),
                StreamEvent::Done { saved, message_id, mode, .. } => {
                    t.saved.set(saved);
                    t.mode.set(Some(mode));
                    t.message_id.set(Some(message_id));
                    t.status.set(Status::Done);
                }
                StreamEvent::Error { code, .. } => t.status.set(Status::Failed(Failure::from_code(code, None))),
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

    fn stop(self) {
        ABORT.with(|a| {
            if let Some(c) = a.borrow_mut().take() {
                c.abort();
            }
        });
    }

    fn clear(self) {
        self.stop();
        self.turns.set(Vec::new());
        self.set_session(None);
    }

    fn delete(self) {
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

    fn close(self) {
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
    leptos::mount::mount_to(container, move || panel(state)).forget();
    state.restore();
    Some(WidgetHandle { state })
}

const FOCUSABLE: &str = "button:not([disabled]), textarea, a[href], [tabindex]:not([tabindex='-1'])";

/// Keeps Tab inside the open dialog and closes it on Escape.
fn on_panel_key(ev: web_sys::KeyboardEvent, panel: &web_sys::HtmlDivElement, state: State) {
    if ev.key() == "Escape" {
        ev.prevent_default();
        state.close();
        return;
    }
    if ev.key() != "Tab" {
        return;
    }
    let Ok(list) = panel.query_selector_all(FOCUSABLE) else { return };
    let items: Vec<HtmlElement> = (0..list.length()).filter_map(|i| list.get(i)?.dyn_into().ok()).collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else { return };
    let active = with_cfg(|c| c.root.active_element()).flatten();
    let at = |e: &HtmlElement| active.as_ref().is_some_and(|a| a == e.unchecked_ref::<web_sys::Element>());
    if ev.shift_key() && (at(first) || active.is_none()) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && at(last) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

fn panel(state: State) -> impl IntoView {
    let locale = with_cfg(|c| c.locale).unwrap_or_default();
    let panel_ref = NodeRef::<html::Div>::new();
    let input_ref = NodeRef::<html::Textarea>::new();
    let confirm_ref = NodeRef::<html::Button>::new();
    // The confirmation takes focus so Enter confirms and Tab reaches Cancel next.
    Effect::new(move |_| {
        if state.confirming.get() {
            request_animation_frame(move || {
                if let Some(b) = confirm_ref.get_untracked() {
                    let _ = b.focus();
                }
            });
        }
    });

    // Focus moves into the dialog on open; the launcher mirrors the state for assistive tech.
    Effect::new(move |_| {
        let open = state.open.get();
        remember_open(open);
        if let Some(l) = with_cfg(|c| c.launcher.clone()).flatten() {
            let _ = l.set_attribute("aria-expanded", if open { "true" } else { "false" });
        }
        if open {
            request_animation_frame(move || {
                if let Some(i) = input_ref.get_untracked() {
                    let _ = i.focus();
                }
            });
        }
    });

    let count = move || state.draft.with(|d| d.chars().count());
    let over = move || count().saturating_sub(MAX_QUERY_CHARS);
    let submit = move || state.ask(state.draft.get_untracked());
    let cannot_send = move || over() > 0 || state.draft.with(|d| d.trim().is_empty());
    let starters = ["starter-1", "starter-2", "starter-3", "starter-4"];

    view! {
        <div
            class="panel"
            role="dialog"
            aria-modal="true"
            aria-labelledby="pai-title"
            dir=locale.dir()
            lang=locale.as_str()
            hidden=move || !state.open.get()
            node_ref=panel_ref
            on:keydown=move |ev| {
                if let Some(p) = panel_ref.get_untracked() {
                    on_panel_key(ev, &p, state);
                }
            }
        >
            <header class="bar">
                <h2 id="pai-title">{tr("panel-title")}</h2>
                // Icon and label; on a phone only the icon shows, the label stays for screen readers.
                <button type="button" class="tool" title=tr("new-chat") on:click=move |_| state.clear()>
                    <span aria-hidden="true">"+"</span>
                    <span class="label">{tr("new-chat")}</span>
                </button>
                <button type="button" class="tool" title=tr("delete-chat") aria-expanded=move || state.confirming.get().to_string()
                    on:click=move |_| state.confirming.set(true)>
                    <span aria-hidden="true">"🗑"</span>
                    <span class="label">{tr("delete-chat")}</span>
                </button>
                <button type="button" class="icon close" aria-label=tr("panel-close") on:click=move |_| state.close()>
                    "×"
                </button>
            </header>
            <div class="confirm" role="alertdialog" aria-labelledby="pai-confirm" hidden=move || !state.confirming.get()>
                <p id="pai-confirm">{tr("delete-confirm")}</p>
                <button type="button" class="danger" node_ref=confirm_ref on:click=move |_| {
                    defer(move || {
                        state.confirming.set(false);
                        state.delete();
                    })
                }>{tr("delete-confirm-yes")}</button>
                <button type="button" on:click=move |_| defer(move || state.confirming.set(false))>
                    {tr("cancel")}
                </button>
            </div>
            // On a phone the panel covers the page: following a citation closes it so the cited section shows.
            <div class="log" role="log" aria-label=tr("conversation-label") tabindex="0" on:click=move |ev| {
                let link = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|e| e.closest("a[href]").ok().flatten());
                if link.is_some() && fullscreen() {
                    state.open.set(false);
                }
            }>
                <Show when=move || state.turns.with(Vec::is_empty)>
                    <div class="empty">
                        <p class="empty-title">{tr("empty-title")}</p>
                        <p>{tr("empty-hint")}</p>
                        <ul class="starters">
                            {starters
                                .into_iter()
                                .map(|id| {
                                    let q = tr(id);
                                    let q2 = q.clone();
                                    view! {
                                        <li>
                                            <button type="button" on:click=move |_| {
                                                let q = q2.clone();
                                                defer(move || state.ask(q));
                                            }>{q}</button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </div>
                </Show>
                <ol class="turns">
                    <For each=move || state.turns.get() key=|t| t.id let:turn>
                        {turn_view(turn, state)}
                    </For>
                </ol>
            </div>
            <div class="sr-only" aria-live="polite">{move || state.announce.get()}</div>
            <form class="ask" on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }>
                {move || {
                    state
                        .attached
                        .get()
                        .map(|s| {
                            view! {
                                <div class="attached">
                                    <span class="sr-only">{tr("selection-label")}</span>
                                    <blockquote>{s}</blockquote>
                                    <button type="button" class="icon" aria-label=tr("selection-remove")
                                        on:click=move |_| state.attached.set(None)>"×"</button>
                                </div>
                            }
                        })
                }}
                <label for="pai-q" class="sr-only">{tr("input-label")}</label>
                <textarea
                    id="pai-q"
                    rows="2"
                    node_ref=input_ref
                    placeholder=tr("input-placeholder")
                    aria-describedby="pai-count"
                    prop:value=move || state.draft.get()
                    on:input=move |ev| state.draft.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                            ev.prevent_default();
                            submit();
                        }
                    }
                ></textarea>
                <div class="row">
                    <span id="pai-count" class=move || { if over() > 0 { "count over" } else { "count" } }>
                        {move || {
                            if over() > 0 {
                                tr_args("char-over", &[("over", &over())])
                            } else {
                                tr_args("char-count", &[("count", &count()), ("max", &MAX_QUERY_CHARS)])
                            }
                        }}
                    </span>
                    <Show
                        when=move || state.busy.get()
                        fallback=move || {
                            view! {
                                <button type="submit" class="primary"
                                    disabled=cannot_send>
                                    {tr("send")}
                                </button>
                            }
                        }
                    >
                        <button type="button" class="primary" on:click=move |_| state.stop()>{tr("stop")}</button>
                    </Show>
                </div>
            </form>
        </div>
    }
}
