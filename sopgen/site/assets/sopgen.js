/* sopgen: tick-off checklists, onboarding progress and quizzes, in the reader's browser.
 *
 * Ticks are kept in localStorage; nothing leaves the browser. They are stored by SOP (and by
 * role, for onboarding goals) and by each item's key, which the page gives (see sopgen/core/ticks.py):
 * never by page or position, so an SOP's ticks are the same on its page and on its role's
 * checklists, and a step inserted above a ticked one moves no tick. A checklist with a period
 * (a daily SOP: a day) starts empty in each new one, by the reader's local clock.
 * Works with Material's instant navigation (document$) and without it.
 * Its words are the site's interface language: assets/sopgen/messages.js, made by the build from
 * sopgen's catalogs (sopgen/site/messages.py), sets window.sopgenMessages before this runs.
 */
(function () {
  "use strict";

  var PREFIX = "sopgen:";
  var VERSION = "v2";  /* v1 (no version in the key) stored ticks by page and position: dropped */

  /* The site's own address, from this script's: two handbooks on one host keep apart. A
     translation (/es/) says its handbook's root is one folder up (messages.js): its ticks are
     those of the same SOP in every language. */
  var script = document.currentScript && document.currentScript.src;
  var SITE = script ? new URL(window.sopgenRoot || "../..", script).pathname : "/";

  /* The message `key` in the site's language, its %(name)s placeholders filled from `values`. */
  function say(key, values) {
    var message = (window.sopgenMessages || {})[key] || key;
    return message.replace(/%\((\w+)\)s/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  function storeKey(store) {
    return PREFIX + VERSION + ":" + SITE + ":" + store;
  }

  function dropOldTicks() {
    try {
      var old = [];
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0 && key.indexOf(PREFIX + VERSION + ":") !== 0) old.push(key);
      }
      old.forEach(function (key) { window.localStorage.removeItem(key); });
    } catch (e) { /* no storage */ }
  }

  /* The current period of a checklist, in local time: "day", "week" (from Monday) or "month",
     with ":N" for every N of them; "" (no period) for ticks kept until Reset. */
  function periodNow(spec) {
    if (!spec) return "";
    var parts = spec.split(":");
    var unit = parts[0], every = Math.max(1, parseInt(parts[1] || "1", 10) || 1);
    var now = new Date();
    var y = now.getFullYear(), m = now.getMonth();
    var day = Math.round(Date.UTC(y, m, now.getDate()) / 86400000);  /* the local date, as a day number */
    var count;
    if (unit === "day") count = day;
    else if (unit === "week") count = Math.floor((day - 4) / 7);  /* day 4, 1970-01-05, was a Monday */
    else if (unit === "month") count = y * 12 + m;
    else return "";
    return spec + "@" + Math.floor(count / every);
  }

  /* The ticked keys of a store in the current period. */
  function load(store, period) {
    try {
      var data = JSON.parse(window.localStorage.getItem(storeKey(store)) || "null");
      if (data && data.period === period && Array.isArray(data.ticked)) return data.ticked;
    } catch (e) { /* unreadable: nothing ticked */ }
    return [];
  }

  /* Record the boxes of one list (`keys`, `ticked`) in a store that other lists share. */
  function save(store, period, keys, ticked) {
    try {
      var own = {};
      keys.forEach(function (key) { own[key] = true; });
      var kept = load(store, period).filter(function (key) { return !own[key]; });
      keys.forEach(function (key, i) { if (ticked[i]) kept.push(key); });
      if (kept.length) {
        window.localStorage.setItem(storeKey(store), JSON.stringify({period: period, ticked: kept}));
      } else {
        window.localStorage.removeItem(storeKey(store));
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

  var live = [];  /* the lists on the page, to bring up to date when the period turns */

  /* A group of boxes that remember their ticks and count them. Without the page's keys (a
     template made for an older sopgen), each item is known by its text, in a store of the page. */
  function trackable(container, unit, onChange) {
    var list = boxes(container);
    if (!list.length) return null;
    var keys = (container.getAttribute("data-sopgen-keys") || "").split(" ").filter(Boolean);
    var store = container.getAttribute("data-sopgen-ticks");
    if (!store || keys.length !== list.length) {
      store = "page:" + window.location.pathname;
      keys = list.map(function (box) { return text(box.closest(".task-list-item") || box); });
    }
    var spec = container.getAttribute("data-sopgen-period") || "";
    var progress = element("p", "sopgen-progress");
    progress.setAttribute("aria-live", "polite");
    var group = {container: container, boxes: list, progress: progress, store: store, period: periodNow(spec)};

    function update(persist) {
      var ticked = list.map(function (box) { return box.checked; });
      var done = ticked.filter(Boolean).length;
      progress.textContent = say(unit, {done: done, total: list.length});
      progress.classList.toggle("sopgen-progress--complete", done === list.length);
      if (persist) {
        save(store, group.period, keys, ticked);
        live.forEach(function (other) {  /* the same SOP twice on one page (a custom page) */
          if (other !== group && other.store === store && document.body.contains(other.container)) other.refresh();
        });
      }
      if (onChange) onChange();
    }

    /* Show what is stored for the current period; `except` keeps the box the reader just set. */
    group.refresh = function (except) {
      group.period = periodNow(spec);
      var ticked = load(store, group.period);
      list.forEach(function (box, i) {
        if (box !== except) box.checked = ticked.indexOf(keys[i]) >= 0;
      });
      update(false);
    };
    group.update = update;

    list.forEach(function (box) {
      box.addEventListener("change", function () {
        if (periodNow(spec) !== group.period) group.refresh(box);  /* a page left open overnight */
        update(true);
      });
    });
    group.refresh();
    live.push(group);
    return group;
  }

  /* Other pages and tabs, and the clock, change what a list should show. */
  function refreshAll() {
    live = live.filter(function (group) { return document.body.contains(group.container); });
    live.forEach(function (group) { group.refresh(); });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") refreshAll();
  });
  window.addEventListener("storage", function (event) {
    if (!event.key || event.key.indexOf(PREFIX) === 0) refreshAll();
  });

  function initChecklists() {
    var containers = document.querySelectorAll(".sopgen-checklist");
    Array.prototype.forEach.call(containers, function (container) {
      if (container.dataset.sopgenReady) return;
      container.dataset.sopgenReady = "1";
      var group = trackable(container, "done");
      if (!group) return;
      var bar = element("div", "sopgen-toolbar");
      var reset = element("button", "sopgen-reset md-button", say("reset"));
      reset.type = "button";
      reset.setAttribute("aria-label", say("reset_label"));
      reset.addEventListener("click", function () {
        group.boxes.forEach(function (box) { box.checked = false; });
        group.update(true);
      });
      bar.appendChild(group.progress);
      bar.appendChild(reset);
      var list = container.querySelector("ul.task-list");
      list.parentNode.insertBefore(bar, list);
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
      overall.textContent = say("goals", {done: done, total: all});
      overall.classList.toggle("sopgen-progress--complete", all > 0 && done === all);
    }

    Array.prototype.forEach.call(timeline.querySelectorAll(".sopgen-phase"), function (phase) {
      var group = trackable(phase, "goals", total);
      if (!group) return;
      var list = phase.querySelector("ul.task-list");
      list.parentNode.insertBefore(group.progress, list);
      groups.push(group);
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
          feedback.textContent = ok ? say("right") : say("wrong", {answer: correctLabel ? text(correctLabel) : "?"});
          q.appendChild(feedback);
          if (ok) right += 1;
        });
        score.textContent = say("score", {right: right, total: questions.length});
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
    if (search && !search.getAttribute("aria-label")) search.setAttribute("aria-label", say("search"));
  }

  function init() {
    initAccessibility();
    initChecklists();
    initOnboarding();
    initQuizzes();
  }

  dropOldTicks();  /* once a page load: nothing writes the old keys, so one pass is enough */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  /* Material: every page, instant navigation included */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
