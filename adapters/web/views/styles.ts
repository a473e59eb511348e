// The console's only stylesheet, served from /static/console.css so that the CSP can forbid
// inline styles. Plain CSS, no build step; one column on a phone, wider tables on a laptop.
export const consoleCss = `
:root { --ink:#1d2430; --muted:#5b6577; --line:#d8dde6; --bg:#f5f7fa; --card:#fff;
  --brand:#0b4f8a; --brand-ink:#fff; --ok:#1e7d3a; --warn:#9a6200; --bad:#b3261e; --accent:#e8f0fa; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin:0; font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--brand); }
header.top { background:var(--brand); color:var(--brand-ink); }
header.top .bar { max-width:72rem; margin:0 auto; padding:.5rem 1rem; display:flex; flex-wrap:wrap; gap:.5rem 1.25rem; align-items:center; }
header.top .brand { font-weight:700; font-size:1.15rem; color:var(--brand-ink); text-decoration:none; margin-right:auto; }
header.top nav { display:flex; flex-wrap:wrap; gap:.25rem; order:3; width:100%; }
header.top nav a { color:var(--brand-ink); text-decoration:none; padding:.35rem .6rem; border-radius:.3rem; }
header.top nav a[aria-current="page"], header.top nav a:hover { background:rgba(255,255,255,.18); }
header.top .who { display:flex; gap:.5rem; align-items:center; font-size:.9rem; }
header.top .who button { background:transparent; color:var(--brand-ink); border:1px solid rgba(255,255,255,.6); }
@media (min-width: 60rem) { header.top nav { order:0; width:auto; } header.top .brand { margin-right:1rem; } header.top .who { margin-left:auto; } }
main { max-width:72rem; margin:0 auto; padding:1rem; }
h1 { font-size:1.5rem; margin:.5rem 0 1rem; }
h2 { font-size:1.15rem; margin:1.5rem 0 .5rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:.5rem; padding:1rem; margin:0 0 1rem; overflow-wrap:anywhere; }
.card > h2:first-child, .card > h1:first-child { margin-top:0; }
.muted { color:var(--muted); font-size:.9rem; }
.flash { padding:.6rem .9rem; border-radius:.4rem; margin:0 0 1rem; border:1px solid; }
.flash.ok { background:#eaf6ee; border-color:#a9d8b6; color:var(--ok); }
.flash.error { background:#fbeceb; border-color:#efb4af; color:var(--bad); }
form.inline { display:inline; }
label { display:block; font-weight:600; margin:.75rem 0 .25rem; }
input[type=text], input[type=password], input[type=search], input[type=date], select, textarea {
  width:100%; font:inherit; padding:.45rem .6rem; border:1px solid var(--line); border-radius:.35rem; background:#fff; color:inherit; }
textarea { min-height:6rem; resize:vertical; }
button, .button { font:inherit; padding:.45rem .9rem; border-radius:.35rem; border:1px solid var(--brand); background:var(--brand); color:#fff; cursor:pointer; text-decoration:none; display:inline-block; }
button.secondary, .button.secondary { background:#fff; color:var(--brand); }
button.danger { background:var(--bad); border-color:var(--bad); }
.actions { display:flex; flex-wrap:wrap; gap:.5rem; margin-top:1rem; align-items:center; }
.filters { display:grid; grid-template-columns:repeat(auto-fit, minmax(10rem, 1fr)); gap:.5rem 1rem; align-items:end; }
.filters label { margin-top:0; }
table { width:100%; border-collapse:collapse; background:var(--card); }
th, td { text-align:left; padding:.45rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; overflow-wrap:anywhere; }
th { font-size:.85rem; color:var(--muted); font-weight:600; overflow-wrap:normal; }
td.num, th.num { text-align:right; white-space:nowrap; }
td.when { white-space:nowrap; }
td.who { min-width:9rem; overflow-wrap:normal; }
.table-wrap { overflow-x:auto; border:1px solid var(--line); border-radius:.5rem; margin-bottom:1rem; }
.badge { display:inline-block; font-size:.8rem; padding:.05rem .5rem; border-radius:1rem; background:var(--accent); color:var(--brand); white-space:nowrap; }
.badge.bozza, .badge.in_lavorazione, .badge.uncertain { background:#fff4e0; color:var(--warn); }
.badge.pubblicata, .badge.risolta, .badge.answered { background:#eaf6ee; color:var(--ok); }
.badge.ritirata, .badge.scartata, .badge.declined { background:#eef0f3; color:var(--muted); }
.badge.notices { background:var(--brand); color:#fff; margin-right:.5rem; text-decoration:none; }
.notice { border-left:4px solid var(--ok); }
.notice-text { white-space:pre-wrap; }
.chat { display:flex; flex-direction:column; gap:.75rem; margin-bottom:1rem; }
.msg { max-width:46rem; padding:.75rem 1rem; border-radius:.75rem; white-space:pre-wrap; overflow-wrap:anywhere; }
.msg.me { align-self:flex-end; background:var(--brand); color:#fff; border-bottom-right-radius:.2rem; }
.msg.bot { align-self:flex-start; background:var(--card); border:1px solid var(--line); border-bottom-left-radius:.2rem; }
.msg.bot.declined { border-color:#e6c98f; }
.msg .lead { font-weight:600; margin:0 0 .4rem; white-space:pre-line; }
.msg .body { margin:0 0 .5rem; }
.msg ol.citations { margin:.4rem 0; padding-left:1.4rem; font-size:.9rem; }
.msg .footer { font-size:.85rem; color:var(--muted); margin:.4rem 0 0; }
.feedback { display:flex; flex-wrap:wrap; gap:.4rem; margin-top:.6rem; white-space:normal; }
.feedback button { padding:.25rem .7rem; font-size:.9rem; }
.feedback details.comment { flex-basis:100%; font-size:.9rem; }
.feedback details.comment textarea { min-height:3rem; }
.chatbox { display:flex; gap:.5rem; align-items:flex-end; }
.chatbox textarea { min-height:3rem; flex:1; }
.passage { white-space:pre-wrap; font-size:.92rem; }
.grid2 { display:grid; gap:1rem; }
@media (min-width: 60rem) { .grid2 { grid-template-columns:1fr 1fr; } }
.preview-telegram { margin:0; background:#dfe8d8; border-radius:.6rem; padding:.75rem; }
.preview-telegram .bubble { background:#fff; border-radius:.6rem; padding:.6rem .8rem; white-space:pre-wrap; font-size:.95rem; max-width:32rem; box-shadow:0 1px 1px rgba(0,0,0,.12); }
.preview-slack { margin:0; background:#fff; border:1px solid var(--line); border-radius:.4rem; padding:.75rem; font-family:Lato,system-ui,sans-serif; }
.preview-slack .author { font-weight:700; }
.preview-slack .mrkdwn { white-space:pre-wrap; font-size:.95rem; }
.preview-slack .context { color:var(--muted); font-size:.8rem; margin-top:.4rem; white-space:pre-wrap; }
.preview-slack .btns { display:flex; gap:.4rem; margin-top:.5rem; }
.preview-slack .btns span, .preview-telegram .kbd span { border:1px solid var(--line); border-radius:.3rem; padding:.1rem .6rem; font-size:.85rem; background:#fff; }
.preview-telegram .kbd { display:flex; gap:.3rem; margin-top:.3rem; max-width:32rem; }
.preview-telegram .kbd span { flex:1; text-align:center; background:rgba(255,255,255,.7); }
pre.diff { margin:0; font-size:.88rem; white-space:pre-wrap; overflow-wrap:anywhere; }
pre.diff .add { background:#e6f6ea; display:block; }
pre.diff .del { background:#fbe9e8; display:block; text-decoration:line-through; text-decoration-color:rgba(179,38,30,.5); }
pre.diff .same { display:block; color:var(--muted); }
.chart { width:100%; height:auto; display:block; }
.chart text { font-size:11px; fill:var(--muted); }
.chart .bar { fill:var(--brand); }
.chart .bar.ok { fill:var(--ok); }
.chart .bar.alt { fill:#8fb3d9; }
.chart .axis { stroke:var(--line); }
.progress { width:100%; height:1rem; }
.kpis { display:grid; grid-template-columns:repeat(auto-fit, minmax(10rem, 1fr)); gap:1rem; margin-bottom:1rem; }
.kpi { background:var(--card); border:1px solid var(--line); border-radius:.5rem; padding:.75rem 1rem; }
.kpi .value { font-size:1.6rem; font-weight:700; }
.pager { display:flex; gap:.75rem; align-items:center; margin:.5rem 0 1rem; }
.signin { max-width:24rem; margin:3rem auto; }
.local-hint { background:var(--accent); border:1px solid var(--line); padding:.6rem .9rem; border-radius:.4rem; margin:0 0 1rem; }
ul.plain { list-style:none; padding:0; margin:0; }
ul.plain li { padding:.35rem 0; border-bottom:1px solid var(--line); overflow-wrap:anywhere; }
`;
