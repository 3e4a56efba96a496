// 心理鸭 web client: views, chat with a streamed reply, conversations, mood, account.
import {
  ApiError,
  api,
  apiResponse,
  currentUser,
  onAuthChange,
  setTokens,
  setUser,
  streamMessage,
} from "./api.js";
import { renderDistribution, renderMoodChart } from "./chart.js";
import { apiLocale, applyI18n, formatWhen, t, toggleLang } from "./i18n.js";

const $ = (sel, root = document) => root.querySelector(sel);
const HISTORY_PAGE = 30;
const SESSIONS_PAGE = 20;
const MAX_CHARS = 2000;
const CURRENT = "duck.session";
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

const state = {
  view: null,
  sessionId: localStorage.getItem(CURRENT),
  sessions: [],
  sessionsCursor: null,
  sessionsAvailable: true,
  historyOffset: 0,
  sending: false,
  period: "week",
  mfaToken: null,
};

// --- small helpers ---------------------------------------------------------------------------------
function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function errorText(err) {
  if (!(err instanceof ApiError)) return t("error_network");
  if (err.code === "NETWORK") return t("error_network");
  if (err.code === "SESSION_EXPIRED") return t("session_expired");
  if (err.status === 429) return t("error_rate", { s: err.retryAfter || 10 });
  return err.message && err.status < 500 ? err.message : t("error_generic");
}

let noticeTimer = null;
function notice(text) {
  const n = $("#notice");
  n.textContent = text;
  n.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    n.hidden = true;
  }, 6000);
}

function formError(form, err) {
  $(".form-error", form).textContent = err ? (typeof err === "string" ? err : errorText(err)) : "";
}

function telHref(number) {
  return `tel:${String(number).replace(/[^0-9+]/g, "")}`;
}

function setCurrentSession(id) {
  state.sessionId = id;
  if (id) localStorage.setItem(CURRENT, id);
  else localStorage.removeItem(CURRENT);
  for (const li of document.querySelectorAll("#session-list .session-item")) {
    const open = $(".session-open", li);
    if (li.dataset.id === id) open.setAttribute("aria-current", "true");
    else open.removeAttribute("aria-current");
  }
}

// --- views -----------------------------------------------------------------------------------------
function showView(name, { focus = true } = {}) {
  state.view = name;
  const signedIn = Boolean(currentUser());
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== `view-${name}`;
  for (const b of document.querySelectorAll(".nav-btn")) {
    b.hidden = !signedIn;
    if (b.dataset.view === name) b.setAttribute("aria-current", "page");
    else b.removeAttribute("aria-current");
  }
  if (name === "mood") loadMood();
  if (name === "account") renderAccount();
  if (!focus) return;
  if (name === "chat") $("#message-input").focus();
  else $(`#view-${name} h1`)?.focus();
}

// --- safety: crisis banner and resource line -----------------------------------------------------
function showSafety(safety) {
  if (!safety) return;
  const banner = $("#crisis-banner");
  const line = $("#resource-line");
  const hotlines = safety.hotlines || [];
  if (safety.level === "crisis") {
    const list = $(".hotlines", banner);
    list.replaceChildren(
      ...hotlines.map((hl) =>
        h(
          "li",
          {},
          h("a", { href: telHref(hl.number), class: "tel", "aria-label": t("call", hl) },
            h("span", { class: "hl-name", text: hl.name }),
            h("span", { class: "hl-number", text: hl.number }),
          ),
          hl.hours ? h("span", { class: "small muted", text: ` ${hl.hours}` }) : null,
        ),
      ),
    );
    banner.hidden = false;
    line.hidden = true;
  } else if (safety.level === "elevated" && hotlines.length) {
    const first = hotlines[0];
    const [before, after] = t("resource_line", { hotline: "\u0000" }).split("\u0000");
    line.replaceChildren(before, h("a", { href: telHref(first.number), text: `${first.name} ${first.number}` }), after);
    line.hidden = false;
  }
}

function clearSafety() {
  $("#crisis-banner").hidden = true;
  $("#resource-line").hidden = true;
}

