/*
 * The crisis safety net of the website widget: whether a message matches one of the crisis
 * patterns of data/safety/crisis_patterns.yml (served to the page as /crisis.json), judged as
 * bot/nlu/crisis_patterns.py judges it: white space collapsed, curly apostrophes made straight,
 * letters composed (NFC), the Turkish dotted capital I made a plain i, case ignored. Used when
 * the assistant cannot be reached, so that a patient in crisis still gets the crisis resources.
 * Loaded before widget.js; also loadable in Node for the tests.
 */
(function (root) {
  "use strict";

  function normalise(text) {
    var composed = String(text).normalize("NFC").replace(/\u0130/g, "i");
    return composed.replace(/[\u2018\u2019]/g, "'").split(/\s+/).filter(Boolean).join(" ");
  }

  // Each pattern on its own: a browser without some syntax (look-behind before Safari 16.4)
  // skips that pattern and keeps the others, rather than losing the whole safety net.
  function compile(patterns) {
    return patterns.map(function (source) {
      try {
        return new RegExp(source, "i");
      } catch (error) {
        if (typeof console === "object") console.error("KAP widget: crisis pattern skipped:", error.message);
        return null;
      }
    }).filter(Boolean);
  }

  function matches(compiled, text) {
    var flat = normalise(text);
    return compiled.some(function (pattern) { return pattern.test(flat); });
  }

  var api = { compile: compile, matches: matches };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.KapCrisis = api;
})(this);
