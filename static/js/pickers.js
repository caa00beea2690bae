// Searchable multi-selects (presidium.widgets.SearchableSelectMultiple), on top of Tom Select.
// Options carry data-pinyin ("zhangsan") and data-initials ("zs") computed by the server, so typing
// 张, zs or zhangsan finds 张三. A click toggles an option (no Ctrl); chips have a remove button.
(function () {
  "use strict";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML;
  }

  function excludeFrom(select, picker) {
    var source = document.getElementById(select.getAttribute("data-picker-exclude-from"));
    if (!source) { return; }
    var excluded = null;
    function apply() {
      if (excluded !== null && picker.options[excluded]) {
        picker.updateOption(excluded, Object.assign({}, picker.options[excluded], { disabled: false }));
      }
      excluded = source.value || null;
      if (excluded !== null && picker.options[excluded]) {
        picker.removeItem(excluded, true);
        picker.updateOption(excluded, Object.assign({}, picker.options[excluded], { disabled: true }));
      }
      picker.refreshOptions(false);
    }
    source.addEventListener("change", apply);
    apply();
  }

  function init(root) {
    if (!window.TomSelect) { return; }
    (root || document).querySelectorAll("select[data-picker]").forEach(function (select) {
      if (select.tomselect) { return; }
      var picker = new window.TomSelect(select, {
        plugins: {
          remove_button: { title: select.getAttribute("data-picker-remove") || "" },
          checkbox_options: {}
        },
        searchField: ["text", "pinyin", "initials"],
        maxOptions: null,
        closeAfterSelect: false,
        hidePlaceholder: false,
        placeholder: select.getAttribute("data-picker-placeholder") || "",
        render: {
          no_results: function () {
            return '<div class="no-results">' + escapeHtml(select.getAttribute("data-picker-empty")) + "</div>";
          }
        },
        onItemAdd: function () { this.setTextboxValue(""); this.refreshOptions(false); }
      });
      picker.wrapper.setAttribute("data-testid", "picker-" + (select.name || select.id));
      if (select.hasAttribute("data-picker-exclude-from")) { excludeFrom(select, picker); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
