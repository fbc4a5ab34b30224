//! The command boundary's one error type. Every command returns
//! `Result<T, CommandError>`, so its body is `Ok(service.method(..).await?)`:
//! the `?` logs the internal detail here, once, and the window gets only a
//! stable code and a message in its language (`{code, message, retryable}`).

use engine::{EngineError, Lang};
use serde::Serialize;
use std::sync::atomic::{AtomicU8, Ordering};

/// The window's language, for the messages errors carry across IPC.
static WINDOW_LANG: AtomicU8 = AtomicU8::new(0);

pub fn set_window_lang(lang: Lang) {
    WINDOW_LANG.store(if lang == Lang::Ko { 1 } else { 0 }, Ordering::Relaxed);
}

pub fn window_lang() -> Lang {
    if WINDOW_LANG.load(Ordering::Relaxed) == 1 {
        Lang::Ko
    } else {
        Lang::En
    }
}

#[derive(Debug)]
pub struct CommandError(EngineError);

impl From<EngineError> for CommandError {
    fn from(err: EngineError) -> Self {
        // The engine's errors carry names, ids and AWS codes, never a secret,
        // so their internal detail may be logged.
        tracing::warn!(code = %err.code(), detail = %err, "command failed");
        CommandError(err)
    }
}

impl Serialize for CommandError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.to_ui(window_lang()).serialize(serializer)
    }
}

pub type Reply<T> = Result<T, CommandError>;
