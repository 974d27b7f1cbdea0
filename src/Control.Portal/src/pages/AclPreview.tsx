import { useEffect, useState } from "preact/hooks";
import { post } from "../api";
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

/**
 * Live preview of what an entry matches: the API's what-if (the agent's own admission check on the proposed policy)
 * over the last 30 days of sessions, for the ACL switched on with the current entries plus this one.
 */
export function AclPreview(props: { clientId: string; entry: string }) {
  const [result, setResult] = useState<WhatIfResponse>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    setResult(undefined);
    setError(undefined);
    if (!props.entry) {
      return;
    }
    let current = true;
    const timer = window.setTimeout(() => {
      post<WhatIfResponse>("/access/what-if", { client: props.clientId, add: [props.entry], aclEnabled: true, days: 30 })
        .then((r) => current && setResult(r), (e) => current && setError(e));
    }, 400);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [props.clientId, props.entry]);

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
