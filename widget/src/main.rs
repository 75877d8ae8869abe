//! Browser entry point. Nothing mounts on start: loader.js calls the exported `mount` once the reader opens the
//! widget (or the browser is idle), passing the shadow root to render into.

#[cfg(target_arch = "wasm32")]
mod actions;
#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod net;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
mod panel;
#[cfg(target_arch = "wasm32")]
mod report;
#[cfg(target_arch = "wasm32")]
mod state;
#[cfg(target_arch = "wasm32")]
mod turn;
#[cfg(target_arch = "wasm32")]
mod view;

fn main() {}
