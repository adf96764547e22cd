import { REPORT_CSS } from '../report/html/html-document.js';

// Served as /dashboard.css: the report's styles, then the dashboard's own.
// No style attributes anywhere, so the Content-Security-Policy allows styles
// from this process only.

const DASHBOARD_CSS = `
body { max-width: 1280px; margin: 0 auto; }
.page-header { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 4px 16px; border-bottom: 1px solid var(--grid); margin-bottom: 8px; }
.live { color: var(--muted); font-size: 12px; }
.live[data-connected="true"]::before { content: "● "; color: var(--ok); }
.live[data-connected="false"]::before { content: "○ "; color: var(--bad); }
#summary { display: grid; grid-template-columns: 1fr auto; gap: 4px 24px; align-items: start; }
#summary .mode { grid-column: 1 / -1; margin: 8px 0 0; font-size: 16px; }
#summary .facts { margin: 4px 0; }
#summary .actions { grid-row: 2; grid-column: 2; align-self: center; text-align: right; }
#summary .updated { grid-column: 1 / -1; margin: 0; font-size: 12px; }
.mode-detail { color: var(--muted); }
button#sync-now { font: inherit; font-weight: 600; padding: 8px 20px; border-radius: 6px; border: 1px solid #1f883d; background: #1f883d; color: #fff; cursor: pointer; min-height: 40px; }
button#sync-now:hover { background: #1a7f37; }
button#sync-now:disabled { background: #f6f8fa; color: var(--muted); border-color: var(--grid); cursor: progress; }
#sync-answer { min-height: 1.5em; margin: 4px 0 0; color: var(--muted); text-align: right; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 16px; }
.server-card { border: 1px solid var(--grid); border-left-width: 6px; border-radius: 8px; padding: 12px 16px; min-width: 0; }
.server-card.tone-ok { border-left-color: var(--ok); } .server-card.tone-bad { border-left-color: var(--bad); } .server-card.tone-warn { border-left-color: var(--warn); } .server-card.tone-neutral { border-left-color: var(--neutral); }
.server-card h3 { margin: 0 0 4px; display: flex; justify-content: space-between; gap: 8px; overflow-wrap: anywhere; }
.server-card .role { color: var(--muted); font-weight: 400; font-size: 13px; }
.server-card .state, .server-card .url { margin: 4px 0; }
.server-card .url code { overflow-wrap: anywhere; }
.server-card .facts { font-size: 13px; margin: 8px 0; }
.failure-detail { color: var(--bad); overflow-wrap: anywhere; }
.latency-chart { width: 100%; height: auto; display: block; }
.latency-chart text, .run-chart text { font-size: 10px; fill: var(--muted); }
.latency-chart .axis, .run-chart .axis { stroke: var(--text); stroke-width: 1; }
.latency-chart .grid { stroke: var(--grid); stroke-width: 1; }
.latency-line { fill: none; stroke: var(--line); stroke-width: 1.5; }
.latency-dot { fill: var(--line); }
.failed-check { stroke: var(--bad); stroke-width: 2; }
.agreement { margin-top: 8px; font-size: 13px; }
.agreement .badge { font-weight: 600; border-radius: 6px; }
.differences caption { text-align: left; color: var(--muted); padding: 4px 0; }
.chart-frame, .table-frame { overflow-x: auto; }
.run-chart { max-width: none; }
.run-chart text { font-size: 11px; }
.run-chart .axis-title { font-size: 12px; fill: var(--text); }
.run-dot { stroke: #fff; stroke-width: 1; }
.run-dot.tone-ok { fill: var(--ok); } .run-dot.tone-warn { fill: var(--warn); } .run-dot.tone-neutral { fill: var(--neutral); } .run-dot.tone-bad { fill: var(--bad); }
.run-dot.running { fill: #fff; stroke: var(--line); stroke-width: 2; }
.run .hit { fill: transparent; }
.runs-table { font-size: 13px; }
.report-text { max-height: 480px; overflow: auto; }
.unfinished-list { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; overflow-wrap: anywhere; }
.login { max-width: 360px; margin: 64px auto; }
@media (max-width: 700px) {
  body { padding: 12px 12px 32px; }
  #summary { grid-template-columns: 1fr; }
  #summary .actions { grid-row: auto; grid-column: 1; text-align: left; }
  #sync-answer { text-align: left; }
  button#sync-now { width: 100%; }
  .cards { grid-template-columns: 1fr; }
  .facts { grid-template-columns: 1fr; gap: 0; }
  .facts dd { margin-bottom: 6px; }
  .run-chart { min-width: 640px; }
  .runs-table td.time { white-space: normal; }
  .runs-table th:nth-child(5), .runs-table td:nth-child(5) { display: none; }
}
`;

export const DASHBOARD_STYLESHEET = `${REPORT_CSS}${DASHBOARD_CSS}`;
