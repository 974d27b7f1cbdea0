// The address book: search (alias, number, host name), filter by tag (the API's ?tag=), online status, the policy
// version each client enforces against the latest, and when it was last seen.
import { useEffect, useState } from "preact/hooks";
import { get, post } from "../api";
import type { ClientAction } from "../clientActions";
import { Field, Loading, Notice, ProblemMessage, fieldErrors, time, useAction } from "../components";
import { href, type Route } from "../router";
import { can, type PortalSession } from "../session";
import { RevealOnce, type LabelledSecret } from "../reveal";
import { clientName, type ClientChangeResponse, type ClientSummary } from "../types";

export function Clients(props: { route: Route; session: PortalSession }) {
  const [search, setSearch] = useState(props.route.query.get("q") ?? "");
  const [tag, setTag] = useState(props.route.query.get("tag") ?? "");
  const [appliedTag, setAppliedTag] = useState(tag);
  const [clients, setClients] = useState<ClientSummary[]>();
  const [error, setError] = useState<unknown>();
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    setClients(undefined);
    setError(undefined);
    get<ClientSummary[]>(appliedTag.trim() ? `/clients?tag=${encodeURIComponent(appliedTag.trim())}` : "/clients").then(setClients, setError);
  }, [appliedTag, reloads]);

  const needle = search.trim().toLowerCase();
  const shown = (clients ?? []).filter((c) =>
    !needle || [c.alias ?? "", c.number, c.hostname ?? ""].some((v) => v.toLowerCase().includes(needle)));

  return (
    <>
      <h1>Clients</h1>
      <form class="filters" role="search" onSubmit={(e) => { e.preventDefault(); setAppliedTag(tag); }}>
        <div class="field">
          <label for="client-search">Search</label>
          <input id="client-search" type="search" value={search} placeholder="alias, number or host name"
            onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="client-tag">Tag</label>
          <input id="client-tag" type="text" value={tag} onInput={(e) => setTag((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div class="actions"><button type="submit">Filter by tag</button></div>
      </form>
      {can(props.session, "manage-clients") && appliedTag.trim() && (
        <BulkChange key={appliedTag.trim()} tag={appliedTag.trim()} clients={clients} onDone={() => setReloads(reloads + 1)} />
      )}
      <ProblemMessage error={error} />
      {!clients && !error && <Loading />}
      {clients && (
        <div class="table-wrap">
          <table class="clients">
            <caption>{shown.length === clients.length ? `${clients.length} clients` : `${shown.length} of ${clients.length} clients`}</caption>
            <thead>
              <tr>
                <th scope="col">Client</th><th scope="col">Number</th><th scope="col">Host</th><th scope="col">Status</th>
                <th scope="col">Policy (enforced / latest)</th><th scope="col">Last seen</th><th scope="col">Tags</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => {
                const online = c.online;
                const behind = c.enforcedPolicyVersion !== c.latestPolicyVersion;
                return (
                  <tr key={c.id}>
                    <th scope="row"><a href={href("clients", c.id)}>{clientName(c)}</a></th>
                    <td>{c.number}</td>
                    <td>{c.hostname ?? ""}</td>
                    <td><span class={online ? "badge online" : "badge offline"}>{online ? "online" : "offline"}</span></td>
                    <td class={behind ? "behind" : undefined}>
                      v{c.enforcedPolicyVersion ?? "–"} / v{c.latestPolicyVersion}{behind && <span class="visually-hidden"> (not yet enforced)</span>}
                    </td>
                    <td>{time(c.lastSeenAt)}</td>
                    <td>{c.tags.join(", ")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

// The API's bulk actions; a password rotation generates a different password per client and reveals each once.
const bulkActions: { action: ClientAction; label: string; entry?: boolean }[] = [
  { action: "acl-enable", label: "Switch the ACL on" },
  { action: "acl-disable", label: "Switch the ACL off" },
  { action: "acl-add", label: "Add an ACL entry", entry: true },
  { action: "acl-remove", label: "Remove an ACL entry", entry: true },
  { action: "unattended-enable", label: "Switch unattended access on" },
  { action: "unattended-disable", label: "Switch unattended access off" },
  { action: "unattended-password", label: "Rotate the unattended passwords (each shown once)" },
  { action: "tokens-clear", label: "Clear all remember-tokens" },
  { action: "remove", label: "Remove the clients" },
];

/** One change to every client with the tag, in one transaction under one correlation id (POST /clients/bulk/{action}). */
function BulkChange(props: { tag: string; clients: ClientSummary[] | undefined; onDone: () => void }) {
  const [action, setAction] = useState(bulkActions[0].action);
  const [entry, setEntry] = useState("");
  const [reason, setReason] = useState("");
  const { busy, error, done, run } = useAction();
  const [revealed, setRevealed] = useState<LabelledSecret[]>();
  const chosen = bulkActions.find((a) => a.action === action)!;
  const count = props.clients?.length;

  const submit = (e: Event) => {
    e.preventDefault();
    run(async () => {
      const result = await post<{ correlationId: string; clients: ClientChangeResponse[] }>(`/clients/bulk/${action}`,
        { tag: props.tag, reason: reason.trim(), entry: chosen.entry ? entry.trim() : undefined });
      const names = new Map((props.clients ?? []).map((c) => [c.id, clientName(c)]));
      const secrets = result.clients.filter((c) => c.revealedPassword)
        .map((c) => ({ label: names.get(c.clientId) ?? c.number, secret: c.revealedPassword! }));
      if (secrets.length > 0) {
        setRevealed(secrets);
      }
      props.onDone();
      return `${chosen.label}: ${result.clients.filter((c) => c.changed).length} of ${result.clients.length} clients changed (correlation ${result.correlationId}).`;
    });
  };

  return (
    <form class="bulk" aria-labelledby="bulk-title" onSubmit={submit}>
      <h2 id="bulk-title">Change every client tagged “{props.tag}”</h2>
      <div class="filters">
        <div class="field">
          <label for="bulk-action">Change</label>
          <select id="bulk-action" value={action} onChange={(e) => setAction((e.currentTarget as HTMLSelectElement).value as ClientAction)}>
            {bulkActions.map((a) => <option key={a.action} value={a.action}>{a.label}</option>)}
          </select>
        </div>
        {chosen.entry && <Field label="ACL entry" name="bulk-entry" value={entry} onInput={setEntry} errors={fieldErrors(error, "entry")} />}
        <Field label="Reason" name="bulk-reason" value={reason} onInput={setReason} errors={fieldErrors(error, "reason")} />
      </div>
      <ProblemMessage error={error} />
      {done && <Notice>{done}</Notice>}
      <div class="actions"><button type="submit" disabled={busy || !count}>Apply to {count ?? "…"} clients</button></div>
      {revealed && (
        <RevealOnce title="New unattended passwords" secrets={revealed} onClose={() => setRevealed(undefined)}>
          Each client's new unattended password. Give them to whoever needs them now: they are shown only this once, and
          showing them is recorded.
        </RevealOnce>
      )}
    </form>
  );
}
