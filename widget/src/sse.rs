//! Incremental Server-Sent Events framing for `POST /api/chat/stream`, fed with raw byte chunks as fetch delivers them.

use protocol::{DeltaEvent, DoneEvent, ErrorEvent, EventPayload, SourcesEvent, StreamEvent};

/// One dispatched SSE event: its `event:` name and its joined `data:` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub event: String,
    pub data: String,
}

/// Splits a byte stream into frames. Chunks may cut lines (and UTF-8 characters) anywhere, so bytes wait in `pending`
/// until their line is complete.
#[derive(Debug, Default)]
pub struct Parser {
    pending: Vec<u8>,
    event: String,
    data: String,
    has_data: bool,
}

impl Parser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds a chunk; returns the frames it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Frame> {
        self.pending.extend_from_slice(chunk);
        let mut frames = Vec::new();
        while let Some(nl) = self.pending.iter().position(|&b| b == b'\n') {
            let mut line: Vec<u8> = self.pending.drain(..=nl).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let line = String::from_utf8_lossy(&line);
            if let Some(frame) = self.line(&line) {
                frames.push(frame);
            }
        }
        frames
    }

    /// Ends the stream: an event not followed by a blank line is still delivered.
    pub fn finish(&mut self) -> Option<Frame> {
        let rest = std::mem::take(&mut self.pending);
        if !rest.is_empty() {
            let line = String::from_utf8_lossy(&rest).into_owned();
            if let Some(frame) = self.line(&line) {
                return Some(frame);
            }
        }
        self.line("")
    }

    fn line(&mut self, line: &str) -> Option<Frame> {
        if line.is_empty() {
            let event = std::mem::take(&mut self.event);
            let data = std::mem::take(&mut self.data);
            let had = std::mem::replace(&mut self.has_data, false);
            return had.then(|| Frame { event: if event.is_empty() { "message".into() } else { event }, data });
        }
        if line.starts_with(':') {
            return None; // comment / keep-alive
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = value.to_string(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            _ => {}
        }
        None
    }
}

/// Turns a frame into the protocol's event. `None` for event names the protocol does not know (ignored, so the server
/// may add keep-alives or new events without breaking old widgets); `Some(Err)` for a known event with bad data.
///
/// Why not `serde_json::from_str::<StreamEvent>` on a wrapped object: the protocol enum is adjacently tagged, and
/// serde's generic code for that shape (content buffering, a seed per variant) was the largest single item in the
/// widget's WebAssembly (see widget/README.md). The event name already tells the variant, so its payload struct is read directly.
pub fn decode(frame: &Frame) -> Option<Result<StreamEvent, String>> {
    fn parse<T: serde::de::DeserializeOwned + EventPayload>(data: &str) -> Result<T, String> {
        serde_json::from_str(data).map_err(|e| e.to_string())
    }
    let event = match frame.event.as_str() {
        SourcesEvent::NAME => parse(&frame.data).map(StreamEvent::Sources),
        DeltaEvent::NAME => parse(&frame.data).map(StreamEvent::Delta),
        DoneEvent::NAME => parse(&frame.data).map(StreamEvent::Done),
        ErrorEvent::NAME => parse(&frame.data).map(StreamEvent::Error),
        _ => return None,
    };
    Some(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{AnswerMode, ErrorCode};

    fn all(chunks: &[&[u8]]) -> Vec<Frame> {
        let mut p = Parser::new();
        let mut out: Vec<Frame> = chunks.iter().flat_map(|c| p.push(c)).collect();
        out.extend(p.finish());
        out
    }

    #[test]
    fn frames_survive_arbitrary_chunking_including_split_utf8() {
        let body = "event: delta\ndata: {\"text\":\"توازن ZMP\"}\n\n: keep-alive\n\nevent: done\r\ndata: {}\r\n\r\n";
        let bytes = body.as_bytes();
        let whole = all(&[bytes]);
        assert_eq!(whole.len(), 2);
        assert_eq!(whole[0].data, "{\"text\":\"توازن ZMP\"}");
        assert_eq!(whole[1].event, "done");
        for split in 1..bytes.len() {
            assert_eq!(all(&[&bytes[..split], &bytes[split..]]), whole, "split at {split}");
        }
    }

    #[test]
    fn multi_line_data_and_missing_final_blank_line() {
        let f = all(&[b"data: a\ndata: b"]);
        assert_eq!(f, vec![Frame { event: "message".into(), data: "a\nb".into() }]);
    }

    #[test]
    fn decodes_protocol_events_and_ignores_unknown_ones() {
        let sources = Frame {
            event: "sources".into(),
            data: r#"{"sources":[{"title":"Kinematics","heading":"Forward kinematics","url":"/kinematics/#forward-kinematics","locale":"en","snippet":"s","score":0.9}],"session_id":"s1","message_id":"m1","mode":"extractive","grounded":true}"#.into(),
        };
        match decode(&sources) {
            Some(Ok(StreamEvent::Sources(SourcesEvent { sources, mode, session_id, .. }))) => {
                assert_eq!(sources[0].url, "/kinematics/#forward-kinematics");
                assert_eq!(mode, AnswerMode::Extractive);
                assert_eq!(session_id, "s1");
            }
            other => panic!("unexpected {other:?}"),
        }
        let err = Frame { event: "error".into(), data: r#"{"code":"timeout","message":"slow"}"#.into() };
        assert!(matches!(decode(&err), Some(Ok(StreamEvent::Error(ErrorEvent { code: ErrorCode::Timeout, .. })))));
        assert_eq!(decode(&Frame { event: "ping".into(), data: "{}".into() }), None);
        assert!(matches!(decode(&Frame { event: "delta".into(), data: "{oops".into() }), Some(Err(_))));
        assert!(matches!(decode(&Frame { event: "delta".into(), data: "{\"txt\":1}".into() }), Some(Err(_))));
        // Trailing data after the object is an error, not half-read.
        let smuggled = Frame { event: "delta".into(), data: r#"{"text":"a"},"data":{"text":"b"}"#.into() };
        assert!(matches!(decode(&smuggled), Some(Err(_))), "{:?}", decode(&smuggled));
    }

    /// Whatever the server serialises (the protocol's own Serialize, as the server uses it) decodes to the same event.
    #[test]
    fn every_protocol_event_round_trips() {
        use protocol::{Locale, Source, Usage};
        let events = vec![
            StreamEvent::Sources(SourcesEvent {
                sources: vec![Source {
                    title: "Kinematics".into(),
                    heading: "Jacobians".into(),
                    url: "/kinematics/#jacobians".into(),
                    locale: Locale::En,
                    snippet: "J".into(),
                    score: 0.5,
                }],
                session_id: "s".into(),
                message_id: "m".into(),
                mode: AnswerMode::Extractive,
                grounded: false,
                fallback_locale: Some(Locale::Ur),
            }),
            StreamEvent::Delta(DeltaEvent { text: "ٹ <b>".into() }),
            StreamEvent::Done(DoneEvent {
                usage: Usage::default(),
                session_id: "s".into(),
                message_id: "m".into(),
                mode: AnswerMode::Llm,
                saved: true,
            }),
            StreamEvent::Error(ErrorEvent { code: ErrorCode::RateLimited, message: "wait".into() }),
        ];
        for ev in events {
            let tagged = serde_json::to_value(&ev).unwrap();
            let frame = Frame { event: ev.name().into(), data: tagged["data"].to_string() };
            assert_eq!(decode(&frame), Some(Ok(ev)));
        }
    }
}
