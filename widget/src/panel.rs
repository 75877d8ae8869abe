//! The panel's markup: header tools, delete confirmation, conversation log, starters and the question form, with
//! the dialog's focus trap. State lives in `state.rs`, what the buttons do in `actions.rs`.

use crate::page::{defer, fullscreen, remember_open, tr, tr_args};
use crate::state::State;
use crate::turn::turn_view;
use leptos::html;
use leptos::prelude::*;
use protocol::MAX_QUERY_CHARS;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

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
    let active = state.with_page(|p| p.root.active_element());
    let at = |e: &HtmlElement| active.as_ref().is_some_and(|a| a == e.unchecked_ref::<web_sys::Element>());
    if ev.shift_key() && (at(first) || active.is_none()) {
        ev.prevent_default();
        let _ = last.focus();
    } else if !ev.shift_key() && at(last) {
        ev.prevent_default();
        let _ = first.focus();
    }
}

pub(crate) fn panel(state: State) -> impl IntoView {
    let locale = state.with_page(|p| p.locale);
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
        if let Some(l) = state.with_page(|p| p.launcher.clone()) {
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