// --- messages --------------------------------------------------------------------------------------
function mediaFor(container, { panelUrl, panelTitle, videoUrl, videoTitle }) {
  const box = h("div", { class: "duck-media" });
  if (panelUrl) {
    box.append(h("img", { src: panelUrl, alt: t("panel_alt", { title: panelTitle || "" }), class: "panel", loading: "lazy", width: 240, height: 180 }));
  }
  if (videoUrl) {
    const img = () => h("img", { src: videoUrl, alt: t("video_alt", { title: videoTitle || "" }), class: "video", width: 240, height: 180 });
    if (reducedMotion.matches) {
      const btn = h("button", { type: "button", class: "secondary small-btn", text: t("play_animation", { title: videoTitle || "" }) });
      btn.addEventListener("click", () => btn.replaceWith(img()));
      box.append(btn);
    } else {
      box.append(img());
    }
  }
  if (box.childElementCount) container.append(box);
}

function tipCard(tip) {
  const card = h("section", { class: "tip-card", "aria-label": t("tip_title", { title: tip.title }), "data-testid": "tip-card" });
  card.append(h("h3", { text: t("tip_title", { title: tip.title }) }));
  if (tip.duration_minutes) card.append(h("p", { class: "small muted", text: t("tip_minutes", { n: tip.duration_minutes }) }));
  if (tip.description) card.append(h("p", { text: tip.description }));
  if (Array.isArray(tip.steps) && tip.steps.length) {
    card.append(h("ol", {}, ...tip.steps.map((s) => h("li", { text: s }))));
  }
  for (const note of tip.safety_notes || []) card.append(h("p", { class: "small tip-safety", text: t("tip_safety") + note }));
  return card;
}

function messageItem(role, text, { id } = {}) {
  const duck = role !== "user";
  const li = h("li", {
    class: `msg ${duck ? "msg-duck" : "msg-user"}`,
    "data-testid": duck ? "duck-message" : "user-message",
    "data-id": id,
  });
  li.append(h("span", { class: "sr-only", text: `${duck ? t("duck") : t("you")}: ` }));
  li.append(h("div", { class: "bubble", text }));
  return li;
}

function renderHistoryMessage(m) {
  const li = messageItem(m.role, m.text, { id: m.id });
  if (m.role !== "user") mediaFor(li, { panelUrl: m.panel_url, videoUrl: m.video_url });
  return li;
}

function updateEmpty() {
  $("#chat-empty").hidden = $("#chat-log").childElementCount > 0;
}

function scrollToEnd() {
  const wrap = $(".log-wrap");
  wrap.scrollTop = wrap.scrollHeight;
}

/**
 * Shows the reply's pieces as they arrive, at most one piece per animation frame: a reply whose pieces
 * come in one network read still appears piece by piece (at once with prefers-reduced-motion).
 */
