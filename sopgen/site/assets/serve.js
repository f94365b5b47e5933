// Under `sopgen serve` only. When a saved file cannot be built, the server keeps the last good
// build on show and reloads the page: this box says why the page did not change, and where to fix
// it. The next good save reloads the page without it.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var status = new URL("../../sopgen-status.json", script.src);  // this file is assets/sopgen/serve.js

  function show(problems) {
    var box = document.createElement("div");
    box.className = "admonition failure sopgen-serve-problems";
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "admonition-title";
    title.textContent = "Your last save could not be built: this is the last good build";
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
    note.textContent = "Fix the file and save it: the page reloads by itself.";
    box.appendChild(note);
    var content = document.querySelector(".md-content__inner") || document.body;
    content.insertBefore(box, content.firstChild);
  }

  fetch(status, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) { if (data && data.problems && data.problems.length) show(data.problems); })
    .catch(function () { /* not served by sopgen serve: nothing to say */ });
})();
