// The team heatmap: a visible cue when a table is wider than its box (a line above it, and a shadow on the
// side with more to see), kept up to date as it scrolls or the window changes size.
(function () {
  "use strict";
  function update(scroller) {
    var frame = scroller.closest(".heatmap-frame");
    var hint = document.getElementById(scroller.getAttribute("aria-describedby"));
    var wider = scroller.scrollWidth > scroller.clientWidth + 1;
    var left = scroller.scrollLeft > 1;
    var right = scroller.scrollLeft + scroller.clientWidth < scroller.scrollWidth - 1;
    frame.classList.toggle("heatmap-frame--more-left", wider && left);
    frame.classList.toggle("heatmap-frame--more-right", wider && right);
    if (hint) hint.hidden = !wider;
  }
  document.querySelectorAll(".heatmap-scroll").forEach(function (scroller) {
    scroller.addEventListener("scroll", function () { update(scroller); }, { passive: true });
    if (window.ResizeObserver) new ResizeObserver(function () { update(scroller); }).observe(scroller);
    update(scroller);
  });
})();
