// Tamper evidence: the hash chain's verification (GET /audit/verify) and a signed anchor of its head (GET /audit/anchor,
// what `control audit anchor` prints) to keep outside the system; `control audit verify --anchor FILE` checks it later.
import { useState } from "preact/hooks";
import { get } from "../api";
import { CopyButton, ProblemMessage, time, useAction } from "../components";

interface Verification {
  intact: boolean;
  entries: number;
  head: string | null;
  break: { entry: number; problem: string; fields: string[]; detail: string } | null;
  seconds: number;
}

interface Anchor {
  organization: string;
  entry: number;
  hash: string;
  signedAt: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

export function TamperEvidence() {
  const [verification, setVerification] = useState<Verification>();
  const [anchor, setAnchor] = useState<Anchor>();
  const verify = useAction();
  const sign = useAction();

  return (
    <section aria-labelledby="chain-title" class="part">
      <h2 id="chain-title">Tamper evidence</h2>
      <p>Recomputes the organization's hash chain over every audit entry and reports the first broken link.</p>
      <div class="actions">
        <button type="button" disabled={verify.busy} onClick={() => verify.run(async () => setVerification(await get<Verification>("/audit/verify")))}>
          Verify the chain
        </button>
      </div>
      <ProblemMessage error={verify.error} />
      {verification && (
        <p role="status" data-testid="chain-result" class={verification.intact ? "notice" : "problem"}>
          {verification.intact
            ? `Intact: ${verification.entries} entries, head ${verification.head ?? "none"}.`
            : `BROKEN at entry ${verification.break?.entry} (${verification.break?.problem}${verification.break?.fields.length ? `: ${verification.break.fields.join(", ")}` : ""}): ${verification.break?.detail}`}
        </p>
      )}
      <h3>Anchor</h3>
      <p>
        The chain's current head, signed with the organization's policy key. Keep it outside Control (print it, mail it to
        yourself): <code>control audit verify --anchor FILE</code> later proves the chain still has that hash at that entry,
        which a chain recomputed after an edit cannot.
      </p>
      <div class="actions">
        <button type="button" disabled={sign.busy} onClick={() => sign.run(async () => setAnchor(await get<Anchor>("/audit/anchor")))}>
          Sign an anchor of the head
        </button>
      </div>
      <ProblemMessage error={sign.error} />
      {anchor && (
        <div class="notice" role="status" data-testid="anchor-result">
          <p>Entry <strong data-testid="anchor-entry">{anchor.entry}</strong> of {anchor.organization}, signed {time(anchor.signedAt)} with key {anchor.keyId}. Head hash:</p>
          <p><code class="hash" data-testid="anchor-hash">{anchor.hash}</code></p>
          <div class="actions">
            <CopyButton text={anchor.hash} label="Copy the hash" />
            <CopyButton text={JSON.stringify(anchor, null, 2)} label="Copy the signed anchor (JSON)" />
          </div>
        </div>
      )}
    </section>
  );
}
