"use strict";

function credentials() {
  return { email: document.getElementById("email").value, password: document.getElementById("password").value };
}

async function login() {
  const data = await api("login", "POST", "/api/auth/login", { body: credentials() });
  if (data) {
    accessToken = data.accessToken;
    document.getElementById("user-email").textContent = data.user.email;
  }
  return data;
}

async function register() {
  const data = await api("register", "POST", "/api/auth/register", { body: credentials() });
  if (data) {
    accessToken = data.accessToken;
    document.getElementById("user-email").textContent = data.user.email;
  }
  return data;
}

async function logout() {
  const data = await api("logout", "POST", "/api/auth/logout");
  accessToken = null;
  document.getElementById("user-email").textContent = "";
  return data;
}

async function flow() {
  show("flow", { state: "pending" });
  let ok = Boolean(await login());
  if (ok) {
    accessToken = null;  // forget it: refresh alone (the cookie) must bring a token back
    ok = Boolean(await refresh());
  }
  if (ok) ok = Boolean(await me());
  show("flow", ok ? { state: "ok", status: 200 } : { state: "error", detail: "a step failed" });
}

function signInWithProvider() {
  // A top-level navigation, not fetch: the API answers 302 to the provider, which later sends the
  // browser back to the API's callback and then to /auth/callback here.
  window.location.href = API + "/api/auth/oauth/" + encodeURIComponent(window.AUTH_CONFIG.provider);
}

document.getElementById("origin").textContent = window.location.origin;
document.getElementById("api-url").textContent = API;
document.getElementById("register").addEventListener("click", register);
document.getElementById("login").addEventListener("click", login);
document.getElementById("refresh").addEventListener("click", refresh);
document.getElementById("me").addEventListener("click", me);
document.getElementById("logout").addEventListener("click", logout);
document.getElementById("flow").addEventListener("click", flow);
document.getElementById("sign-in-provider").addEventListener("click", signInWithProvider);
document.body.dataset.ready = "true";
