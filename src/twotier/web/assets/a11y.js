/* twotier dashboard: keyboard and screen-reader fixes for Dash's own components,
   the phone drawer, and exact slider marks. Loaded by Dash from assets/ (no network).

   Dash re-renders parts of the page, so the fixes are applied again after every change
   of the DOM (a MutationObserver, batched per animation frame). */
(function () {
  "use strict";

  function labelOf(el) {
    var field = el.closest(".field");
    var span = field && field.querySelector(":scope > span");
    return span ? span.textContent.trim() : "";
  }

  function setAttr(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  /* View tabs: focusable, announced as tabs, opened with Enter or Space. */
  function fixTabs() {
    document.querySelectorAll(".tab-container").forEach(function (bar) {
      setAttr(bar, "role", "tablist");
      setAttr(bar, "aria-label", "Views");
      bar.querySelectorAll(".tab").forEach(function (tab) {
        setAttr(tab, "role", "tab");
        setAttr(tab, "tabindex", "0");
        setAttr(tab, "aria-selected", tab.classList.contains("tab--selected") ? "true" : "false");
      });
    });
  }

  /* Dropdowns: Dash puts a hidden, focusable input in front of the real button, which
     screen readers cannot name (axe: aria-hidden-focus). Focus the button instead. */
  function fixDropdowns() {
    document.querySelectorAll(".dash-dropdown-wrapper").forEach(function (wrap) {
      var target = wrap.querySelector(".dash-dropdown-focus-target");
      var button = wrap.querySelector("button.dash-dropdown");
      if (!target || !button) return;
      setAttr(target, "tabindex", "-1");
      setAttr(button, "tabindex", "0");
      var name = labelOf(wrap);
      if (name) setAttr(button, "aria-label", name + ": " + button.innerText.trim());
    });
  }

  /* Sliders and their number boxes get the field's name. */
  function fixSliders() {
    document.querySelectorAll(".dash-slider-container").forEach(function (box) {
      var name = labelOf(box) || box.id;
      box.querySelectorAll("[role=slider]").forEach(function (thumb) {
        setAttr(thumb, "aria-label", name);
      });
      box.querySelectorAll("input").forEach(function (input) {
        setAttr(input, "aria-label", name + " (type a value, Enter to apply)");
      });
    });
  }

  /* Scrolling tables can be reached and scrolled with the keyboard; the upload has a name. */
  function fixRegions() {
    document.querySelectorAll(".scroll").forEach(function (box) {
      setAttr(box, "tabindex", "0");
      setAttr(box, "role", "region");
      var table = box.querySelector("table");
      var caption = table && table.querySelector("caption");
      var name = caption ? caption.textContent.trim()
        : (table && table.id ? table.id.replace(/-/g, " ") : "table");
      setAttr(box, "aria-label", name + " (scrolls)");
    });
    document.querySelectorAll("#upload input[type=file]").forEach(function (input) {
      setAttr(input, "aria-label", "Upload a policy (.toml)");
      setAttr(input, "tabindex", "-1");
    });
  }

  /* Phone: the global controls sit in a drawer opened by a button above the tabs. */
  function ensureDrawerButton() {
    var controls = document.querySelector("#controls, .controls");
    if (!controls || document.getElementById("drawer-toggle")) return;
    if (!controls.id) controls.id = "controls";
    var button = document.createElement("button");
    button.id = "drawer-toggle";
    button.type = "button";
    button.className = "drawer-toggle";
    button.textContent = "Settings: policy, threshold, year, edition";
    button.setAttribute("aria-controls", controls.id);
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", function () {
      var open = document.body.classList.toggle("drawer-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    controls.parentNode.insertBefore(button, controls);
  }

  /* Dash's page template holds its scripts in a <footer>: not the page's footer, so not a
     second "contentinfo" landmark. */
  function fixLandmarks() {
    document.querySelectorAll("body > footer").forEach(function (f) {
      setAttr(f, "role", "none");
    });
  }

  function applyAll() {
    fixLandmarks();
    fixTabs();
    fixDropdowns();
    fixSliders();
    fixRegions();
    ensureDrawerButton();
  }

  /* Set a Dash number box the way a person typing would, then apply it. */
  function commit(input, value) {
    var setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
    input.focus();
    setter.call(input, String(value));
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.blur();
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLElement)) return;
    if ((event.key === "Enter" || event.key === " ") && target.classList.contains("tab")) {
      event.preventDefault();
      target.click();
      return;
    }
    /* Enter in a slider's number box applies the value (Dash applies it on blur only). */
    if (event.key === "Enter" && target.matches(".dash-slider-container input")) {
      event.preventDefault();
      target.blur();
      target.focus();
    }
  }, true);

  /* A click on a slider mark sets exactly the mark's value (Dash's track maps the click
     position to the nearest step, which can miss the mark: "3.5%" gave 3.45). */
  function markAt(event) {
    var root = event.target instanceof Element && event.target.closest(".dash-slider-container");
    if (!root) return null;
    var marks = root.querySelectorAll(".dash-slider-mark");
    for (var i = 0; i < marks.length; i++) {
      var r = marks[i].getBoundingClientRect();
      if (event.clientX >= r.left - 2 && event.clientX <= r.right + 2 &&
          event.clientY >= r.top - 2 && event.clientY <= r.bottom + 2) return marks[i];
    }
    return null;
  }

  document.addEventListener("pointerdown", function (event) {
    var mark = markAt(event);
    if (!mark) return;
    var value = parseFloat(mark.textContent);
    var input = mark.closest(".dash-slider-container").querySelector("input");
    if (isNaN(value) || !input) return;
    event.preventDefault();
    event.stopPropagation();
    commit(input, value);
  }, true);

  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      applyAll();
    });
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true,
                                         attributeFilter: ["class"] });
  document.addEventListener("DOMContentLoaded", applyAll);
})();
