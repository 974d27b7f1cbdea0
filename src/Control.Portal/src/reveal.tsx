// A secret the API shows once (a generated password, a license key): in a modal <dialog> (focus moves into it and
// stays there; Escape closes it), with a copy button. Once closed it is gone from the page: nothing keeps it.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { CopyButton } from "./components";

export function RevealOnce(props: { title: string; secret: string; onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  return (
    <dialog ref={dialog} class="reveal" aria-labelledby="reveal-title" aria-describedby="reveal-text" onClose={props.onClose}>
      <h2 id="reveal-title">{props.title}</h2>
      <p id="reveal-text">{props.children}</p>
      <p><code class="secret" data-testid="revealed-secret">{props.secret}</code></p>
      <div class="actions">
        <CopyButton text={props.secret} />
        <button type="button" class="primary" onClick={() => dialog.current?.close()}>Done: I have it</button>
      </div>
    </dialog>
  );
}
