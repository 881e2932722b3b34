// Shared by both pages. window.AUTH_CONFIG comes from /config.js, written by the test's frontend
// server: {apiUrl: "http://localhost:<api port>", provider: "<name>"}.
"use strict";

const API = window.AUTH_CONFIG.apiUrl;
// The access token lives in this page's memory only (never localStorage): a reload forgets it
// and the page gets a new one from POST /api/auth/refresh, which the HttpOnly cookie authorizes.
let accessToken = null;

// Writes a step's outcome into its element, e.g. <span id="step-login" data-state="ok"
// data-status="200" data-code="">ok 200</span>. States: idle, pending, ok (2xx), error (an HTTP
// error answer the page could read), network-error (fetch rejected: CORS refused, connection
// refused...: the page learns nothing more, which is the point of CORS).
function show(step, outcome) {
  const element = document.getElementById("step-" + step);
  element.dataset.state = outcome.state;
  element.dataset.status = String(outcome.status ?? "");
  element.dataset.code = outcome.code ?? "";
  element.dataset.detail = outcome.detail ?? "";
  element.textContent = [outcome.state, outcome.status, outcome.code, outcome.detail].filter(Boolean).join(" ");
  document.getElementById("document-cookie").textContent = document.cookie;
  document.getElementById("has-access-token")?.replaceChildren(String(accessToken !== null));
}

// One API call as a frontend makes it: credentials "include" so the browser stores and sends the
// refresh cookie across origins; a JSON body only when there is one (a body-less POST is a
// "simple" request, sent without preflight); the access token as a Bearer header.
async function api(step, method, path, { body, auth } = {}) {
  show(step, { state: "pending" });
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (auth && accessToken) headers["Authorization"] = "Bearer " + accessToken;
  let response;
  try {
    response = await fetch(API + path, {
      method, headers, credentials: "include", mode: "cors",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    show(step, { state: "network-error", status: 0, code: error.name, detail: error.message });
    return null;
  }
  let data = null;
  try { data = await response.json(); } catch (_) { /* not JSON */ }
  show(step, { state: response.ok ? "ok" : "error", status: response.status, code: data && data.code });
  return response.ok ? data : null;
}

async function refresh() {
  // No body: the refresh token is the HttpOnly cookie, which this script can neither read nor send
  // by hand. (The JSON body of login also carries one for non-browser clients; a browser app
  // ignores it.)
  const data = await api("refresh", "POST", "/api/auth/refresh");
  if (data) accessToken = data.accessToken;
  return data;
}

async function me() {
  const data = await api("me", "GET", "/api/auth/me", { auth: true });
  if (data) document.getElementById("user-email").textContent = data.user.email;
  return data;
}
