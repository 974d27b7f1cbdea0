// What needs attention now. Each panel shows only when the role may read what it is made of.
import { useEffect, useState } from "preact/hooks";
import { get } from "../api";
import { Loading, ProblemMessage, time } from "../components";
import { href } from "../router";
import { can, type PortalSession } from "../session";
import { clientName, type AuditEventPage, type ClientSummary, type OffboardingSummary } from "../types";

function useLoad<T>(path: string | null) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (path) {
      get<T>(path).then(setData, setError);
    }
  }, [path]);
  return { data, error };
}

export function Dashboard(props: { session: PortalSession }) {
  const { session } = props;
  const clients = useLoad<ClientSummary[]>(can(session, "read-clients") ? "/clients" : null);
  const offboardings = useLoad<OffboardingSummary[]>(can(session, "offboard") ? "/offboardings" : null);
  const changes = useLoad<AuditEventPage>(can(session, "read-audit") ? "/audit/events?limit=10" : null);

  return (
    <>
      <h1>Dashboard</h1>
      <div class="panels">
        {can(session, "read-clients") && (
          <section class="panel" aria-labelledby="panel-clients">
            <h2 id="panel-clients">Clients</h2>
            <ProblemMessage error={clients.error} />
            {clients.data ? <ClientCounts clients={clients.data} /> : !clients.error && <Loading />}
          </section>
        )}
        {can(session, "offboard") && (
          <section class="panel" aria-labelledby="panel-offboardings">
            <h2 id="panel-offboardings">Running offboardings</h2>
            <ProblemMessage error={offboardings.error} />
            {offboardings.data ? <Running offboardings={offboardings.data} /> : !offboardings.error && <Loading />}
          </section>
        )}
        {can(session, "read-audit") && (
          <section class="panel wide" aria-labelledby="panel-changes">
            <h2 id="panel-changes">Recent security changes</h2>
            <ProblemMessage error={changes.error} />
            {changes.data ? <RecentChanges page={changes.data} /> : !changes.error && <Loading />}
          </section>
        )}
      </div>
    </>
  );
}

function ClientCounts(props: { clients: ClientSummary[] }) {
  const online = props.clients.filter((c) => c.online).length;
  const behind = props.clients.filter((c) => c.enforcedPolicyVersion !== c.latestPolicyVersion);
  return (
    <>
      <dl class="counts">
        <div><dt>Online</dt><dd data-testid="clients-online">{online}</dd></div>
        <div><dt>Offline</dt><dd data-testid="clients-offline">{props.clients.length - online}</dd></div>
        <div><dt>Policy not yet enforced</dt><dd data-testid="clients-behind">{behind.length}</dd></div>
      </dl>
      {behind.length > 0 && (
        <ul class="plain">
          {behind.slice(0, 10).map((c) => (
            <li key={c.id}><a href={href("clients", c.id)}>{clientName(c)}</a>: enforces v{c.enforcedPolicyVersion ?? "none"}, latest v{c.latestPolicyVersion}</li>
          ))}
        </ul>
      )}
    </>
  );
}

function Running(props: { offboardings: OffboardingSummary[] }) {
  const running = props.offboardings.filter((o) => ["scheduled", "running", "awaiting-receipts"].includes(o.status));
  if (running.length === 0) {
    return <p>None running.</p>;
  }
  return (
    <ul class="plain">
      {running.map((o) => <li key={o.id}>{o.person}: {o.status} ({o.pendingReceipts} of {o.expectedReceipts} receipts pending), started {time(o.requestedAt)} by {o.requestedBy}</li>)}
    </ul>
  );
}

function RecentChanges(props: { page: AuditEventPage }) {
  if (props.page.items.length === 0) {
    return <p>No changes yet.</p>;
  }
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">The ten newest security changes</caption>
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Target</th><th scope="col">Who</th><th scope="col">Why</th></tr></thead>
        <tbody>
          {props.page.items.map((e) => (
            <tr key={e.eventId}><td>{time(e.timestamp)}</td><td>{e.type}</td><td>{e.target ?? ""}</td><td>{e.actor ?? ""}</td><td>{e.reason ?? ""}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
