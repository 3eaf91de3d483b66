/* Live forum pages: new posts, edits, reactions, typing and who is viewing, over the
 * thread's WebSocket; the notifications badge over ws/notifications/. No framework.
 *
 * Post HTML comes from the server already sanitised (forum/rendering.py); names and
 * other text are inserted as text, never as HTML.
 */
(function () {
  "use strict";

  function socketUrl(path, query) {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + window.location.host + path + (query || "");
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return { ok: response.ok, status: response.status, data: data };
      });
    });
  }

  /* A socket that reconnects with growing pauses; query() gives the URL's query string
   * at each (re)connection so the thread page can ask for what it missed. */
  function LiveSocket(path, query, onMessage, onState) {
    var delay = 1000;
    var stopped = false;
    var socket = null;
    function open() {
      socket = new WebSocket(socketUrl(path, query()));
      socket.onopen = function () { delay = 1000; onState("open"); };
      socket.onmessage = function (event) {
        var message;
        try { message = JSON.parse(event.data); } catch (e) { return; }
        if (message.type === "access.revoked") { stopped = true; }
        onMessage(message);
      };
      socket.onclose = function (event) {
        if (stopped || event.code === 4403) { stopped = true; onState("closed"); return; }
        onState("reconnecting");
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      };
    }
    open();
    return {
      send: function (message) {
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
      }
    };
  }

  /* --- notifications badge ------------------------------------------------------------ */

  var badge = document.querySelector("[data-notification-badge]");
  if (badge) {
    var showCount = function (count) {
      badge.textContent = String(count);
      badge.hidden = !count;
    };
    LiveSocket(badge.getAttribute("data-socket"), function () { return ""; }, function (message) {
      if (message.type === "notifications.unread") showCount(message.count);
      if (message.type === "notification") showCount(message.unread);
    }, function () {});
  }

  /* --- thread page ----------------------------------------------------------------------- */

  var list = document.getElementById("posts");
  if (!list) return;

  var text = function (name) { return list.getAttribute("data-i18n-" + name) || ""; };
  var lastPostId = parseInt(list.getAttribute("data-last-post-id"), 10) || 0;
  // The newest post this page shows (on an earlier page of a long thread, older than
  // lastPostId, the socket's catch-up point): reading the page marks it read up to here.
  var lastShownId = parseInt(list.getAttribute("data-last-shown-id"), 10) || lastPostId;
  var signedIn = list.getAttribute("data-signed-in") === "1";
  var typingLine = document.querySelector("[data-typing]");
  var viewersLine = document.querySelector("[data-viewers]");
  var connectionLine = document.querySelector("[data-connection]");
  var typingTimers = {};
  var typists = {};
  var readApi = list.getAttribute("data-read-api");
  var markedRead = 0;

  /* The page itself never marks the thread read (a GET writes nothing): the reader's
   * browser says how far it has shown the thread, now and as posts arrive while it is seen. */
  function markRead() {
    if (!signedIn || !readApi || lastShownId <= markedRead) return;
    if (document.visibilityState === "hidden") return;
    markedRead = lastShownId;
    api("POST", readApi, { post: lastShownId });
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function reactionButtons(container, reactions) {
    Object.keys(reactions || {}).forEach(function (kind) {
      var button = container.querySelector('[data-kind="' + kind + '"] [data-count]');
      if (button) button.textContent = String(reactions[kind]);
    });
  }

  function buildPost(post) {
    var article = element("article", "post");
    article.id = "post-" + post.id;
    article.setAttribute("data-post-id", post.id);
    var header = element("header");
    // A live post shows its author's initials (the page shows the picture on reload); the
    // name beside them says who it is, so they are hidden from screen readers.
    var initials = (post.author.display_name || "").split(/\s+/).filter(Boolean).slice(0, 2)
      .map(function (word) { return word.charAt(0); }).join("").toUpperCase();
    var avatar = element("span", "avatar avatar--small", initials);
    avatar.setAttribute("aria-hidden", "true");
    header.appendChild(avatar);
    header.appendChild(element("strong", "author", post.author.display_name));
    header.appendChild(document.createTextNode(" "));
    var time = element("time", "", new Date(post.created).toLocaleString());
    time.setAttribute("datetime", post.created);
    header.appendChild(time);
    var edited = element("span", "muted edited", " " + text("edited"));
    edited.hidden = !post.edited;
    header.appendChild(edited);
    article.appendChild(header);
    var body = element("div", "body");
    body.innerHTML = post.body_html; // sanitised on the server, on the way in
    article.appendChild(body);
    var footer = element("footer");
    var reactions = element("span", "reactions");
    reactions.setAttribute("data-reactions", "");
    var template = list.querySelector("[data-reactions]");
    if (template) {
      reactions.innerHTML = template.innerHTML;
    }
    footer.appendChild(reactions);
    article.appendChild(footer);
    reactionButtons(article, post.reactions);
    return article;
  }

  function upsertPost(post) {
    var existing = document.getElementById("post-" + post.id);
    if (existing) {
      existing.querySelector(".body").innerHTML = post.body_html;
      var edited = existing.querySelector(".edited");
      if (edited) edited.hidden = !post.edited;
      reactionButtons(existing, post.reactions);
    } else if (list.getAttribute("data-last-page") === "0") {
      // An earlier page of a long thread: new replies belong to the last page.
    } else {
      var article = buildPost(post);
      var after = null;
      list.querySelectorAll("[data-post-id]").forEach(function (node) {
        if (parseInt(node.getAttribute("data-post-id"), 10) > post.id && !after) after = node;
      });
      list.insertBefore(article, after);
      lastShownId = Math.max(lastShownId, post.id);
    }
    lastPostId = Math.max(lastPostId, post.id);
    if (post.author && typists[post.author.display_name]) {
      delete typists[post.author.display_name];
      renderTyping();
    }
  }

  function removePost(post) {
    var existing = document.getElementById("post-" + post.id);
    if (existing) {
      existing.classList.add("removed");
      existing.querySelector(".body").textContent = text("removed");
    }
  }

  function renderTyping() {
    var names = Object.keys(typists);
    typingLine.textContent = names.length ? names.join(", ") + " " + text("typing") : "";
  }

  function showTyping(user) {
    var name = user.display_name;
    typists[name] = true;
    renderTyping();
    clearTimeout(typingTimers[name]);
    typingTimers[name] = setTimeout(function () { delete typists[name]; renderTyping(); }, 4000);
  }

  function showViewers(message) {
    var names = message.viewers.map(function (viewer) { return viewer.display_name; });
    if (message.guests) names.push(message.guests + " " + text("guests"));
    viewersLine.textContent = names.length ? text("viewing") + " " + names.join(", ") : "";
  }

  var socket = LiveSocket(
    list.getAttribute("data-socket"),
    function () { return "?after=" + lastPostId; },
    function (message) {
      switch (message.type) {
        case "post.created":
        case "post.updated":
          upsertPost(message.post);
          markRead();
          break;
        case "post.deleted":
          removePost(message.post);
          break;
        case "typing":
          showTyping(message.user);
          break;
        case "presence":
          showViewers(message);
          break;
        case "thread.updated":
          var locked = document.querySelector("[data-locked]");
          if (locked) locked.hidden = !message.thread.locked;
          break;
        case "access.revoked":
          connectionLine.textContent = text("revoked");
          break;
      }
    },
    function (state) {
      connectionLine.textContent = state === "reconnecting" ? text("offline") : "";
    }
  );

  markRead();
  document.addEventListener("visibilitychange", markRead);

  /* --- reply form ----------------------------------------------------------------------- */

  var form = document.querySelector("[data-reply-form]");
  if (form) {
    var textarea = form.querySelector("textarea");
    var errors = form.querySelector("[data-reply-errors]");
    var preview = form.querySelector("[data-preview]");
    var lastTyping = 0;

    textarea.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTyping > 2000) {
        lastTyping = now;
        socket.send({ type: "typing" });
      }
    });

    form.querySelector("[data-preview-button]").addEventListener("click", function () {
      api("POST", list.getAttribute("data-preview-api"), { body: textarea.value }).then(function (r) {
        preview.hidden = false;
        if (r.ok) {
          preview.innerHTML = r.data.body_html; // sanitised by the server
        } else {
          preview.textContent = describe(r);
        }
      });
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      errors.textContent = "";
      api("POST", list.getAttribute("data-posts-api"), { body: textarea.value }).then(function (r) {
        button.disabled = false;
        if (r.ok) {
          upsertPost(r.data);
          textarea.value = "";
          preview.hidden = true;
          markRead();
        } else {
          errors.textContent = text("error") + " " + describe(r);
        }
      }, function () {
        button.disabled = false;
        errors.textContent = text("error") + " " + text("offline");
      });
    });
  }

  function describe(response) {
    var data = response.data || {};
    if (data.detail) return String(data.detail);
    var messages = [];
    Object.keys(data).forEach(function (key) { messages = messages.concat(data[key]); });
    return messages.join(" ") || String(response.status);
  }

  /* --- reactions -------------------------------------------------------------------------- */

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button.reaction");
    if (!button || !signedIn) return;
    var article = button.closest("[data-post-id]");
    var url = "/api/forum/posts/" + article.getAttribute("data-post-id") + "/reactions/";
    var mine = button.classList.contains("mine");
    var request = mine
      ? api("DELETE", url + "?kind=" + encodeURIComponent(button.getAttribute("data-kind")))
      : api("POST", url, { kind: button.getAttribute("data-kind") });
    request.then(function (r) {
      if (r.ok) {
        button.classList.toggle("mine", !mine);
        reactionButtons(article, r.data);
      }
    });
  });
})();
