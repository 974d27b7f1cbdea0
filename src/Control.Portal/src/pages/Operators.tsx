// Operator accounts: who has which role and state; admins invite (the activation code is shown once), disable or
// enable, and reset a password (a new one-time activation code) or the second factor. Each action sends the reason
// and the version that was read. What the role may not do is not offered, as the API answers it: each row's
// callerMayManage (security-admins cannot manage owners, nobody acts on themselves) and the session's grantable roles
// for an invitation; the API still refuses anything sent anyway.
import { useEffect, useState } from "preact/hooks";
import { get, post } from "../api";
import { ChangeReason, Field, Loading, ProblemMessage, fieldErrors, time, useAction } from "../components";
import { RevealOnce } from "../reveal";
import { can, type PortalSession } from "../session";

interface OperatorSummary {
  id: string;
  username: string;
  role: string;
  status: string;
  twoFactorEnabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
  version: number;
  callerMayManage: boolean;
}

interface Revealed {
  title: string;
  secret: string;
  text: string;
}

export function Operators(props: { session: PortalSession }) {
  const [operators, setOperators] = useState<OperatorSummary[]>();
  const [error, setError] = useState<unknown>();
  const [reason, setReason] = useState("");
  const [username, setUsername] = useState("");
  const roles = props.session.grantableRoles;
  const [role, setRole] = useState(roles.includes("technician") ? "technician" : roles[0] ?? "");
  const { busy, error: actionError, done, run } = useAction();
  const [revealed, setRevealed] = useState<Revealed>();
  const manage = can(props.session, "manage-operators");

  const load = () => get<OperatorSummary[]>("/operators").then(setOperators, setError);
  useEffect(() => {
    load();
  }, []);

  const act = <T,>(path: string, body: Record<string, unknown>, success: string, reveal?: (result: T) => Revealed) => run(async () => {
    const result = await post<T>(path, { reason: reason.trim(), ...body });
    if (reveal) {
      setRevealed(reveal(result));
    }
    await load();
    return success;
  });

  const activation = (name: string) => (r: { activationCode: string; activationExpiresAt: string }) => ({
    title: `Activation code for ${name}`,
    secret: r.activationCode,
    text: `Give it to ${name}: they set their password on the portal's sign-in page ("Set your password") or with "control activate" (once, until ${time(r.activationExpiresAt)}). It is shown only now.`,
  });

  return (
    <>
      <h1>Operators</h1>
      {manage && (
        <ChangeReason name="operator-reason" reason={reason} onInput={setReason} error={actionError} done={done}
          hint="Required for every change on this page; recorded in the audit trail.">
          <form class="filters" onSubmit={(e) => {
            e.preventDefault();
            act("/operators", { username: username.trim(), role }, `Invited ${username.trim()}`, activation(username.trim()));
          }}>
            <Field label="Username to invite" name="invite-username" value={username} onInput={setUsername} errors={fieldErrors(actionError, "username")} />
            <div class="field">
              <label for="invite-role">Role</label>
              <select id="invite-role" value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value)}>
                {roles.map((r) => <option key={r} value={r}>{r}</option>)}
              </select>
            </div>
            <div class="actions"><button type="submit" class="primary" disabled={busy || !username.trim()}>Invite</button></div>
          </form>
        </ChangeReason>
      )}
      <ProblemMessage error={error} />
      {!operators ? !error && <Loading /> : (
        <div class="table-wrap">
          <table>
            <caption>{operators.length} operators</caption>
            <thead>
              <tr>
                <th scope="col">Username</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">2FA</th><th scope="col">Last sign-in</th>
                {manage && <th scope="col"><span class="visually-hidden">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {operators.map((o) => (
                <tr key={o.id}>
                  <th scope="row">{o.username}</th><td>{o.role}</td><td>{o.status}</td><td>{o.twoFactorEnabled ? "on" : "off"}</td><td>{time(o.lastSignInAt)}</td>
                  {manage && !o.callerMayManage && <td />}
                  {manage && o.callerMayManage && (
                    <td class="row-actions">
                      {o.status === "disabled"
                        ? <button type="button" disabled={busy} aria-label={`Enable ${o.username}`}
                            onClick={() => act(`/operators/${o.id}/enable`, { expectedVersion: o.version }, `Enabled ${o.username}`)}>Enable</button>
                        : <button type="button" disabled={busy} aria-label={`Disable ${o.username}`}
                            onClick={() => act(`/operators/${o.id}/disable`, { expectedVersion: o.version }, `Disabled ${o.username}: every session and token of theirs has ended`)}>Disable</button>}
                      <button type="button" disabled={busy} aria-label={`Reset password of ${o.username}`}
                        onClick={() => act(`/operators/${o.id}/reset-password`, { expectedVersion: o.version }, `Password of ${o.username} reset`, activation(o.username))}>Reset password</button>
                      {o.twoFactorEnabled && (
                        <button type="button" disabled={busy} aria-label={`Reset 2FA (two-factor authentication) of ${o.username}`}
                          onClick={() => act(`/operators/${o.id}/reset-2fa`, { expectedVersion: o.version }, `Two-factor authentication of ${o.username} reset`)}>Reset 2FA</button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revealed && <RevealOnce title={revealed.title} secret={revealed.secret} onClose={() => setRevealed(undefined)}>{revealed.text}</RevealOnce>}
    </>
  );
}
