import { currentLanguage } from '../../i18n/i18n.js';
import { escapeHtml } from './escape-html.js';

// The page shell: inline CSS only, no scripts, no fonts, no links. The
// Content-Security-Policy is a second line of defence: should anything from
// the data ever slip past escaping, the browser would still neither run a
// script nor fetch anything.

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** The report page's styles; the live dashboard serves them too, under its own. */
export const REPORT_CSS = `
:root { color-scheme: light; --ok: #1a7f37; --warn: #9a6700; --bad: #cf222e; --neutral: #57606a; --line: #0969da; --grid: #d0d7de; --text: #1f2328; --muted: #57606a; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--text); background: #fff; }
header { border-bottom: 1px solid var(--grid); margin-bottom: 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta, .caption, .note, .empty { color: var(--muted); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 13px; }
pre { background: #f6f8fa; border: 1px solid var(--grid); border-radius: 6px; padding: 12px 16px; overflow-x: auto; white-space: pre; }
.badge { display: inline-block; padding: 2px 12px; border-radius: 999px; color: #fff; font-weight: 600; }
.badge.tone-ok { background: var(--ok); } .badge.tone-warn { background: var(--warn); } .badge.tone-bad { background: var(--bad); } .badge.tone-neutral { background: var(--neutral); }
.headline { font-size: 16px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0; }
.fact { display: contents; }
dt { color: var(--muted); } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border-bottom: 1px solid var(--grid); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.time { white-space: nowrap; }
td.verdict, .verdict { overflow-wrap: anywhere; }
.outcome.tone-ok, td.tone-ok { color: var(--ok); } .outcome.tone-warn { color: var(--warn); } .outcome.tone-bad, td.tone-bad { color: var(--bad); font-weight: 600; } .outcome.tone-neutral { color: var(--neutral); }
tr[data-outcome="failed"], tr[data-outcome="refused"], tr[data-outcome="unreachable"], tr[data-outcome="interrupted"] { background: #ffebe9; }
.chart { width: 100%; max-width: 1100px; height: auto; display: block; }
.chart text { font-size: 11px; fill: var(--muted); }
.chart .axis-title { font-size: 12px; fill: var(--text); }
.chart .axis { stroke: var(--text); stroke-width: 1; }
.chart .grid { stroke: var(--grid); stroke-width: 1; }
.chart .slot { fill: transparent; }
.chart .run:hover .slot { fill: rgba(9, 105, 218, 0.08); }
.ops-bar.tone-ok { fill: #8cc59a; } .ops-bar.tone-warn { fill: #e3b341; } .ops-bar.tone-bad { fill: var(--bad); } .ops-bar.tone-neutral { fill: #afb8c1; }
.duration-line { fill: none; stroke: var(--line); stroke-width: 2; }
.duration-dot { fill: #fff; stroke: var(--line); stroke-width: 2; }
.duration-dot.failure { stroke: var(--bad); }
.failure-marker { stroke: var(--bad); stroke-width: 2.5; stroke-linecap: round; fill: none; }
.legend { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 8px 24px; color: var(--muted); }
.legend li { display: flex; align-items: center; gap: 6px; }
.journal-failed { color: var(--bad); font-weight: 600; } .journal-sent { color: var(--warn); font-weight: 600; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;

export function htmlDocument(page: { readonly title: string; readonly body: string }): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(currentLanguage())}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(page.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${page.body}
</body>
</html>
`;
}
