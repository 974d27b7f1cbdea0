// Secrets the API shows once (a generated password, a license key, one password per client of a bulk rotation): in a
// modal <dialog> (focus moves into it and stays there; Escape closes it), with copy buttons. Once closed they are gone
// from the page: nothing keeps them.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { CopyButton } from "./components";

export interface LabelledSecret {
  label: string;
  secret: string;
}

/** One secret (`secret`), or a table of them (`secrets`, e.g. one per client). */
export function RevealOnce(props: { title: string; secret?: string; secrets?: LabelledSecret[]; onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  return (
    <dialog ref={dialog} class="reveal" aria-labelledby="reveal-title" aria-describedby="reveal-text" onClose={props.onClose}>
      <h2 id="reveal-title">{props.title}</h2>
      <p id="reveal-text">{props.children}</p>
      {props.secret !== undefined && <p><code class="secret" data-testid="revealed-secret">{props.secret}</code></p>}
      {props.secrets && (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">For</th><th scope="col">Secret</th></tr></thead>
            <tbody>
              {props.secrets.map((s) => (
                <tr key={s.label} data-testid="revealed-row">
                  <th scope="row">{s.label}</th><td><code class="secret">{s.secret}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="actions">
        {props.secret !== undefined && <CopyButton text={props.secret} />}
        {props.secrets && <CopyButton text={props.secrets.map((s) => `${s.label},${s.secret}`).join("\n")} label="Copy all (CSV)" />}
        <button type="button" class="primary" onClick={() => dialog.current?.close()}>Done: I have it</button>
      </div>
    </dialog>
  );
}
