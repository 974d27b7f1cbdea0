// People (HR records): add one, link their accounts, and for each the access review: what they can reach now or as
// of a past day (replayed from the events by the API), and the secrets they know now.
import { useEffect, useState } from "preact/hooks";
import { get, post, segment } from "../api";
import { Field, Loading, Notice, ProblemMessage, fieldErrors, time } from "../components";
import { LinkPerson, RecordKnowledge } from "./PersonLinks";
import { href } from "../router";
import { can, type PortalSession } from "../session";

interface Person {
  id: string;
  name: string;
  email: string | null;
  status: string;
  operators: { id: string; alias: string }[];
  identities: string[];
  clients: { id: string; label: string }[];
  addedAt: string;
}

interface AccessPath {
  clientId: string;
  client: string;
  viewerAlias: string;
  admittedBy: string;
  methods: string[];
}

interface ReachableBy {
  person: string;
  canSignIn: boolean;
  paths: AccessPath[];
  wildcards: { client: string; entry: string; identity: string }[];
  asOf: string | null;
  note: string | null;
}

interface Exposure {
  secrets: { secret: string; subject: string; how: string; since: string }[];
}

export function People(props: { session: PortalSession }) {
  const [people, setPeople] = useState<Person[]>();
  const [error, setError] = useState<unknown>();
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    get<Person[]>("/people").then(setPeople, setError);
  }, [reloads]);

  return (
    <>
      <h1>People</h1>
      {can(props.session, "manage-people") && <AddPerson onAdded={() => setReloads(reloads + 1)} />}
      <ProblemMessage error={error} />
      {!people ? !error && <Loading /> : people.length === 0 ? <p>No people recorded.</p> : (
        <div class="table-wrap">
          <table>
            <caption>{people.length} people</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Status</th><th scope="col">Accounts</th><th scope="col">Clients</th></tr></thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id}>
                  <th scope="row"><a href={href("people", p.id)}>{p.name}</a></th>
                  <td>{p.email ?? ""}</td><td>{p.status}</td>
                  <td>{[...p.operators.map((o) => o.alias), ...p.identities].join(", ")}</td>
                  <td>{p.clients.map((c) => c.label).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function AddPerson(props: { onAdded: () => void }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  return (
    <form class="bulk" aria-labelledby="add-person-title" onSubmit={async (e) => {
      e.preventDefault();
      setError(undefined);
      setDone(undefined);
      try {
        await post("/people", { name: name.trim(), email: email.trim() || undefined, reason: reason.trim() });
        setDone(`Added ${name.trim()}.`);
        setName("");
        setEmail("");
        props.onAdded();
      } catch (failure) {
        setError(failure);
      }
    }}>
      <h2 id="add-person-title">Add a person</h2>
      <div class="filters">
        <Field label="Name" name="person-name" value={name} onInput={setName} errors={fieldErrors(error, "name")} />
        <Field label="E-mail" name="person-email" value={email} onInput={setEmail} errors={fieldErrors(error, "email")} />
        <Field label="Reason" name="person-reason" value={reason} onInput={setReason} errors={fieldErrors(error, "reason")} />
      </div>
      <ProblemMessage error={error} />
      {done && <Notice>{done}</Notice>}
      <div class="actions"><button type="submit">Add</button></div>
    </form>
  );
}

export function PersonDetail(props: { session: PortalSession; id: string }) {
  const [person, setPerson] = useState<Person>();
  const [error, setError] = useState<unknown>();
  const [day, setDay] = useState("");
  const [review, setReview] = useState<ReachableBy>();
  const [reviewError, setReviewError] = useState<unknown>();
  const [exposure, setExposure] = useState<Exposure>();
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    get<Person>(`/people/${segment(props.id)}`).then(setPerson, setError);
    if (can(props.session, "read-access")) {
      get<Exposure>(`/people/${segment(props.id)}/exposure`).then(setExposure, () => setExposure(undefined));
    }
  }, [props.id, reloads]);
  useEffect(() => {
    setReview(undefined);
    setReviewError(undefined);
    if (!can(props.session, "read-access")) {
      return;
    }
    const at = day ? `?at=${encodeURIComponent(`${day}T23:59:59Z`)}` : "";
    get<ReachableBy>(`/access/reachable-by/${segment(props.id)}${at}`).then(setReview, setReviewError);
  }, [props.id, day, reloads]);

  if (!person) {
    return error ? <ProblemMessage error={error} /> : <Loading />;
  }
  return (
    <>
      <p><a href={href("people")}>All people</a></p>
      <h1>{person.name}</h1>
      <p>{person.email ?? "no e-mail"}; {person.status}; added {time(person.addedAt)}.
        Accounts: {[...person.operators.map((o) => o.alias), ...person.identities].join(", ") || "none"}.
        Own clients: {person.clients.map((c) => c.label).join(", ") || "none"}.</p>
      {can(props.session, "manage-people") && <LinkPerson personId={person.id} onChanged={() => setReloads(reloads + 1)} />}
      {can(props.session, "record-knowledge") && <RecordKnowledge personId={person.id} onChanged={() => setReloads(reloads + 1)} />}
      {can(props.session, "read-access") && <section class="part" aria-labelledby="reach-title">
        <h2 id="reach-title">What {person.name} can reach</h2>
        <div class="field">
          <label for="reach-day">As of the end of (UTC day; empty for now)</label>
          <input id="reach-day" type={"date" as "text"} value={day} onInput={(e) => setDay((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <ProblemMessage error={reviewError} />
        {review && (
          <>
            <p data-testid="reach-summary">{review.asOf ? `As of ${time(review.asOf)}` : "Now"}: {review.paths.length} access paths
              {review.canSignIn ? "" : " (no active account: none can be used)"}{review.note ? `. ${review.note}` : ""}.</p>
            {review.paths.length > 0 && (
              <ul class="plain">{review.paths.map((p, i) => <li key={i}><a href={href("clients", p.clientId)}>{p.client}</a> as {p.viewerAlias}: {p.admittedBy} ({p.methods.join(", ")})</li>)}</ul>
            )}
          </>
        )}
      </section>}
      {exposure && (
        <section class="part" aria-labelledby="exposure-title">
          <h2 id="exposure-title">Secrets {person.name} knows now</h2>
          {exposure.secrets.length === 0 ? <p>None.</p> : (
            <ul class="plain">{exposure.secrets.map((s, i) => <li key={i}>{s.secret} of {s.subject}: {s.how}, since {time(s.since)}</li>)}</ul>
          )}
        </section>
      )}
    </>
  );
}
