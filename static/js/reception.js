// 安排接待日: show the picker of the chosen 轮值方式 only (groups in turn, or named deputies with a number a day).
// Without this script both pickers stay visible and the server still says which one counts.
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[name='rotation']");
  if (!radios.length) return;
  function wrapper(name) {  // crispy's <div id="div_id_<name>">, around the field and its picker
    var div = document.getElementById("div_id_" + name);
    if (div) return div;
    var field = document.querySelector("[name='" + name + "']");
    return field ? field.closest(".mb-3") || field.parentElement : null;
  }
  var parts = { groups: [wrapper("groups")], deputies: [wrapper("deputies"), wrapper("per_day")] };
  function apply() {
    var chosen = document.querySelector("input[name='rotation']:checked");
    var value = chosen ? chosen.value : "groups";
    Object.keys(parts).forEach(function (key) {
      parts[key].forEach(function (el) { if (el) el.hidden = key !== value; });
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", apply); });
  apply();
})();
