/* sopgen: tick-off checklists, onboarding progress and quizzes, in the reader's browser.
 *
 * Ticks are kept in localStorage, per page and per checklist; nothing leaves the
 * browser. Works with Material's instant navigation (document$) and without it.
 */
(function () {
  "use strict";

  var PREFIX = "sopgen:";

  function storageKey(kind, index) {
    return PREFIX + kind + ":" + window.location.pathname + ":" + index;
  }

  function load(key) {
    try {
      return JSON.parse(window.localStorage.getItem(key) || "[]");
    } catch (e) {
      return [];
    }
  }

  function save(key, ticked) {
    try {
      if (ticked.some(Boolean)) {
        window.localStorage.setItem(key, JSON.stringify(ticked));
      } else {
        window.localStorage.removeItem(key);
      }
    } catch (e) { /* private mode or full storage: ticks last until the page closes */ }
  }

  function text(node) {
    return (node.textContent || "").replace(/\s+/g, " ").trim();
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  /* Make the task-list boxes inside `container` tickable; returns them. */
  function boxes(container) {
    var found = Array.prototype.slice.call(container.querySelectorAll(".task-list-item input[type=checkbox]"));
    found.forEach(function (box) {
      box.disabled = false;
      box.removeAttribute("disabled");
      var item = box.closest(".task-list-item");
      if (item && !box.getAttribute("aria-label")) box.setAttribute("aria-label", text(item));
    });
    return found;
  }

  /* A group of boxes that remember their ticks and count them. */
  function trackable(container, key, unit, onChange) {
    var list = boxes(container);
    if (!list.length) return null;
    var progress = element("p", "sopgen-progress");
    progress.setAttribute("aria-live", "polite");
    var stored = load(key);
    list.forEach(function (box, i) { box.checked = Boolean(stored[i]); });

    function update(persist) {
      var ticked = list.map(function (box) { return box.checked; });
      var done = ticked.filter(Boolean).length;
      progress.textContent = done + " of " + list.length + " " + unit;
      progress.classList.toggle("sopgen-progress--complete", done === list.length);
      if (persist) save(key, ticked);
      if (onChange) onChange();
    }

    list.forEach(function (box) {
      box.addEventListener("change", function () { update(true); });
    });
    return { boxes: list, progress: progress, update: update };
  }

  function initChecklists() {
    var containers = document.querySelectorAll(".sopgen-checklist");
    Array.prototype.forEach.call(containers, function (container, index) {
      if (container.dataset.sopgenReady) return;
      container.dataset.sopgenReady = "1";
      var group = trackable(container, storageKey("checklist", index), "done");
      if (!group) return;
      var bar = element("div", "sopgen-toolbar");
      var reset = element("button", "sopgen-reset md-button", "Reset");
      reset.type = "button";
      reset.setAttribute("aria-label", "Reset this checklist");
      reset.addEventListener("click", function () {
        group.boxes.forEach(function (box) { box.checked = false; });
        group.update(true);
      });
      bar.appendChild(group.progress);
      bar.appendChild(reset);
      var list = container.querySelector("ul.task-list");
      list.parentNode.insertBefore(bar, list);
      group.update(false);
    });
  }

  function initOnboarding() {
    var timeline = document.querySelector(".sopgen-timeline");
    if (!timeline || timeline.dataset.sopgenReady) return;
    timeline.dataset.sopgenReady = "1";
    var overall = element("p", "sopgen-progress sopgen-progress--overall");
    overall.setAttribute("aria-live", "polite");
    var groups = [];

    function total() {
      var done = 0, all = 0;
      groups.forEach(function (g) {
        all += g.boxes.length;
        done += g.boxes.filter(function (b) { return b.checked; }).length;
      });
      overall.textContent = done + " of " + all + " goals";
      overall.classList.toggle("sopgen-progress--complete", all > 0 && done === all);
    }

    Array.prototype.forEach.call(timeline.querySelectorAll(".sopgen-phase"), function (phase, index) {
      var group = trackable(phase, storageKey("onboarding", index), "goals", total);
      if (!group) return;
      var list = phase.querySelector("ul.task-list");
      list.parentNode.insertBefore(group.progress, list);
      groups.push(group);
      group.update(false);
    });
    if (groups.length) {
      timeline.parentNode.insertBefore(overall, timeline);
      total();
    }
  }

  function initQuizzes() {
    Array.prototype.forEach.call(document.querySelectorAll("form.sopgen-quiz"), function (form) {
      if (form.dataset.sopgenReady) return;
      form.dataset.sopgenReady = "1";
      form.classList.add("sopgen-quiz--live");
      var questions = Array.prototype.slice.call(form.querySelectorAll("fieldset.sopgen-quiz-question"));
      var score = form.querySelector(".sopgen-quiz-score");
      var reset = form.querySelector(".sopgen-quiz-reset");

      function clear() {
        questions.forEach(function (q) {
          q.classList.remove("is-right", "is-wrong");
          Array.prototype.forEach.call(q.querySelectorAll("label"), function (l) {
            l.classList.remove("is-answer", "is-chosen");
          });
          var feedback = q.querySelector(".sopgen-quiz-feedback");
          if (feedback) feedback.remove();
        });
        score.textContent = "";
      }

      form.addEventListener("submit", function (event) {
        event.preventDefault();
        clear();
        var right = 0;
        questions.forEach(function (q) {
          var answer = q.getAttribute("data-answer");
          var chosen = q.querySelector("input[type=radio]:checked");
          var correct = q.querySelector('input[type=radio][value="' + answer + '"]');
          var correctLabel = correct && correct.closest("label");
          if (correctLabel) correctLabel.classList.add("is-answer");
          if (chosen) chosen.closest("label").classList.add("is-chosen");
          var ok = chosen && chosen.value === answer;
          q.classList.add(ok ? "is-right" : "is-wrong");
          var feedback = element("p", "sopgen-quiz-feedback");
          feedback.textContent = ok ? "Right." : "Not quite: the answer is " + (correctLabel ? text(correctLabel) : "?") + ".";
          q.appendChild(feedback);
          if (ok) right += 1;
        });
        score.textContent = "Score: " + right + " of " + questions.length;
        if (reset) reset.hidden = false;
      });

      if (reset) {
        reset.hidden = true;
        reset.addEventListener("click", function () {
          form.reset();
          clear();
          reset.hidden = true;
          var first = form.querySelector("input[type=radio]");
          if (first) first.focus();
        });
      }
    });
  }

  /* Name the theme's landmarks and dialogs that have no accessible name. */
  function initAccessibility() {
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && !search.getAttribute("aria-label")) search.setAttribute("aria-label", "Search");
  }

  function init() {
    initAccessibility();
    initChecklists();
    initOnboarding();
    initQuizzes();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  /* Material: every page, instant navigation included */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