function typewriter(bubble) {
  const queue = [];
  let text = "";
  let frame = null;
  let waiters = [];
  const show = () => {
    bubble.textContent = text;
    scrollToEnd();
  };
  const settle = () => {
    for (const w of waiters) w();
    waiters = [];
  };
  const step = () => {
    frame = null;
    if (!queue.length) {
      settle();
      return;
    }
    text += queue.shift();
    show();
    frame = requestAnimationFrame(step);
  };
  return {
    push(piece) {
      if (reducedMotion.matches || document.hidden) {
        text += piece;
        show();
        return;
      }
      queue.push(piece);
      if (frame === null) frame = requestAnimationFrame(step);
    },
    reset() {
      queue.length = 0;
      text = "";
    },
    drained() {
      if (!queue.length && frame === null) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

async function ensureSession() {
  if (state.sessionId) return state.sessionId;
  const data = await api("/chat/sessions", { method: "POST", body: { locale: apiLocale() } });
  setCurrentSession(data.session_id);
  return data.session_id;
}

async function sendMessage() {
  const input = $("#message-input");
  const text = input.value.trim();
  const err = $("#composer-error");
  err.textContent = "";
  if (state.sending) return;
  if (!text) {
    err.textContent = t("empty_message");
    input.focus();
    return;
  }
  if (text.length > MAX_CHARS) {
    err.textContent = t("too_long", { n: MAX_CHARS });
    return;
  }
  state.sending = true;
  $("#send").disabled = true;
  const log = $("#chat-log");
  const userLi = messageItem("user", text);
  log.append(userLi);
  input.value = "";
  const duckLi = messageItem("duck", "");
  duckLi.setAttribute("aria-busy", "true");
  const bubble = $(".bubble", duckLi);
  bubble.append(h("span", { class: "typing", text: t("sending") }));
  log.append(duckLi);
  updateEmpty();
  scrollToEnd();
  const typer = typewriter(bubble);
  let done = null;
  try {
    const sessionId = await ensureSession();
    await streamMessage({
      sessionId,
      text,
      locale: apiLocale(),
      handlers: {
        emotion: (d) => showSafety(d.safety),
        delta: (d) => typer.push(d.text),
        // the text streamed so far is not the reply (a dropped attempt, the deadline, a crisis reply)
        replace: (d) => {
          typer.reset();
          typer.push(d.text);
        },
        content: (d) => {
          const media = d.content || {};
          mediaFor(duckLi, {
            panelUrl: d.panel_url,
            panelTitle: media.panels?.[0]?.title,
            videoUrl: d.video_url,
            videoTitle: media.videos?.[0]?.title,
          });
          if (d.therapy_tip) duckLi.append(tipCard(d.therapy_tip));
        },
        done: (d) => {
          done = d;
          showSafety(d.safety);
        },
        restart: () => {
          typer.reset();
          for (const extra of duckLi.querySelectorAll(".duck-media, .tip-card")) extra.remove();
        },
      },
    });
    await typer.drained();
    if (done) {
      bubble.textContent = done.duck_response.text;
      duckLi.dataset.id = done.duck_response.id;
      userLi.dataset.id = done.user_message.id;
      $("#announcer").textContent = t("duck_says", { text: done.duck_response.text });
    }
    duckLi.removeAttribute("aria-busy");
    scrollToEnd();
    loadSessions();
  } catch (e) {
    duckLi.remove();
    userLi.remove();
    input.value = text;
    err.textContent = errorText(e);
    updateEmpty();
  } finally {
    state.sending = false;
    $("#send").disabled = false;
    input.focus();
  }
}

async function openSession(id, { focus = true } = {}) {
  setCurrentSession(id);
  clearSafety();
  const log = $("#chat-log");
  log.replaceChildren();
  $("#history-more").hidden = true;
  updateEmpty();
  try {
    const head = await api(`/chat/history/${encodeURIComponent(id)}?limit=1`);
    const offset = Math.max(0, head.total_count - HISTORY_PAGE);
    const page = await api(`/chat/history/${encodeURIComponent(id)}?limit=${HISTORY_PAGE}&offset=${offset}`);
    log.replaceChildren(...page.messages.map(renderHistoryMessage));
    state.historyOffset = offset;
    $("#history-more").hidden = offset === 0;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.code === "SESSION_NOT_FOUND")) {
      setCurrentSession(null);
    } else {
      notice(errorText(e));
    }
  }
  updateEmpty();
  scrollToEnd();
  if (focus) $("#message-input").focus();
}

async function loadEarlier() {
  if (!state.sessionId || state.historyOffset === 0) return;
  const newOffset = Math.max(0, state.historyOffset - HISTORY_PAGE);
  const limit = state.historyOffset - newOffset;
  try {
    const page = await api(
      `/chat/history/${encodeURIComponent(state.sessionId)}?limit=${limit}&offset=${newOffset}`,
    );
    const items = page.messages.map(renderHistoryMessage);
    $("#chat-log").prepend(...items);
    state.historyOffset = newOffset;
    $("#history-more").hidden = newOffset === 0;
    if (items[0]) {
      items[0].tabIndex = -1;
      items[0].focus();
    }
  } catch (e) {
    notice(errorText(e));
  }
}

function newConversation() {
  setCurrentSession(null);
  clearSafety();
  $("#chat-log").replaceChildren();
  $("#history-more").hidden = true;
  updateEmpty();
  $("#message-input").focus();
}

// --- conversations ---------------------------------------------------------------------------------
function sessionTitle(s) {
  return s.title || t("untitled", { when: formatWhen(s.created_at) });
}

function sessionItem(s) {
  const li = $("#tpl-session").content.firstElementChild.cloneNode(true);
  applyI18n(li);
  li.dataset.id = s.session_id;
  const title = sessionTitle(s);
  $(".session-title", li).textContent = title;
  $(".session-meta", li).textContent =
    `${t("messages_count", { n: s.message_count ?? 0 })} · ${formatWhen(s.last_activity_at || s.created_at)}`;
  const open = $(".session-open", li);
  if (s.session_id === state.sessionId) open.setAttribute("aria-current", "true");
  open.addEventListener("click", () => openSession(s.session_id));
  const rename = $(".session-rename", li);
  rename.setAttribute("aria-label", t("rename", { title }));
  rename.title = t("rename", { title });
  rename.addEventListener("click", () => startRename(li, s));
  const del = $(".session-delete", li);
  del.setAttribute("aria-label", t("delete_conversation", { title }));
  del.title = t("delete_conversation", { title });
  del.addEventListener("click", () => confirmDelete(li, s));
  return li;
}

function renderSessions() {
  const list = $("#session-list");
  list.replaceChildren(...state.sessions.map(sessionItem));
  $("#sessions-empty").hidden = state.sessions.length > 0 || !state.sessionsAvailable;
  $("#sessions-more").hidden = !state.sessionsCursor;
}

async function loadSessions({ more = false } = {}) {
  if (!currentUser()) return;
  const q = new URLSearchParams({ limit: String(SESSIONS_PAGE) });
  if (more && state.sessionsCursor) q.set("cursor", state.sessionsCursor);
  try {
    const res = await apiResponse(`/chat/sessions?${q}`);
    if (res.status === 404 || res.status === 405) {
      // an API without the conversation list: the current conversation still works
      state.sessionsAvailable = false;
      $("#sessions-empty").hidden = true;
      return;
    }
    if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, "");
    const data = (await res.json()).data;
    state.sessionsAvailable = true;
    state.sessions = more ? [...state.sessions, ...data.items] : data.items;
    state.sessionsCursor = data.next_cursor || null;
    renderSessions();
  } catch (e) {
    notice(`${t("sessions_unavailable")}: ${errorText(e)}`);
  }
}

