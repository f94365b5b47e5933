// The form of sopgen's editor, its schema: the JSON Schema that `sopgen schema` writes, shaped for the
// form library (JSON Editor) and for people who do not write YAML. Used by editor.js.
(function () {
  "use strict";
  var images = [];  // the pictures a step may name: those of sops/media/, and those the file names

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

  function formSchema(raw, noun, pictures) {
    images = pictures;
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
    root.title = noun.charAt(0).toUpperCase() + noun.slice(1);
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

  window.SopgenFormSchema = {formSchema: formSchema, imagesIn: imagesIn};
})();
