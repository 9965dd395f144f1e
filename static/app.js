// gongwen: copy buttons, scroll to the permalinked clause, "/" focuses the search box.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) { return; }
    var status = button.parentElement.querySelector(".copy-status");
    var text = button.getAttribute("data-copy");
    button.removeAttribute("data-copy-state");
    copyText(text).then(function () {
      button.setAttribute("data-copy-state", "copied");
      if (status) { status.textContent = status.getAttribute("data-copied") + text; }
    }, function () {
      button.setAttribute("data-copy-state", "failed");
      if (status) { status.textContent = status.getAttribute("data-failed") + text; }
    });
  });

  function focusClause() {
    var article = document.querySelector("[data-focus]");
    if (!article || window.location.hash) { return; }
    var clause = document.getElementById(article.getAttribute("data-focus"));
    // A clause already in full view stays where it is, so the title above it stays visible too.
    if (clause && clause.getBoundingClientRect().bottom > window.innerHeight) {
      var tall = clause.offsetHeight > window.innerHeight * 0.8;
      clause.scrollIntoView({ block: tall ? "start" : "center" });
    }
  }

  document.addEventListener("keydown", function (event) {
    var box = document.querySelector("input[type=search]");
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (event.key === "/" && box && !typing) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusClause);
  } else {
    focusClause();
  }
}());
