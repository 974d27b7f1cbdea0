// One client: its settings and, for roles that may manage clients, every change the API offers for it (ACL, unattended
// access, session permissions, remember-tokens). Every change sends the reason given once at the top and the client
// version that was read, so a change made meanwhile by someone else is refused (409) instead of overwritten.
import { useEffect, useState } from "preact/hooks";
import { get, post, segment } from "../api";
import { Field, Loading, Notice, ProblemMessage, fieldErrors, time } from "../components";
import { RevealOnce } from "../reveal";
import { href } from "../router";
import { can, type PortalSession } from "../session";
import { clientName, isOnline, type ClientChangeResponse, type ClientDetail as Detail } from "../types";
import { AclPreview } from "./AclPreview";

export interface Changes {
  busy: boolean;
  /** Applies one change (POST /clients/{id}/{action}); resolves to the response, or undefined when the API refused it. */
  run: (action: string, fields: Record<string, unknown>, success: string) => Promise<ClientChangeResponse | undefined>;
}

export function ClientDetail(props: { session: PortalSession; client: string }) {
  const [detail, setDetail] = useState<Detail>();
  const [loadError, setLoadError] = useState<unknown>();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
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
      setBusy(true);
      setError(undefined);
      setDone(undefined);
      try {
        const result = await post<ClientChangeResponse>(`/clients/${detail.summary.id}/${action}`,
          { reason: reason.trim(), expectedVersion: detail.summary.version, ...fields });
        setDone(result.changed ? `${success} (client version ${result.version}).` : "Nothing to change.");
        if (result.revealedPassword) {
          setRevealed(result.revealedPassword);
        }
        await load();
        return result;
      } catch (failure) {
        setError(failure);
        return undefined;
      } finally {
        setBusy(false);
      }
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
        <div><dt>Status</dt><dd>{isOnline(summary) ? "online" : "offline"}, last seen {time(summary.lastSeenAt)}</dd></div>
        <div><dt>Policy</dt><dd data-testid="policy-versions">enforces v{summary.enforcedPolicyVersion ?? "–"}, latest v{summary.latestPolicyVersion}</dd></div>
        <div><dt>Two-factor</dt><dd>{detail.twoFactorEnabled ? "on" : "off"}</dd></div>
        <div><dt>Tags</dt><dd>{summary.tags.join(", ") || "none"}</dd></div>
        <div><dt>Key fingerprint</dt><dd><code>{detail.keyFingerprint}</code></dd></div>
        <div><dt>Enrolled</dt><dd>{time(detail.enrolledAt)}</dd></div>
      </dl>
      {manage && (
        <section class="change-reason" aria-labelledby="reason-title">
          <h2 id="reason-title">Make a change</h2>
          <Field label="Reason for the change" name="change-reason" value={reason} onInput={setReason}
            hint="Required for every change below; recorded with it in the audit trail." errors={fieldErrors(error, "reason")} />
          <ProblemMessage error={error} />
          {done && <Notice>{done}</Notice>}
        </section>
      )}
      <AccessControlList detail={detail} changes={manage ? changes : undefined} canPreview={can(props.session, "read-audit")} />
      <UnattendedAccess detail={detail} changes={manage ? changes : undefined} />
      <Permissions detail={detail} changes={manage ? changes : undefined} />
      {can(props.session, "read-sessions") && <RememberTokens clientId={summary.id} tokenEpoch={detail.tokenEpoch} changes={manage ? changes : undefined} />}
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
          if (await changes.run("acl-add", { entry: entry.trim() }, `Added ${entry.trim()}`)) {
            setEntry("");
          }
        }}>
          <Field label="Entry to add" name="acl-entry" value={entry} onInput={setEntry}
            hint="An alias (alice@acme), a pattern (*-support@acme) or a client number." />
          {props.canPreview && <AclPreview clientId={detail.summary.id} entry={entry.trim()} />}
          <div class="actions">
            <button type="submit" class="primary" disabled={changes.busy || !entry.trim()}>Add entry</button>
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

