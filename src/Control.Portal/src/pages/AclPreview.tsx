// Live previews under the ACL editor's input, both computed by the API (no matching in the browser): which known
// identities the entry matches (GET /acl/matches, the agent's own AclEntry.Matches), and the what-if over recent sessions.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, get, post } from "../api";
import { ProblemMessage, time } from "../components";

interface WhatIfSession {
  sessionId: string;
  client: string;
  viewerAlias: string;
  at: string;
  wouldBe: string;
}

export interface WhatIfResponse {
  scope: string;
  days: number;
  wouldRefuse: WhatIfSession[];
  wouldAdmit: WhatIfSession[];
  sessionsChecked: number;
}

interface AclMatches {
  entry: string;
  kind: string;
  // An offboarded person's identities are still matched (as the agent would) and marked "offboarded" in knownAs.
  matches: { identity: string; knownAs: string[]; people: string[]; offboardedPeople: string[] }[];
  total: number;
}

/** Loads `load(input)` 400 ms after the input stops changing; a newer input discards an older answer. */
function useDebounced<T>(input: string, load: (input: string) => Promise<T>, key: string) {
  const [result, setResult] = useState<T>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setResult(undefined);
    setError(undefined);
    if (!input) {
      return;
    }
    let current = true;
    const timer = window.setTimeout(() => {
      load(input).then((r) => current && setResult(r), (e) => current && setError(e));
    }, 400);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [input, key]);
  return { result, error };
}

/** Which known aliases, client numbers and people the entry would admit, as the API (and so the agent) matches them. */
export function AclMatchesPreview(props: { entry: string }) {
  const { result, error } = useDebounced(props.entry, (entry) => get<AclMatches>(`/acl/matches?entry=${encodeURIComponent(entry)}`), "");
  if (!props.entry) {
    return null;
  }
  // While typing, an entry is often not valid yet: say why quietly instead of raising an alert.
  const invalid = error instanceof ApiError && error.status === 400 ? error.errors.entry?.join(" ") ?? error.title : undefined;
  return (
    <div class="preview" aria-live="polite" data-testid="acl-matches">
      {invalid ? <p>Not a valid entry yet: {invalid}</p> : error ? <ProblemMessage error={error} /> : !result ? <p class="loading">Looking up known identities…</p> : (
        <>
          <p>
            <code>{result.entry}</code> ({result.kind}) matches <strong>{result.total}</strong> known {result.total === 1 ? "identity" : "identities"}
            {result.total > result.matches.length ? ` (the first ${result.matches.length} shown)` : ""}.
          </p>
          {result.matches.length > 0 && (
            <ul class="plain">
              {result.matches.map((m) => <li key={m.identity}><code>{m.identity}</code>: {m.knownAs.join("; ")}</li>)}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

/**
 * Live preview of what an entry matches: the API's what-if (the agent's own admission check on the proposed policy)
 * over the last 30 days of sessions, for the ACL switched on with the current entries plus this one.
 */
export function AclPreview(props: { clientId: string; entry: string }) {
  return (
    <WhatIfPreview input={props.entry} scope={props.clientId} testId="acl-preview"
      propose={(entry) => ({ client: props.clientId, add: [entry], aclEnabled: true, allowEveryone: entry === "*" })}
      change={<>With the ACL on and <code>{props.entry}</code> added</>} />
  );
}

/** An organization-wide proposal (entries added to or removed from every client's ACL) as the what-if's request. */
export const organizationWide = (change: { add?: string[]; remove?: string[] }) =>
  ({ organizationWide: true, add: change.add ?? [], remove: change.remove ?? [], allowEveryone: (change.add ?? []).includes("*") });

/**
 * The what-if of a proposal, asked 400 ms after `input` stops changing. The previews set `allowEveryone` for "*":
 * nothing is applied, and the change itself still needs the explicit confirmation.
 */
export function WhatIfPreview(props: {
  input: string;
  scope: string;
  propose: (input: string) => Record<string, unknown>;
  change: ComponentChildren;
  testId: string;
}) {
  const { result, error } = useDebounced(props.input,
    (input) => post<WhatIfResponse>("/access/what-if", { days: 30, ...props.propose(input) }), props.scope);

  if (!props.input) {
    return null;
  }
  return (
    <div class="preview" aria-live="polite" data-testid={props.testId}>
      {error ? <ProblemMessage error={error} /> : !result ? <p class="loading">Checking recent sessions…</p> : <WhatIfAnswer result={result} change={props.change} shown={5} />}
    </div>
  );
}

/** The what-if's answer: how many sessions the change would have refused or let past the ACL, and the first `shown` refused. */
export function WhatIfAnswer(props: { result: WhatIfResponse; change: ComponentChildren; shown: number }) {
  const { result } = props;
  return (
    <>
      <p>
        {props.change}, of {result.sessionsChecked} sessions in the last {result.days} days:{" "}
        <strong>{result.wouldRefuse.length}</strong> admitted then would be refused, <strong>{result.wouldAdmit.length}</strong> refused then would pass the ACL.
      </p>
      {result.wouldRefuse.length > 0 && (
        <ul class="plain" aria-label="Sessions it would have refused">
          {result.wouldRefuse.slice(0, props.shown).map((s) => (
            <li key={s.sessionId}>{result.scope === "organization-wide" ? `${s.client}: ` : ""}{s.viewerAlias}, {time(s.at)}: {s.wouldBe}</li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * "*" alone admits anyone at all, so the API takes it only with allowEveryone set; this asks for that explicitly. Shown
 * only while the entry is "*".
 */
export function EveryoneConfirmation(props: { entry: string; confirmed: boolean; onChange: (confirmed: boolean) => void; scope: string }) {
  if (props.entry !== "*") {
    return null;
  }
  return (
    <div class="check">
      <input type="checkbox" id="acl-allow-everyone" checked={props.confirmed}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)} />
      <label for="acl-allow-everyone">Yes, I mean everyone: "*" admits anyone at all, {props.scope}</label>
    </div>
  );
}
