"use strict";

async function completeSignIn() {
  const query = new URLSearchParams(window.location.search);
  document.getElementById("callback-query").textContent = window.location.search + window.location.hash;
  const error = query.get("error");
  if (error) {
    show("callback", { state: "error", code: error });
    return;
  }
  show("callback", { state: "pending" });
  const ok = (await refresh()) && (await me());
  show("callback", ok ? { state: "ok", status: 200 } : { state: "error", detail: "refresh or me failed" });
}

document.body.dataset.ready = "true";
completeSignIn();
