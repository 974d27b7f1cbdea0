// Session history (who connected where, when, how, and who was refused, why), with the API's filters and cursor, its
// exports, and shell recordings replayed in the page.
import { useState } from "preact/hooks";
import { Loading, ProblemMessage, time } from "../components";
import { useCursorPages } from "../paging";
import { Replay } from "../replay";

interface SessionRow {
  sessionId: string;
  startedAt: string;
  durationMilliseconds: number | null;
  clientAlias: string | null;
  clientNumber: string | null;
  viewerAlias: string | null;
  personName: string | null;
  source: string | null;
  justification: string | null;
  outcome: string;
  deniedReason: string | null;
  endedBy: string | null;
  endReason: string | null;
  methods: string[];
  channels: string[];
  recordingUrl: string | null;
}

interface Filters {
  client: string;
  viewer: string;
  person: string;
  denied: boolean;
}

const empty: Filters = { client: "", viewer: "", person: "", denied: false };

function query(filters: Filters): URLSearchParams {
  const q = new URLSearchParams();
  for (const key of ["client", "viewer", "person"] as const) {
    if (filters[key].trim()) {
      q.set(key, filters[key].trim());
    }
  }
  if (filters.denied) {
    q.set("denied", "true");
  }
  return q;
}

function outcome(row: SessionRow): string {
  switch (row.outcome) {
    case "denied":
      return `denied: ${row.deniedReason ?? "no reason recorded"}`;
    case "ended":
      return `ended${row.endedBy ? ` by ${row.endedBy}` : ""}${row.endReason ? `: ${row.endReason}` : ""}`;
    default:
      return row.outcome;
  }
}

export function SessionHistory() {
  const [draft, setDraft] = useState<Filters>(empty);
  const [applied, setApplied] = useState<Filters>(empty);
  const { items: rows, error, more } = useCursorPages<SessionRow>("/audit/sessions", query(applied));
  const [replaying, setReplaying] = useState<SessionRow>();

  const text = (key: "client" | "viewer" | "person", label: string, hint: string) => (
    <div class="field">
      <label for={`sessions-${key}`}>{label}</label>
      <p class="hint" id={`sessions-${key}-hint`}>{hint}</p>
      <input id={`sessions-${key}`} type="text" value={draft[key]} aria-describedby={`sessions-${key}-hint`}
        onInput={(e) => setDraft({ ...draft, [key]: (e.currentTarget as HTMLInputElement).value })} />
    </div>
  );
  const exportQuery = query(applied);

  return (
    <section aria-labelledby="history-sessions-title" class="part">
      <h2 id="history-sessions-title">Session history</h2>
      <form class="filters" role="search" aria-label="Filter the session history" onSubmit={(e) => { e.preventDefault(); setApplied(draft); }}>
        {text("client", "Client", "alias, number or id")}
        {text("viewer", "Viewer", "e.g. tina or tina@acme")}
        {text("person", "Person", "e-mail, id or exact name")}
        <div class="check">
          <input type="checkbox" id="sessions-denied" checked={draft.denied} onChange={(e) => setDraft({ ...draft, denied: (e.currentTarget as HTMLInputElement).checked })} />
          <label for="sessions-denied">Only refused attempts</label>
        </div>
        <div class="actions"><button type="submit" class="primary">Apply filters</button></div>
      </form>
      <p class="actions">
        <a class="button" href={`/audit/sessions/export?format=csv&${exportQuery}`} download="sessions.csv">Export sessions CSV</a>
        <a class="button" href={`/audit/sessions/export?format=jsonl&${exportQuery}`} download="sessions.jsonl">Export sessions JSON Lines</a>
      </p>
      <ProblemMessage error={error} />
      {!rows ? !error && <Loading /> : rows.length === 0 ? <p>No sessions match.</p> : (
        <>
          <div class="table-wrap">
            <table class="sessions">
              <caption>{rows.length} sessions, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Started</th><th scope="col">Client</th><th scope="col">Viewer</th><th scope="col">Outcome</th>
                  <th scope="col">Authenticated by</th><th scope="col">Channels</th><th scope="col">Recording</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.sessionId}>
                    <td>{time(r.startedAt)}</td>
                    <td>{r.clientAlias ?? r.clientNumber ?? ""}</td>
                    <td>{r.viewerAlias ?? ""}{r.personName ? ` (${r.personName})` : ""}</td>
                    <td>{outcome(r)}</td>
                    <td>{r.methods.join(", ")}</td>
                    <td>{r.channels.join(", ")}</td>
                    <td>{r.recordingUrl && <button type="button" onClick={() => setReplaying(r)}>Replay</button>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {more && <div class="actions"><button type="button" onClick={more}>Older sessions</button></div>}
        </>
      )}
      {replaying?.recordingUrl && (
        <Replay url={replaying.recordingUrl} title={`Shell of ${replaying.viewerAlias ?? "unknown"} on ${replaying.clientAlias ?? replaying.clientNumber}, ${time(replaying.startedAt)}`}
          onClose={() => setReplaying(undefined)} />
      )}
    </section>
  );
}
