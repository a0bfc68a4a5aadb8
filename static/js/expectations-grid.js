// Recolour a cell as its choice changes, count the unsaved changes and warn before leaving with them.
(function () {
  const form = document.getElementById("expectations-grid-form");
  if (!form) return;
  const counter = document.getElementById("grid-changes");
  let saving = false;
  function changedCount() {
    return form.querySelectorAll(".grid-cell.is-changed").length;
  }
  form.addEventListener("change", function (event) {
    const select = event.target;
    if (select.tagName !== "SELECT") return;
    const cell = select.closest(".grid-cell");
    const tone = select.options[select.selectedIndex].dataset.tone || "0";
    cell.className = cell.className.replace(/\btone-\S+/, "tone-" + (tone === "0" ? "none" : tone));
    const original = Array.from(select.options).find((option) => option.defaultSelected);
    cell.classList.toggle("is-changed", select.value !== (original ? original.value : ""));
    const count = changedCount();
    counter.textContent = count === 0 ? "" : count === 1 ? "1 unsaved change" : count + " unsaved changes";
  });
  form.addEventListener("submit", function () { saving = true; });
  window.addEventListener("beforeunload", function (event) {
    if (!saving && changedCount() > 0) event.preventDefault();
  });
  const summary = document.getElementById("grid-error-summary");
  if (summary) summary.focus();
})();
