// The visit form: add opinion rows from the formset's empty form; keep 人数 ≥ 户数. No inline script (CSP).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-opinion]");
    if (!button) { return; }
    var prefix = button.getAttribute("data-prefix");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById("opinion-template");
    var list = document.getElementById("opinion-list");
    if (!total || !template || !list) { return; }
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) { return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var card = holder.firstElementChild;
    list.appendChild(card);
    total.value = String(index + 1);
    var textarea = card.querySelector("textarea");
    if (textarea) { textarea.focus(); }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.name !== "households") { return; }
    var people = el.form && el.form.elements.namedItem("people");
    var households = parseInt(el.value, 10);
    if (people && !isNaN(households) && parseInt(people.value || "0", 10) < households) {
      people.value = String(households);
    }
  });
})();
