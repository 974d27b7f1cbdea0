// Replays a shell recording (asciicast v2: a JSON header line, then [seconds, "o", text] lines) as text, at its own
// pace. Escape sequences (colours, cursor movement) are dropped, not emulated: this shows what was typed and printed;
// `control sessions replay` renders it in a real terminal.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api";
import { ProblemMessage } from "./components";

type Frame = [number, string];

// CSI sequences, OSC sequences (ended by BEL or ST), and other two-character escapes.
const escapes = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function parseCast(text: string): Frame[] {
  const frames: Frame[] = [];
  for (const line of text.split("\n").slice(1)) {
    if (!line.trim()) {
      continue;
    }
    const [at, kind, data] = JSON.parse(line) as [number, string, string];
    if (kind === "o") {
      frames.push([at, data.replace(escapes, "").replace(/\r\n/g, "\n").replace(/\r/g, "")]);
    }
  }
  return frames;
}

export function Replay(props: { url: string; title: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [frames, setFrames] = useState<Frame[]>();
  const [error, setError] = useState<unknown>();
  const [shown, setShown] = useState(0);
  const [playing, setPlaying] = useState(true);

  useEffect(() => {
    dialog.current?.showModal();
    fetch(props.url, { credentials: "same-origin" })
      .then(async (r) => {
        if (!r.ok) {
          throw new ApiError(r.status, "The recording cannot be loaded.", undefined, undefined, {});
        }
        setFrames(parseCast(await r.text()));
      })
      .catch(setError);
  }, [props.url]);

  useEffect(() => {
    if (!frames || !playing || shown >= frames.length) {
      return;
    }
    // Long pauses are shortened to a second: nobody wants to watch someone think for a minute.
    const wait = shown === 0 ? 0 : Math.min(1000, (frames[shown][0] - frames[shown - 1][0]) * 1000);
    const timer = window.setTimeout(() => setShown(shown + 1), wait);
    return () => window.clearTimeout(timer);
  }, [frames, playing, shown]);

  const done = frames !== undefined && shown >= frames.length;
  return (
    <dialog ref={dialog} class="replay" aria-labelledby="replay-title" onClose={props.onClose}>
      <h2 id="replay-title">{props.title}</h2>
      <ProblemMessage error={error} />
      <pre class="terminal" data-testid="replay-output" aria-live="off">{frames?.slice(0, shown).map((f) => f[1]).join("")}</pre>
      <p role="status">{!frames ? "Loading…" : done ? "End of the recording." : playing ? "Playing…" : "Paused."}</p>
      <div class="actions">
        <button type="button" disabled={!frames || done} onClick={() => setPlaying(!playing)}>{playing ? "Pause" : "Play"}</button>
        <button type="button" disabled={!frames} onClick={() => { setShown(0); setPlaying(true); }}>Restart</button>
        <button type="button" disabled={!frames || done} onClick={() => setShown(frames!.length)}>Skip to the end</button>
        <button type="button" class="primary" onClick={() => dialog.current?.close()}>Close</button>
      </div>
    </dialog>
  );
}
