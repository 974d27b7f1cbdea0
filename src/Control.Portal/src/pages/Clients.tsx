// The address book: search (alias, number, host name), filter by tag (the API's ?tag=), online status, the policy
// version each client enforces against the latest, and when it was last seen.
import { useEffect, useState } from "preact/hooks";
import { get } from "../api";
import { Loading, ProblemMessage, time } from "../components";
import { href, type Route } from "../router";
import { clientName, isOnline, type ClientSummary } from "../types";

export function Clients(props: { route: Route }) {
  const [search, setSearch] = useState(props.route.query.get("q") ?? "");
  const [tag, setTag] = useState(props.route.query.get("tag") ?? "");
  const [appliedTag, setAppliedTag] = useState(tag);
  const [clients, setClients] = useState<ClientSummary[]>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    setClients(undefined);
    setError(undefined);
    get<ClientSummary[]>(appliedTag.trim() ? `/clients?tag=${encodeURIComponent(appliedTag.trim())}` : "/clients").then(setClients, setError);
  }, [appliedTag]);

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
                const online = isOnline(c);
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
