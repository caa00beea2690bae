// The petition register form (信访登记). No inline script (CSP): behaviour hangs off data- attributes.
//
// <form data-petition-form data-channel-fields="ID-of-json_script">: the JSON maps a field name to the
// channels it belongs to ({"referral_body": ["referred"], ...}); its row (crispy's #div_id_<name>) is shown
// only for those channels. [data-shown-when="is_collective"] blocks show while that checkbox is ticked,
// [data-hidden-when="is_anonymous"] rows hide while it is. Without this script every field stays visible and
// the form still posts; the server ignores what does not belong to the channel.
(function () {
  "use strict";

  function checked(form, name) {
    var box = form.querySelector("[name=" + name + "]");
    return !!(box && box.checked);
  }

  function apply(form) {
    var source = document.getElementById(form.getAttribute("data-channel-fields") || "");
    var map = source ? JSON.parse(source.textContent) : {};
    var channel = form.querySelector("[name=channel]");
    var value = channel ? channel.value : "";
    Object.keys(map).forEach(function (field) {
      var row = form.querySelector("#div_id_" + field);
      if (row) { row.hidden = map[field].indexOf(value) === -1; }
    });
    form.querySelectorAll("[data-shown-when]").forEach(function (el) {
      el.hidden = !checked(form, el.getAttribute("data-shown-when"));
    });
    form.querySelectorAll("[data-hidden-when]").forEach(function (el) {
      el.hidden = checked(form, el.getAttribute("data-hidden-when"));
    });
  }

  function applyAll() {
    document.querySelectorAll("form[data-petition-form]").forEach(apply);
  }

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-petition-form")) { apply(form); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    applyAll();
    // upload.js puts a returned form (with errors) in place of #main: set it up again.
    var main = document.getElementById("main");
    var parent = (main && main.parentNode) || document.body;
    new MutationObserver(applyAll).observe(parent, { childList: true });
  });

  // "作为重复信访关联": a repeat candidate's button fills the hidden repeat_of field and says so.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-link-repeat]");
    if (!button) { return; }
    var form = button.closest("form") || document.querySelector("form[data-petition-form]");
    var field = form && form.querySelector("[name=repeat_of]");
    if (!field) { return; }
    event.preventDefault();
    field.value = button.getAttribute("data-link-repeat");
    var label = document.querySelector("[data-repeat-chosen]");
    if (label) {
      label.textContent = button.getAttribute("data-link-label") || "";
      label.hidden = false;
    }
    document.querySelectorAll("[data-link-repeat]").forEach(function (other) {
      other.classList.toggle("active", other === button);
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    });
  });
})();
