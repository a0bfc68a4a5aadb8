// Printed pages show every collapsed group (<details data-print-open>), open or not, and put them back after.
(function () {
  "use strict";
  function groups() {
    return document.querySelectorAll("details[data-print-open]");
  }
  window.addEventListener("beforeprint", function () {
    groups().forEach(function (details) {
      details.dataset.wasOpen = details.open;
      details.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    groups().forEach(function (details) {
      details.open = details.dataset.wasOpen === "true";
    });
  });
})();
