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

  // -- the schema, shaped for the form ---------------------------------------------------------

  // `sopgen schema` says "text or nothing" as anyOf [text, null]; the form shows a text field that
  // may stay empty (an empty field is left out of the file), Markdown as a text area, an image as
  // a list of the pictures in sops/media/, and a quiz's right answer as one of its choices.
  function shaped(node, name) {
    if (Array.isArray(node)) return node.map(function (n) { return shaped(n); });
    if (!node || typeof node !== "object") return node;
    while (node.anyOf) {  // nested too: frequency is "one of these words, or text of this pattern, or nothing"
      var kept = node.anyOf.filter(function (s) { return s.type !== "null"; });
      if (kept.length > 1 && kept.every(function (s) { return s.type === "string"; })) kept = [{type: "string"}];
      if (kept.length !== 1) break;
      var one = Object.assign({}, kept[0]);
      Object.keys(node).forEach(function (k) { if (k !== "anyOf") one[k] = node[k]; });
      node = one;
    }
    var out = {};
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if (key === "$schema" || key === "$defs" || key === "default") return;  // a default is sopgen's to apply, not the file's
      if (key === "$ref") out.$ref = value.replace("#/$defs/", "#/definitions/");
      else if (key === "description" || key === "title") out[key] = escaped(value);  // the library shows them as HTML
      else if (key === "properties") {
        out.properties = {};
        Object.keys(value).forEach(function (p) { out.properties[p] = named(shaped(value[p], p), p); });
      } else out[key] = shaped(value);
    });
    if (out.anyOf) {  // a choice the form offers by its titles: "rate" is one amount, or a range
      out.anyOf = out.anyOf.filter(function (option) { return option.type !== "null"; }).map(function (option) {
        var props = Object.keys(option.properties || {});
        var title = option.title || (option.type === "object" && props.join() === "min,max" ? "A range (min to max)"
          : {number: "One amount", integer: "One number", string: "Text", boolean: "Yes or no",
             object: "Several fields", array: "A list"}[option.type]);
        return Object.assign({}, option, {title: title});
      });
    }
    if (out.contentMediaType === "text/markdown") out.format = "textarea";
    if (out.properties) {
      // every field that may be left empty is shown (an empty one is left out of the file); a number
      // or a yes/no the file does not have yet is added with "More fields", so that none is written unasked
      var required = out.required || [];
      Object.keys(out.properties).forEach(function (p) {
        var field = out.properties[p];
        if (required.indexOf(p) >= 0 || ["string", "array", "object"].indexOf(field.type) < 0) return;
        if (field.enum && field.enum.indexOf("") < 0) {
          field.enum = [""].concat(field.enum);
          field.options = Object.assign({enum_titles: ["(none)"].concat(field.enum.slice(1))}, field.options);
        }
        required = required.concat([p]);
      });
      out.required = required;
    }
    if (name === "image" && out.type === "string") {
      out.enum = [""].concat(images);
      out.options = {enum_titles: ["(no picture)"].concat(images)};
    }
    return out;
  }

  // A field's title where the schema has none ("review_every" reads "Review every"), and the items of a
  // list of texts titled by what they are ("Responsibility 2", not "item 2")
  function named(field, key) {
    if (!field.title) field.title = key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, " ");
    if (field.type === "array" && field.items && !field.items.$ref && !field.items.title) {
      var one = field.title.replace(/ies$/, "y").replace(/([^s])s$/, "$1");
      field.items = Object.assign({}, field.items, {title: one});
    }
    return field;
  }

  function escaped(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function formSchema(raw) {
    var root = shaped(raw);
    root.definitions = {};
    Object.keys(raw.$defs || {}).forEach(function (d) { root.definitions[d] = shaped(raw.$defs[d]); });
    Object.keys(root.definitions).forEach(function (d) {  // "QuizQuestion" reads "Quiz question" on its buttons
      delete root.definitions[d].description;  // said once, by the list that holds them ("Steps: ...")
      root.definitions[d].title = d.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/ ([A-Z])/g, function (m) { return m.toLowerCase(); });
    });
    var step = root.definitions.Step;
    if (step) step.headerTemplate = "Step {{i1}}";
    var quiz = root.definitions.QuizQuestion;
    if (quiz) {
      quiz.id = "sopgen-question";
      quiz.headerTemplate = "Question {{i1}}";
      quiz.properties.answer = Object.assign({}, quiz.properties.answer, {
        title: "Right answer", description: "Click the right answer among the choices above.",
        watch: {choices: "sopgen-question.choices"},
        enumSource: [{source: "choices", title: "{{item}}", value: "{{i}}"}]});
    }
    root.title = NOUN.charAt(0).toUpperCase() + NOUN.slice(1);
    root.options = {disable_collapse: true};
    return root;
  }

  function imagesIn(value) {
    var found = [];
    (function walk(v) {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") Object.keys(v).forEach(function (k) {
        if (k === "image" && typeof v[k] === "string" && v[k]) found.push(v[k]); else walk(v[k]);
      });
    })(value);
    return found;
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
    images = Array.from(new Set(images.concat(imagesIn(value)))).sort();
    var scroll = window.scrollY;
    if (editor) editor.destroy();
    editor = new window.JSONEditor($("form"), {
      schema: formSchema(schema), startval: value, theme: "html", iconlib: null,
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
    var mine = ++asked;
    api("POST", "/api/validate", {path: currentPath(), data: formData()}).then(function (answer) {
      if (mine !== asked) return;  // an older answer: a newer question is on its way
      if (answer.status !== 200) {
        problems = [{severity: "error", message: answer.data.error || "the form could not be checked", pointer: ""}];
      } else problems = answer.data.problems;
      if (MODE === "new") problems = idProblems().concat(problems);
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

  function fieldOf(pointer) {
    // "/steps/2/do" is the form's "root.steps.2.do"; a field the form does not show is told at its nearest parent
    var parts = pointer.split("/").slice(1).map(function (p) { return p.replace(/~1/g, "/").replace(/~0/g, "~"); });
    while (parts.length) {
      var box = document.querySelector('[data-schemapath="' + ["root"].concat(parts).join(".").replace(/"/g, '\\"') + '"]');
      if (box) return box;
      parts.pop();
    }
    return document.querySelector('[data-schemapath="root"]');
  }

  // steps[1].steps[0].video → "Step 2.1, Video": where the problem is, in the form's words
  function where(field) {
    var said = [];
    field.split(".").forEach(function (part) {
      var m = /^([^\[]+)((?:\[\d+\])*)$/.exec(part);
      if (!m) { said.push(part); return; }
      var numbers = (m[2].match(/\d+/g) || []).map(function (n) { return +n + 1; }).join(".");
      if (m[1] === "steps" && numbers && /^Step [\d.]+$/.test(said[said.length - 1] || "")) {
        said[said.length - 1] += "." + numbers;  // a sub-step: "Step 2.1"
        return;
      }
      var name = m[1] === "steps" ? "Step" : m[1] === "quiz" ? "Question"
        : m[1].charAt(0).toUpperCase() + m[1].slice(1).replace(/_/g, " ");
      said.push(numbers ? name + " " + numbers : name);
    });
    return said.join(", ");
  }

  function label(problem) {
    return (problem.field ? where(problem.field) + ": " : "") + problem.message;
  }

  function show() {
    document.querySelectorAll(".sopgen-problem").forEach(function (n) { n.remove(); });
    document.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
    var box = $("summary");
    box.textContent = "";
    var errors = problems.filter(function (p) { return p.severity === "error"; });
    var warnings = problems.filter(function (p) { return p.severity !== "error"; });
    if (!problems.length) { box.hidden = true; updateSave(); return; }
    box.hidden = false;
    box.className = "summary " + (errors.length ? "has-errors" : "has-warnings");
    var head = document.createElement("p");
    head.className = "summary-title";
    head.textContent = errors.length
      ? (MODE === "new" ? "To fill in or fix before saving: " : "To fix before saving: ") + errors.length + (errors.length === 1 ? " problem" : " problems")
        + (warnings.length ? " (and " + warnings.length + " warning" + (warnings.length === 1 ? ")" : "s)") : "")
      : warnings.length + (warnings.length === 1 ? " warning" : " warnings") + " (you can save)";
    box.appendChild(head);
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.className = problem.severity === "error" ? "error" : "warning";
      var target = problem.id ? $("new-file") : fieldOf(problem.pointer || "");
      var link = document.createElement("a");
      link.href = "#";
      link.textContent = label(problem);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (target) {
          target.scrollIntoView({block: "center"});
          var input = target.querySelector("input, textarea, select");
          if (input) input.focus();
        }
      });
      item.appendChild(link);
      list.appendChild(item);
      if (target) atField(target, problem);
    });
    box.appendChild(list);
    updateSave();
  }

  function atField(target, problem) {
    var note = document.createElement("p");
    note.className = "sopgen-problem " + (problem.severity === "error" ? "error" : "warning");
    note.textContent = (problem.severity === "error" ? "" : "Warning: ") + problem.message;
    var input = target.querySelector(":scope > * > input, :scope > * > textarea, :scope > * > select, :scope > input, :scope > textarea, :scope > select");
    if (input) {
      if (problem.severity === "error") input.setAttribute("aria-invalid", "true");
      input.insertAdjacentElement("afterend", note);
    } else {
      var head = target.querySelector(":scope > h3, :scope > span > h3, :scope > label, :scope > .je-header");
      if (head) head.insertAdjacentElement("afterend", note); else target.insertBefore(note, target.firstChild);
    }
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
