// The scheduling form: the session number only for a congress session, the group only for a group activity.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  if (!kind) { return; }
  function wrapper(name) {
    var field = document.getElementById("div_id_" + name);
    return field;
  }
  function sync() {
    var session = wrapper("session_number");
    var group = wrapper("group");
    if (session) { session.classList.toggle("d-none", kind.value !== "congress_session"); }
    if (group) { group.classList.toggle("d-none", ["group_activity", "inspection", "survey"].indexOf(kind.value) < 0); }
  }
  kind.addEventListener("change", sync);
  sync();
})();
