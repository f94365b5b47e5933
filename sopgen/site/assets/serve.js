// Under `sopgen serve` only. When a saved file cannot be built, the server keeps the last good
// build on show and reloads the page: this box says why the page did not change, and where to fix
// it. The next good save reloads the page without it.
// With the editor (`sopgen serve` starts it unless --no-editor), an SOP or role page gets an Edit
// button and the home page New SOP and New role buttons: links to the editor's own page, which
// holds the editor's token (this page never does).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var top = new URL("../../", script.src);  // this file is assets/sopgen/serve.js
  var status = new URL("sopgen-status.json", top);

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

  function button(text, href) {
    var link = document.createElement("a");
    link.className = "md-button md-button--primary sopgen-edit";
    link.textContent = text;
    link.href = href;
    return link;
  }

  function buttons(editor) {
    // the editor answers this computer only: from another one (serve -a 0.0.0.0) its buttons would lead nowhere
    if (["127.0.0.1", "localhost", "[::1]"].indexOf(window.location.hostname) < 0) return;
    var here = window.location.pathname;
    if (here.indexOf(top.pathname) !== 0) return;
    var address = decodeURI(here.slice(top.pathname.length)).replace(/index\.html$/, "");
    var back = "&back=" + encodeURIComponent(here);
    var shown = [];
    var source = editor.pages[address];
    if (source) shown.push(button(say("edit"), new URL("edit?path=" + encodeURIComponent(source) + back, editor.url)));
    if (address === "") {
      shown.push(button(say("new_sop"), new URL("new?kind=task" + back, editor.url)));
      shown.push(button(say("new_role"), new URL("new?kind=role" + back, editor.url)));
    }
    if (!shown.length) return;
    var bar = document.createElement("p");
    bar.className = "sopgen-editor-buttons";
    shown.forEach(function (link) { bar.appendChild(link); bar.appendChild(document.createTextNode(" ")); });
    var content = document.querySelector(".md-content__inner") || document.body;
    var heading = content.querySelector("h1");
    if (heading) heading.insertAdjacentElement("afterend", bar); else content.insertBefore(bar, content.firstChild);
  }

  fetch(status, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) return;
      if (data.problems && data.problems.length) show(data.problems);
      if (data.editor && data.editor.url && data.editor.pages) buttons(data.editor);
    })
    .catch(function () { /* not served by sopgen serve: nothing to say */ });
})();
