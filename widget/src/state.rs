//! The panel's state: the page's settings, every signal the views read, and the request in flight.

use crate::net::Api;
use crate::page::{Page, storage};
use leptos::prelude::*;
use protocol::{AnswerMode, Locale, Rating, Source};
use web_sys::AbortController;
use widget::{errors::Failure, urls};

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
    pub(crate) fn new(id: u32, question: String, selected: Option<String>, status: Status) -> Self {
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

/// All state of the panel (Copy, so closures capture it freely). Browser objects, which are not `Send`, are kept
/// as local stored values.
#[derive(Clone, Copy)]
pub(crate) struct State {
    pub(crate) page: StoredValue<Page, LocalStorage>,
    /// Aborts the answer being streamed (Stop, New chat).
    pub(crate) abort: StoredValue<Option<AbortController>, LocalStorage>,
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
    pub(crate) fn new(page: Page) -> State {
        State {
            page: StoredValue::new_local(page),
            abort: StoredValue::new_local(None),
            confirming: RwSignal::new(false),
            open: RwSignal::new(false),
            attached: RwSignal::new(None),
            turns: RwSignal::new(Vec::new()),
            next_id: RwSignal::new(0),
            session: RwSignal::new(None),
            busy: RwSignal::new(false),
            announce: RwSignal::new(String::new()),
            draft: RwSignal::new(String::new()),
        }
    }

    /// Reads the page's settings.
    pub(crate) fn with_page<R>(self, f: impl FnOnce(&Page) -> R) -> R {
        self.page.with_value(f)
    }

    pub(crate) fn api(self) -> Api {
        self.with_page(|p| p.api.clone())
    }

    /// localStorage key of this site's session id.
    fn session_key(self) -> String {
        self.with_page(|p| urls::session_storage_key(&p.api.site_key))
    }

    pub(crate) fn stored_session(self) -> Option<String> {
        storage().and_then(|s| s.get_item(&self.session_key()).ok().flatten())
    }

    pub(crate) fn set_session(self, id: Option<String>) {
        if let Some(s) = storage() {
            let key = self.session_key();
            let _ = match &id {
                Some(v) => s.set_item(&key, v),
                None => s.remove_item(&key),
            };
        }
        self.session.set(id);
    }

    pub(crate) fn new_id(self) -> u32 {
        let id = self.next_id.get_untracked();
        self.next_id.set(id.wrapping_add(1));
        id
    }
}
