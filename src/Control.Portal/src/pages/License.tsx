// The organization's license key enrols agents. Resetting it makes a new one (shown once) and kills the old: agents
// already enrolled keep working; new enrolments need the new key.
import { useState } from "preact/hooks";
import { post } from "../api";
import { Field, ProblemMessage, fieldErrors, useAction } from "../components";
import { RevealOnce } from "../reveal";

export function License() {
  const [reason, setReason] = useState("");
  const { busy, error, run } = useAction();
  const [key, setKey] = useState<string>();

  const reset = (e: Event) => {
    e.preventDefault();
    run(async () => {
      setKey((await post<{ licenseKey: string }>("/license/reset", { reason: reason.trim() })).licenseKey);
      setReason("");
    });
  };

  return (
    <>
      <h1>License</h1>
      <p>The license key enrols new agents. Only its hash is stored: it cannot be shown again, only replaced.</p>
      <form onSubmit={reset}>
        <Field label="Reason for the reset" name="license-reason" value={reason} onInput={setReason}
          hint="Required; recorded in the audit trail." errors={fieldErrors(error, "reason")} />
        <ProblemMessage error={error} />
        <div class="actions"><button type="submit" class="primary" disabled={busy}>Reset the license key</button></div>
      </form>
      {key && (
        <RevealOnce title="New license key" secret={key} onClose={() => setKey(undefined)}>
          The old key no longer enrols agents. Keep this one somewhere safe: it is shown only this once.
        </RevealOnce>
      )}
    </>
  );
}
