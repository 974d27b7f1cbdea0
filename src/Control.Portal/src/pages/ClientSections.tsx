// The client page's sections besides the ACL: each shows the state and, given Changes (roles that may manage
// clients), the actions; every action goes through Changes.run (reason + expected version).
import { useEffect, useState } from "preact/hooks";
import { get, post, segment } from "../api";
import { Field, Loading, ProblemMessage, time, useAction } from "../components";
import { navigate } from "../router";
import { clientName, type AuditEventPage, type ClientDetail as Detail } from "../types";
import type { Changes } from "./ClientDetail";

export function UnattendedAccess(props: { detail: Detail; changes?: Changes }) {
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

export function Permissions(props: { detail: Detail; changes?: Changes }) {
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
      <Logins detail={detail} changes={changes} />
    </section>
  );
}

/** The local accounts sessions run as, the default first; naming root asks for an explicit confirmation. */
function Logins(props: { detail: Detail; changes?: Changes }) {
  const { detail, changes } = props;
  const [text, setText] = useState(detail.permissions.logins.join(", "));
  const [allowRoot, setAllowRoot] = useState(false);
  const logins = text.split(/[\s,]+/).filter((l) => l.length > 0);
  const namesRoot = logins.includes("root") && !detail.permissions.logins.includes("root");
  return (
    <form onSubmit={(e) => { e.preventDefault(); changes?.run("logins", { logins, allowRoot }, "Session logins saved"); }}>
      <p data-testid="logins-state">
        Sessions run as <strong>{detail.permissions.logins[0] ?? "nobody"}</strong> by default
        {detail.permissions.logins.length > 1 ? ` (or ${detail.permissions.logins.slice(1).join(", ")})` : ""}
        {detail.permissions.logins.includes("root") ? "; root is permitted: such a session controls the whole client, the agent included." : "."}
      </p>
      {changes && (
        <>
          <Field label="Logins (local accounts, the default first)" name="logins" value={text} onInput={setText}
            hint="Separated by commas or spaces. A session as an account not listed is refused." />
          {namesRoot && (
            <div class="check">
              <input type="checkbox" id="logins-allow-root" checked={allowRoot} onChange={(e) => setAllowRoot((e.currentTarget as HTMLInputElement).checked)} />
              <label for="logins-allow-root">Root sessions may read and change everything on the client, the agent's keys and audit queue included</label>
            </div>
          )}
          <div class="actions"><button type="submit" disabled={changes.busy}>Save logins</button></div>
        </>
      )}
    </form>
  );
}

interface RememberToken {
  tokenId: string;
  viewerAlias: string;
  device: string | null;
  issuedAt: string;
  lastUsedAt: string | null;
}