function startRename(li, s) {
  const form = $("#tpl-rename").content.firstElementChild.cloneNode(true);
  const input = $("input", form);
  const label = $("label", form);
  const id = `rename-${s.session_id}`;
  input.id = id;
  label.htmlFor = id;
  label.textContent = t("rename_label");
  input.value = s.title || "";
  $("[type=submit]", form).textContent = t("save");
  const cancel = $(".rename-cancel", form);
  cancel.textContent = t("cancel");
  const open = $(".session-open", li);
  const actions = $(".session-actions", li);
  open.hidden = true;
  actions.hidden = true;
  li.prepend(form);
  input.focus();
  const restore = () => {
    form.remove();
    open.hidden = false;
    actions.hidden = false;
    $(".session-rename", li).focus();
  };
  cancel.addEventListener("click", restore);
  form.addEventListener("keydown", (e) => {
    if (e.key === "Escape") restore();
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const title = input.value.trim();
    if (!title) return;
    try {
      const item = await api(`/chat/sessions/${encodeURIComponent(s.session_id)}`, {
        method: "PATCH",
        body: { title },
      });
      const i = state.sessions.findIndex((x) => x.session_id === s.session_id);
      if (i >= 0) state.sessions[i] = { ...state.sessions[i], ...item };
      renderSessions();
      notice(t("conversation_renamed"));
      $(`#session-list [data-id="${CSS.escape(s.session_id)}"] .session-open`)?.focus();
    } catch (err) {
      notice(errorText(err));
    }
  });
}

