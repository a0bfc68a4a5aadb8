// Progressive enhancement for the assessment page; without it the page is a plain form that saves on submit.
// htmx does the autosave (attributes in the template); this adds the visible save states, the 409 answer,
// growing evidence boxes, and a warning before leaving with a save pending.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form) return;

  // Evidence boxes grow with their text (browsers without CSS field-sizing).
  function grow(box) {
    box.style.height = "auto";
    box.style.height = box.scrollHeight + 2 + "px";
  }
  if (!(window.CSS && CSS.supports && CSS.supports("field-sizing", "content"))) {
    form.querySelectorAll("textarea[data-grow]").forEach(grow);
    form.addEventListener("input", function (event) {
      if (event.target.matches("textarea[data-grow]")) grow(event.target);
    });
  }

  // Where each autosaving block (a capability, or the overall section) shows its state.
  function stateOf(element) {
    var block = element && element.closest("[hx-post]");
    return block ? block.querySelector(".save-state") : null;
  }

  // Blocks with edits the server has not confirmed yet: an edit counter per block, and the counter each
  // request was sent with, so an answer to an older request does not clear a newer edit.
  var edits = new Map();
  function edited(event) {
    var block = event.target.closest("[hx-post]");
    if (block) edits.set(block, (edits.get(block) || 0) + 1);
  }
  // Counted on the way down (capture), before htmx's listener on the block sends a "change" save at once: counted
  // after it, the edit looked newer than the save that carried it, and the state stayed "Saving…".
  form.addEventListener("input", edited, true);
  form.addEventListener("change", edited, true);

  // "Saving…" from the first keystroke, not only once the request leaves: "Saved" only ever comes from the server.
  function saving(event) {
    var state = stateOf(event.target);
    if (state && state.textContent !== "Saving…") state.textContent = "Saving…";
  }
  form.addEventListener("input", saving);
  form.addEventListener("change", saving);
  function unsaved() {
    return Array.from(edits.values()).some(function (count) { return count > 0; });
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var block = event.detail.elt.closest("[hx-post]");
    event.detail.xhr.pathwayEdits = edits.get(block) || 0;
    var state = stateOf(event.detail.elt);
    if (state) state.textContent = "Saving…";
  });

  // A refused save (409 stale or submitted, 400 invalid, 403 in a closed cycle) carries its own message: show it.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var refused = status === 403 && event.detail.xhr.getResponseHeader("X-Save-State") === "refused";
    if (status === 409 || status === 400 || refused) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var block = event.detail.elt.closest("[hx-post]");
    if (!block || event.detail.xhr.status !== 200) return;
    if ((edits.get(block) || 0) === event.detail.xhr.pathwayEdits) {
      edits.set(block, 0);
    } else {
      // This answer is to an older request: the newer edits are still on their way, so not "Saved" yet.
      var state = stateOf(block);
      if (state) state.textContent = "Saving…";
    }
    var retry = block.querySelector(".save-state__retry");
    if (!retry) return;
    if (document.activeElement === retry) {
      // Keep the keyboard in this capability rather than dropping it to the top of the page. Focus the
      // capability itself, not its evidence box: the Enter that pressed Retry may still be arriving, and
      // in a text box it would type a new line.
      block.setAttribute("tabindex", "-1");
      block.focus();
    }
    retry.remove();
  });

  // The Retry button sits beside the save state, not in it, so that a save starting as the keyboard
  // moves onto it cannot pull it away; it goes once a save succeeds.
  function retryButton(block) {
    var retry = block.querySelector(".save-state__retry");
    if (retry) return retry;
    retry = document.createElement("button");
    retry.type = "button";
    retry.className = "btn btn-sm btn-outline-danger save-state__retry no-print";
    retry.textContent = "Try again";
    retry.addEventListener("click", function () {
      htmx.trigger(block, "change");
    });
    stateOf(block).after(retry);
    return retry;
  }

  function failed(event) {
    var block = event.detail.elt.closest("[hx-post]");
    var state = stateOf(event.detail.elt);
    if (!state || !block) return;
    state.textContent = "";
    var message = document.createElement("span");
    message.className = "save-state__error";
    message.textContent = "Not saved — try again. Your text is kept.";
    state.append(message);
    retryButton(block);
  }
  document.body.addEventListener("htmx:sendError", failed);
  document.body.addEventListener("htmx:responseError", failed);

  // Sticky bars never cover the focused control (WCAG 2.2, 2.4.11): the page scrolls with padding the height of
  // the sticky bar, measured, since it wraps to two lines on a phone.
  var bar = document.querySelector(".assessment-bar");
  function padForBar() {
    document.documentElement.style.setProperty("--sticky-top", bar.offsetHeight + 16 + "px");
  }
  if (bar) {
    padForBar();
    if (window.ResizeObserver) new ResizeObserver(padForBar).observe(bar);
  }

  // "Hide rated": collapses the capabilities rated so far (a rating made afterwards stays in view until the next
  // press, so the one being worked on never vanishes); each area says how many it hides.
  var toggle = document.getElementById("toggle-rated");
  function rated(capability) {
    return !!capability.querySelector("input[type=radio]:checked") && !capability.classList.contains("capability--error");
  }
  function collapse(hide) {
    form.querySelectorAll(".assessment-area").forEach(function (area) {
      var hidden = 0;
      area.querySelectorAll(".capability").forEach(function (capability) {
        var off = hide && rated(capability) && !capability.contains(document.activeElement);
        capability.classList.toggle("capability--collapsed", off);
        if (off) hidden += 1;
      });
      var note = area.querySelector(".assessment-area__collapsed");
      note.hidden = hidden === 0;
      note.textContent = hidden === 1 ? "1 rated capability hidden." : hidden + " rated capabilities hidden.";
    });
    toggle.setAttribute("aria-pressed", hide ? "true" : "false");
    toggle.textContent = hide ? "Show rated" : "Hide rated";
  }
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      collapse(toggle.getAttribute("aria-pressed") !== "true");
    });
  }

  // A big framework's area list (one area at a time) folds on a phone: the area's capabilities come first.
  var areaList = document.querySelector(".area-steps__details");
  if (areaList && window.matchMedia("(max-width: 575.98px)").matches) areaList.open = false;
  // The area shown keeps its count in the list up to date as choices are made.
  var areaCount = document.querySelector(".area-steps__step.is-current .area-steps__count");
  if (areaCount) {
    form.addEventListener("change", function () {
      var total = form.querySelectorAll(".assessment-area .capability").length;
      var chosen = form.querySelectorAll(".assessment-area .capability input[type=radio]:checked").length;
      areaCount.textContent = chosen + " of " + total + " rated";
    });
  }

  // Submitting the plain form saves everything, so nothing is pending after it.
  form.addEventListener("submit", function () {
    edits.clear();
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
