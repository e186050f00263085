// Progressive enhancement only: every page works without this script.
(function () {
  // The demo IdP's answer page posts itself back to the service.
  var post = document.getElementById("saml-post");
  if (post) { post.submit(); }
  // Move focus to the error summary so that screen reader users hear it first.
  var summary = document.getElementById("riepilogo-errori");
  if (summary) { summary.focus(); }

  // A receipt waiting for its protocol number reloads itself when the number arrives (without
  // the script, the page has a link to do it; an automatic refresh would move a screen reader).
  var poll = document.querySelector("[data-poll]");
  if (poll && window.fetch) {
    var tries = 0;
    var timer = setInterval(function () {
      if (++tries > 200) { clearInterval(timer); return; }
      fetch(poll.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) { if (s && s.protocol) { clearInterval(timer); window.location.reload(); } })
        .catch(function () {});
    }, 3000);
  }

  // Conditional sections: the server renders every block with a note saying when it applies
  // and drops the answers of blocks that do not apply; here we only show the blocks that
  // apply to the answers given so far, and update them as the citizen answers.
  var blocks = document.querySelectorAll(".conditional[data-controller]");
  if (!blocks.length) { return; }
  // The answer to `name` as the server will read it: nothing when its input sits in a block
  // that is hidden (the server drops that answer), `null` when the question is not on this
  // page (another step: the server's decision stands).
  function answer(form, name) {
    var hidden = "";
    var found = false;
    var inputs = form.querySelectorAll("[name]");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.name !== name) { continue; }
      found = true;
      var block = el.closest(".conditional");
      if (block && block.hidden) { continue; }
      if (el.type === "hidden") { hidden = el.value; }
      else if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { return el.value; }
      } else if (el.type !== "file" && el.value.trim() !== "") {
        return el.value.trim();
      }
    }
    // A verified answer (shown read-only) travels in a hidden input.
    return found ? hidden : null;
  }
  function same(a, b) {
    var x = Number(a.replace(",", ".")), y = Number(b.replace(",", "."));
    return a === b || (a.trim() !== "" && b.trim() !== "" && !isNaN(x) && !isNaN(y) && x === y);
  }
  function applies(block) {
    var value = answer(block.closest("form"), block.dataset.controller);
    if (value === null) { return block.dataset.active === "true"; }
    var values = block.dataset.values === "" ? [] : block.dataset.values.split("\n");
    var test;
    if (value === "") { test = block.dataset.whenEmpty === "true"; }
    else { test = values.length === 0 || values.some(function (v) { return same(v, value); }); }
    return block.dataset.negate === "true" ? !test : test;
  }
  function update() {
    // Again until stable: hiding a block empties the answers other blocks may look at.
    for (var pass = 0; pass < 8; pass++) {
      var changed = false;
      for (var i = 0; i < blocks.length; i++) {
        var block = blocks[i];
        var hide = !applies(block);
        if (block.hidden !== hide) { block.hidden = hide; changed = true; }
        var note = block.querySelector(".conditional-note");
        if (note) { note.hidden = true; }
      }
      if (!changed) { break; }
    }
  }
  document.addEventListener("change", update);
  document.addEventListener("input", update);
  update();
})();
