// Progressive enhancement only: every page works without this script.
(function () {
  // The demo IdP's answer page posts itself back to the service.
  var post = document.getElementById("saml-post");
  if (post) { post.submit(); }
  // Move focus to the error summary so that screen reader users hear it first.
  var summary = document.getElementById("riepilogo-errori");
  if (summary) { summary.focus(); }
})();
