// Offboarding (HR and admins): pick the person, the mode and the reason, confirm, then watch the seven steps and the
// agents' receipts live; the report (the proof) downloads as Markdown or JSON. A later start time schedules it; until
// then it can be cancelled. The secrets it generated are listed there, revealed (once, recorded) to the roles allowed.
import { useEffect, useRef, useState } from "preact/hooks";
import { get, post } from "../api";
import { Field, Loading, ProblemMessage, fieldErrors, time } from "../components";
import { href, navigate } from "../router";
import type { PortalSession } from "../session";
import { CancelOffboarding, SealedSecrets } from "./OffboardingActions";

interface Step {
  step: number;
  name: string;
  status: string;
  completedAt: string | null;
  changes: { target: string; event: string; what: string }[];
  notes: string[];
}

interface Receipt {
  clientId: string;
  client: string;
  status: string;
  receivedAt: string | null;
}

export interface OffboardingView {
  id: string;
  person: string;
  mode: string;
  reason: string;
  status: string;
  requestedBy: string;
  requestedAt: string;
  effectiveAt: string | null;
  /** Why it waits (awaiting-approval: a second owner must approve it). */
  waiting?: string | null;
  completedAt: string | null;
  expectedReceipts: number;
  pendingReceipts: number;
  steps: Step[];
  receipts: Receipt[];
}

interface Person {
  id: string;
  name: string;
  email: string | null;
  status: string;
}

const finished = ["completed", "completed-with-pending", "cancelled"];

