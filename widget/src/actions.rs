//! What the reader can do, as methods on `State`: ask, stop, retry, rate, clear, delete, close; and bringing the
//! stored conversation back at mount. Each network call runs in the background and ends in signals.

use crate::net;
use crate::page::{failure_text, tr, tr_args};
use crate::state::{State, Status, Turn};
use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::{ChatRequest, DoneEvent, FeedbackRequest, MAX_QUERY_CHARS, Rating, Role, SourcesEvent, StreamEvent};
use web_sys::AbortController;
use widget::errors::Failure;

impl State {
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
        self.abort.set_value(Some(ctrl));
        let (locale, page_url) = self.with_page(|p| (p.locale, p.page_url.clone()));
        let req = ChatRequest {
            query: turn.question.clone(),
            locale,
            session_id: self.session.get_untracked(),
            selected_text: turn.selected.clone(),
            page_url: Some(page_url).filter(|p| !p.is_empty()),
        };
        let api = self.api();
        spawn_local(async move {
            let t = turn.clone();
            let result = net::stream_chat(&api, &req, &signal, |ev| match ev {
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
            self.abort.set_value(None);
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
        self.abort.update_value(|a| {
            if let Some(c) = a.take() {
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
        let api = self.api();
        spawn_local(async move {
            match net::delete_session(&api, &id).await {
                Ok(()) => {
                    self.clear();
                    self.announce.set(tr("deleted"));
                }
                Err(f) => self.announce.set(failure_text(f)),
            }
        });
    }

    /// Brings back the stored conversation after a reload or navigation.
    pub(crate) fn restore(self) {
        let Some(id) = self.stored_session() else { return };
        self.session.set(Some(id.clone()));
        let api = self.api();
        spawn_local(async move {
            match net::history(&api, &id).await {
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
        let api = self.api();
        spawn_local(async move {
            let fb = FeedbackRequest { session_id, message_id, rating, comment: None };
            match net::feedback(&api, &fb).await {
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
        if let Some(l) = self.with_page(|p| p.launcher.clone()) {
            let _ = l.focus();
        }
    }
}
