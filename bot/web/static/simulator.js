// Simulator: send messages through /simulator/send and poll /simulator/feed every 2 s.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var chat = document.getElementById("chat"), picker = document.getElementById("identity");
  var who = document.getElementById("who"), input = document.getElementById("text");
  var state = { openId: null, last: 0, timer: null, gen: 0, ready: false };

  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function scroll() { chat.scrollTop = chat.scrollHeight; }
  function bubble(text, mine, meta) {
    var row = el("div", "msg " + (mine ? "me" : "bot")), b = el("div", "b", text);
    row.appendChild(el("div", "avatar", mine ? "我" : "邻里"));
    if (meta) b.appendChild(el("span", "meta", meta));
    row.appendChild(b); chat.appendChild(row); scroll(); return row;
  }
  function push(p) {
    if (p.channel === "template") {
      var c = el("div", "card push"); c.dataset.id = p.id;
      c.appendChild(el("div", "title", "服务通知 · " + p.at));
      c.appendChild(el("div", "body", p.text)); chat.appendChild(c); scroll();
    } else {
      bubble(p.text, false, p.status === "pending" || p.status === "sending" ? "客服消息 · 发送中" : "客服消息 · " + p.at).classList.add("push");
    }
    state.last = Math.max(state.last, p.id);
  }
  function render(item) {
    if (item.kind === "in") bubble(item.text, true);
    else if (item.kind === "reply") bubble(item.text, false);
    else push(item);
  }
  function select(openId, label) {
    state.openId = openId; state.last = 0; state.gen += 1; state.ready = false; chat.innerHTML = "";
    who.textContent = label + "（" + openId + "）";
    var gen = state.gen;
    fetch("/simulator/feed?open_id=" + encodeURIComponent(openId)).then(function (r) { return r.json(); }).then(function (d) {
      if (gen !== state.gen) return;
      if (d.history.length) chat.appendChild(el("div", "time", "—— 以前的消息 ——"));
      d.history.forEach(render); state.last = Math.max(state.last, d.last); state.ready = true;
    });
  }
  function poll() {
    if (!state.openId || !state.ready) return;
    var gen = state.gen;
    fetch("/simulator/feed?open_id=" + encodeURIComponent(state.openId) + "&after=" + state.last)
      .then(function (r) { return r.json(); })
      .then(function (d) { if (gen === state.gen) d.pushes.forEach(push); })
      .catch(function () {});
  }
  function send(payload) {
    return fetch("/simulator/send", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(payload) })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (!d.ok) chat.appendChild(el("div", "sys", d.error || "发送失败"));
        else if (d.reply) bubble(d.reply, false);
        scroll(); poll();
      })
      .catch(function () { chat.appendChild(el("div", "sys", "网络错误，发送失败")); });
  }
  document.getElementById("composer").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value.trim(); if (!text || !state.openId) return;
    input.value = ""; bubble(text, true);
    send({ open_id: state.openId, text: text });
  });
  document.getElementById("subscribe").addEventListener("click", function () {
    if (!state.openId) return;
    chat.appendChild(el("div", "time", "—— 你关注了公众号 ——"));
    send({ open_id: state.openId, event: "subscribe" });
  });
  picker.addEventListener("change", function () { select(picker.value, picker.options[picker.selectedIndex].text); });
  document.getElementById("use-custom").addEventListener("click", function () {
    var v = document.getElementById("custom").value.trim(); if (v) select(v, "自定义用户");
  });
  var params = new URLSearchParams(location.search);
  if (params.get("open_id")) { select(params.get("open_id"), "自定义用户"); }
  else if (picker.value) { select(picker.value, picker.options[picker.selectedIndex].text); }
  state.timer = setInterval(poll, 2000);
})();
