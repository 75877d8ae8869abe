#!/usr/bin/env python3
"""A local stand-in for an OpenAI-compatible chat endpoint, for the cost-per-query benchmark only.

  python3 bench/fake_llm.py PORT

Streams a fixed 120-word answer and reports usage the way the real API does (a final chunk with `usage` when
`stream_options.include_usage` is set). Token counts are estimated as characters / 4 (the usual rule of thumb for
English), so the prompt figure reflects the real prompt the server builds from retrieved sections.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = ("The textbook explains this in the cited sections. " * 15).strip()


def tokens(text: str) -> int:
    return max(1, round(len(text) / 4))


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        prompt = "".join(m.get("content", "") for m in body.get("messages", []))
        usage = {"prompt_tokens": tokens(prompt), "completion_tokens": tokens(ANSWER)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        if not body.get("stream"):
            out = {"choices": [{"message": {"role": "assistant", "content": ANSWER}, "finish_reason": "stop"}],
                   "usage": usage}
            data = json.dumps(out).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.end_headers()
        for word in ANSWER.split(" "):
            chunk = {"choices": [{"delta": {"content": word + " "}, "index": 0}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        self.wfile.write(f"data: {json.dumps({'choices': [], 'usage': usage})}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
