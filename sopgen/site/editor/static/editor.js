// The form of sopgen's editor: one source file (an SOP, a role...) as a form made from the JSON
// Schema `sopgen schema` writes, checked as you type by sopgen's own validator, saved back into
// the YAML file by the editor's server (which keeps the file's comments and layout).
// It calls its own server only, with the token of this start (in this page, never in the site's).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="sopgen-editor"]').dataset;
  var TOKEN = meta.token, MODE = meta.mode, KIND = meta.kind, SITE = meta.site, BACK = meta.back;
  var NOUN = {task: "SOP", role: "role", person: "person", organization: "organization"}[KIND];
  var path = MODE === "edit" ? meta.path : "";
  var digest = "";  // of the file as the form read it ("" for a new file)
  var schema = null, images = [], editor = null;
  var problems = [], checked = false, timer = null, asked = 0, saving = false, waiting = false;
  var opened = null;  // the form's data as opened (or last saved): leaving with other data asks first
  var $ = function (id) { return document.getElementById(id); };

  function api(method, url, body, type) {
    var options = {method: method, cache: "no-store", headers: {"X-Sopgen-Token": TOKEN}};
    if (body !== undefined) {
      options.headers["Content-Type"] = type || "application/json";
      options.body = type ? body : JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data || {}}; });
    });
  }

  // -- the form -----------------------------------------------------------------------------------

  // The library strips what looks like HTML from every text it is given (by reading it as HTML):
  // "<kbd>Ctrl</kbd>", "&amp;" or "<https://…>" in a step's Markdown would be changed without a word.
  // The form shows text in text fields only, never as HTML, so text is kept exactly as written.
  function keepText() {
    window.JSONEditor.AbstractEditor.prototype.purify = function (value) { return value; };
  }

  function build(value) {
    keepText();
    images = Array.from(new Set(images.concat(window.SopgenFormSchema.imagesIn(value)))).sort();
    var scroll = window.scrollY;
    if (editor) editor.destroy();
    editor = new window.JSONEditor($("form"), {
      schema: window.SopgenFormSchema.formSchema(schema, NOUN, images), startval: value, theme: "html", iconlib: null,
      disable_edit_json: true, disable_properties: true, disable_array_delete_all_rows: true,
      disable_array_delete_last_row: true, prompt_before_delete: true, show_errors: "never",
      no_additional_properties: true, required_by_default: false, display_required_only: false,
      remove_empty_properties: false, ajax: false,  // use_default_values: false loses numbers (2.17.2)
      array_controls_top: false, keep_oneof_values: false, disable_collapse: true
    });
    editor.on("ready", function () {
      editor.root.showValidationErrors([]);  // the library's own messages, shown once whatever show_errors says
      if (opened === null) opened = JSON.stringify(formData());
      window.scrollTo(0, scroll);
      decorate();
      check();
    });
    editor.on("change", function () { decorate(); later(); });
  }

  // What the library does not draw itself: the right answer of a question as one click among its
  // choices (the library's list of them stays, hidden, and holds the value), and a picture upload
  // beside each picture field.
  function decorate() {
    document.querySelectorAll('[data-schematype="object"][data-schemapath^="root.steps."]').forEach(function (box) {
      var numbers = /^root((?:\.steps\.\d+)+)$/.exec(box.dataset.schemapath);
      var title = box.querySelector(":scope > .je-header > span:last-child");
      if (numbers && title) {  // "Step 2.1": a sub-step says whose it is
        title.textContent = "Step " + numbers[1].match(/\d+/g).map(function (n) { return +n + 1; }).join(".");
      }
    });
    document.querySelectorAll('[data-schemapath$=".answer"]').forEach(function (box) {
      var select = box.querySelector("select");
      if (!select) return;
      var old = box.querySelector(".sopgen-answers");
      if (old) old.remove();
      select.classList.add("sopgen-hidden");
      select.tabIndex = -1;
      select.setAttribute("aria-hidden", "true");
      var group = document.createElement("div");
      group.className = "sopgen-answers";
      group.setAttribute("role", "radiogroup");
      group.setAttribute("aria-label", "Right answer");
      if (!select.options.length) {
        group.textContent = "Write the choices first; then click the right one here.";
      }
      Array.prototype.forEach.call(select.options, function (option, i) {
        var label = document.createElement("label");
        var radio = document.createElement("input");
        radio.type = "radio";
        radio.name = box.dataset.schemapath + ".radio";
        radio.value = option.value;
        radio.checked = select.selectedIndex === i;
        radio.addEventListener("change", function () {
          select.value = option.value;
          select.dispatchEvent(new Event("change"));
        });
        label.appendChild(radio);
        label.appendChild(document.createTextNode(" " + (option.textContent || "(empty choice " + (i + 1) + ")")));
        group.appendChild(label);
      });
      select.insertAdjacentElement("afterend", group);
    });
    document.querySelectorAll('[data-schemapath$=".image"]').forEach(function (box) {
      if (box.querySelector(".sopgen-upload")) return;
      var label = document.createElement("label");
      label.className = "sopgen-upload";
      label.textContent = "Upload a new picture… ";
      var input = document.createElement("input");
      input.type = "file";
      input.accept = "image/png,image/jpeg,image/gif,image/webp,image/svg+xml";
      input.addEventListener("change", function () { if (input.files[0]) upload(input.files[0], box.dataset.schemapath); });
      label.appendChild(input);
      box.appendChild(label);
    });
  }

  function upload(file, where) {
    var name = file.name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[^a-z0-9]+/, "");
    status("Uploading " + file.name + "…");
    api("POST", "/api/media?name=" + encodeURIComponent(name), file, file.type || "application/octet-stream")
      .then(function (answer) {
        if (answer.status !== 201) return status(answer.data.error || "The picture could not be uploaded.", "error");
        var value = editor.getValue();
        images.push(answer.data.path);
        build(value);
    editor.on("ready", function () {
          var field = editor.getEditor(where);
          if (field) field.setValue(answer.data.path);
          status(answer.data.path + " was uploaded into sops/ and chosen for this step.", "ok");
        });
      })
      .catch(function () { status("The editor did not answer: is sopgen serve still running?", "error"); });
  }

  // -- checking as you type -----------------------------------------------------------------------

  function later() {
    clearTimeout(timer);
    checked = false;
    updateSave();
    timer = setTimeout(check, 400);
  }

  // The form shows every field; the file gets those filled in (an empty field is left out, so that a
  // step moved whole is the same step, comments and all).
  function pruned(value) {
    if (Array.isArray(value)) return value.map(pruned);
    if (!value || typeof value !== "object") return value;
    var out = {};
    Object.keys(value).forEach(function (key) {
      var v = pruned(value[key]);
      if (v === "" || v === null || v === undefined || (Array.isArray(v) && !v.length)
          || (typeof v === "object" && !Array.isArray(v) && !Object.keys(v).length)) return;
      out[key] = v;
    });
    return out;
  }

  function formData() { return pruned(editor.getValue()); }

  function currentPath() {
    if (MODE === "edit") return path;
    var id = $("new-id").value.trim();
    return meta.path + "/" + (id || "new") + ".yml";
  }

  function check() {
    if (!editor) return;
    var mine = ++asked, target = currentPath();
    var asks = [api("POST", "/api/validate", {path: target, data: formData()})];
    if (MODE === "new" && !idProblems().length) asks.push(api("GET", "/api/file?path=" + encodeURIComponent(target)));
    Promise.all(asks).then(function (answers) {
      var answer = answers[0];
      if (mine !== asked) return;  // an older answer: a newer question is on its way
      if (answer.status !== 200) {
        problems = [{severity: "error", message: answer.data.error || "the form could not be checked", pointer: ""}];
      } else problems = answer.data.problems;
      if (MODE === "new") problems = idProblems().concat(problems);
      if (answers[1] && answers[1].status !== 404) {  // the file exists: a new one never replaces it
        problems.unshift({severity: "error", pointer: "", id: true, message: target + " exists already: give the new "
          + NOUN + " another file name (to change that one, open its page and click Edit)"});
      }
      answered();
    }).catch(function () {
      problems = [{severity: "error", message: "the editor did not answer: is sopgen serve still running?", pointer: ""}];
      answered();
    });
  }

  function answered() {
    checked = true;
    show();
    if (waiting) {
      waiting = false;
      if (errors().length) status("Not saved: fix the problems listed at the top first.", "error");
      else save();
    }
  }

  function idProblems() {
    var id = $("new-id").value.trim();
    if (!id) return [{severity: "error", message: "give the new " + NOUN + " a file name", pointer: "", id: true}];
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) {
      return [{severity: "error", pointer: "", id: true,
               message: "the file name may hold only small letters, digits and single dashes (open-the-front-desk)"}];
    }
    return [];
  }

  function show() {
    window.SopgenProblems.show(problems, $("summary"), {fresh: MODE === "new", fileName: $("new-file")});
    updateSave();
  }

  function errors() { return problems.filter(function (p) { return p.severity === "error"; }); }

  function updateSave() {
    var button = $("save");
    button.disabled = saving || !editor || errors().length > 0;
    button.title = errors().length ? "Fix the problems listed at the top first" : "";
  }

  // -- saving -------------------------------------------------------------------------------------

  function status(text, kind) {
    var line = $("status");
    line.textContent = text;
    line.className = "status " + (kind || "");
  }

  function save() {
    if ($("save").disabled) return;
    if (!checked) {  // a check of the latest change is on its way: the save follows it, if it finds no error
      waiting = true;
      status("Checking…");
      return;
    }
    saving = true;
    updateSave();
    status("Saving…");
    var target = currentPath();
    var body = {path: target, data: formData(), digest: digest};
    if ($("commit").checked) { body.commit = true; body.message = $("message").value; }
    api("POST", "/api/save", body).then(function (answer) {
      saving = false;
      if (answer.status === 200) return saved(answer.data, target);
      if (answer.status === 409 && "theirs_text" in answer.data) return conflict(answer.data);
      if (answer.status === 409 && "yours" in answer.data) return conflict(answer.data);
      if (answer.data.problems) { problems = answer.data.problems; show(); }
      status(answer.data.error || "Not saved.", "error");
      updateSave();
    }).catch(function () {
      saving = false;
      updateSave();
      status("The editor did not answer, nothing was saved: is sopgen serve still running?", "error");
    });
  }

  function saved(answer, target) {
    digest = answer.digest;
    opened = JSON.stringify(formData());
    var committed = $("commit").checked;
    var note = answer.message + (committed && !answer.committed ? "" : ".");
    status(note + " Opening the page…", committed && !answer.committed ? "warning" : "ok");
    var page = BACK;
    if (MODE === "new") page = BACK.replace(/[^/]*$/, "") + (KIND === "task" ? "sops/" : "roles/")
      + target.split("/").pop().replace(/\.ya?ml$/, "") + "/";
    // serve rebuilds the site when it sees the file change; its live reload then shows the new page
    var wait = committed && !answer.committed ? 4000 : 600;
    setTimeout(function () { window.location.href = SITE + page + "#sopgen-saved"; }, wait);
  }

  function conflict(answer) {
    var box = $("conflict");
    box.hidden = false;
    box.textContent = "";
    var title = document.createElement("h2");
    title.textContent = "Not saved: someone changed this file while you were editing";
    var note = document.createElement("p");
    note.textContent = "Someone (or another program) changed " + currentPath() + " after you opened this form, so "
      + "nothing was saved and their change is safe. Your changes are still in the form below. The lines that "
      + "differ are marked. Reload the form with the file as it is now (your changes are lost), after copying "
      + "what you need from yours.";
    box.appendChild(title);
    box.appendChild(note);
    var both = document.createElement("div");
    both.className = "both";
    [["Yours (not saved)", answer.yours_text || JSON.stringify(answer.yours, null, 2), "yours"],
     ["On disk now", answer.theirs_text == null ? "(the file was deleted)" : answer.theirs_text, "theirs"]]
      .forEach(function (side) {
        var column = document.createElement("figure");
        column.className = side[2];
        var caption = document.createElement("figcaption");
        caption.textContent = side[0];
        var pre = document.createElement("pre");
        var other = (side[2] === "yours" ? answer.theirs_text : answer.yours_text) || "";
        var others = new Set(other.split("\n"));
        side[1].split("\n").forEach(function (line) {
          var span = document.createElement("span");
          span.textContent = line + "\n";
          if (!others.has(line)) span.className = "differs";
          pre.appendChild(span);
        });
        pre.tabIndex = 0;
        column.appendChild(caption);
        column.appendChild(pre);
        both.appendChild(column);
      });
    box.appendChild(both);
    var reload = document.createElement("button");
    reload.type = "button";
    reload.className = "reload";
    reload.textContent = "Reload the form with the version on disk";
    reload.addEventListener("click", function () { box.hidden = true; status(""); opened = null; open(); });
    box.appendChild(reload);
    box.scrollIntoView({block: "start"});
    status("Not saved: the file changed on disk since you opened it (see above).", "error");
    updateSave();
  }

  // -- opening ------------------------------------------------------------------------------------

  function open() {
    var asks = [api("GET", "/api/schema/" + KIND), api("GET", "/api/media")];
    if (MODE === "edit") asks.push(api("GET", "/api/file?path=" + encodeURIComponent(path)));
    Promise.all(asks).then(function (answers) {
      var failed = answers.filter(function (a) { return a.status !== 200; })[0];
      if (failed) {
        $("intro").textContent = failed.data.error || "The form could not be opened.";
        $("intro").className = "intro error";
        (failed.data.problems || []).forEach(function (p) {
          var line = document.createElement("p");
          line.className = "intro error";
          line.textContent = p.text;
          $("intro").appendChild(line);
        });
        return;
      }
      schema = answers[0].data;
      images = answers[1].data.images || [];
      var value = {};
      if (MODE === "edit") { value = answers[2].data.data; digest = answers[2].data.digest; }
      $("intro").textContent = MODE === "edit"
        ? "Change what you need; each field says what it is for. Problems show in red as you type. "
          + "Save writes " + path + " (its comments stay as they are)."
        : "Fill in the new " + NOUN + "; each field says what it is for. Problems show in red as you type. "
          + "Save creates its file under " + meta.path + "/.";
      build(value);
    }).catch(function () {
      $("intro").textContent = "The editor did not answer: is sopgen serve still running?";
    });
  }

  function slug(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
  }

  // The library reads a field when it loses focus; the form checks as you type: a pause in typing
  // hands the field's text to the library as if it had lost focus.
  var typing = null;
  function typed(event) {
    var input = event.target;
    if (!input.closest || !input.closest("#form") || !/^(INPUT|TEXTAREA)$/.test(input.tagName) || input.type === "file") return;
    clearTimeout(typing);
    checked = false;
    updateSave();
    typing = setTimeout(function () { input.dispatchEvent(new Event("change")); }, 300);
  }

  window.addEventListener("beforeunload", function (event) {
    if (editor && opened !== null && JSON.stringify(formData()) !== opened) event.preventDefault();  // unsaved changes
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.addEventListener("input", typed);
    $("back").href = SITE + BACK;
    $("save").addEventListener("click", save);
    $("commit").addEventListener("change", function () { $("message").disabled = !$("commit").checked; });
    if (MODE === "new") {
      var idBox = $("new-id"), touched = false;
      $("new-file").hidden = false;
      idBox.addEventListener("input", function () { touched = true; later(); });
      document.addEventListener("input", function (event) {
        var title = event.target.closest && event.target.closest('[data-schemapath="root.title"]');
        if (title && !touched) { idBox.value = slug(event.target.value); later(); }
      });
    }
    open();
  });
})();
