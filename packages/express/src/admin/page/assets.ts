/**
 * The page's only stylesheet, served by the router itself (no CDN, no build step). System
 * fonts, colours with at least 4.5:1 contrast, one column on narrow screens.
 */
export const ADMIN_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b57d0; --warn: #8a4b00; --bad: #a50e0e; --ok: #146c2e; --bg: #ffffff; --panel: #f5f6f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1rem 0 0.25rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; margin: 1rem 0; }
.message { border-radius: 6px; padding: 0.75rem 1rem; margin: 1rem 0; border: 1px solid; }
.message.status { border-color: var(--ok); color: var(--ok); background: #eef7f0; }
.message.alert { border-color: var(--bad); color: var(--bad); background: #fbeeee; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { text-align: left; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
.status-active { color: var(--ok); }
.status-deprecated { color: var(--warn); }
.status-sunset { color: var(--bad); }
.status-preview, .status-unreleased { color: var(--muted); }
.breaking { color: var(--bad); font-weight: 600; }
form { margin: 0.75rem 0; }
label { display: block; margin: 0.5rem 0 0.25rem; }
label.check { display: flex; gap: 0.5rem; align-items: flex-start; }
select, input[type="text"] { font: inherit; padding: 0.4rem; border: 1px solid var(--muted); border-radius: 4px; min-width: 16rem; max-width: 100%; }
button { font: inherit; padding: 0.5rem 1rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; margin-top: 0.5rem; }
button.secondary { background: #fff; color: var(--accent); }
:focus-visible { outline: 3px solid #f0a400; outline-offset: 2px; }
.note { color: var(--muted); font-size: 0.95rem; }
@media (max-width: 40rem) {
  main { padding: 0.75rem; }
  dl.facts { grid-template-columns: 1fr; }
  table, thead, tbody, tr, th, td { display: block; }
  thead { position: absolute; left: -9999px; }
  tr { border-bottom: 1px solid var(--line); padding: 0.25rem 0; }
  td { border: 0; padding: 0.15rem 0; }
  td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); }
  select, input[type="text"] { min-width: 0; width: 100%; }
}
`.trim();

/** A strict policy: nothing but this origin's stylesheet and forms; no script at all. */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
