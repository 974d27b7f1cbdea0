// The organization's session settings: whether a session needs a justification, whether shell sessions are recorded.
// Everyone may read them (a technician needs to know); owners and security-admins change them, with a reason.
import { useEffect, useState } from "preact/hooks";
import { get, put } from "../api";
import { Field, Loading, Notice, ProblemMessage, fieldErrors, useAction } from "../components";
import { can, type PortalSession } from "../session";

interface SessionSettings {
  requireJustification: boolean;
  recordShellSessions: boolean;
  version: number;
}

export function Settings(props: { session: PortalSession }) {
  const [settings, setSettings] = useState<SessionSettings>();
  const [loadError, setLoadError] = useState<unknown>();
  const [justification, setJustification] = useState(false);
  const [record, setRecord] = useState(true);
  const [reason, setReason] = useState("");
  const { busy, error, done, run } = useAction();
  const manage = can(props.session, "manage-session-settings");

  const load = () => get<SessionSettings>("/organization/session-settings").then((s) => {
    setSettings(s);
    setJustification(s.requireJustification);
    setRecord(s.recordShellSessions);
  }, setLoadError);
  useEffect(() => {
    load();
  }, []);

  if (!settings) {
    return loadError ? <ProblemMessage error={loadError} /> : <Loading />;
  }
  return (
    <>
      <h1>Session settings</h1>
      <form onSubmit={(e) => {
        e.preventDefault();
        run(async () => {
          const result = await put<{ changed: boolean }>("/organization/session-settings",
            { requireJustification: justification, recordShellSessions: record, reason: reason.trim(), expectedVersion: settings.version });
          await load();
          return result.changed ? "Saved: every client gets the new settings with its next policy." : "Nothing to change.";
        });
      }}>
        <fieldset>
          <legend>Sessions in this organization</legend>
          <div class="check">
            <input type="checkbox" id="settings-justification" checked={justification} disabled={!manage}
              onChange={(e) => setJustification((e.currentTarget as HTMLInputElement).checked)} />
            <label for="settings-justification">Require a justification for every session</label>
          </div>
          <div class="check">
            <input type="checkbox" id="settings-record" checked={record} disabled={!manage}
              onChange={(e) => setRecord((e.currentTarget as HTMLInputElement).checked)} />
            <label for="settings-record">Record shell sessions</label>
          </div>
        </fieldset>
        {manage && (
          <>
            <Field label="Reason for the change" name="settings-reason" value={reason} onInput={setReason} errors={fieldErrors(error, "reason")} />
            <ProblemMessage error={error} />
            {done && <Notice>{done}</Notice>}
            <div class="actions"><button type="submit" class="primary" disabled={busy}>Save settings</button></div>
          </>
        )}
      </form>
    </>
  );
}
