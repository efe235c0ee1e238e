import type { ChangelogEntry, PinChange } from "@strata/core";
import type { AdminState } from "../state";
import type { AdminUsage } from "../usage";
import { html, type SafeHtml } from "./html";

/** One difference between two versions' documents, as `@strata/openapi`'s `diff()` gives it. */
export interface PageDifference {
  breaking: boolean;
  operation?: string;
  message: string;
}

/** Everything the page shows, gathered by the router. */
export interface PageData {
  /** The router's mount path, for links and form actions. */
  base: string;
  title: string;
  state: AdminState;
  usage: AdminUsage;
  history: PinChange[];
  /** What this admin may do: a viewer gets no forms. */
  can: { upgrade: boolean; rollback: boolean };
  /** Newer stable versions the pin may move to. */
  targets: string[];
  compare?: { to: string; entries: ChangelogEntry[]; differences?: PageDifference[] };
  token?: string;
  message?: { kind: "status" | "alert"; text: string };
  now: Date;
}

const when = (iso: string | undefined): SafeHtml => (iso ? html`<time datetime="${iso}">${iso.slice(0, 16).replace("T", " ")} UTC</time>` : html`—`);

/** The account's API-version page: readable without JavaScript, every value escaped. */
export function renderPage(d: PageData): string {
  const s = d.state;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${d.title} — ${s.account}</title>
        <link rel="stylesheet" href="${d.base}/assets/admin.css" />
      </head>
      <body>
        <main>
          <h1>${d.title}</h1>
          ${d.message ? html`<p class="message ${d.message.kind}" role="${d.message.kind}">${d.message.text}</p>` : ""}
          <section aria-labelledby="current-heading">
            <h2 id="current-heading">Your version</h2>
            <dl class="facts">
              <dt>Account</dt>
              <dd>${s.account}</dd>
              <dt>Pinned version</dt>
              <dd id="pinned-version">${s.pinned ? s.pinned.version : "not pinned yet (the first request pins it)"}</dd>
              ${
                s.pinned && s.pinned.servedAt !== s.pinned.version
                  ? html`<dt>Served at</dt>
                      <dd>${s.pinned.servedAt}</dd>`
                  : ""
              }
              <dt>Set</dt>
              <dd>${when(s.pinned?.updatedAt)}</dd>
              <dt>Latest version</dt>
              <dd id="latest-version">${s.latest}</dd>
            </dl>
            ${rollback(d)}
          </section>
          ${upgrade(d)} ${usage(d.usage)}
          <section aria-labelledby="versions-heading">
            <h2 id="versions-heading">All versions</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Status</th>
                  <th scope="col">Released</th>
                  <th scope="col">Deprecated</th>
                  <th scope="col">Sunset</th>
                </tr>
              </thead>
              <tbody>
                ${s.versions.map(
                  (v) =>
                    html`<tr>
                      <td data-label="Version">${v.id}${s.pinned?.version === v.id ? " (yours)" : ""}</td>
                      <td data-label="Status" class="status-${v.status}">${v.status}</td>
                      <td data-label="Released">${when(v.releasedAt)}</td>
                      <td data-label="Deprecated">${when(v.deprecatedAt)}</td>
                      <td data-label="Sunset">${when(v.sunsetAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </section>
          ${history(d.history)}
        </main>
      </body>
    </html> `.value;
}

function rollback(d: PageData): SafeHtml {
  const r = d.state.rollback;
  if (!r.available || r.until === undefined) return html``;
  const left = Math.max(0, Date.parse(r.until) - d.now.getTime());
  const hours = Math.floor(left / 3_600_000);
  const minutes = Math.floor((left % 3_600_000) / 60_000);
  const text = html`You can roll back to ${r.to} until ${when(r.until)} (${hours} h ${minutes} min left).`;
  if (!d.can.rollback || !d.token) return html`<p class="note" id="rollback-window">${text}</p>`;
  return html`<form method="post" action="${d.base}/rollback" class="panel" id="rollback-form">
    <p id="rollback-window">${text}</p>
    <input type="hidden" name="token" value="${d.token}" />
    <button type="submit" class="secondary">Roll back to ${r.to}</button>
  </form>`;
}

function upgrade(d: PageData): SafeHtml {
  if (!d.can.upgrade || !d.token) return html``;
  if (d.targets.length === 0)
    return html`<section aria-labelledby="upgrade-heading">
      <h2 id="upgrade-heading">Upgrade</h2>
      <p>You are on the latest version.</p>
    </section>`;
  const chosen = d.compare?.to ?? d.targets[0]!;
  return html`<section aria-labelledby="upgrade-heading">
    <h2 id="upgrade-heading">Upgrade</h2>
    <form method="get" action="${d.base}/" id="compare-form">
      <label for="compare">See what changes if you upgrade to</label>
      <select id="compare" name="compare">
        ${d.targets.map((t) => html`<option value="${t}" ${t === chosen ? html` selected` : ""}>${t}</option>`)}
      </select>
      <button type="submit" class="secondary">Compare</button>
    </form>
    ${d.compare ? comparison(d, d.compare) : ""}
  </section>`;
}

function comparison(d: PageData, c: NonNullable<PageData["compare"]>): SafeHtml {
  const from = d.state.pinned?.servedAt ?? "your version";
  return html`<section class="panel" id="comparison" aria-labelledby="comparison-heading">
    <h3 id="comparison-heading">What changes from ${from} to ${c.to}</h3>
    ${c.entries.map(
      (e) =>
        html`<h4>${e.version}</h4>
          ${e.description ? html`<p>${e.description}</p>` : ""}
          <ul>
            ${e.changes.length ? e.changes.map((ch) => html`<li>${ch.description}</li>`) : html`<li>No backwards-incompatible changes.</li>`}
          </ul>`,
    )}
    ${c.differences ? differences(c.differences) : ""}
    <form method="post" action="${d.base}/upgrade" id="upgrade-form">
      <input type="hidden" name="token" value="${d.token}" />
      <input type="hidden" name="version" value="${c.to}" />
      <label class="check"
        ><input type="checkbox" name="confirm" value="yes" id="confirm" required />
        <span>I have read these changes; upgrade this account to ${c.to}.</span></label
      >
      <label for="reason">Reason (optional, kept in the history)</label>
      <input type="text" id="reason" name="reason" maxlength="500" />
      <div><button type="submit">Upgrade to ${c.to}</button></div>
    </form>
  </section>`;
}

function differences(list: PageDifference[]): SafeHtml {
  if (list.length === 0) return html`<p>The two versions' API documents do not differ.</p>`;
  return html`<h4>Endpoints and fields that differ</h4>
    <table>
      <thead>
        <tr>
          <th scope="col">Endpoint</th>
          <th scope="col">Difference</th>
        </tr>
      </thead>
      <tbody>
        ${list.map(
          (x) =>
            html`<tr>
              <td data-label="Endpoint">${x.operation ?? ""}</td>
              <td data-label="Difference" ${x.breaking ? html` class="breaking"` : ""}>${x.breaking ? "Breaking: " : ""}${x.message}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function usage(u: AdminUsage): SafeHtml {
  const body = !u.recorded
    ? html`<p class="note">Usage is not recorded for this API.</p>`
    : u.versions.length === 0
      ? html`<p>No requests in the last ${u.days} days.</p>`
      : html`<table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Requests</th>
                <th scope="col">How the version was chosen</th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              ${u.versions.map(
                (v) =>
                  html`<tr>
                    <td data-label="Version">${v.version} <span class="status-${v.status}">(${v.status})</span></td>
                    <td data-label="Requests">${v.requests}</td>
                    <td data-label="Chosen by">${Object.entries(v.sources).map(([src, n]) => html`${SOURCE_NAMES[src] ?? src}: ${n}<br />`)}</td>
                    <td data-label="Last seen">${when(v.lastSeen)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <p class="note">"Version header" means some of your code sends that version explicitly: it keeps that version after an upgrade.</p>`;
  return html`<section aria-labelledby="usage-heading">
    <h2 id="usage-heading">What your integrations use (last ${u.days} days)</h2>
    ${body}
  </section>`;
}

const SOURCE_NAMES: Record<string, string> = {
  header: "version header",
  pin: "your pin",
  "first-request": "first request",
  default: "default",
  request: "the URL",
};

function history(list: PinChange[]): SafeHtml {
  return html`<section aria-labelledby="history-heading">
    <h2 id="history-heading">History</h2>
    ${
      list.length === 0
        ? html`<p>No changes yet.</p>`
        : html`<table id="history">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              ${list.map(
                (c) =>
                  html`<tr>
                    <td data-label="When">${when(c.at.toISOString())}</td>
                    <td data-label="Who">${c.actor}</td>
                    <td data-label="From">${c.from ?? "—"}</td>
                    <td data-label="To">${c.to}</td>
                    <td data-label="Reason">${c.reason ?? ""}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}
