// Password first; when the account has two-factor authentication the server answers "second factor required" and
// the form asks for the authenticator code (or a recovery code) and sends everything again: one sign-in, two steps.
import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { Field, ProblemMessage } from "../components";
import { href } from "../router";
import { signIn, type PortalSession } from "../session";

const SecondFactorRequired = "sign_in.second_factor_required";
const InvalidSecondFactor = "sign_in.invalid_second_factor";

export function SignIn(props: { onSignedIn: (session: PortalSession) => void; notice?: string }) {
  const [organization, setOrganization] = useState(localStorage.getItem("control.organization") ?? "");
  // Decided once: focus must not jump to the username while the organization is being typed.
  const [remembered] = useState(organization !== "");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [secondFactor, setSecondFactor] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await signIn({
        organization: organization.trim(),
        username: username.trim(),
        password,
        totpCode: secondFactor && !useRecovery ? code.trim() : undefined,
        recoveryCode: secondFactor && useRecovery ? code.trim() : undefined,
      });
      localStorage.setItem("control.organization", organization.trim());
      setPassword("");
      props.onSignedIn(session);
    } catch (failure) {
      if (failure instanceof ApiError && (failure.code === SecondFactorRequired || failure.code === InvalidSecondFactor)) {
        setSecondFactor(true);
      }
      // "Second factor required" is the next step, not an error.
      setError(failure instanceof ApiError && failure.code === SecondFactorRequired ? undefined : failure);
      setCode("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="sign-in" id="main">
      <h1>Sign in to Control</h1>
      {props.notice && <p class="notice" role="status">{props.notice}</p>}
      <form onSubmit={submit} aria-busy={busy}>
        <ProblemMessage error={error} />
        {!secondFactor ? (
          <>
            <Field label="Organization" name="organization" value={organization} onInput={setOrganization} autoComplete="organization" required autoFocus={!remembered} />
            <Field label="Username" name="username" value={username} onInput={setUsername} autoComplete="username" required autoFocus={remembered} />
            <Field label="Password" name="password" type="password" value={password} onInput={setPassword} autoComplete="current-password" required />
          </>
        ) : useRecovery ? (
          <Field label="Recovery code" name="recovery-code" value={code} onInput={setCode} autoComplete="off" required autoFocus
            hint="One of the ten codes you saved when you turned on two-factor authentication; each works once." />
        ) : (
          <Field label="Authenticator code" name="totp-code" value={code} onInput={setCode} autoComplete="one-time-code" inputMode="numeric" required autoFocus
            hint="The 6-digit code your authenticator app shows for Control." />
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>{secondFactor ? "Verify" : "Sign in"}</button>
          {secondFactor && (
            <button type="button" onClick={() => { setUseRecovery(!useRecovery); setCode(""); setError(undefined); }}>
              {useRecovery ? "Use the authenticator code" : "Use a recovery code"}
            </button>
          )}
          {secondFactor && (
            <button type="button" onClick={() => { setSecondFactor(false); setPassword(""); setCode(""); setError(undefined); }}>Start over</button>
          )}
        </div>
      </form>
      <p>Invited, or was your password reset? <a href={href("activate")}>Set your password with the activation code</a>.</p>
    </main>
  );
}
