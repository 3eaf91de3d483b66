/* The brokerage page's requests and agenda, kept live over ws/notifications/: when one of
 * the reader's meetings changes, the server sends its id and this script reads the page
 * again and swaps in its requests and agenda. No framework. */
(function () {
  "use strict";
  var live = document.getElementById("matchmaking-live");
  if (!live) return;
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var delay = 1000;

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("matchmaking-live");
        if (fresh) live.innerHTML = fresh.innerHTML;
        live.setAttribute("data-refreshed", String(Date.now()));
      });
  }

  function open() {
    var socket = new WebSocket(scheme + window.location.host + live.getAttribute("data-socket"));
    socket.onopen = function () { delay = 1000; live.setAttribute("data-live", "open"); };
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "meeting" && String(message.event) === live.getAttribute("data-event")) refresh();
    };
    socket.onclose = function (event) {
      live.setAttribute("data-live", "closed");
      if (event.code === 4403) return;
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  open();
})();
