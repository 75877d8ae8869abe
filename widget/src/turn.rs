//! One question and its streamed answer: badge, Markdown body, status, sources, copy and feedback.

use crate::page::{defer, failure_text, tr, tr_args};
use crate::state::{State, Status, Turn};
use crate::view;
use js_sys::Reflect;
use leptos::prelude::*;
use protocol::{AnswerMode, Locale, Rating};
use wasm_bindgen::{JsCast, JsValue};

fn copy_text(text: &str) -> bool {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else { return false };
    let Ok(clip) = Reflect::get(&nav, &"clipboard".into()) else { return false };
    let Ok(write) = Reflect::get(&clip, &"writeText".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) else {
        return false;
    };
    write.call1(&clip, &JsValue::from_str(text)).is_ok()
}

pub(crate) fn turn_view(turn: Turn, state: State) -> impl IntoView {
    let site_base = state.with_page(|p| p.site_base.clone());
    let t = turn.clone();
    let retry_turn = turn.clone();
    let rate_up = turn.clone();
    let rate_down = turn.clone();
    // The answer is rebuilt from its Markdown whenever a delta or the sources arrive.
    let answer_ref = NodeRef::<leptos::html::Div>::new();
    let sources_ref = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| {
        let (Some(el), Some(list), sources) = (answer_ref.get(), sources_ref.get(), turn.sources.get()) else { return };
        let cites = view::Cites { sources: &sources, site_base: &site_base };
        turn.answer.with(|a| view::render(&el, a, &cites));
        view::render_sources(&list, &cites);
    });
    view! {
        <li class="turn">
            <div class="msg user">
                <span class="sr-only">{tr("you")}": "</span>
                {turn.selected.clone().map(|s| view! { <blockquote>{s}</blockquote> })}
                <p dir="auto">{turn.question.clone()}</p>
            </div>
            <div class="msg bot" aria-busy=move || (t.status.get() == Status::Streaming).to_string()>
                <span class="sr-only">{tr("assistant")}": "</span>
                <Show when=move || turn.mode.get() == Some(AnswerMode::Extractive)>
                    <p class="badge">{tr("badge-extractive")}</p>
                </Show>
                {move || {
                    turn.fallback
                        .get()
                        .map(|l| {
                            let name = tr(if l == Locale::Ur { "lang-ur" } else { "lang-en" });
                            view! { <p class="note">{tr_args("fallback-locale", &[("other", &name)])}</p> }
                        })
                }}
                <div class="answer" node_ref=answer_ref></div>
                {move || match turn.status.get() {
                    Status::Streaming if turn.answer.with(String::is_empty) => {
                        Some(view! { <p class="note">{tr("thinking")}</p> }.into_any())
                    }
                    Status::Stopped => Some(view! { <p class="note">{tr("stopped")}</p> }.into_any()),
                    Status::Failed(f) => {
                        let rt = retry_turn.clone();
                        Some(
                            view! {
                                <div class="error" role="alert">
                                    <p>{failure_text(f)}</p>
                                    <Show when=move || f.retryable() && !state.busy.get()>
                                        <button type="button" on:click={
                                            let rt = rt.clone();
                                            // Deferred: running hides this button, which must not be removed
                                            // while its own click handler is still on the stack.
                                            move |_| {
                                                let rt = rt.clone();
                                                defer(move || state.run(rt))
                                            }
                                        }>{tr("retry")}</button>
                                    </Show>
                                </div>
                            }
                                .into_any(),
                        )
                    }
                    _ => None,
                }}
                <nav class="sources" aria-label=tr("sources") hidden=move || turn.sources.with(Vec::is_empty)>
                    <h3>{tr("sources")}</h3>
                    // Numbered in the order the answer's [n] markers count them (filled with the answer).
                    <ol class="srcs" node_ref=sources_ref></ol>
                </nav>
                <Show when=move || turn.status.get() == Status::Done>
                    <div class="actions">
                        <button type="button" on:click=move |_| {
                            if copy_text(&turn.answer.get_untracked()) {
                                turn.copied.set(true);
                            }
                        }>{move || tr(if turn.copied.get() { "copied" } else { "copy" })}</button>
                        <button type="button" class="icon" aria-label=tr("feedback-up")
                            aria-pressed=move || (turn.rated.get() == Some(Rating::Up)).to_string()
                            on:click={
                                let t = rate_up.clone();
                                move |_| state.rate(&t, Rating::Up)
                            }>"👍"</button>
                        <button type="button" class="icon" aria-label=tr("feedback-down")
                            aria-pressed=move || (turn.rated.get() == Some(Rating::Down)).to_string()
                            on:click={
                                let t = rate_down.clone();
                                move |_| state.rate(&t, Rating::Down)
                            }>"👎"</button>
                        <Show when=move || !turn.saved.get()>
                            <p class="note">{tr("not-saved")}</p>
                        </Show>
                    </div>
                </Show>
            </div>
        </li>
    }
}
