// Plays a shell recording (asciicast v2, from GET /sessions/{id}/recording) in asciinema-player, a real terminal
// emulator (its core is WebAssembly: the CSP allows compiling wasm with 'wasm-unsafe-eval', not JS eval). The player is
// a separate chunk loaded on first use; if it cannot load or start, the recording is replayed as text instead, with
// escape sequences (colours, cursor movement) dropped.
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
  const [cast, setCast] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [asText, setAsText] = useState(false);

  useEffect(() => {
    dialog.current?.showModal();
    fetch(props.url, { credentials: "same-origin" })
      .then(async (r) => {
        if (!r.ok) {
          throw new ApiError(r.status, "The recording cannot be loaded.", undefined, undefined, {});
        }
        setCast(await r.text());
      })
      .catch(setError);
  }, [props.url]);

  return (
    <dialog ref={dialog} class="replay" aria-labelledby="replay-title" onClose={props.onClose}>
      <h2 id="replay-title">{props.title}</h2>
      <ProblemMessage error={error} />
      {cast === undefined ? !error && <p role="status">Loading…</p>
        : asText ? <TextReplay frames={parseCast(cast)} /> : <TerminalPlayer cast={cast} onFailed={() => setAsText(true)} />}
      <div class="actions">
        <button type="button" class="primary" onClick={() => dialog.current?.close()}>Close</button>
      </div>
    </dialog>
  );
}

function TerminalPlayer(props: { cast: string; onFailed: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let player: { dispose(): void } | undefined;
    let gone = false;
    import("asciinema-player")
      .then(({ create }) => {
        if (gone || !host.current) {
          return;
        }
        const created = create({ data: props.cast }, host.current, { autoPlay: true, idleTimeLimit: 1, fit: "width", controls: true });
        // "error" is dispatched on a fatal driver failure (e.g. the wasm core refused); it is missing from the typings.
        (created.addEventListener as (name: string, handler: () => void) => void)("error", props.onFailed);
        player = created;
      })
      .catch(props.onFailed);
    return () => {
      gone = true;
      player?.dispose();
    };
  }, [props.cast]);
  return (
    <>
      <p class="hint">Space plays or pauses, the arrow keys seek, once the player has the focus.</p>
      <div ref={host} class="player" data-testid="replay-player" />
    </>
  );
}

/** The fallback: what was printed, without escape sequences, at the recording's pace (pauses cut to a second). */
function TextReplay(props: { frames: Frame[] }) {
  const { frames } = props;
  const [shown, setShown] = useState(0);
  const [playing, setPlaying] = useState(true);

  useEffect(() => {
    if (!playing || shown >= frames.length) {
      return;
    }
    const wait = shown === 0 ? 0 : Math.min(1000, (frames[shown][0] - frames[shown - 1][0]) * 1000);
    const timer = window.setTimeout(() => setShown(shown + 1), wait);
    return () => window.clearTimeout(timer);
  }, [frames, playing, shown]);

  const done = shown >= frames.length;
  return (
    <>
      <pre class="terminal" data-testid="replay-output" aria-live="off">{frames.slice(0, shown).map((f) => f[1]).join("")}</pre>
      <p role="status">{done ? "End of the recording." : playing ? "Playing…" : "Paused."}</p>
      <div class="actions">
        <button type="button" disabled={done} onClick={() => setPlaying(!playing)}>{playing ? "Pause" : "Play"}</button>
        <button type="button" onClick={() => { setShown(0); setPlaying(true); }}>Restart</button>
        <button type="button" disabled={done} onClick={() => setShown(frames.length)}>Skip to the end</button>
      </div>
    </>
  );
}
