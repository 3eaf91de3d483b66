/* Live notifications of partner requests over ws/notifications/: each one is added to the
 * page's list as it arrives. Reconnects with back-off. No framework. */
(function () {
  "use strict";
  var box = document.querySelector("[data-live-notices]");
  if (!box) return;
  var list = box.querySelector("[data-notice-list]");
  var delay = 1000;

  function label(kind) {
    return box.getAttribute("data-i18n-" + kind) || "";
  }

  function add(notification) {
    var empty = list.querySelector("[data-notice-empty]");
    if (empty) empty.remove();
    var item = document.createElement("li");
    var link = document.createElement("a");
    // The address on this site, whatever host the server names in its absolute URLs.
    var target = new URL(notification.url, location.href);
    link.href = target.pathname + target.search + target.hash;
    link.textContent = notification.message;
    var kind = label(notification.kind);
    if (kind) item.appendChild(document.createTextNode(kind + ": "));
    item.appendChild(link);
    list.insertBefore(item, list.firstChild);
  }

  function open() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + box.getAttribute("data-socket"));
    socket.onopen = function () { delay = 1000; box.setAttribute("data-connected", "1"); };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "notification") add(message.notification);
    };
    socket.onclose = function (event) {
      box.removeAttribute("data-connected");
      if (event.code === 4403) return;
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  open();
})();
