// The attendance form: the leave-reason box shows only for "请假"; one button marks the unrecorded present.
(function () {
  "use strict";
  var form = document.querySelector("[data-attendance-form]");
  if (!form) { return; }
  function sync(row) {
    var box = row.querySelector("[data-leave-reason]");
    var checked = row.querySelector("input[type=radio]:checked");
    if (box) { box.classList.toggle("d-none", !(checked && checked.value === "leave")); }
  }
  var rows = form.querySelectorAll(".attendance-row");
  rows.forEach(function (row) {
    sync(row);
    row.addEventListener("change", function () { sync(row); });
  });
  var all = form.querySelector("[data-mark-all]");
  if (all) {
    all.addEventListener("click", function () {
      rows.forEach(function (row) {
        var checked = row.querySelector("input[type=radio]:checked");
        var target = row.querySelector("input[type=radio][value=" + all.getAttribute("data-mark-all") + "]");
        if (target && (!checked || checked.value === "invited")) { target.checked = true; sync(row); }
      });
    });
  }
})();
