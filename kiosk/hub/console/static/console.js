// Asks before a button marked data-confirm submits its form (revoke, withdraw, disable).
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var text = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (text && !window.confirm(text)) { event.preventDefault(); }
});
