// A person's links and recorded knowledge, changed from the browser with the CLI's endpoints (`control people link`,
// `control people knows`): POST /people/{id}/links and POST /people/{id}/knowledge. Each is an event with the reason.
import { useState } from "preact/hooks";
import { post } from "../api";
import { Choice, Field, Notice, ProblemMessage, fieldErrors, useAction } from "../components";

const linkKinds = [
  { value: "operator", label: "Operator account", hint: "A username, e.g. bob: their viewer alias becomes theirs too." },
  { value: "identity", label: "Viewer alias or client number", hint: "An alias they connect as (bob@acme) or the 9-digit number of a client they connect from." },
  { value: "client", label: "Own client", hint: "A client that is theirs: alias, number or id. Offboarding removes it." },
];

/** Links an operator account, a viewer alias / client number, or an own client (POST /people/{id}/links). */
export function LinkPerson(props: { personId: string; onChanged: () => void }) {
  const [kind, setKind] = useState(linkKinds[0].value);
  const [value, setValue] = useState("");
  const [reason, setReason] = useState("");
  const { busy, error, done, run } = useAction();
  const chosen = linkKinds.find((k) => k.value === kind)!;
  return (
    <form class="bulk" aria-labelledby="link-title" onSubmit={(e) => {
      e.preventDefault();
      run(async () => {
        await post(`/people/${props.personId}/links`, { [kind]: value.trim(), reason: reason.trim() });
        setValue("");
        props.onChanged();
        return `Linked ${value.trim()}.`;
      });
    }}>
      <h2 id="link-title">Link an account or client</h2>
      <div class="filters">
        <Choice label="Kind of link" name="link-kind" value={kind} onChange={setKind} options={linkKinds} />
        <Field label={chosen.label} name="link-value" value={value} onInput={setValue} hint={chosen.hint}
          errors={fieldErrors(error, "link") ?? fieldErrors(error, kind)} />
        <Field label="Reason for the link" name="link-reason" value={reason} onInput={setReason} errors={fieldErrors(error, "reason")} />
      </div>
      <ProblemMessage error={error} />
      {done && <Notice>{done}</Notice>}
      <div class="actions"><button type="submit" disabled={busy}>Link</button></div>
    </form>
  );
}

const secrets = [
  { value: "operator-password", label: "An operator account's password (a shared portal login)", subject: "Username of the account" },
  { value: "license-key", label: "The license key", subject: "" },
  { value: "unattended-password", label: "A client's unattended password", subject: "Client (alias, number or id)" },
  { value: "client-totp-secret", label: "A client's two-factor secret", subject: "Client (alias, number or id)" },
  { value: "custom-client-link", label: "A custom client's registration link", subject: "Name of the custom client" },
];

/** Records that the person knows a secret Control did not show them (POST /people/{id}/knowledge); offboarding rotates it. */
export function RecordKnowledge(props: { personId: string; onChanged: () => void }) {
  const [secret, setSecret] = useState(secrets[0].value);
  const [subject, setSubject] = useState("");
  const [reason, setReason] = useState("");
  const { busy, error, done, run } = useAction();
  const chosen = secrets.find((s) => s.value === secret)!;
  return (
    <form class="bulk" aria-labelledby="knowledge-title" onSubmit={(e) => {
      e.preventDefault();
      run(async () => {
        await post(`/people/${props.personId}/knowledge`, { secret, subject: chosen.subject ? subject.trim() : undefined, reason: reason.trim() });
        setSubject("");
        props.onChanged();
        return "Recorded.";
      });
    }}>
      <h2 id="knowledge-title">Record a secret they know</h2>
      <div class="filters">
        <Choice label="Secret" name="knowledge-secret" value={secret} onChange={setSecret} options={secrets} />
        {chosen.subject && <Field label={chosen.subject} name="knowledge-subject" value={subject} onInput={setSubject} errors={fieldErrors(error, "subject")} />}
        <Field label="Reason for recording" name="knowledge-reason" value={reason} onInput={setReason} errors={fieldErrors(error, "reason")} />
      </div>
      <ProblemMessage error={error} />
      {done && <Notice>{done}</Notice>}
      <div class="actions"><button type="submit" disabled={busy}>Record</button></div>
    </form>
  );
}
