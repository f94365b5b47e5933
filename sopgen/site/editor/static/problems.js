// The form of sopgen's editor, its messages: sopgen's problems shown at the fields they point at
// (a JSON pointer, /steps/1/steps/0/video, is the form's root.steps.1.steps.0.video) and in a list,
// each named in the form's words (Step 2.1, Video). Used by editor.js.
(function () {
  "use strict";

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

  // The problems sopgen's validator found: a list at the top (each a link to its field), and each
  // message again under the field it is about. `where.fileName` is the new file's name box, if any.
  function show(problems, box, where) {
    document.querySelectorAll(".sopgen-problem").forEach(function (n) { n.remove(); });
    document.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
    box.textContent = "";
    var errors = problems.filter(function (p) { return p.severity === "error"; });
    var warnings = problems.filter(function (p) { return p.severity !== "error"; });
    if (!problems.length) { box.hidden = true; return; }
    box.hidden = false;
    box.className = "summary " + (errors.length ? "has-errors" : "has-warnings");
    var head = document.createElement("p");
    head.className = "summary-title";
    head.textContent = errors.length
      ? (where.fresh ? "To fill in or fix before saving: " : "To fix before saving: ") + errors.length + (errors.length === 1 ? " problem" : " problems")
        + (warnings.length ? " (and " + warnings.length + " warning" + (warnings.length === 1 ? ")" : "s)") : "")
      : warnings.length + (warnings.length === 1 ? " warning" : " warnings") + " (you can save)";
    box.appendChild(head);
    var list = document.createElement("ul");
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.className = problem.severity === "error" ? "error" : "warning";
      var target = problem.id ? where.fileName : fieldOf(problem.pointer || "");
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

  window.SopgenProblems = {show: show, where: where};
})();
