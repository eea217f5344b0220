// The helper's feed: swipe a card right to accept, left for "Not for me" (touch screens),
// and never swap the cards away while a helper is about to press one of their buttons.
(function () {
  "use strict";
  var THRESHOLD = 90;
  var start = null;

  function card(target) {
    return target && target.closest ? target.closest("[data-swipe]") : null;
  }

  document.addEventListener("touchstart", function (event) {
    var el = card(event.target);
    if (!el || event.touches.length !== 1) { start = null; return; }
    start = { el: el, x: event.touches[0].clientX, y: event.touches[0].clientY, dx: 0 };
  }, { passive: true });

  document.addEventListener("touchmove", function (event) {
    if (!start) return;
    var dx = event.touches[0].clientX - start.x;
    var dy = event.touches[0].clientY - start.y;
    if (Math.abs(dy) > Math.abs(dx)) return; // scrolling, not swiping
    start.dx = dx;
    start.el.style.transform = "translateX(" + dx + "px)";
    start.el.classList.toggle("swipe-accept", dx > THRESHOLD);
    start.el.classList.toggle("swipe-dismiss", dx < -THRESHOLD);
  }, { passive: true });

  document.addEventListener("touchend", function () {
    if (!start) return;
    var el = start.el, dx = start.dx;
    start = null;
    el.style.transform = "";
    el.classList.remove("swipe-accept", "swipe-dismiss");
    var form = null;
    if (dx > THRESHOLD) form = el.querySelector(".accept-form");
    if (dx < -THRESHOLD) form = el.querySelector(".dismiss-form");
    if (form) form.requestSubmit();
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var live = event.detail.elt;
    if (!live || live.id !== "feed-live") return;
    var active = document.activeElement;
    // A keyboard user on a card's button, or a finger on a card: keep the cards still.
    if ((active && active.tagName === "BUTTON" && live.contains(active)) || start) {
      event.preventDefault();
    }
  });
})();