function confirmDelete(li, s) {
  const actions = $(".session-actions", li);
  const box = h("div", { class: "confirm-delete", role: "group", "aria-label": t("delete_conversation", { title: sessionTitle(s) }) });
  box.append(h("p", { class: "small", text: t("delete_conversation_confirm") }));
  const yes = h("button", { type: "button", class: "danger small-btn", "data-testid": "session-delete-confirm", text: t("delete") });
  const no = h("button", { type: "button", class: "secondary small-btn", text: t("cancel") });
  box.append(yes, no);
  actions.hidden = true;
  li.append(box);
  no.focus();
  no.addEventListener("click", () => {
    box.remove();
    actions.hidden = false;
    $(".session-delete", li).focus();
  });
  yes.addEventListener("click", async () => {
    try {
      await api(`/chat/sessions/${encodeURIComponent(s.session_id)}`, { method: "DELETE" });
      state.sessions = state.sessions.filter((x) => x.session_id !== s.session_id);
      if (state.sessionId === s.session_id) newConversation();
      renderSessions();
      notice(t("conversation_deleted"));
      $("#new-session").focus();
    } catch (err) {
      notice(errorText(err));
    }
  });
}

// --- mood ------------------------------------------------------------------------------------------
function reportBlock(host, payload) {
  host.replaceChildren();
  const r = payload.report || {};
  const s = r.summary || {};
  if (!s.total_interactions) {
    host.append(h("p", { class: "muted", text: t("report_none") }));
    return;
  }
  host.append(
    h("p", {}, h("strong", { text: t("report_interactions", { n: s.total_interactions }) }),
      s.dominant_emotion ? ` · ${t("report_dominant", { e: s.dominant_emotion })}` : ""),
  );
  if (r.duck_encouragement) host.append(h("p", { class: "encourage", text: r.duck_encouragement }));
  const tips = [...(r.achievements || []), ...(r.gentle_suggestions || [])];
  if (tips.length) host.append(h("ul", {}, ...tips.map((x) => h("li", { text: x }))));
}

async function loadMood() {
  const chart = $("#mood-chart");
  const caption = $("#mood-chart-caption");
  for (const b of document.querySelectorAll("[data-period]")) {
    b.setAttribute("aria-pressed", String(b.dataset.period === state.period));
  }
  if (!state.sessionId) {
    chart.replaceChildren(h("p", { class: "muted", text: t("no_session") }));
    caption.textContent = "";
    $("#daily-report").replaceChildren();
    $("#weekly-report").replaceChildren();
    return;
  }
  const sid = encodeURIComponent(state.sessionId);
  try {
    const [trend, daily, weekly] = await Promise.all([
      api(`/emotions/analysis/${sid}?period=${state.period}&include_trends=true`),
      api(`/reports/daily/${sid}?language=${apiLocale()}`),
      api(`/reports/weekly/${sid}`),
    ]);
    const span = state.period === "month" ? 30 : 7;
    const n = renderMoodChart(chart, trend.daily_trends || [], span);
    renderDistribution(chart, trend.emotion_distribution);
    caption.textContent = `${t("chart_title")} — ` + (n
      ? t("chart_caption", {
          days: n,
          n: trend.summary?.total_messages ?? 0,
          emotion: trend.summary?.dominant_emotion ?? "—",
        })
      : t("chart_none"));
    reportBlock($("#daily-report"), daily);
    reportBlock($("#weekly-report"), weekly);
  } catch (e) {
    chart.replaceChildren(h("p", { class: "form-error", text: errorText(e) }));
  }
}

