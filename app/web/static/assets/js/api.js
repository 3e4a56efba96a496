// The API client: the envelope, bearer tokens with refresh, and the SSE chat stream.
const BASE = "/api/v1";
const TOKENS = "duck.tokens";

export class ApiError extends Error {
  constructor(status, code, message, details, retryAfter) {
    super(message || code);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

let tokens = null;
try {
  tokens = JSON.parse(localStorage.getItem(TOKENS) || "null");
} catch {
  tokens = null;
}
const listeners = new Set();

/** Called with (user|null) whenever the signed-in user changes (sign-in, refresh, sign-out, expiry). */
export function onAuthChange(fn) {
  listeners.add(fn);
}

function notify() {
  for (const fn of listeners) fn(tokens ? tokens.user : null);
}

export function currentUser() {
  return tokens ? tokens.user : null;
}

export function setTokens(pair) {
  tokens = pair
    ? { access_token: pair.access_token, refresh_token: pair.refresh_token, user: pair.user }
    : null;
  if (tokens) localStorage.setItem(TOKENS, JSON.stringify(tokens));
  else localStorage.removeItem(TOKENS);
  notify();
}

export function setUser(user) {
  if (!tokens) return;
  tokens.user = user;
  localStorage.setItem(TOKENS, JSON.stringify(tokens));
  notify();
}

/** A random Idempotency-Key (8-128 of A-Z a-z 0-9 _ -). */
export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

async function errorFrom(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const err = body && body.error ? body.error : {};
  const retry = Number(res.headers.get("Retry-After")) || undefined;
  return new ApiError(res.status, err.code || `HTTP_${res.status}`, err.message, err.details, retry);
}

let refreshing = null;

/** Rotate the refresh token once (concurrent callers share the same attempt). */
async function refreshTokens() {
  if (!tokens || !tokens.refresh_token) return false;
  if (!refreshing) {
    const sent = tokens.refresh_token;
    refreshing = (async () => {
      try {
        const res = await fetch(`${BASE}/auth/refresh`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refresh_token: sent }),
        });
        if (!res.ok) {
          if (res.status === 401) setTokens(null);
          return false;
        }
        const body = await res.json();
        setTokens(body.data);
        return true;
      } catch {
        return false;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

async function send(path, { method = "GET", body, headers = {}, auth = true, accept } = {}) {
  const h = { ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  if (accept) h.Accept = accept;
  if (auth && tokens) h.Authorization = `Bearer ${tokens.access_token}`;
  return fetch(`${BASE}${path}`, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** fetch with one refresh-and-retry on 401. Returns the Response (ok or not). */
async function authed(path, opts = {}) {
  let res = await send(path, opts);
  if (res.status === 401 && opts.auth !== false && tokens) {
    const code = res.headers.get("content-type")?.includes("json")
      ? ((await res.clone().json().catch(() => null))?.error?.code ?? "")
      : "";
    if (code !== "MFA_REQUIRED" && (await refreshTokens())) res = await send(path, opts);
    else if (code !== "MFA_REQUIRED" && !tokens) throw new ApiError(401, "SESSION_EXPIRED", "");
  }
  return res;
}

/** A JSON call: returns the envelope's `data`, throws ApiError on an error envelope. */
export async function api(path, opts = {}) {
  const res = await authed(path, opts);
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return null;
  const body = await res.json();
  return body.data;
}

/** The raw Response of a JSON call (the caller wants headers or the status, e.g. a 404/405). */
export function apiResponse(path, opts = {}) {
  return authed(path, opts);
}

/**
 * Parse a text/event-stream body: calls onEvent(name, data) for every event.
 * Handles CRLF / LF / CR line ends, comments (`: ping`) and multi-line data.
 */
export async function readEventStream(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  const flush = (block) => {
    let name = "message";
    const data = [];
    for (const line of block.split(/\r\n|\r|\n/)) {
      if (!line || line.startsWith(":")) continue;
      const i = line.indexOf(":");
      const field = i === -1 ? line : line.slice(0, i);
      let value = i === -1 ? "" : line.slice(i + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") name = value;
      else if (field === "data") data.push(value);
    }
    if (data.length) onEvent(name, data.join("\n"));
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    let m;
    while ((m = /\r\n\r\n|\n\n|\r\r/.exec(buf))) {
      flush(buf.slice(0, m.index));
      buf = buf.slice(m.index + m[0].length);
    }
  }
  if (buf.trim()) flush(buf);
}

/**
 * Send a chat message and stream the reply. handlers: {emotion, delta, replace, content, done, restart}.
 * A dropped connection is retried once with the same Idempotency-Key (the server replays the stored turn).
 */
export async function streamMessage({ sessionId, text, locale, handlers, signal }) {
  const key = newIdempotencyKey();
  const body = { text, session_id: sessionId, context: { locale } };
  let attempt = 0;
  for (;;) {
    attempt += 1;
    let res;
    try {
      res = await authed("/chat/messages/stream", {
        method: "POST",
        body,
        headers: { "Idempotency-Key": key },
        accept: "text/event-stream",
        signal,
      });
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (attempt < 2) continue;
      throw new ApiError(0, "NETWORK", "");
    }
    if (!res.ok) {
      if ([502, 503, 504].includes(res.status) && attempt < 2) continue;
      throw await errorFrom(res);
    }
    let finished = false;
    const replayed = res.headers.get("Idempotent-Replayed") === "true";
    try {
      await readEventStream(res.body, (name, data) => {
        let parsed;
        try {
          parsed = JSON.parse(data);
        } catch {
          return;
        }
        if (name === "done") finished = true;
        const fn = handlers[name];
        if (fn) fn(parsed, { replayed, attempt });
      });
    } catch {
      // connection dropped mid-stream: ask again with the same key
    }
    if (finished) return;
    if (attempt >= 2) throw new ApiError(0, "NETWORK", "");
    if (handlers.restart) handlers.restart();
  }
}
