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
  function answer(form, name) {
    var hidden = "";
    var inputs = form.querySelectorAll("[name]");
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.name !== name) { continue; }
      if (el.type === "hidden") { hidden = el.value; }
      else if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { return el.value; }
      } else if (el.type !== "file" && el.value.trim() !== "") {
        return el.value.trim();
      }
    }
    // A verified answer (shown read-only) travels in a hidden input.
    return hidden;
  }
  function applies(block) {
    var value = answer(block.closest("form"), block.dataset.controller);
    var values = block.dataset.values === "" ? [] : block.dataset.values.split("\n");
    var test;
    if (value === "") { test = block.dataset.whenEmpty === "true"; }
    else { test = values.length === 0 || values.indexOf(value) !== -1; }
    return block.dataset.negate === "true" ? !test : test;
  }
  function update() {
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      // An enclosing block that is hidden hides this one too.
      block.hidden = !applies(block);
      var note = block.querySelector(".conditional-note");
      if (note) { note.hidden = true; }
    }
  }
  document.addEventListener("change", update);
  document.addEventListener("input", update);
  update();
})();