// --- account ---------------------------------------------------------------------------------------
function renderAccount() {
  const user = currentUser();
  if (!user) return;
  $("#account-who").textContent = user.is_guest ? t("who_guest") : t("who_user", { email: user.email });
  $("#card-upgrade").hidden = !user.is_guest;
  $("#card-mfa").hidden = user.is_guest;
  $("#mfa-status").textContent = user.mfa_enabled ? t("mfa_on") : t("mfa_off");
  $("#mfa-enroll").hidden = Boolean(user.mfa_enabled);
  $("#form-mfa-disable").hidden = !user.mfa_enabled;
  $("#delete-password-row").hidden = user.is_guest;
  $("#delete-otp-row").hidden = !user.mfa_enabled;
  api("/me")
    .then((me) => {
      if (JSON.stringify(me) !== JSON.stringify(currentUser())) {
        setUser(me);
        if (state.view === "account") renderAccount();
      }
    })
    .catch(() => {});
}

function download(name, data) {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, class: "sr-only" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function signedOut(message) {
  setCurrentSession(null);
  state.sessions = [];
  state.sessionsCursor = null;
  $("#chat-log").replaceChildren();
  renderSessions();
  clearSafety();
  if (message) notice(message);
}

// --- wiring ----------------------------------------------------------------------------------------
function values(form) {
  return Object.fromEntries(new FormData(form).entries());
}

function wire() {
  $("#lang-switch").addEventListener("click", () => {
    toggleLang();
    renderSessions();
    if (state.view === "account") renderAccount();
    if (state.view === "mood") loadMood();
  });
  for (const b of document.querySelectorAll(".nav-btn")) {
    b.addEventListener("click", () => showView(b.dataset.view));
  }

  $("#start-guest").addEventListener("click", async (e) => {
    const btn = e.currentTarget;
    btn.disabled = true;
    try {
      setCurrentSession(null);
      setTokens(await api("/auth/guest", { method: "POST", auth: false, body: { locale: apiLocale() } }));
      showView("chat");
      loadSessions();
    } catch (err) {
      notice(errorText(err));
    } finally {
      btn.disabled = false;
    }
  });

  // welcome tabs (arrow keys move between them)
  const tabs = [$("#tab-login"), $("#tab-register")];
  const selectTab = (tab) => {
    for (const x of tabs) {
      const on = x === tab;
      x.setAttribute("aria-selected", String(on));
      x.tabIndex = on ? 0 : -1;
      $(`#${x.getAttribute("aria-controls")}`).hidden = !on;
    }
    tab.focus();
  };
  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab));
    tab.addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight" || e.key === "ArrowLeft") selectTab(tabs[(tabs.indexOf(tab) + 1) % 2]);
    });
  }

  $("#form-login").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    formError(form, null);
    const v = values(form);
    try {
      if (state.mfaToken) {
        setTokens(await api("/auth/login/mfa", { method: "POST", auth: false, body: { mfa_token: state.mfaToken, code: v.code } }));
      } else {
        const res = await api("/auth/login", { method: "POST", auth: false, body: { email: v.email, password: v.password } });
        if (res.mfa_required) {
          state.mfaToken = res.challenge.mfa_token;
          $("#login-otp-row").hidden = false;
          $("#login-otp").focus();
          return;
        }
        setTokens(res.tokens);
      }
      state.mfaToken = null;
      $("#login-otp-row").hidden = true;
      form.reset();
      setCurrentSession(null);
      notice(t("welcome_back"));
      showView("chat");
      await loadSessions();
      if (state.sessions[0]) openSession(state.sessions[0].session_id);
    } catch (err) {
      formError(form, err);
    }
  });

  $("#form-register").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    formError(form, null);
    const v = values(form);
    try {
      setTokens(await api("/auth/register", {
        method: "POST",
        auth: false,
        body: { email: v.email, password: v.password, display_name: v.display_name || null, locale: apiLocale() },
      }));
      form.reset();
      setCurrentSession(null);
      showView("chat");
      loadSessions();
    } catch (err) {
      formError(form, err);
    }
  });

  $("#composer").addEventListener("submit", (e) => {
    e.preventDefault();
    sendMessage();
  });
  $("#message-input").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      sendMessage();
    }
  });
  $("#new-session").addEventListener("click", newConversation);
  $("#sessions-more").addEventListener("click", () => loadSessions({ more: true }));
  $("#history-more").addEventListener("click", loadEarlier);
  $(".crisis-close").addEventListener("click", () => {
    $("#crisis-banner").hidden = true;
    $("#message-input").focus();
  });

  for (const b of document.querySelectorAll("[data-period]")) {
    b.addEventListener("click", () => {
      state.period = b.dataset.period;
      loadMood();
    });
  }

  $("#form-upgrade").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    formError(form, null);
    const v = values(form);
    try {
      const user = await api("/auth/upgrade", {
        method: "POST",
        body: { email: v.email, password: v.password, display_name: v.display_name || null },
      });
      setUser(user);
      form.reset();
      notice(t("upgraded"));
      renderAccount();
    } catch (err) {
      formError(form, err);
    }
  });

  $("#mfa-enroll").addEventListener("click", async () => {
    const form = $("#form-mfa-confirm");
    try {
      const en = await api("/auth/mfa/enroll", { method: "POST" });
      $("#mfa-secret").textContent = en.secret.replace(/(.{4})/g, "$1 ").trim();
      $("#mfa-uri").href = en.otpauth_uri;
      form.hidden = false;
      $("#mfa-codes").hidden = true;
      $("#mfa-code").focus();
    } catch (err) {
      notice(errorText(err));
    }
  });
  $("#form-mfa-confirm").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    formError(form, null);
    try {
      const res = await api("/auth/mfa/confirm", { method: "POST", body: { code: values(form).code.trim() } });
      form.hidden = true;
      form.reset();
      $("#mfa-codes-list").replaceChildren(...res.recovery_codes.map((c) => h("li", {}, h("code", { text: c }))));
      $("#mfa-codes").hidden = false;
      setUser({ ...currentUser(), mfa_enabled: true });
      notice(t("mfa_enabled"));
      renderAccount();
    } catch (err) {
      formError(form, err);
    }
  });
  $("#form-mfa-disable").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    formError(form, null);
    const v = values(form);
    try {
      await api("/auth/mfa/disable", { method: "POST", body: { password: v.password, code: v.code.trim() } });
      form.reset();
      $("#mfa-codes").hidden = true;
      setUser({ ...currentUser(), mfa_enabled: false });
      notice(t("mfa_disabled"));
      renderAccount();
    } catch (err) {
      formError(form, err);
    }
  });

  $("#export").addEventListener("click", async () => {
    try {
      const data = await api("/me/export");
      download(`psych-duck-export-${new Date().toISOString().slice(0, 10)}.json`, data);
      notice(t("exported"));
    } catch (err) {
      notice(errorText(err));
    }
  });

  $("#form-delete").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    formError(form, null);
    if (!$("#del-confirm").checked) {
      formError(form, t("delete_need_confirm"));
      return;
    }
    const v = values(form);
    const user = currentUser();
    const body = {};
    if (!user.is_guest) body.password = v.password || "";
    if (user.mfa_enabled) body.otp_code = (v.otp_code || "").trim();
    try {
      await api("/me", { method: "DELETE", body: user.is_guest ? undefined : body });
      form.reset();
      setTokens(null);
      signedOut(t("deleted"));
    } catch (err) {
      formError(form, err);
    }
  });

  $("#logout").addEventListener("click", async () => {
    try {
      await api("/auth/logout", { method: "POST" });
    } catch {
      // signed out locally either way
    }
    setTokens(null);
    signedOut(t("signed_out"));
  });
}

onAuthChange((user) => {
  if (!user && state.view && state.view !== "welcome") {
    signedOut(t("session_expired"));
    showView("welcome");
  }
});

function boot() {
  applyI18n();
  // phones: the conversation list starts folded so the chat and the message box fit on the screen
  if (window.matchMedia("(max-width: 720px)").matches) $("#sessions-details").open = false;
  wire();
  if (currentUser()) {
    showView("chat", { focus: false });
    loadSessions();
    if (state.sessionId) openSession(state.sessionId, { focus: false });
  } else {
    showView("welcome", { focus: false });
  }
  updateEmpty();
}

boot();
