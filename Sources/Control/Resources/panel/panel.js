// facelive control panel: talks to the JSON API of the server that served it (docs/CONTROL.md).
"use strict";
const $ = (id) => document.getElementById(id);
const sliders = [
  ["opacity", "opacity", 0.01], ["relight", "relight", 0.05], ["grain", "camera grain", 0.05], ["erode", "erode (px)", 1], ["blur", "blur σ (px)", 0.25],
  ["temporal-smoothing", "temporal smoothing", 0.05], ["temporal-reset", "temporal reset", 0.01],
  ["threshold", "detector threshold", 0.01], ["max-faces", "max faces (0 = all)", 1],
  ["detect-every", "detect every N frames", 1],
  ["smooth-min-cutoff", "One-Euro min cutoff", 0.05], ["smooth-beta", "One-Euro beta", 1],
];
const choices = ["color-transfer", "blend", "keep-glasses", "keep-hair", "occlusion"];
let state = null;
let view = "output";
let editing = null;

async function api(method, path, body, headers) {
  const options = { method, headers: headers || {} };
  if (body !== undefined) {
    if (body instanceof Blob) { options.body = body; }
    else { options.body = JSON.stringify(body); options.headers["Content-Type"] = "application/json"; }
  }
  const response = await fetch(path, options);
  const json = await response.json().catch(() => ({}));
  $("error").textContent = response.ok ? (json.warnings || []).join(" ") : (json.error || response.statusText);
  $("error").className = response.ok ? "warning" : "error";
  return response.ok ? json : null;
}

function buildSliders(ranges) {
  const box = $("sliders");
  for (const [name, label, step] of sliders) {
    const [min, max] = ranges[name];
    const upper = name === "smooth-beta" ? 200 : name === "detect-every" ? 60 : name === "erode" ? 32 :
      name === "blur" ? 32 : name === "temporal-reset" ? 1 : name === "smooth-min-cutoff" ? 10 : max;
    const row = document.createElement("div");
    row.className = "slider";
    row.innerHTML = `<label for="s-${name}">${label}</label>
      <input type="range" id="s-${name}" min="${Math.max(min, name === "erode" ? -32 : min)}" max="${upper}" step="${step}">
      <output id="o-${name}"></output>`;
    box.appendChild(row);
    const input = row.querySelector("input");
    input.addEventListener("input", () => { editing = name; $("o-" + name).textContent = input.value; });
    input.addEventListener("change", async () => {
      await api("PATCH", "/api/settings", { [name]: Number(input.value) });
      editing = null;
      refresh();
    });
  }
}

