/**
 * The page's only stylesheet. Colours are custom properties with a dark set under
 * `prefers-color-scheme: dark` on screens only, so print always gets the light set, with its colours kept.
 */
export const REPORT_STYLES = `
:root{color-scheme:light dark;
--bg:#f4f6f9;--card:#fff;--text:#18202c;--muted:#5d6778;--line:#e3e7ed;--grid:#e9ecf1;--track:#eef1f5;
--accent:#2563eb;--accent-soft:rgb(37 99 235 / .14);--heat-rgb:37 99 235;
--c0:#2563eb;--c1:#0d9488;--c2:#f59e0b;--c3:#8b5cf6;--c4:#e11d74;--c5:#64748b;
--seg-prospect:#94a3b8;--seg-new:#3b82f6;--seg-active:#16a34a;--seg-at-risk:#f59e0b;--seg-lost:#dc2626;--seg-other:#8b5cf6;
--tier-0:#4c1d95;--tier-1:#7c3aed;--tier-2:#a78bfa;--tier-3:#d5c8fb;
--actual:#0f172a;--predicted:#f59e0b;--shadow:0 1px 2px rgb(16 24 40 / .06),0 1px 3px rgb(16 24 40 / .08)}
@media screen and (prefers-color-scheme:dark){:root{
--bg:#0e1116;--card:#171b22;--text:#e7eaf0;--muted:#9aa4b5;--line:#272d38;--grid:#232936;--track:#1f2530;
--accent:#60a5fa;--accent-soft:rgb(96 165 250 / .18);--heat-rgb:96 165 250;
--c0:#60a5fa;--c1:#2dd4bf;--c2:#fbbf24;--c3:#a78bfa;--c4:#f472b6;--c5:#94a3b8;
--seg-prospect:#64748b;--seg-new:#60a5fa;--seg-active:#4ade80;--seg-at-risk:#fbbf24;--seg-lost:#f87171;--seg-other:#a78bfa;
--tier-0:#c4b5fd;--tier-1:#a78bfa;--tier-2:#7c3aed;--tier-3:#4c1d95;
--actual:#e7eaf0;--predicted:#fbbf24;--shadow:none}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-variant-numeric:tabular-nums}
main{max-width:1200px;margin:0 auto;padding:28px 24px 40px}
header.top{display:flex;flex-wrap:wrap;align-items:flex-end;justify-content:space-between;gap:8px 24px;margin-bottom:20px}
h1{font-size:26px;line-height:1.2;margin:0;letter-spacing:-.01em}
.meta{color:var(--muted);font-size:13px;margin:4px 0 0}
.meta b{color:var(--text);font-weight:600}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-bottom:16px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:14px 16px;box-shadow:var(--shadow)}
.kpi-label{color:var(--muted);font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.kpi-value{font-size:23px;font-weight:700;letter-spacing:-.02em;margin-top:2px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.kpi-note{color:var(--muted);font-size:12px}
.grid-3{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(320px,100%),1fr));gap:16px;margin-bottom:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:18px 20px;box-shadow:var(--shadow);margin-bottom:16px;min-width:0;position:relative}
.grid-3 .card{margin-bottom:0}
.card h2{font-size:16px;margin:0;letter-spacing:-.01em}
.card .sub{color:var(--muted);font-size:12.5px;margin:2px 0 12px}
.card-head{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:4px 16px}
svg.chart{display:block;width:100%;height:auto;overflow:visible}
svg.chart text{fill:var(--muted);font-size:11.5px}
svg.chart .bar-label{fill:var(--text);font-size:12.5px}
svg.chart .bar-value{font-size:12px}
svg.chart .bar-top{font-size:10.5px;fill:var(--text)}
svg.chart .axis-title{font-size:11.5px;font-weight:600}
svg.chart .sub-label{font-size:10.5px}
.grid line{stroke:var(--grid);stroke-width:1;shape-rendering:crispEdges}
.track{fill:var(--track)}
.area{fill:var(--accent-soft);stroke:none}
.line-daily{fill:none;stroke:var(--accent);stroke-opacity:.45;stroke-width:1}
.line-avg{fill:none;stroke:var(--accent);stroke-width:2.2;stroke-linejoin:round;stroke-linecap:round}
.hover{visibility:hidden;pointer-events:none}
.crosshair{stroke:var(--muted);stroke-dasharray:3 3}
.dot{fill:var(--card);stroke:var(--accent);stroke-width:2}
.hit{fill:transparent}
.bar:hover{filter:brightness(1.1)}
.c0{fill:var(--c0);background:var(--c0)}.c1{fill:var(--c1);background:var(--c1)}.c2{fill:var(--c2);background:var(--c2)}
.c3{fill:var(--c3);background:var(--c3)}.c4{fill:var(--c4);background:var(--c4)}.c5{fill:var(--c5);background:var(--c5)}
.seg-prospect{--seg:var(--seg-prospect)}.seg-new{--seg:var(--seg-new)}.seg-active{--seg:var(--seg-active)}
.seg-at-risk{--seg:var(--seg-at-risk)}.seg-lost{--seg:var(--seg-lost)}.seg-other{--seg:var(--seg-other)}
rect[class*="seg-"]{fill:var(--seg)}
.tier-0{fill:var(--tier-0)}.tier-1{fill:var(--tier-1)}.tier-2{fill:var(--tier-2)}.tier-3{fill:var(--tier-3)}
.s-actual{fill:var(--actual);background:var(--actual)}.s-predicted{fill:var(--predicted);background:var(--predicted)}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;margin:0 0 8px;padding:0;color:var(--muted);font-size:12.5px}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:3px}
.swatch-daily{background:var(--accent-soft);border:1px solid var(--accent)}
.swatch-avg{height:3px;border-radius:2px;width:16px;background:var(--accent)}
.empty{display:flex;align-items:center;gap:10px;min-height:96px;justify-content:center;color:var(--muted);background:repeating-linear-gradient(135deg,transparent 0 8px,var(--track) 8px 9px);border:1px dashed var(--line);border-radius:10px;padding:16px;text-align:center}
.empty-mark{font-size:20px;opacity:.6}
.table-scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th{font-weight:600;text-align:left}
.num{text-align:right}
.top-customers th,.top-customers td{padding:8px 10px;border-bottom:1px solid var(--line);white-space:nowrap}
.top-customers thead th{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.top-customers tbody tr:hover{background:var(--track)}
.top-customers .rank{color:var(--muted);width:2.5em}
.top-customers .name{font-weight:600;white-space:normal;overflow-wrap:anywhere}
.top-customers .email{color:var(--muted);white-space:normal;overflow-wrap:anywhere}
.muted{color:var(--muted);font-weight:400}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:11.5px;font-weight:600;color:var(--seg);background:color-mix(in srgb,var(--seg) 14%,transparent);border:1px solid color-mix(in srgb,var(--seg) 35%,transparent)}
.heatmap{font-size:11px;width:auto}
.heatmap th,.heatmap td{padding:3px 2px;text-align:center;border:2px solid var(--card);min-width:2.1em;white-space:nowrap}
.heatmap thead th{color:var(--muted);font-weight:600}
.heatmap .group th{text-align:left;font-weight:500;padding-bottom:0}
.heatmap .cohort{text-align:left;min-width:5.5em;padding-right:6px}
.heatmap td.num{color:var(--muted);text-align:right;padding-right:8px}
.hm{background:rgb(var(--heat-rgb) / calc(.06 + var(--r) * .94));border-radius:4px}
.hm-strong{color:#fff}
.hm-none{background:transparent}
.scale{display:flex;align-items:center;gap:8px;color:var(--muted);font-size:12px;margin-top:10px}
.scale-note{margin-left:8px}
.scale-bar{width:160px;height:10px;border-radius:5px;background:linear-gradient(90deg,rgb(var(--heat-rgb) / .06),rgb(var(--heat-rgb) / 1))}
.model{display:grid;grid-template-columns:minmax(0,2fr) minmax(220px,1fr);gap:24px;align-items:start}
@media (max-width:760px){.model{grid-template-columns:1fr}main{padding:20px 14px 32px}.kpi-value{font-size:20px}}
.params{width:100%;font-size:13px}
.params th,.params td{padding:5px 8px;border-bottom:1px solid var(--line)}
.params th{color:var(--muted);font-weight:600}
.note{color:var(--muted);font-size:13px;margin:12px 0 0}
.partial-month rect.mark{fill-opacity:.4}
.partial-frame{fill:none;stroke:var(--muted);stroke-width:1.2;stroke-dasharray:4 3}
svg.chart .partial-label{font-size:10.5px;font-weight:600;fill:var(--text)}
.hm-partial{outline:1.5px dashed var(--text);outline-offset:-3px;font-style:italic}
.swatch-partial{border:1.5px dashed var(--muted);background:transparent;vertical-align:-2px;margin-right:6px}
.bridge{font-size:12.5px;margin-top:10px}
.bridge caption{text-align:left;color:var(--muted);font-weight:600;font-size:12px;padding-bottom:4px}
.bridge th,.bridge td{padding:3px 4px;border-bottom:1px solid var(--line);font-weight:400}
.bridge tfoot th,.bridge tfoot td{font-weight:700;border-bottom:0}
.bridge tr.warn th,.bridge tr.warn td{color:var(--seg-lost);font-weight:700}
.verdict{font-size:13px;margin:0 0 12px;padding:8px 10px;border-radius:8px;border:1px solid var(--line)}
.verdict-ok{border-color:color-mix(in srgb,var(--seg-active) 45%,transparent);background:color-mix(in srgb,var(--seg-active) 10%,transparent)}
.verdict-off{border-color:color-mix(in srgb,var(--seg-lost) 55%,transparent);background:color-mix(in srgb,var(--seg-lost) 12%,transparent);font-weight:600}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
#tip{position:fixed;z-index:10;pointer-events:none;background:var(--text);color:var(--card);padding:6px 9px;border-radius:6px;font-size:12px;line-height:1.4;box-shadow:0 4px 12px rgb(0 0 0 / .2);white-space:nowrap}
#tip[hidden]{display:none}
@media print{
:root{color-scheme:light;--bg:#fff;--card:#fff;--text:#000;--muted:#444;--line:#ccc;--grid:#ddd;--track:#f0f0f0;--shadow:none}
@page{margin:12mm}
body{font-size:11px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:none;padding:0}
.card,.kpi{break-inside:avoid;box-shadow:none}
.table-scroll{overflow:visible}
.heatmap{font-size:7.5px}
.heatmap th,.heatmap td{min-width:0;padding:2px 3px}
.hover,.hit,#tip{display:none}
}
`;