function UnattendedAccess(props: { detail: Detail; changes?: Changes }) {
  const { detail, changes } = props;
  return (
    <section aria-labelledby="unattended-title" class="part">
      <h2 id="unattended-title">Unattended access</h2>
      <p data-testid="unattended-state">
        Unattended access is <strong>{detail.unattendedEnabled ? "on" : "off"}</strong>
        {detail.unattendedExclusive ? ", exclusive (the password only: no remember-tokens)" : ""};
        {detail.unattendedPasswordSet ? " a password is set." : " no password is set."}
      </p>
      {changes && (
        <div class="actions">
          <button type="button" disabled={changes.busy}
            onClick={() => changes.run(detail.unattendedEnabled ? "unattended-disable" : "unattended-enable", {},
              detail.unattendedEnabled ? "Unattended access switched off" : "Unattended access switched on")}>
            {detail.unattendedEnabled ? "Switch unattended access off" : "Switch unattended access on"}
          </button>
          <button type="button" disabled={changes.busy}
            onClick={() => changes.run("unattended-exclusive", { exclusive: !detail.unattendedExclusive },
              detail.unattendedExclusive ? "Exclusive mode off" : "Exclusive mode on")}>
            {detail.unattendedExclusive ? "Turn exclusive mode off" : "Turn exclusive mode on"}
          </button>
          <button type="button" disabled={changes.busy}
            onClick={() => changes.run("unattended-password", {}, "New unattended password generated")}>Rotate the password</button>
        </div>
      )}
    </section>
  );
}

function Permissions(props: { detail: Detail; changes?: Changes }) {
  const { detail, changes } = props;
  const [exec, setExec] = useState(detail.permissions.exec);
  const [shell, setShell] = useState(detail.permissions.shell);
  const [fileTransfer, setFileTransfer] = useState(detail.permissions.fileTransfer);
  const box = (id: string, label: string, value: boolean, set: (v: boolean) => void) => (
    <div class="check">
      <input type="checkbox" id={id} checked={value} disabled={!changes}
        onChange={(e) => set((e.currentTarget as HTMLInputElement).checked)} />
      <label for={id}>{label}</label>
    </div>
  );
  return (
    <section aria-labelledby="permissions-title" class="part">
      <h2 id="permissions-title">Session permissions</h2>
      <form onSubmit={(e) => { e.preventDefault(); changes?.run("permissions", { exec, shell, fileTransfer }, "Session permissions saved"); }}>
        <fieldset>
          <legend>Sessions to this client may use</legend>
          {box("permission-exec", "Run commands (exec)", exec, setExec)}
          {box("permission-shell", "Interactive shell", shell, setShell)}
          {box("permission-files", "File transfer", fileTransfer, setFileTransfer)}
        </fieldset>
        {changes && <div class="actions"><button type="submit" disabled={changes.busy}>Save permissions</button></div>}
      </form>
    </section>
  );
}

interface RememberToken {
  tokenId: string;
  viewerAlias: string;
  device: string | null;
  issuedAt: string;
  lastUsedAt: string | null;
}

function RememberTokens(props: { clientId: string; tokenEpoch: number; changes?: Changes }) {
  const { changes } = props;
  const [tokens, setTokens] = useState<RememberToken[]>();
  const [error, setError] = useState<unknown>();
  const load = () => get<RememberToken[]>(`/clients/${props.clientId}/tokens`).then(setTokens, setError);
  useEffect(() => {
    load();
  }, [props.clientId, props.tokenEpoch]);

  return (
    <section aria-labelledby="tokens-title" class="part">
      <h2 id="tokens-title">Remember-tokens</h2>
      <ProblemMessage error={error} />
      {!tokens ? !error && <Loading /> : tokens.length === 0 ? <p>No valid remember-tokens.</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Viewer</th><th scope="col">Device</th><th scope="col">Issued</th><th scope="col">Last used</th>{changes && <th scope="col"><span class="visually-hidden">Actions</span></th>}</tr></thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.tokenId}>
                  <td>{t.viewerAlias}</td><td>{t.device ?? ""}</td><td>{time(t.issuedAt)}</td><td>{time(t.lastUsedAt)}</td>
                  {changes && (
                    <td><button type="button" disabled={changes.busy} aria-label={`Revoke the token of ${t.viewerAlias} issued ${time(t.issuedAt)}`}
                      onClick={async () => { await changes.run(`tokens/${segment(t.tokenId)}/revoke`, {}, "Token revoked"); load(); }}>Revoke</button></td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {changes && (
        <div class="actions">
          <button type="button" disabled={changes.busy} onClick={() => changes.run("tokens-clear", {}, "Every remember-token cleared")}>Clear all tokens</button>
        </div>
      )}
    </section>
  );
}
