/*
 * Live events for portal pages. Connects to /ws/events/ with the session cookie, reconnects with
 * capped exponential backoff and jitter, resumes from the last event id it saw (the server replays
 * what was missed), and turns every event into DOM events that pages listen to:
 *
 *   document.addEventListener("rfe:event", (e) => e.detail)           // every event
 *   document.addEventListener("rfe:job.progress", (e) => e.detail)    // one topic
 *   document.addEventListener("rfe:events-gap", ...)    // events may have been missed: reload data
 *   document.addEventListener("rfe:events-status", ...) // {state: connecting|open|closed|stopped}
 *
 * An event's detail is {id, topic, team, payload, created}; pages filter by detail.team. The script
 * tag may narrow the topics with data-topics="incident.,job." (prefixes). The cursor lives as long
 * as the page: a new page renders current data, so it starts from "now", not from the last page's
 * cursor. No library: it runs on every page.
 */
(function () {
  "use strict";
  if (!("WebSocket" in window) || window.rfeEvents) return;

  var script = document.currentScript;
  var topics = (script && script.dataset.topics) || "";
  var BASE_DELAY = 500; // ms before the first retry, doubled per failed attempt...
  var MAX_DELAY = 30000; // ...up to this
  var STABLE_AFTER = 10000; // a connection that lasted this long resets the backoff
  var PING_EVERY = 25000; // ask the server for a pong this often...
  var PONG_TIMEOUT = 10000; // ...and treat the connection as dead if nothing comes back
  var FINAL_CODES = { 4400: "bad request", 4401: "signed out" }; // retrying cannot help

  var socket = null;
  var lastId = null;
  var attempt = 0;
  var openedAt = 0;
  var state = "idle";
  var retryTimer = null;
  var pingTimer = null;
  var pongTimer = null;
  var stopped = false;

  function dispatch(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function setState(next, extra) {
    state = next;
    var detail = { state: next, lastId: lastId };
    for (var key in extra || {}) detail[key] = extra[key];
    dispatch("rfe:events-status", detail);
  }

  function url() {
    var params = new URLSearchParams();
    if (lastId !== null) params.set("after", String(lastId));
    if (topics) params.set("topics", topics);
    var query = params.toString();
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + location.host + "/ws/events/" + (query ? "?" + query : "");
  }

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (stopped || socket) return;
    setState("connecting");
    var ws;
    try {
      ws = new WebSocket(url());
    } catch (error) {
      scheduleRetry();
      return;
    }
    socket = ws;
    ws.onmessage = function (message) {
      if (socket !== ws) return;
      clearTimeout(pongTimer); // any message proves the connection alive
      var data;
      try {
        data = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      handle(data);
    };
    ws.onclose = function (event) {
      if (socket !== ws) return;
      socket = null;
      stopPinging();
      if (openedAt && Date.now() - openedAt >= STABLE_AFTER) attempt = 0;
      openedAt = 0;
      if (FINAL_CODES[event.code]) {
        stopped = true;
        setState("stopped", { code: event.code, reason: FINAL_CODES[event.code] });
        return;
      }
      setState("closed", { code: event.code });
      scheduleRetry();
    };
  }

  function handle(data) {
    if (typeof data.id === "number") {
      if (lastId === null || data.id > lastId) lastId = data.id;
      dispatch("rfe:event", data);
      dispatch("rfe:" + data.topic, data);
    } else if (data.type === "ready") {
      // The server's cursor covers the catch-up just received, and stands even if nothing came.
      lastId = data.last_id;
      openedAt = Date.now();
      startPinging();
      setState("open", { teams: data.teams });
    } else if (data.type === "gap") {
      dispatch("rfe:events-gap", data);
    }
  }

  function scheduleRetry() {
    if (stopped || retryTimer) return;
    // "Equal jitter": half the capped delay, plus up to as much again at random, so that the
    // tabs of a restarted server do not all come back in the same instant.
    var cap = Math.min(MAX_DELAY, BASE_DELAY * Math.pow(2, attempt));
    var delay = cap / 2 + Math.random() * (cap / 2);
    attempt += 1;
    retryTimer = setTimeout(connect, delay);
  }

  function startPinging() {
    stopPinging();
    pingTimer = setInterval(function () {
      if (!socket || socket.readyState !== WebSocket.OPEN) return;
      socket.send(JSON.stringify({ type: "ping" }));
      clearTimeout(pongTimer);
      pongTimer = setTimeout(function () {
        if (socket) socket.close(); // onclose schedules the reconnection
      }, PONG_TIMEOUT);
    }, PING_EVERY);
  }

  function stopPinging() {
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
    pingTimer = pongTimer = null;
  }

  function reconnectNow() {
    if (stopped || socket) return;
    attempt = 0;
    connect();
  }

  // Back online, or back to a tab the browser throttled: do not wait out a long backoff.
  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") reconnectNow();
  });
  // Leaving the page closes cleanly; a page restored from the back/forward cache resumes.
  window.addEventListener("pagehide", function () {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (socket) {
      var ws = socket;
      socket = null;
      stopPinging();
      ws.close(1000);
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) reconnectNow();
  });

  window.rfeEvents = {
    get lastId() {
      return lastId;
    },
    get state() {
      return state;
    },
  };
  connect();
})();
