"""The Python twin of examples/server.ts: the notebook's SimpleMLP([784, 32, 10])
served over HTTP with the standard library's ThreadingHTTPServer, for the
serving benchmark (bench/serve.ts), which loads both with the same requests.
It speaks the same protocol:

  POST /predict  {"inputs": [[784 numbers], ...]}  ->  {"logits": [[10 numbers], ...], "classes": [N ints]}
  GET  /health   ->  ok
  bad input -> 400 {"error": "..."};  a body over 4 MiB -> 413

and prints `listening on http://HOST:PORT` once it accepts connections.
Each connection gets a thread (ThreadingHTTPServer); the forward runs on it
with one intra-op thread, so concurrent requests overlap only where
libtorch's kernels release the GIL.

  /usr/bin/python3 bench/serve.py --weights FILE [--host 127.0.0.1] [--port 8000]
  /usr/bin/python3 bench/serve.py --weights FILE --init [--seed 0]   (write the model's initial weights and exit)"""
import argparse
import json
import math
import os
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import torch

# The model's definition is the golden scripts' twin of examples/notebook_models.ts,
# so its state_dict keys (layers.0.weight, ..., layers.2.bias) are those the
# TypeScript server loads.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts", "golden"))
from _notebook_models import SimpleMLP  # noqa: E402

DIMS = [28 * 28, 32, 10]
IN_FEATURES = DIMS[0]
MAX_BODY = 4 * 1024 * 1024


class HTTPError(Exception):
    """An answer other than 200; `close` when the request's body was left
    unread, so the connection cannot carry another request."""

    def __init__(self, status, message, close=False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.close = close


def _reject_constant(name):
    # Python's json reads NaN and Infinity, which JSON (and JSON.parse, on the
    # TypeScript side) does not.
    raise ValueError(f"{name} is not JSON")


def _shape(value):
    """The shape of a JSON value, as a tensor's, for error messages."""
    if not isinstance(value, list):
        return "a number" if type(value) in (int, float) else f"a JSON {type(value).__name__}"
    if not value or not isinstance(value[0], list):
        return f"[{len(value)}]"
    for i, row in enumerate(value):
        if not isinstance(row, list):
            return f"row {i} not a list"
        if len(row) != len(value[0]):
            return f"ragged rows (row 0 of {len(value[0])}, row {i} of {len(row)})"
    return f"[{len(value)}, {len(value[0])}{', ...' if value[0] and isinstance(value[0][0], list) else ''}]"


def parse_inputs(body):
    """The request's inputs as an [N, 784] float32 tensor, or an HTTPError(400) naming the problem."""
    try:
        payload = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, UnicodeDecodeError) as e:
        raise HTTPError(400, f"body is not valid JSON: {e}")
    if not isinstance(payload, dict) or "inputs" not in payload:
        raise HTTPError(400, 'expected a JSON object {"inputs": [[784 numbers], ...]}')
    rows = payload["inputs"]
    if (not isinstance(rows, list) or not rows
            or any(not isinstance(row, list) or len(row) != IN_FEATURES for row in rows)):
        raise HTTPError(400, f"expected inputs of shape [N, {IN_FEATURES}], got {_shape(rows)}")
    for i, row in enumerate(rows):
        # bool is an int to Python (and to torch.tensor), not a number to JSON.
        if not {type(v) for v in row} <= {int, float}:
            j = next(j for j, v in enumerate(row) if type(v) not in (int, float))
            raise HTTPError(400, f"expected numbers in inputs, got {json.dumps(row[j])[:40]} at [{i}, {j}]")
    try:
        x = torch.tensor(rows, dtype=torch.float32)
    except (OverflowError, RuntimeError) as e:  # an integer past 64 bits
        raise HTTPError(400, f"expected float32 inputs: {e}")
    if not torch.isfinite(x).all():
        i, j = (~torch.isfinite(x)).nonzero()[0].tolist()
        raise HTTPError(400, f"expected finite float32 inputs, got {rows[i][j]} at [{i}, {j}]")
    return x


