// An invited operator (or one whose password was reset) sets a password with the one-time activation code, then
// signs in. The API checks the password rules (length, breached-password list, no username or organization in it).
import { useState } from "preact/hooks";
import { request } from "../api";
import { Field, Notice, ProblemMessage, fieldErrors, useAction } from "../components";

export function Activate(props: { onDone: () => void }) {
  const [organization, setOrganization] = useState(localStorage.getItem("control.organization") ?? "");
  const [username, setUsername] = useState("");
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const { busy, error, done, run } = useAction();
  const mismatch = repeat.length > 0 && repeat !== password;

  return (
    <main class="sign-in" id="main">
      <h1>Set your password</h1>
      <p>With the activation code an administrator gave you (it works once).</p>
      <form onSubmit={(e) => {
        e.preventDefault();
        if (mismatch) {
          return;
        }
        run(async () => {
          await request<void>("POST", "/auth/activate",
            { body: { organization: organization.trim(), username: username.trim(), activationCode: code.trim(), newPassword: password }, expectUnauthorized: true });
          localStorage.setItem("control.organization", organization.trim());
          setPassword("");
          setRepeat("");
          return "Your password is set. Sign in with it now.";
        });
      }}>
        <ProblemMessage error={error} />
        {done ? (
          <>
            <Notice>{done}</Notice>
            <button type="button" class="primary" onClick={props.onDone}>Go to sign-in</button>
          </>
        ) : (
          <>
            <Field label="Organization" name="activate-organization" value={organization} onInput={setOrganization} autoComplete="organization" errors={fieldErrors(error, "organization")} />
            <Field label="Username" name="activate-username" value={username} onInput={setUsername} autoComplete="username" errors={fieldErrors(error, "username")} />
            <Field label="Activation code" name="activate-code" value={code} onInput={setCode} autoComplete="off" errors={fieldErrors(error, "activationCode")} />
            <Field label="New password" name="activate-password" type="password" value={password} onInput={setPassword} autoComplete="new-password"
              hint="At least 12 characters; a passphrase of several words is good. Common or breached passwords are refused." errors={fieldErrors(error, "newPassword")} />
            <Field label="New password again" name="activate-repeat" type="password" value={repeat} onInput={setRepeat} autoComplete="new-password"
              errors={mismatch ? ["The two passwords differ."] : undefined} />
            <div class="actions">
              <button type="submit" class="primary" disabled={busy || mismatch}>Set password</button>
              <button type="button" onClick={props.onDone}>Back to sign-in</button>
            </div>
          </>
        )}
      </form>
    </main>
  );
}
