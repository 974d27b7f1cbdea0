// The organization-wide ACL entries: every client whose ACL is on admits them besides its own (the API composes the two
// into each client's policy), so one change reaches every agent. Whoever may read clients sees them; roles that may
// manage clients add and remove them, each with a reason and the organization version read (a change made meanwhile is
// a 409, not an overwrite). Before a change the API's previews show whom an entry matches and, for roles that read the
// audit, which recent sessions the change would have refused.
import { useEffect, useState } from "preact/hooks";
import { get, post } from "../api";
import { ChangeReason, Field, Loading, ProblemMessage, useAction } from "../components";
import { href } from "../router";
import { can, type PortalSession } from "../session";
import { AclMatchesPreview, EveryoneConfirmation, WhatIfPreview, organizationWide } from "./AclPreview";

interface OrganizationAclView {
  entries: string[];
  version: number;
  changed: boolean;
}

export function OrganizationAcl(props: { session: PortalSession }) {
  const [acl, setAcl] = useState<OrganizationAclView>();
  const [loadError, setLoadError] = useState<unknown>();
  const [reason, setReason] = useState("");
  const [removing, setRemoving] = useState<string>();
  const { busy, error, done, run } = useAction();
  const manage = can(props.session, "manage-clients");
  const whatIf = can(props.session, "read-audit");

  const load = () => get<OrganizationAclView>("/organization/acl").then(setAcl, setLoadError);
  useEffect(() => {
    load();
  }, []);

  if (!acl) {
    return loadError ? <ProblemMessage error={loadError} /> : <Loading />;
  }

  const change = async (action: "add" | "remove", entry: string, fields: Record<string, unknown>, success: string) => {
    const applied = await run(async () => {
      const result = await post<OrganizationAclView>(`/organization/acl/${action}`, { entry, reason: reason.trim(), expectedVersion: acl.version, ...fields });
      setAcl(result);
      setRemoving(undefined);
      return result.changed ? `${success}: every client gets it with its next policy.` : "Nothing to change.";
    });
    if (!applied) {
      // Refused, perhaps because someone changed the organization meanwhile (409): show what is there now.
      await load();
    }
    return applied;
  };

  return (
    <>
      <h1>Organization ACL</h1>
      <p>
        These entries apply to every client of the organization whose ACL is on, in addition to the client's own entries.
        A client with its ACL off admits any viewer of the organization anyway.
      </p>
      {manage && (
        <ChangeReason name="org-acl-reason" reason={reason} onInput={setReason} error={error} done={done}
          hint="Required for every change on this page; recorded in the audit trail." />
      )}
      <section aria-labelledby="org-acl-entries" class="part">
        <h2 id="org-acl-entries">Organization-wide entries</h2>
        {acl.entries.length === 0 ? <p>No organization-wide entries.</p> : (
          <ul class="entries" aria-label="Organization-wide entries">
            {acl.entries.map((e) => (
              <li key={e}>
                <code>{e}</code>
                {manage && <button type="button" disabled={busy} aria-label={`Remove ${e}…`} onClick={() => setRemoving(e)}>Remove…</button>}
              </li>
            ))}
          </ul>
        )}
        {manage && removing && (
          <div role="group" aria-label={`Confirm the removal of ${removing}`}>
            <p>Remove <code>{removing}</code> from the ACL of every client?</p>
            {whatIf && (
              <WhatIfPreview input={removing} scope="remove" testId="org-acl-removal-preview" propose={(e) => organizationWide({ remove: [e] })}
                change={<>Without <code>{removing}</code> on every client</>} />
            )}
            <div class="actions">
              <button type="button" class="danger" disabled={busy} onClick={() => change("remove", removing, {}, `Removed ${removing}`)}>Yes, remove {removing}</button>
              <button type="button" onClick={() => setRemoving(undefined)}>Cancel</button>
            </div>
          </div>
        )}
        {!manage && whatIf && <p>To see what a change would do to recent sessions, use the what-if on the <a href={href("audit")}>Audit</a> page.</p>}
      </section>
      {manage && <AddEntry busy={busy} whatIf={whatIf} add={(entry, allowEveryone) => change("add", entry, { allowEveryone }, `Added ${entry}`)} />}
    </>
  );
}

function AddEntry(props: { busy: boolean; whatIf: boolean; add: (entry: string, allowEveryone: boolean) => Promise<boolean> }) {
  const [entry, setEntry] = useState("");
  const [everyone, setEveryone] = useState(false);
  const value = entry.trim();
  return (
    <section aria-labelledby="org-acl-add" class="part">
      <h2 id="org-acl-add">Add an organization-wide entry</h2>
      <form class="acl-editor" onSubmit={async (e) => {
        e.preventDefault();
        if (await props.add(value, value === "*" && everyone)) {
          setEntry("");
          setEveryone(false);
        }
      }}>
        <Field label="Entry to add" name="org-acl-entry" value={entry} onInput={setEntry}
          hint="An alias (alice@acme), a pattern (*-support@acme) or a client number; it applies on every client." />
        <EveryoneConfirmation entry={value} confirmed={everyone} onChange={setEveryone} scope="on every client" />
        <AclMatchesPreview entry={value} />
        {props.whatIf && (
          <WhatIfPreview input={value} scope="add" testId="org-acl-preview" propose={(e) => organizationWide({ add: [e] })}
            change={<>With <code>{value}</code> added on every client</>} />
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={props.busy || !value || (value === "*" && !everyone)}>Add entry</button>
        </div>
      </form>
    </section>
  );
}
