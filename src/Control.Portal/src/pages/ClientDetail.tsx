// One client: its settings, and (for roles that may manage clients) the ACL editor. Every change sends a reason and
// the version that was read, so a change made meanwhile by someone else is refused (409) instead of overwritten.
import { useEffect, useState } from "preact/hooks";
import { get, post, segment } from "../api";
import { Field, Loading, Notice, ProblemMessage, fieldErrors, time } from "../components";
import { href } from "../router";
import { can, type PortalSession } from "../session";
import { clientName, isOnline, type ClientChangeResponse, type ClientDetail as Detail } from "../types";

export function ClientDetail(props: { session: PortalSession; client: string }) {
  const [detail, setDetail] = useState<Detail>();
  const [error, setError] = useState<unknown>();

  const load = () => get<Detail>(`/clients/${segment(props.client)}`).then(setDetail, setError);
  useEffect(() => {
    setDetail(undefined);
    setError(undefined);
    load();
  }, [props.client]);

  if (!detail) {
    return error ? <><p><a href={href("clients")}>All clients</a></p><ProblemMessage error={error} /></> : <Loading />;
  }

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
        <div><dt>Unattended access</dt><dd>{detail.unattendedEnabled ? "on" : "off"}{detail.unattendedExclusive ? ", exclusive" : ""}{detail.unattendedPasswordSet ? ", password set" : ", no password"}</dd></div>
        <div><dt>Two-factor</dt><dd>{detail.twoFactorEnabled ? "on" : "off"}</dd></div>
        <div><dt>Session permissions</dt><dd>{[detail.permissions.exec && "exec", detail.permissions.shell && "shell", detail.permissions.fileTransfer && "file transfer"].filter(Boolean).join(", ") || "none"}</dd></div>
        <div><dt>Tags</dt><dd>{summary.tags.join(", ") || "none"}</dd></div>
        <div><dt>Key fingerprint</dt><dd><code>{detail.keyFingerprint}</code></dd></div>
        <div><dt>Enrolled</dt><dd>{time(detail.enrolledAt)}</dd></div>
      </dl>
      <AccessControlList detail={detail} editable={can(props.session, "manage-clients")} onChanged={load} />
    </>
  );
}

function AccessControlList(props: { detail: Detail; editable: boolean; onChanged: () => Promise<void> }) {
  const { detail } = props;
  const [entry, setEntry] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function change(action: string, fields: Record<string, unknown>, success: string) {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await post<ClientChangeResponse>(`/clients/${detail.summary.id}/${action}`,
        { reason: reason.trim(), expectedVersion: detail.summary.version, ...fields });
      setDone(result.changed ? `${success} (client version ${result.version}).` : "Nothing to change.");
      if (action === "acl-add") {
        setEntry("");
      }
      await props.onChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="acl-title" class="acl">
      <h2 id="acl-title">Access control list</h2>
      <p data-testid="acl-state">The ACL is <strong>{detail.aclEnabled ? "on" : "off"}</strong>{detail.aclEnabled ? ": only the entries below may connect." : ": every viewer of the organization may ask to connect."}</p>
      {detail.aclEntries.length === 0 ? <p>No entries.</p> : (
        <ul class="entries" aria-label="ACL entries">
          {detail.aclEntries.map((e) => (
            <li key={e}>
              <code>{e}</code>
              {props.editable && (
                <button type="button" disabled={busy} aria-label={`Remove ${e}`}
                  onClick={() => change("acl-remove", { entry: e }, `Removed ${e}`)}>Remove</button>
              )}
            </li>
          ))}
        </ul>
      )}
      {props.editable && (
        <form class="acl-editor" onSubmit={(e) => { e.preventDefault(); change("acl-add", { entry: entry.trim() }, `Added ${entry.trim()}`); }}>
          <h3>Change the ACL</h3>
          <ProblemMessage error={error} />
          {done && <Notice>{done}</Notice>}
          <Field label="Reason for the change" name="acl-reason" value={reason} onInput={setReason} required
            hint="Recorded with the change in the audit trail." errors={fieldErrors(error, "reason")} />
          <Field label="Entry to add" name="acl-entry" value={entry} onInput={setEntry}
            hint="An alias (alice@acme), a pattern (*-support@acme) or a client number." errors={fieldErrors(error, "entry")} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || !entry.trim()}>Add entry</button>
            <button type="button" disabled={busy}
              onClick={() => change(detail.aclEnabled ? "acl-disable" : "acl-enable", {}, detail.aclEnabled ? "ACL switched off" : "ACL switched on")}>
              {detail.aclEnabled ? "Switch the ACL off" : "Switch the ACL on"}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
