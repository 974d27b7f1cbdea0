// Live previews under the ACL editor's input, both computed by the API (no matching in the browser): which known
// identities the entry matches (GET /acl/matches, the agent's own AclEntry.Matches), and the what-if over recent sessions.
import { useEffect, useState } from "preact/hooks";
import { ApiError, get, post } from "../api";
import { ProblemMessage, time } from "../components";

interface WhatIfSession {
  sessionId: string;
  viewerAlias: string;
  at: string;
  wouldBe: string;
}

interface WhatIfResponse {
  days: number;
  wouldRefuse: WhatIfSession[];
  wouldAdmit: WhatIfSession[];
  sessionsChecked: number;
}

interface AclMatches {
  entry: string;
  kind: string;
  matches: { identity: string; knownAs: string[]; people: string[] }[];
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
  const { result, error } = useDebounced(props.entry,
    (entry) => post<WhatIfResponse>("/access/what-if", { client: props.clientId, add: [entry], aclEnabled: true, days: 30 }), props.clientId);

  if (!props.entry) {
    return null;
  }
  return (
    <div class="preview" aria-live="polite" data-testid="acl-preview">
      {error ? <ProblemMessage error={error} /> : !result ? <p class="loading">Checking recent sessions…</p> : (
        <>
          <p>
            With the ACL on and <code>{props.entry}</code> added, of {result.sessionsChecked} sessions in the last {result.days} days:{" "}
            <strong>{result.wouldRefuse.length}</strong> admitted then would be refused, <strong>{result.wouldAdmit.length}</strong> refused then would pass the ACL.
          </p>
          {result.wouldRefuse.length > 0 && (
            <ul class="plain">
              {result.wouldRefuse.slice(0, 5).map((s) => <li key={s.sessionId}>{s.viewerAlias}, {time(s.at)}: {s.wouldBe}</li>)}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
