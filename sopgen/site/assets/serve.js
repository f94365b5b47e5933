// Under `sopgen serve` only. When a saved file cannot be built, the server keeps the last good
// build on show and reloads the page: this box says why the page did not change, and where to fix
// it. The next good save reloads the page without it.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var status = new URL("../../sopgen-status.json", script.src);  // this file is assets/sopgen/serve.js

  function say(key) {  // the site's language: assets/sopgen/messages.js (sopgen/site/messages.py)
    return (window.sopgenMessages || {})[key] || key;
  }

  function show(problems) {
    var box = document.createElement("div");
    box.className = "admonition failure sopgen-serve-problems";
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "admonition-title";
    title.textContent = say("serve_failed");
    box.appendChild(title);
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = problem;  // text, never HTML: it quotes the broken file
      item.appendChild(code);
      list.appendChild(item);
    });
    box.appendChild(list);
    var note = document.createElement("p");
    note.textContent = say("serve_fix");
    box.appendChild(note);
    var content = document.querySelector(".md-content__inner") || document.body;
    content.insertBefore(box, content.firstChild);
  }

  fetch(status, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) { if (data && data.problems && data.problems.length) show(data.problems); })
    .catch(function () { /* not served by sopgen serve: nothing to say */ });
})();
