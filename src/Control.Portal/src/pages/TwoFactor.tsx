// Turning on two-factor authentication: the server makes the secret and its QR code (a PNG data: URI, never a URL
// with the secret in it), the operator proves a first code, and the ten recovery codes are shown once.
import { useState } from "preact/hooks";
import { post } from "../api";
import { Field, ProblemMessage, useAction } from "../components";
import type { PortalSession } from "../session";

interface Enrollment {
  secret: string;
  otpAuthUri: string;
  qrCodePng: string;
}

export function TwoFactor(props: { session: PortalSession; onEnabled: () => void }) {
  const [enrollment, setEnrollment] = useState<Enrollment>();
  const [code, setCode] = useState("");
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const { busy, error, run } = useAction();

  if (recoveryCodes) {
    return (
      <section aria-labelledby="recovery-title">
        <h1 id="recovery-title">Two-factor authentication is on</h1>
        <p>Save these recovery codes somewhere safe now. Each signs you in once without your authenticator. <strong>They are shown only this once.</strong></p>
        <ol class="recovery-codes" aria-label="Recovery codes">
          {recoveryCodes.map((c) => <li key={c}><code>{c}</code></li>)}
        </ol>
        <button type="button" class="primary" onClick={() => { setRecoveryCodes(undefined); props.onEnabled(); }}>I have saved them</button>
      </section>
    );
  }

  if (props.session.operator.twoFactorEnabled) {
    return (
      <section>
        <h1>Two-factor authentication</h1>
        <p>Two-factor authentication is on; {props.session.operator.recoveryCodesLeft} recovery codes are left.</p>
        <p>An owner or security admin can reset it if you lose your authenticator.</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="two-factor-title">
      <h1 id="two-factor-title">Turn on two-factor authentication</h1>
      <ProblemMessage error={error} />
      {!enrollment ? (
        <>
          <p>Every sign-in will then need a code from an authenticator app as well as your password.</p>
          <button type="button" class="primary" disabled={busy}
            onClick={() => run(async () => setEnrollment(await post<Enrollment>("/me/2fa/enroll")))}>Start</button>
        </>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); run(async () => setRecoveryCodes((await post<{ recoveryCodes: string[] }>("/me/2fa/confirm", { code: code.trim() })).recoveryCodes)); }}>
          <p>Scan this QR code with your authenticator app, or type the secret in.</p>
          <img class="qr" src={enrollment.qrCodePng} width={240} height={240} alt="QR code with the two-factor secret for your authenticator app" />
          <p>Secret: <code class="secret">{enrollment.secret}</code></p>
          <Field label="Code from the app" name="confirm-code" value={code} onInput={setCode} inputMode="numeric" autoComplete="one-time-code" required autoFocus />
          <div class="actions"><button type="submit" class="primary" disabled={busy}>Turn on</button></div>
        </form>
      )}
    </section>
  );
}
