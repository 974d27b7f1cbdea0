// Custom clients: pre-configured registration links (the preset a client gets when it enrols with the link). The link
// token is shown once at creation and at each rotation; a one-time enrolment ticket (1 h) likewise.
import { useEffect, useState } from "preact/hooks";
import { get, post, segment } from "../api";
import { ChangeReason, Field, Loading, ProblemMessage, fieldErrors, time, useAction } from "../components";
import { RevealOnce } from "../reveal";
import { can, type PortalSession } from "../session";

interface Preset {
  aclEnabled: boolean;
  aclEntries: string[] | null;
  unattendedEnabled: boolean;
  exec: boolean;
  shell: boolean;
  fileTransfer: boolean;
}

interface CustomClient {
  id: string;
  name: string;
  aliasSuffix: string | null;
  public: boolean;
  preset: Preset;
  createdAt: string;
}

interface Revealed {
  title: string;
  token: string;
}

export function CustomClients(props: { session: PortalSession }) {
  const [list, setList] = useState<CustomClient[]>();
  const [error, setError] = useState<unknown>();
  const [reason, setReason] = useState("");
  const [name, setName] = useState("");
  const [aclEntries, setAclEntries] = useState("");
  const [isPublic, setPublic] = useState(false);
  const [revealed, setRevealed] = useState<Revealed>();
  const { busy, error: actionError, done, run } = useAction();
  const manage = can(props.session, "manage-clients");

  const load = () => get<CustomClient[]>("/custom-clients").then(setList, setError);
  useEffect(() => {
    load();
  }, []);

  const act = (c: CustomClient, action: string, success: string) => run(async () => {
    const result = await post<{ registrationToken?: string | null }>(`/custom-clients/${segment(c.name)}/${action}`, { reason: reason.trim() });
    if (result.registrationToken) {
      setRevealed({ title: action === "ticket" ? `One-time enrolment ticket for ${c.name}` : `New registration link token for ${c.name}`, token: result.registrationToken });
    }
    await load();
    return success;
  });

  return (
    <>
      <h1>Custom clients</h1>
      {manage && (
        <ChangeReason name="custom-reason" reason={reason} onInput={setReason} error={actionError} done={done}
          hint="Required for every change on this page; recorded in the audit trail.">
          <form class="filters" onSubmit={(e) => {
            e.preventDefault();
            run(async () => {
              const entries = aclEntries.split(",").map((x) => x.trim()).filter(Boolean);
              const created = await post<{ name: string; registrationToken: string }>("/custom-clients", {
                name: name.trim(), public: isPublic, reason: reason.trim(),
                preset: { aclEnabled: entries.length > 0, aclEntries: entries, unattendedEnabled: false, exec: true, shell: true, fileTransfer: true },
              });
              setRevealed({ title: `Registration link token for ${created.name}`, token: created.registrationToken });
              setName("");
              await load();
              return `Created ${created.name}.`;
            });
          }}>
            <Field label="Name" name="custom-name" value={name} onInput={setName} errors={fieldErrors(actionError, "name")} />
            <Field label="ACL entries of enrolled clients" name="custom-acl" value={aclEntries} onInput={setAclEntries} hint="Comma-separated; none leaves the ACL off." />
            <div class="check">
              <input type="checkbox" id="custom-public" checked={isPublic} onChange={(e) => setPublic((e.currentTarget as HTMLInputElement).checked)} />
              <label for="custom-public">Public link (anyone holding it may enrol a machine; private links enrol only with a one-time ticket)</label>
            </div>
            <div class="actions"><button type="submit" class="primary" disabled={busy || !name.trim()}>Create</button></div>
          </form>
        </ChangeReason>
      )}
      <ProblemMessage error={error} />
      {!list ? !error && <Loading /> : list.length === 0 ? <p>No custom clients.</p> : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Link</th><th scope="col">Preset</th><th scope="col">Created</th>{manage && <th scope="col"><span class="visually-hidden">Actions</span></th>}</tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>{c.public ? "public" : "private"}</td>
                  <td>ACL {c.preset.aclEnabled ? `on (${(c.preset.aclEntries ?? []).join(", ")})` : "off"}; unattended {c.preset.unattendedEnabled ? "on" : "off"}</td>
                  <td>{time(c.createdAt)}</td>
                  {manage && (
                    <td class="row-actions">
                      <button type="button" disabled={busy} onClick={() => act(c, c.public ? "make-private" : "make-public", c.public ? "Made private" : "Made public")}
                        aria-label={`${c.public ? "Make private" : "Make public"}: ${c.name}`}>{c.public ? "Make private" : "Make public"}</button>
                      <button type="button" disabled={busy} onClick={() => act(c, "rotate", "Link rotated: the old one is dead")} aria-label={`Rotate link of ${c.name}`}>Rotate link</button>
                      <button type="button" disabled={busy} onClick={() => act(c, "ticket", "Ticket issued")} aria-label={`One-time ticket for ${c.name}`}>One-time ticket</button>
                      <button type="button" class="danger" disabled={busy} onClick={() => act(c, "delete", `Deleted ${c.name}`)} aria-label={`Delete ${c.name}`}>Delete</button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revealed && (
        <RevealOnce title={revealed.title} secret={revealed.token} onClose={() => setRevealed(undefined)}>
          Agents enrol with it (control-agent enroll --token-file). It is shown only now; showing it is recorded.
        </RevealOnce>
      )}
    </>
  );
}
