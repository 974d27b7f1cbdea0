// One client: its settings and, for roles that may manage clients, every change the API offers for it (ACL, unattended
// access, session permissions, remember-tokens). Every change sends the reason given once at the top and the client
// version that was read, so a change made meanwhile by someone else is refused (409) instead of overwritten.
import { useEffect, useState } from "preact/hooks";
import { get, post, segment } from "../api";
import type { ClientAction } from "../clientActions";
import { ChangeReason, Field, Loading, ProblemMessage, time, useAction } from "../components";
import { RevealOnce } from "../reveal";
import { href } from "../router";
import { can, type PortalSession } from "../session";
import { clientName, type ClientChangeResponse, type ClientDetail as Detail } from "../types";
import { AclMatchesPreview, AclPreview, EveryoneConfirmation } from "./AclPreview";
import { ClientTwoFactor, History, Permissions, RememberTokens, RemoveClient, Tags, UnattendedAccess, WhoCanReach } from "./ClientSections";

export interface Changes {
  busy: boolean;
  /** Applies one change (POST /clients/{id}/{action}); resolves to the response, or undefined when the API refused it. */
  // A change named in the contract, or a remember-token's revocation (its own endpoint under the client).
  run: (action: ClientAction | `tokens/${string}/revoke`, fields: Record<string, unknown>, success: string) => Promise<ClientChangeResponse | undefined>;
}

export function ClientDetail(props: { session: PortalSession; client: string }) {
  const [detail, setDetail] = useState<Detail>();
  const [loadError, setLoadError] = useState<unknown>();
  const [reason, setReason] = useState("");
  const { busy, error, done, run } = useAction();
  const [revealed, setRevealed] = useState<string>();

  const load = () => get<Detail>(`/clients/${segment(props.client)}`).then(setDetail, setLoadError);
  useEffect(() => {
    setDetail(undefined);
    setLoadError(undefined);
    load();
  }, [props.client]);

  if (!detail) {
    return loadError ? <><p><a href={href("clients")}>All clients</a></p><ProblemMessage error={loadError} /></> : <Loading />;
  }

  const manage = can(props.session, "manage-clients");
  const changes: Changes = {
    busy,
    run: async (action, fields, success) => {
      let result: ClientChangeResponse | undefined;
      await run(async () => {
        result = await post<ClientChangeResponse>(`/clients/${detail.summary.id}/${action}`,
          { reason: reason.trim(), expectedVersion: detail.summary.version, ...fields });
        if (result.revealedPassword) {
          setRevealed(result.revealedPassword);
        }
        await load();
        return result.changed ? `${success} (client version ${result.version}).` : "Nothing to change.";
      });
      return result;
    },
  };

  const summary = detail.summary;
  return (
    <>
      <p><a href={href("clients")}>All clients</a></p>
      <h1>{clientName(summary)}</h1>
      <dl class="facts">
        <div><dt>Number</dt><dd>{summary.number}</dd></div>
        <div><dt>Host name</dt><dd>{summary.hostname ?? "unknown"}</dd></div>
        <div><dt>Status</dt><dd>{summary.online ? "online" : "offline"}, last seen {time(summary.lastSeenAt)}</dd></div>
        <div><dt>Policy</dt><dd data-testid="policy-versions">enforces v{summary.enforcedPolicyVersion ?? "–"}, latest v{summary.latestPolicyVersion}</dd></div>
        <div><dt>Two-factor</dt><dd>{detail.twoFactorEnabled ? "on" : "off"}</dd></div>
        <div><dt>Tags</dt><dd>{summary.tags.join(", ") || "none"}</dd></div>
        <div><dt>Key fingerprint</dt><dd><code>{detail.keyFingerprint}</code></dd></div>
        <div><dt>Enrolled</dt><dd>{time(detail.enrolledAt)}</dd></div>
      </dl>
      {manage && (
        <ChangeReason name="change-reason" reason={reason} onInput={setReason} error={error} done={done}
          hint="Required for every change below; recorded with it in the audit trail." />
      )}
      <AccessControlList detail={detail} changes={manage ? changes : undefined} canPreview={can(props.session, "read-audit")} />
      <UnattendedAccess detail={detail} changes={manage ? changes : undefined} />
      <Permissions detail={detail} changes={manage ? changes : undefined} />
      {can(props.session, "read-sessions") && <RememberTokens clientId={summary.id} tokenEpoch={detail.tokenEpoch} changes={manage ? changes : undefined} />}
      <ClientTwoFactor detail={detail} changes={manage ? changes : undefined} reason={reason} onChanged={load} />
      {manage && <Tags detail={detail} changes={changes} />}
      {can(props.session, "read-access") && <WhoCanReach clientId={summary.id} version={summary.version} />}
      {can(props.session, "read-audit") && <History clientId={summary.id} version={summary.version} />}
      {manage && <RemoveClient detail={detail} changes={changes} />}
      {revealed && (
        <RevealOnce title="New unattended password" secret={revealed} onClose={() => setRevealed(undefined)}>
          The client's new unattended password. Give it to whoever needs it now: it is shown only this once, and
          showing it is recorded.
        </RevealOnce>
      )}
    </>
  );
}

function AccessControlList(props: { detail: Detail; changes?: Changes; canPreview: boolean }) {
  const { detail, changes } = props;
  const [entry, setEntry] = useState("");
  const [everyone, setEveryone] = useState(false);
  return (
    <section aria-labelledby="acl-title" class="part">
      <h2 id="acl-title">Access control list</h2>
      <p data-testid="acl-state">The ACL is <strong>{detail.aclEnabled ? "on" : "off"}</strong>{detail.aclEnabled ? ": only the entries below may connect." : ": every viewer of the organization may ask to connect."}</p>
      {detail.aclEntries.length === 0 ? <p>No entries.</p> : (
        <ul class="entries" aria-label="ACL entries">
          {detail.aclEntries.map((e) => (
            <li key={e}>
              <code>{e}</code>
              {changes && (
                <button type="button" disabled={changes.busy} aria-label={`Remove ${e}`}
                  onClick={() => changes.run("acl-remove", { entry: e }, `Removed ${e}`)}>Remove</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {changes && (
        <form class="acl-editor" onSubmit={async (e) => {
          e.preventDefault();
          if (await changes.run("acl-add", { entry: entry.trim(), allowEveryone: entry.trim() === "*" && everyone }, `Added ${entry.trim()}`)) {
            setEntry("");
            setEveryone(false);
          }
        }}>
          <Field label="Entry to add" name="acl-entry" value={entry} onInput={setEntry}
            hint="An alias (alice@acme), a pattern (*-support@acme) or a client number." />
          <EveryoneConfirmation entry={entry.trim()} confirmed={everyone} onChange={setEveryone} scope="to this client" />
          <AclMatchesPreview entry={entry.trim()} />
          {props.canPreview && <AclPreview clientId={detail.summary.id} entry={entry.trim()} />}
          <div class="actions">
            <button type="submit" class="primary" disabled={changes.busy || !entry.trim() || (entry.trim() === "*" && !everyone)}>Add entry</button>
            <button type="button" disabled={changes.busy}
              onClick={() => changes.run(detail.aclEnabled ? "acl-disable" : "acl-enable", {}, detail.aclEnabled ? "ACL switched off" : "ACL switched on")}>
              {detail.aclEnabled ? "Switch the ACL off" : "Switch the ACL on"}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
