// Show only the details the chosen theme asks for (all are shown without JavaScript).
(function () {
  var form = document.getElementById("mission-form");
  var data = document.getElementById("theme-forms");
  if (!form || !data) { return; }
  var forms = JSON.parse(data.textContent);
  var theme = form.querySelector("[name=theme]");
  function update() {
    var wanted = forms[theme.value] || "general";
    form.querySelectorAll("[data-detail-form]").forEach(function (group) {
      group.hidden = group.dataset.detailForm !== wanted;
    });
  }
  theme.addEventListener("change", update);
  update();
})();