function show(s) {
  state = s;
  if (!$("sliders").children.length) buildSliders(s.ranges);
  for (const [name] of sliders) {
    if (editing === name) continue;
    $("s-" + name).value = s.settings[name];
    $("o-" + name).textContent = s.settings[name];
  }
  for (const name of choices) $(name).value = s.settings[name];
  for (const name of ["keep-mouth", "keep-eyes", "no-smoothing"]) $(name).checked = s.settings[name];
  if (document.activeElement !== $("faces")) $("faces").value = s.settings.faces;
  const bypass = $("bypass");
  bypass.textContent = s.bypass ? "SWAP OFF" : "SWAP ON";
  bypass.classList.toggle("off", s.bypass);
  $("face-name").textContent = s.model || s.face || "the built-in portrait";
  fillPick("face-pick", s.faces, s.face);
  fillPick("model-pick", s.models, s.model);
  $("command").textContent = s.command;
  const rec = s.recording;
  $("record").disabled = !s.can_record;
  $("record").textContent = rec && rec.active ? "■ Stop recording" : "● Record";
  $("record").classList.toggle("recording", !!(rec && rec.active));
  $("recording").textContent = rec ? `${rec.active ? "recording" : "recorded"} ${rec.path} (${rec.frames} frames)${rec.error ? ": " + rec.error : ""}` : "";
  $("io").textContent = `${s.input} → ${s.output}`;
  const f = s.figures;
  const stages = Object.entries(f.stages || {}).sort((a, b) => b[1] - a[1]).slice(0, 6)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`).join(" · ");
  $("figures").innerHTML = [
    ["fps", f.fps.toFixed(1)], ["latency p50", f.latency_p50_ms.toFixed(0) + " ms"],
    ["latency p99", f.latency_p99_ms.toFixed(0) + " ms"], ["drops", f.drops],
    ["CPU", f.cpu_percent.toFixed(0) + " %"], ["RSS", f.rss_mb.toFixed(0) + " MB"], ["frames", f.frames],
  ].map(([k, v]) => `<div>${k}<b>${v}</b></div>`).join("") + `<div style="grid-column: span 4">ms: ${stages}</div>`;
  drawLatency(s.latency_history_ms);
}

function fillPick(id, names, current) {
  const select = $(id);
  const wanted = ["—"].concat(names).join("\n");
  if (select.dataset.names !== wanted) {
    select.dataset.names = wanted;
    select.innerHTML = "";
    for (const name of ["—"].concat(names)) select.add(new Option(name, name === "—" ? "" : name));
  }
  select.value = names.includes(current) ? current : "";
}

function drawLatency(history) {
  const canvas = $("latency"), g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  const top = Math.max(100, ...history.map((h) => h[1]));
  const x = (i) => canvas.width - (history.length - 1 - i) * (canvas.width / 60);
  const y = (ms) => canvas.height - ms / top * canvas.height;
  g.strokeStyle = "#445"; g.beginPath(); g.moveTo(0, y(50)); g.lineTo(canvas.width, y(50)); g.stroke();
  for (const [index, color] of [[0, "#5c9"], [1, "#e95"]]) {
    g.strokeStyle = color; g.beginPath();
    history.forEach((h, i) => (i ? g.lineTo(x(i), y(h[index])) : g.moveTo(x(i), y(h[index]))));
    g.stroke();
  }
  g.fillStyle = "#9ab"; g.fillText(`p50 / p99 ms (max ${top.toFixed(0)}), line at 50 ms`, 6, 12);
}

async function refresh() {
  const s = await api("GET", "/api/state");
  if (s) show(s);
}

async function toggleBypass() {
  const r = await api("POST", "/api/bypass", {});
  if (r) refresh();
}

function connect() {
  const events = new EventSource("/api/events?view=" + view);
  events.addEventListener("state", (e) => { show(JSON.parse(e.data)); $("status").textContent = "live"; });
  events.addEventListener("preview", (e) => { $("preview").src = `/api/preview.jpg?view=${view}&n=${e.data}`; });
  events.onerror = () => { $("status").textContent = "disconnected"; };
  return events;
}

let events = connect();
for (const radio of document.querySelectorAll("input[name=view]")) {
  radio.addEventListener("change", () => { view = radio.value; events.close(); events = connect(); });
}
$("bypass").addEventListener("click", toggleBypass);
$("record").addEventListener("click", () => api("POST", "/api/recording", {}).then(refresh));
document.addEventListener("keydown", (e) => {
  if ((e.key === "b" || e.key === "B") && !["INPUT", "SELECT", "TEXTAREA"].includes(e.target.tagName)) toggleBypass();
});
for (const name of choices) {
  $(name).addEventListener("change", (e) => api("PATCH", "/api/settings", { [name]: e.target.value }).then(refresh));
}
for (const name of ["keep-mouth", "keep-eyes", "no-smoothing"]) {
  $(name).addEventListener("change", (e) => api("PATCH", "/api/settings", { [name]: e.target.checked }).then(refresh));
}
$("faces").addEventListener("change", (e) => api("PATCH", "/api/settings", { faces: e.target.value }).then(refresh));
$("face-pick").addEventListener("change", (e) => e.target.value && api("PATCH", "/api/settings", { face: e.target.value }).then(refresh));
$("model-pick").addEventListener("change", (e) => e.target.value && api("PATCH", "/api/settings", { model: e.target.value }).then(refresh));
$("face-upload").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (file) { await api("POST", "/api/face", file, { "X-Filename": encodeURIComponent(file.name) }); refresh(); }
});
$("copy").addEventListener("click", () => navigator.clipboard.writeText($("command").textContent));
$("save").addEventListener("click", () => {
  const blob = new Blob([JSON.stringify(state.settings, null, 2)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob); a.download = "facelive-settings.json"; a.click();
});
$("load").addEventListener("change", async (e) => {
  const file = e.target.files[0];
  if (file) { await api("PATCH", "/api/settings", JSON.parse(await file.text())); refresh(); }
});
refresh();
