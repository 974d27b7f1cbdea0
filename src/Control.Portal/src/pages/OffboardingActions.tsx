// What can be done to an offboarding after it was started: cancel it while it is only scheduled (the API refuses once
// its first step has begun), and reveal the secrets it generated and sealed. A reveal is a SecretRevealed event: the
// one who looks counts as knowing the secret from then on, so it takes a reason and is shown once.
import { useEffect, useRef, useState } from "preact/hooks";
import { get, post, segment } from "../api";
import { Field, ProblemMessage, fieldErrors, time, useAction } from "../components";
import { RevealOnce } from "../reveal";
import { type Permission, type PortalSession, can } from "../session";
import type { OffboardingView } from "./Offboarding";

/** Everyone who may see an offboarding may cancel it (both are the API's offboard policy), so no further check here. */
export function CancelOffboarding(props: { view: OffboardingView; onCancelled: (view: OffboardingView) => void }) {
  const [reason, setReason] = useState("");
  const { busy, error, run } = useAction();
  const confirm = useRef<HTMLDialogElement>(null);

  const cancel = () => run(async () => {
    try {
      props.onCancelled(await post<OffboardingView>(`/offboardings/${props.view.id}/cancel`, { reason: reason.trim() }));
    } finally {
      confirm.current?.close();
    }
  });

  return (
    <section class="part" aria-labelledby="cancel-title">
      <h2 id="cancel-title">Scheduled</h2>
      <p>It starts {time(props.view.effectiveAt)}. Until its first step begins it can be cancelled; {props.view.person} stays active then.</p>
      <form onSubmit={(e) => { e.preventDefault(); confirm.current?.showModal(); }}>
        <Field label="Reason for cancelling" name="cancel-reason" value={reason} onInput={setReason} required
          hint="Required; recorded in the audit trail." errors={fieldErrors(error, "reason")} />
        <ProblemMessage error={error} />
        <div class="actions"><button type="submit" disabled={busy || !reason.trim()}>Cancel the offboarding…</button></div>
      </form>
      <dialog ref={confirm} aria-labelledby="cancel-confirm-title" class="reveal">
        <h2 id="cancel-confirm-title">Cancel the offboarding of {props.view.person}?</h2>
        <p>Nothing has changed yet and nothing will: {props.view.person} keeps their accounts, clients and access.</p>
        <div class="actions">
          <button type="button" class="primary" disabled={busy} onClick={cancel}>Yes, cancel it</button>
          <button type="button" onClick={() => confirm.current?.close()}>Keep it scheduled</button>
        </div>
      </dialog>
    </section>
  );
}

interface SealedSecret {
  id: string;
  secret: string;
  subjectId: string;
  label: string;
  sealedAt: string;
  replaced: boolean;
  /** The SecretRevealed events of this sealed value, oldest first, as the API reads them from the event store. */
  reveals: { by: string; at: string; reason?: string }[];
}

interface Revealed {
  label: string;
  value: string;
}

/** Which endpoint reveals which kind of secret, and the policy it asks for (the portal shows Reveal only to those). */
const revealers: Record<string, { permission: Permission; path: (s: SealedSecret) => string }> = {
  "unattended-password": { permission: "manage-clients", path: (s) => `/clients/${segment(s.subjectId)}/unattended/reveal` },
  "license-key": { permission: "manage-license", path: () => "/license/reveal" },
};

export function SealedSecrets(props: { id: string; status: string; session: PortalSession }) {
  const [secrets, setSecrets] = useState<SealedSecret[]>();
  const [reason, setReason] = useState("");
  const [revealed, setRevealed] = useState<Revealed>();
  const { busy, error, run } = useAction();

  // Secrets are sealed as the steps run: read again whenever the status moves on, and after a reveal (which it lists).
  const load = () => get<SealedSecret[]>(`/offboardings/${props.id}/sealed-secrets`).then(setSecrets, () => setSecrets([]));
  useEffect(() => {
    load();
  }, [props.id, props.status]);

  if (!secrets || secrets.length === 0) {
    return null;
  }
  const revealer = (s: SealedSecret) => {
    const found = revealers[s.secret];
    return found && !s.replaced && can(props.session, found.permission) ? found : undefined;
  };
  const anyRevealable = secrets.some((s) => revealer(s));

  const reveal = (s: SealedSecret) => run(async () => {
    const answer = await post<{ value: string }>(revealer(s)!.path(s), { reason: reason.trim() });
    setRevealed({ label: s.label, value: answer.value });
    await load();
  });

  return (
    <section class="part" aria-labelledby="sealed-title">
      <h2 id="sealed-title">Sealed secrets</h2>
      <p>The offboarding generated these and showed them to no one; each says who has revealed it since.{anyRevealable && " Revealing one is recorded (SecretRevealed, with your reason): from then on you count as knowing it."}</p>
      {anyRevealable && (
        <Field label="Reason for revealing" name="reveal-reason" value={reason} onInput={setReason}
          hint="Required; recorded in the audit trail with the reveal." errors={fieldErrors(error, "reason")} />
      )}
      <ul class="plain">
        {secrets.map((s) => (
          <li key={s.id} data-testid="sealed-secret">
            {s.label} (sealed {time(s.sealedAt)}){s.replaced && ": replaced since, it can no longer be revealed"}
            {revealer(s) && (
              <>
                {" "}
                <button type="button" disabled={busy || !reason.trim()} aria-label={`Reveal the ${s.label}`} onClick={() => reveal(s)}>Reveal</button>
              </>
            )}
            <Reveals reveals={s.reveals} />
          </li>
        ))}
      </ul>
      <ProblemMessage error={error} />
      {revealed && (
        <RevealOnce title={`The ${revealed.label}`} secret={revealed.value} onClose={() => setRevealed(undefined)}>
          This reveal is recorded in the audit trail as yours. It is shown only this once: copy it now.
        </RevealOnce>
      )}
    </section>
  );
}

/** Who has seen a sealed value: nobody yet, or each reveal with its reason (the same facts as the audit trail). */
function Reveals(props: { reveals: SealedSecret["reveals"] }) {
  if (props.reveals.length === 0) {
    return <p class="hint" data-testid="sealed-secret-reveals">Not revealed to anyone yet.</p>;
  }
  return (
    <ul class="plain" aria-label="Revealed to" data-testid="sealed-secret-reveals">
      {props.reveals.map((r) => (
        <li key={`${r.by} ${r.at}`}>Revealed to <strong>{r.by}</strong> at {time(r.at)}{r.reason && `: "${r.reason}"`}</li>
      ))}
    </ul>
  );
}
