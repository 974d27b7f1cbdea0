// Live sessions: who is connected where right now, and (for roles that may) ending one, with a reason. The agent
// ends it within a second of its next policy.
import { useEffect, useState } from "preact/hooks";
import { get, post } from "../api";
import { Field, Loading, Notice, ProblemMessage, fieldErrors, time, useAction } from "../components";
import { href } from "../router";
import { can, type PortalSession } from "../session";

interface SessionView {
  sessionId: string;
  clientId: string;
  clientNumber: string | null;
  clientAlias: string | null;
  viewerAlias: string | null;
  source: string | null;
  justification: string | null;
  requestedAt: string | null;
  authenticatedAt: string | null;
  methods: string[];
  channels: string[];
  live: boolean;
}

export function Sessions(props: { session: PortalSession }) {
  const [sessions, setSessions] = useState<SessionView[]>();
  const [error, setError] = useState<unknown>();
  const [reason, setReason] = useState("");
  const { busy, error: endError, done, run } = useAction();
  const mayEnd = can(props.session, "end-sessions");

  const load = () => get<SessionView[]>("/sessions?live=true").then(setSessions, setError);
  useEffect(() => {
    load();
    // Sessions come and go by themselves: keep the list current while the page is open.
    const timer = window.setInterval(load, 5000);
    return () => window.clearInterval(timer);
  }, []);

  const end = (s: SessionView) => run(async () => {
    await post(`/sessions/${s.sessionId}/kill`, { reason: reason.trim() });
    await load();
    return `Ending the session of ${s.viewerAlias ?? "unknown"} on ${s.clientAlias ?? s.clientNumber}: the agent ends it at its next policy.`;
  });

  return (
    <>
      <h1>Live sessions</h1>
      {mayEnd && (
        <Field label="Reason for ending a session" name="end-reason" value={reason} onInput={setReason}
          hint="Required to end a session; recorded in the audit trail." errors={fieldErrors(endError, "reason")} />
      )}
      <ProblemMessage error={endError ?? error} />
      {done && <Notice>{done}</Notice>}
      {!sessions ? !error && <Loading /> : sessions.length === 0 ? <p>No live sessions.</p> : (
        <div class="table-wrap">
          <table>
            <caption>{sessions.length} live sessions</caption>
            <thead>
              <tr>
                <th scope="col">Client</th><th scope="col">Viewer</th><th scope="col">Since</th><th scope="col">From</th>
                <th scope="col">Authenticated by</th><th scope="col">Channels</th><th scope="col">Justification</th>
                {mayEnd && <th scope="col"><span class="visually-hidden">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.sessionId}>
                  <th scope="row"><a href={href("clients", s.clientId)}>{s.clientAlias ?? s.clientNumber}</a></th>
                  <td>{s.viewerAlias ?? ""}</td>
                  <td>{time(s.authenticatedAt ?? s.requestedAt)}</td>
                  <td>{s.source ?? ""}</td>
                  <td>{s.methods.join(", ")}</td>
                  <td>{s.channels.join(", ")}</td>
                  <td>{s.justification ?? ""}</td>
                  {mayEnd && (
                    <td><button type="button" disabled={busy} aria-label={`End the session of ${s.viewerAlias ?? "unknown"} on ${s.clientAlias ?? s.clientNumber}`}
                      onClick={() => end(s)}>End</button></td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
