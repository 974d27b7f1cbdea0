// The what-if of an ACL change on the Audit page, for every role that reads the audit (auditors included, who change
// nothing): one client's ACL or the organization-wide entries. The API decides everything (the real deciders validate
// the proposal, the agent's own admission check judges each session); nothing is applied.
import { useState } from "preact/hooks";
import { post } from "../api";
import { Choice, Field, ProblemMessage, fieldErrors, useAction } from "../components";
import { WhatIfAnswer, organizationWide, type WhatIfResponse } from "./AclPreview";

const list = (text: string) => text.split(",").map((x) => x.trim()).filter(Boolean);

export function AclWhatIf() {
  const [client, setClient] = useState("");
  const [add, setAdd] = useState("");
  const [remove, setRemove] = useState("");
  const [switched, setSwitched] = useState("");
  const [answer, setAnswer] = useState<WhatIfResponse>();
  const { busy, error, run } = useAction();

  return (
    <section aria-labelledby="whatif-title">
      <h2 id="whatif-title">What if an ACL changed</h2>
      <form class="filters" aria-label="Propose an ACL change" onSubmit={(e) => {
        e.preventDefault();
        setAnswer(undefined);
        run(async () => {
          const change = { add: list(add), remove: list(remove) };
          const aclEnabled = switched === "" ? undefined : switched === "on";
          setAnswer(await post<WhatIfResponse>("/access/what-if", client.trim()
            ? { client: client.trim(), ...change, aclEnabled, allowEveryone: change.add.includes("*") }
            : { ...organizationWide(change), aclEnabled }));
        });
      }}>
        <Field label="Client" name="whatif-client" value={client} onInput={setClient} errors={fieldErrors(error, "client")}
          hint="Alias, number or id; empty for the organization-wide entries (on every client)." />
        <Field label="Entries to add" name="whatif-add" value={add} onInput={setAdd} hint="Comma-separated." errors={fieldErrors(error, "add")} />
        <Field label="Entries to remove" name="whatif-remove" value={remove} onInput={setRemove} hint="Comma-separated." />
        <Choice label="The client's ACL" name="whatif-switch" value={switched} onChange={setSwitched}
          options={[{ value: "", label: "as it is" }, { value: "on", label: "switched on" }, { value: "off", label: "switched off" }]} />
        <div class="actions"><button type="submit" class="primary" disabled={busy}>Check the last 30 days</button></div>
      </form>
      <ProblemMessage error={error} />
      {answer && (
        <div class="preview" aria-live="polite" data-testid="whatif-answer">
          <WhatIfAnswer result={answer} shown={answer.wouldRefuse.length} change={<>For {answer.scope === "organization-wide" ? "the organization-wide entries" : answer.scope}</>} />
        </div>
      )}
    </section>
  );
}