class PredictHandler(BaseHTTPRequestHandler):
    # Keep-alive: a load generator reuses its connections, as clients of a
    # prediction service do; every answer carries Content-Length.
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle's algorithm the second
    # waits for the client's delayed ACK (40 ms on Linux).
    disable_nagle_algorithm = True
    server_version = "torchts-bench-serve.py"

    def log_message(self, format, *args):
        # One line per request on stderr would cost more than the forward.
        pass

    def _send(self, status, body, content_type="application/json", close=False, headers=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def _send_error(self, e):
        self._send(e.status, json.dumps({"error": e.message}, separators=(",", ":")), close=e.close,
                   headers=[("Allow", "POST")] if e.status == 405 else ())

    def handle_expect_100(self):
        # Refuse an oversized body before the client sends it (curl asks first above 1 MiB).
        length = self.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            self._send_error(HTTPError(413, f"body of {length} bytes is over the limit of {MAX_BODY}", close=True))
            return False
        return super().handle_expect_100()

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length", "0")
        if not length.isdigit():
            raise HTTPError(400, f"bad Content-Length: {length!r}", close=True)
        if int(length) > MAX_BODY:
            raise HTTPError(413, f"body of {length} bytes is over the limit of {MAX_BODY}", close=True)
        return self.rfile.read(int(length))

    def _read_chunked(self):
        """A chunked body (RFC 9112 7.1), refused as soon as it passes MAX_BODY."""
        chunks, size = [], 0
        while True:
            line = self.rfile.readline(1 << 16)
            try:
                n = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise HTTPError(400, "malformed chunked body", close=True)
            if n == 0:
                break
            size += n
            if size > MAX_BODY:
                raise HTTPError(413, f"body over the limit of {MAX_BODY} bytes", close=True)
            chunks.append(self.rfile.read(n))
            self.rfile.readline(1 << 16)
        while self.rfile.readline(1 << 16) not in (b"\r\n", b"\n", b""):
            pass  # trailer fields
        return b"".join(chunks)

    def do_GET(self):
        if self.path == "/health":
            self._send(200, "ok", content_type="text/plain")
        elif self.path == "/predict":
            self._send_error(HTTPError(405, "use POST /predict"))
        else:
            self._send_error(HTTPError(404, f"no route for GET {self.path}"))

    def do_POST(self):
        try:
            if self.path != "/predict":
                # The body is left unread, so the connection ends with this answer.
                raise HTTPError(404, f"no route for POST {self.path}", close=True)
            x = parse_inputs(self._read_body())
            # Grad mode is per thread: each handler thread turns it off for its own forward.
            with torch.no_grad():
                logits = self.server.model(x)
            classes = logits.argmax(dim=1)
            answer = {"logits": logits.tolist(), "classes": classes.tolist()}
        except HTTPError as e:
            self._send_error(e)
            return
        self._send(200, json.dumps(answer, separators=(",", ":")))


class PredictServer(ThreadingHTTPServer):
    # listen()'s backlog: socketserver's default of 5 makes a burst of 64
    # connections wait for SYN retries (a second or more), which Node's 511
    # does not.
    request_queue_size = 512

    def __init__(self, address, model):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, PredictHandler)
        self.model = model

    def handle_error(self, request, client_address):
        # A client that hangs up mid-request (as a load generator does when
        # its time is up) is no error of the server's; anything else is.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def load_model(path):
    model = SimpleMLP(DIMS)
    model.load_state_dict(torch.load(path, map_location="cpu"))
    model.eval()
    return model


def main():
    parser = argparse.ArgumentParser(description="Serve SimpleMLP([784, 32, 10]) over HTTP (the Python twin of examples/server.ts).")
    parser.add_argument("--weights", required=True, help="a state_dict written by torch.save")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 lets the system choose; the line printed names it")
    parser.add_argument("--init", action="store_true",
                        help="write the state_dict of a new SimpleMLP, made after torch.manual_seed(SEED), to --weights and exit")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    if args.init:
        torch.manual_seed(args.seed)
        os.makedirs(os.path.dirname(os.path.abspath(args.weights)), exist_ok=True)
        torch.save(SimpleMLP(DIMS).state_dict(), args.weights)
        return

    torch.set_num_threads(1)
    server = PredictServer((args.host, args.port), load_model(args.weights))
    host, port = server.server_address[:2]
    print(f"listening on http://{f'[{host}]' if ':' in host else host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
