// Small accessible building blocks: every input has a real <label>, errors are announced (role="alert"), and
// buttons are <button>s.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api";

export function Field(props: {
  label: string;
  name: string;
  value: string;
  onInput: (value: string) => void;
  type?: "text" | "password";
  autoComplete?: string;
  required?: boolean;
  hint?: string;
  inputMode?: "numeric" | "text";
  autoFocus?: boolean;
  errors?: string[];
}) {
  const id = `field-${props.name}`;
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (props.autoFocus) {
      input.current?.focus();
    }
  }, [props.autoFocus]);
  const described = [props.hint ? `${id}-hint` : "", props.errors?.length ? `${id}-errors` : ""].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint && <p class="hint" id={`${id}-hint`}>{props.hint}</p>}
      <input
        ref={input}
        id={id}
        name={props.name}
        // Preact ties some attributes to the input type; text and password take the same ones.
        type={(props.type ?? "text") as "text"}
        value={props.value}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        required={props.required}
        aria-invalid={props.errors?.length ? true : undefined}
        aria-describedby={described || undefined}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {props.errors?.length ? <p class="field-error" id={`${id}-errors`}>{props.errors.join(" ")}</p> : null}
    </div>
  );
}

/** A refusal from the API, as its title and detail say (problem details never carry stack traces). */
export function ProblemMessage(props: { error: unknown }) {
  if (!props.error) {
    return null;
  }
  const error = props.error instanceof ApiError ? props.error : undefined;
  return (
    <div class="problem" role="alert">
      <strong>{error?.title ?? "Something went wrong."}</strong>
      {error?.detail && <span> {error.detail}</span>}
      {error && Object.keys(error.errors).length > 0 && (
        <ul>
          {Object.entries(error.errors).map(([field, messages]) => <li key={field}>{messages.join(" ")}</li>)}
        </ul>
      )}
    </div>
  );
}

/**
 * The "Make a change" box of a page whose changes all need a reason (the API refuses a security change without one):
 * the reason, the page's own inputs, then the last change's refusal or confirmation.
 */
export function ChangeReason(props: {
  name: string;
  hint: string;
  reason: string;
  onInput: (value: string) => void;
  error: unknown;
  done?: string;
  children?: ComponentChildren;
}) {
  return (
    <section class="change-reason" aria-labelledby={`${props.name}-title`}>
      <h2 id={`${props.name}-title`}>Make a change</h2>
      <Field label="Reason for the change" name={props.name} value={props.reason} onInput={props.onInput} hint={props.hint}
        errors={fieldErrors(props.error, "reason")} />
      {props.children}
      <ProblemMessage error={props.error} />
      {props.done && <Notice>{props.done}</Notice>}
    </section>
  );
}

export function Notice(props: { children: ComponentChildren }) {
  return <div class="notice" role="status">{props.children}</div>;
}

export function Loading() {
  return <p role="status" class="loading">Loading…</p>;
}

export const time = (value: string | null | undefined, none = "never") =>
  value ? new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : none;

/** Field errors of a validation problem, by the API's field name (camelCase, as the CLI sees them too). */
export const fieldErrors = (error: unknown, field: string): string[] | undefined =>
  error instanceof ApiError ? error.errors[field] ?? error.errors[field[0].toUpperCase() + field.slice(1)] : undefined;

/**
 * One user action against the API at a time: `busy` while it runs (buttons disable), the refusal kept in `error` for
 * <ProblemMessage>, `done` for the confirmation it returns.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  async function run(action: () => Promise<string | void>): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const message = await action();
      if (message) {
        setDone(message);
      }
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, done, run };
}

/** A labelled <select> of fixed options. */
export function Choice(props: { label: string; name: string; value: string; onChange: (value: string) => void; options: { value: string; label: string }[] }) {
  const id = `field-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name} value={props.value} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
        {props.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </div>
  );
}

/** Copies a text to the clipboard; says so, or that the browser refused (then it can be selected by hand). */
export function CopyButton(props: { text: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "refused">("idle");
  useEffect(() => setState("idle"), [props.text]);
  const label = props.label ?? "Copy";
  return (
    <button type="button" onClick={async () => {
      try {
        await navigator.clipboard.writeText(props.text);
        setState("copied");
      } catch {
        setState("refused");
      }
    }}>{state === "copied" ? "Copied" : state === "refused" ? `${label}: not allowed here, select it by hand` : label}</button>
  );
}