export function RememberTokens(props: { clientId: string; tokenEpoch: number; changes?: Changes }) {
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

interface Enrollment {
  secret: string;
  qrCodePng: string;
}

/** TOTP for sessions to this client: enrolled here (the QR code is shown once), confirmed with a first code. */
export function ClientTwoFactor(props: { detail: Detail; changes?: Changes; reason: string; onChanged: () => Promise<void> }) {
  const { detail, changes } = props;
  const [enrollment, setEnrollment] = useState<Enrollment>();
  const [code, setCode] = useState("");
  const { busy, error, run: step } = useAction();

  return (
    <section aria-labelledby="client-2fa-title" class="part">
      <h2 id="client-2fa-title">Two-factor for sessions</h2>
      <p data-testid="client-2fa-state">Sessions to this client {detail.twoFactorEnabled ? "need" : "do not need"} an authenticator code.</p>
      <ProblemMessage error={error} />
      {changes && (detail.twoFactorEnabled ? (
        <div class="actions">
          <button type="button" disabled={changes.busy} onClick={() => changes.run("2fa-disable", {}, "Two-factor for sessions switched off")}>Switch two-factor off</button>
        </div>
      ) : !enrollment ? (
        <div class="actions">
          <button type="button" disabled={busy} onClick={() => step(async () => {
            setEnrollment(await post<Enrollment>(`/clients/${detail.summary.id}/2fa/enroll`, { reason: props.reason.trim() }));
          })}>Set up two-factor</button>
        </div>
      ) : (
        <form onSubmit={(e) => {
          e.preventDefault();
          step(async () => {
            await post(`/clients/${detail.summary.id}/2fa/confirm`, { reason: props.reason.trim(), code: code.trim() });
            setEnrollment(undefined);
            setCode("");
            await props.onChanged();
          });
        }}>
          <p>Scan this with the authenticator app of whoever will open sessions to this client (shown only now), then enter its first code.</p>
          <img class="qr" src={enrollment.qrCodePng} width={240} height={240} alt="QR code with this client's two-factor secret" />
          <p>Secret: <code class="secret">{enrollment.secret}</code></p>
          <Field label="First code" name="client-2fa-code" value={code} onInput={setCode} inputMode="numeric" autoComplete="one-time-code" />
          <div class="actions"><button type="submit" class="primary" disabled={busy}>Switch two-factor on</button></div>
        </form>
      ))}
    </section>
  );
}

export function Tags(props: { detail: Detail; changes: Changes }) {
  const [tags, setTags] = useState(props.detail.summary.tags.join(", "));
  return (
    <section aria-labelledby="tags-title" class="part">
      <h2 id="tags-title">Tags</h2>
      <form onSubmit={(e) => {
        e.preventDefault();
        props.changes.run("tags", { tags: tags.split(",").map((t) => t.trim()).filter(Boolean) }, "Tags saved");
      }}>
        <Field label="Tags" name="client-tags" value={tags} onInput={setTags} hint="Comma-separated; bulk changes on the Clients page select clients by tag." />
        <div class="actions"><button type="submit" disabled={props.changes.busy}>Save tags</button></div>
      </form>
    </section>
  );
}

/** The client's own security changes, newest first (the audit trail for target client:ID). */
export function History(props: { clientId: string; version: number }) {
  const [page, setPage] = useState<AuditEventPage>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    get<AuditEventPage>(`/audit/events?target=${encodeURIComponent(`client:${props.clientId}`)}&limit=20`).then(setPage, setError);
  }, [props.clientId, props.version]);
  return (
    <section aria-labelledby="history-title" class="part">
      <h2 id="history-title">History</h2>
      <ProblemMessage error={error} />
      {!page ? !error && <Loading /> : (
        <div class="table-wrap">
          <table class="changes">
            <caption>The {page.items.length} newest changes of this client</caption>
            <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th><th scope="col">Why</th></tr></thead>
            <tbody>
              {page.items.map((e) => <tr key={e.eventId}><td>{time(e.timestamp)}</td><td>{e.type}</td><td>{e.actor ?? ""}</td><td>{e.reason ?? ""}</td></tr>)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function RemoveClient(props: { detail: Detail; changes: Changes }) {
  const [confirming, setConfirming] = useState(false);
  const name = clientName(props.detail.summary);
  return (
    <section aria-labelledby="remove-title" class="part">
      <h2 id="remove-title">Remove from the address book</h2>
      <p>The agent learns it from a signed tombstone policy and admits no session any more.</p>
      {!confirming ? (
        <div class="actions"><button type="button" class="danger" onClick={() => setConfirming(true)}>Remove {name}…</button></div>
      ) : (
        <div class="actions" role="group" aria-label="Confirm the removal">
          <button type="button" class="danger" disabled={props.changes.busy} onClick={async () => {
            if (await props.changes.run("remove", {}, `${name} removed`)) {
              navigate("clients");
            }
          }}>Yes, remove {name}</button>
          <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
        </div>
      )}
    </section>
  );
}

interface AccessPath {
  viewerAlias: string;
  person: string | null;
  admittedBy: string;
  methods: string[];
}

interface WhoCanReachView {
  aclEnabled: boolean;
  paths: AccessPath[];
  asOf: string | null;
  note: string | null;
}

/** The access review of this client: who can reach it now, or as of the end of a past day (replayed by the API). */
export function WhoCanReach(props: { clientId: string; version: number }) {
  const [day, setDay] = useState("");
  const [view, setView] = useState<WhoCanReachView>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setView(undefined);
    setError(undefined);
    const at = day ? `?at=${encodeURIComponent(`${day}T23:59:59Z`)}` : "";
    get<WhoCanReachView>(`/access/who-can-reach/${props.clientId}${at}`).then(setView, setError);
  }, [props.clientId, props.version, day]);
  return (
    <section aria-labelledby="reach-title" class="part">
      <h2 id="reach-title">Who can reach this client</h2>
      <div class="field">
        <label for="client-reach-day">As of the end of (UTC day; empty for now)</label>
        <input id="client-reach-day" type={"date" as "text"} value={day} onInput={(e) => setDay((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <ProblemMessage error={error} />
      {!view ? !error && <Loading /> : (
        <>
          <p data-testid="client-reach-summary">{view.asOf ? `As of ${time(view.asOf)}` : "Now"}: {view.paths.length} access paths{view.note ? `. ${view.note}` : ""}.</p>
          {view.paths.length > 0 && (
            <ul class="plain">{view.paths.map((p, i) => <li key={i}>{p.viewerAlias}{p.person ? ` (${p.person})` : ""}: {p.admittedBy} ({p.methods.join(", ")})</li>)}</ul>
          )}
        </>
      )}
    </section>
  );
}
