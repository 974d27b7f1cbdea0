// The security-change log with the API's filters, paged by its cursor; CSV and JSON Lines exports of the same filter
// (plain links: the browser downloads what the API streams); the what-if of an ACL change (WhatIf.tsx); and tamper
// evidence (AuditChain.tsx).
import { useState } from "preact/hooks";
import { Loading, ProblemMessage, time } from "../components";
import { useCursorPages } from "../paging";
import type { AuditEventView } from "../types";
import { TamperEvidence } from "./AuditChain";
import { SessionHistory } from "./SessionHistory";
import { AclWhatIf } from "./WhatIf";

interface Filters {
  type: string;
  actor: string;
  target: string;
  correlation: string;
  from: string;
  to: string;
}

const empty: Filters = { type: "", actor: "", target: "", correlation: "", from: "", to: "" };

/** The filters as the API's query string (dates from <input type="date"> are whole UTC days). */
function query(filters: Filters): URLSearchParams {
  const q = new URLSearchParams();
  for (const key of ["type", "actor", "target", "correlation"] as const) {
    if (filters[key].trim()) {
      q.set(key, filters[key].trim());
    }
  }
  if (filters.from) {
    q.set("from", `${filters.from}T00:00:00Z`);
  }
  if (filters.to) {
    q.set("to", `${filters.to}T23:59:59Z`);
  }
  return q;
}

export function Audit() {
  const [draft, setDraft] = useState<Filters>(empty);
  const [applied, setApplied] = useState<Filters>(empty);
  const { items, error, more } = useCursorPages<AuditEventView>("/audit/events", query(applied));

  const input = (key: keyof Filters, label: string, hint?: string, type: "text" | "date" = "text") => (
    <div class="field">
      <label for={`audit-${key}`}>{label}</label>
      {hint && <p class="hint" id={`audit-${key}-hint`}>{hint}</p>}
      <input id={`audit-${key}`} type={type as "text"} value={draft[key]} aria-describedby={hint ? `audit-${key}-hint` : undefined}
        onInput={(e) => setDraft({ ...draft, [key]: (e.currentTarget as HTMLInputElement).value })} />
    </div>
  );
  const exportQuery = query(applied);

  return (
    <>
      <h1>Audit</h1>
      <section aria-labelledby="changes-title">
        <h2 id="changes-title">Security changes</h2>
        <form class="filters" role="search" aria-label="Filter the security changes" onSubmit={(e) => { e.preventDefault(); setApplied(draft); }}>
          {input("type", "Event types", "e.g. AclEntryAdded,OperatorDisabled")}
          {input("actor", "Actor", "e.g. alice@acme")}
          {input("target", "Target", "client:desk, operator:bob, person:bob@example.com, license")}
          {input("correlation", "Correlation id")}
          {input("from", "From (UTC day)", undefined, "date")}
          {input("to", "To (UTC day)", undefined, "date")}
          <div class="actions">
            <button type="submit" class="primary">Apply filters</button>
            <button type="button" onClick={() => { setDraft(empty); setApplied(empty); }}>Clear</button>
          </div>
        </form>
        <p class="actions">
          <a class="button" href={`/audit/events/export?format=csv&${exportQuery}`} download="security-changes.csv">Export CSV</a>
          <a class="button" href={`/audit/events/export?format=jsonl&${exportQuery}`} download="security-changes.jsonl">Export JSON Lines</a>
        </p>
        <ProblemMessage error={error} />
        {!items ? !error && <Loading /> : items.length === 0 ? <p>No changes match.</p> : (
          <>
            <div class="table-wrap">
              <table class="changes">
                <caption>{items.length} changes, newest first</caption>
                <thead><tr><th scope="col">When</th><th scope="col">Type</th><th scope="col">Target</th><th scope="col">Actor</th><th scope="col">Reason</th><th scope="col">Correlation</th></tr></thead>
                <tbody>
                  {items.map((e) => (
                    <tr key={e.eventId}>
                      <td>{time(e.timestamp)}</td><td>{e.type}</td><td>{e.target ?? ""}</td><td>{e.actor ?? ""}</td><td>{e.reason ?? ""}</td>
                      <td><code>{e.correlationId ?? ""}</code></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {more && <div class="actions"><button type="button" onClick={more}>Older changes</button></div>}
          </>
        )}
      </section>
      <SessionHistory />
      <AclWhatIf />
      <TamperEvidence />
    </>
  );
}
