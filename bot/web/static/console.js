// Linli console: confirmations before irreversible actions and live character counters.
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { ev.preventDefault(); }
  }, true);

  function counter(area) {
    var limit = parseInt(area.getAttribute("data-maxchars"), 10);
    var out = document.createElement("div");
    out.className = "char-count small";
    area.insertAdjacentElement("afterend", out);
    function update() {
      var n = Array.from(area.value.replace(/\r\n/g, "\n")).length;
      out.textContent = "已输入 " + n + " 字，上限约 " + limit + " 字" + (n > limit ? "，超出 " + (n - limit) + " 字，请删减" : "");
      out.classList.toggle("over", n > limit);
    }
    area.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("textarea[data-maxchars]").forEach(counter);
})();