export function Offboardings() {
  const [list, setList] = useState<OffboardingView[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    get<OffboardingView[]>("/offboardings").then(setList, setError);
  }, []);

  return (
    <>
      <h1>Offboarding</h1>
      <StartOffboarding />
      <section class="part" aria-labelledby="offboardings-title">
        <h2 id="offboardings-title">Offboardings</h2>
        <ProblemMessage error={error} />
        {!list ? !error && <Loading /> : list.length === 0 ? <p>None yet.</p> : (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">Person</th><th scope="col">Status</th><th scope="col">Mode</th><th scope="col">Requested</th><th scope="col">By</th></tr></thead>
              <tbody>
                {list.map((o) => (
                  <tr key={o.id}>
                    <th scope="row"><a href={href("offboardings", o.id)}>{o.person}</a></th>
                    <td>{o.status}</td><td>{o.mode}</td><td>{time(o.requestedAt)}</td><td>{o.requestedBy}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function StartOffboarding() {
  const [people, setPeople] = useState<Person[]>();
  const [person, setPerson] = useState("");
  const [mode, setMode] = useState("exposure");
  const [reason, setReason] = useState("");
  const [effectiveAt, setEffectiveAt] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const confirm = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    get<Person[]>("/people").then((all) => setPeople(all.filter((p) => p.status === "active")), setError);
  }, []);
  const chosen = people?.find((p) => p.id === person);

  async function start() {
    setBusy(true);
    setError(undefined);
    try {
      // datetime-local is the browser's local time; the API takes an instant.
      const at = effectiveAt ? new Date(effectiveAt).toISOString() : undefined;
      const started = await post<OffboardingView>("/offboardings", { person, mode, reason: reason.trim(), effectiveAt: at });
      navigate("offboardings", started.id);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      confirm.current?.close();
    }
  }

  return (
    <section aria-labelledby="start-title">
      <h2 id="start-title">Start an offboarding</h2>
      <form onSubmit={(e) => { e.preventDefault(); confirm.current?.showModal(); }}>
        <div class="field">
          <label for="offboard-person">Person</label>
          <select id="offboard-person" value={person} required onChange={(e) => setPerson((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Choose a person</option>
            {people?.map((p) => <option key={p.id} value={p.id}>{p.name}{p.email ? ` (${p.email})` : ""}</option>)}
          </select>
        </div>
        <fieldset>
          <legend>Mode</legend>
          <div class="check">
            <input type="radio" id="mode-exposure" name="mode" value="exposure" checked={mode === "exposure"} onChange={() => setMode("exposure")} />
            <label for="mode-exposure">Exposure: rotate the secrets they know</label>
          </div>
          <div class="check">
            <input type="radio" id="mode-full" name="mode" value="full" checked={mode === "full"} onChange={() => setMode("full")} />
            <label for="mode-full">Full: also reset the license key and rotate everything they could reach</label>
          </div>
        </fieldset>
        <Field label="Reason" name="offboard-reason" value={reason} onInput={setReason} hint="Required; recorded with every change." errors={fieldErrors(error, "reason")} />
        <div class="field">
          <label for="offboard-at">Start at (optional)</label>
          <p class="hint" id="offboard-at-hint">Empty: now. A later time schedules it; until then it can be cancelled.</p>
          <input type="datetime-local" id="offboard-at" value={effectiveAt} aria-describedby="offboard-at-hint"
            onInput={(e) => setEffectiveAt((e.currentTarget as HTMLInputElement).value)} />
          {fieldErrors(error, "effectiveAt") && <p class="field-error">{fieldErrors(error, "effectiveAt")!.join(" ")}</p>}
        </div>
        <ProblemMessage error={error} />
        <div class="actions"><button type="submit" class="primary" disabled={!person || busy}>Start offboarding…</button></div>
      </form>
      <dialog ref={confirm} aria-labelledby="confirm-title" class="reveal">
        <h2 id="confirm-title">Offboard {chosen?.name}?</h2>
        {effectiveAt && <p>It is scheduled for {time(new Date(effectiveAt).toISOString())} and can be cancelled until then.</p>}
        <p>This removes their clients, disables their accounts, rotates what they know{mode === "full" ? " and everything they could reach" : ""}, and
          takes them out of every ACL. It cannot be undone once the steps have run.</p>
        <div class="actions">
          <button type="button" class="primary" disabled={busy} onClick={start}>Yes, offboard {chosen?.name}</button>
          <button type="button" onClick={() => confirm.current?.close()}>Cancel</button>
        </div>
      </dialog>
    </section>
  );
}

export function OffboardingProgress(props: { id: string; session: PortalSession }) {
  const [view, setView] = useState<OffboardingView>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    let timer: number | undefined;
    const load = async () => {
      try {
        const current = await get<OffboardingView>(`/offboardings/${props.id}`);
        setView(current);
        if (!finished.includes(current.status)) {
          timer = window.setTimeout(load, 1500);
        }
      } catch (failure) {
        setError(failure);
      }
    };
    load();
    return () => window.clearTimeout(timer);
  }, [props.id]);

  if (!view) {
    return error ? <ProblemMessage error={error} /> : <Loading />;
  }
  return (
    <>
      <p><a href={href("offboardings")}>All offboardings</a></p>
      <h1>Offboarding of {view.person}</h1>
      <p role="status" data-testid="offboarding-status">Status: <strong>{view.status}</strong>
        {view.expectedReceipts > 0 && `; ${view.expectedReceipts - view.pendingReceipts} of ${view.expectedReceipts} agents confirmed`}</p>
      <p>Mode {view.mode}, requested {time(view.requestedAt)} by {view.requestedBy}: {view.reason}</p>
      {view.waiting && <p role="note" data-testid="offboarding-waiting">Nothing changes yet: {view.waiting}. An owner approves it with <code>control offboard approve {view.id} --reason ...</code>.</p>}
      {(view.status === "scheduled" || view.status === "awaiting-approval") && <CancelOffboarding view={view} onCancelled={setView} />}
      <ol class="steps">
        {view.steps.map((s) => (
          <li key={s.step}>
            <strong>{s.name}</strong>: {s.status}{s.completedAt ? ` at ${time(s.completedAt)}` : ""}
            {s.changes.length > 0 && <ul class="plain">{s.changes.map((c, i) => <li key={i}>{c.target}: {c.what}</li>)}</ul>}
          </li>
        ))}
      </ol>
      {view.receipts.length > 0 && (
        <>
          <h2>Agents' receipts</h2>
          <ul class="plain">{view.receipts.map((r) => <li key={r.clientId}>{r.client}: {r.status}{r.receivedAt ? ` at ${time(r.receivedAt)}` : ""}</li>)}</ul>
        </>
      )}
      <SealedSecrets id={view.id} status={view.status} session={props.session} />
      <p class="actions">
        <a class="button" href={`/offboardings/${view.id}/report?format=md`} download={`offboarding-${view.id}.md`}>Download the report (Markdown)</a>
        <a class="button" href={`/offboardings/${view.id}/report`} download={`offboarding-${view.id}.json`}>Download the report (JSON)</a>
      </p>
    </>
  );
}
