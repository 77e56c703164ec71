"""The page at ``/``: paste a text, see the label, a probability bar per label, the model card.

One self-contained HTML document (inline CSS and JavaScript, no CDN), so it works
offline; a form with labelled controls, usable by keyboard (Ctrl+Enter predicts),
and a single-column layout that reads on a phone. Not in ``/docs``: it is for people.
"""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from textclass.serve.routes.dependencies import ServiceDep

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>textclass</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:0 auto;max-width:46rem;
padding:1rem;color:#1d2433;line-height:1.4}
h1{font-size:1.4rem}label{display:block;font-weight:600;margin:.8rem 0 .3rem}
textarea,select,input{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;
border:1px solid #99a;border-radius:.3rem}
textarea{min-height:8rem}
button{margin-top:.8rem;font:inherit;padding:.5rem 1.4rem;border:0;border-radius:.3rem;
background:#2456c8;color:#fff;cursor:pointer}
button:focus-visible,textarea:focus-visible,select:focus-visible{outline:3px solid #f2a900}
#result{margin-top:1.2rem}#label{font-size:1.3rem;font-weight:700}
.bar{display:flex;align-items:center;gap:.5rem;margin:.25rem 0}
.bar span.name{flex:0 0 30%;overflow-wrap:anywhere}
.bar .track{flex:1;background:#e8ebf3;border-radius:.2rem;height:1.1rem}
.bar .fill{background:#2456c8;height:100%;border-radius:.2rem}
.bar span.p{flex:0 0 4.5rem;text-align:right;font-variant-numeric:tabular-nums}
.error{color:#a11}.muted{color:#667}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde;padding:.25rem;
text-align:left;vertical-align:top;overflow-wrap:anywhere}
</style></head>
<body>
<main>
<h1>textclass</h1>
<form id="form">
<label for="model">Model</label>
<select id="model" name="model"></select>
__KEY__
<label for="text">Text</label>
<textarea id="text" name="text" required placeholder="Paste or type a text"></textarea>
<button type="submit" id="predict">Predict</button>
<span class="muted">or Ctrl+Enter</span>
</form>
<section id="result" aria-live="polite"></section>
<h2>Model card</h2>
<section id="card" class="muted">Loading...</section>
</main>
<script>
const $ = (id) => document.getElementById(id);
let cards = {};
function headers() {
  const h = {"Content-Type": "application/json"};
  const key = $("key") && $("key").value;
  if (key) h["Authorization"] = "Bearer " + key;
  return h;
}
function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;",
    '"':"&quot;","'":"&#39;"}[c]));
}
async function loadModels() {
  const r = await fetch("v1/models", {headers: headers()});
  const data = await r.json();
  if (!r.ok) { $("card").innerHTML = '<p class="error">' + esc(data.error) + "</p>"; return; }
  const select = $("model");
  select.innerHTML = "";
  for (const card of data.models) {
    cards[card.name] = card;
    const option = document.createElement("option");
    option.value = card.name; option.textContent = card.name + " (" + card.family + ")";
    if (card.name === data.default) option.selected = true;
    select.appendChild(option);
  }
  showCard();
}
function showCard() {
  const card = cards[$("model").value];
  if (!card) return;
  const rows = [["family", card.family], ["labels", card.labels.join(", ")]];
  for (const [k, v] of Object.entries(card.metrics || {}))
    rows.push(["test " + k, typeof v !== "number" ? v
      : Number.isInteger(v) ? v.toLocaleString() : v.toFixed(4)]);
  const data = card.training_data || {};
  if (data.source) rows.push(["training data", data.source]);
  if (data.train) rows.push(["training rows", data.train.rows]);
  if (card.parameters != null) rows.push(["parameters", card.parameters.toLocaleString()]);
  $("card").innerHTML = "<table>" + rows.map(([k, v]) =>
    "<tr><th>" + esc(k) + "</th><td>" + esc(v) + "</td></tr>").join("") + "</table>";
}
async function predict(event) {
  event.preventDefault();
  const text = $("text").value;
  const name = $("model").value;
  $("result").textContent = "...";
  const r = await fetch("v1/models/" + encodeURIComponent(name) + "/predict",
    {method: "POST", headers: headers(), body: JSON.stringify({texts: [text]})});
  const data = await r.json();
  if (!r.ok) { $("result").innerHTML = '<p class="error">' + esc(data.error) + "</p>"; return; }
  const p = data.predictions[0];
  const shown = p.labels ? (p.labels.join(", ") || "(no label)") : p.label;
  $("result").innerHTML = '<div id="label">' + esc(shown) + "</div>" +
    p.probabilities.map((x) => '<div class="bar"><span class="name">' + esc(x.label) +
      '</span><span class="track" role="img" aria-label="' + esc(x.label) + " " +
      (100 * x.probability).toFixed(1) + '%"><span class="fill" style="display:block;width:' +
      (100 * x.probability).toFixed(1) + '%"></span></span><span class="p">' +
      (100 * x.probability).toFixed(1) + "%</span></div>").join("");
}
$("form").addEventListener("submit", predict);
$("model").addEventListener("change", showCard);
$("text").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) $("form").requestSubmit();
});
if ($("key")) $("key").addEventListener("change", loadModels);
loadModels();
</script>
</body></html>
"""

_KEY_FIELD = """<label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="off" placeholder="required by this server">"""


def page_html(*, api_key_required: bool) -> str:
    return _PAGE.replace("__KEY__", _KEY_FIELD if api_key_required else "")


router = APIRouter(include_in_schema=False)


# the page's own inline style and script, its own origin for data, and no framing (clickjacking)
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@router.get("/", response_class=HTMLResponse)
async def page(service: ServiceDep) -> HTMLResponse:
    html = page_html(api_key_required=service.settings.api_key is not None)
    return HTMLResponse(html, headers=PAGE_HEADERS)
