import type { ReplayProgress } from "../replay/replay-run.js";
import type { ProgressReporter } from "./progress.js";

/** A replay's progress as steps: planning by user, then applying by entry (with users done beside). */
export function reportReplayProgress(progress: ProgressReporter, p: ReplayProgress): void {
  if (p.phase === "apply" && p.entries) {
    progress.update("replay apply", "entries", { done: p.entries.done, total: p.entries.total, detail: `${p.done}/${p.total} users done` });
  } else {
    progress.update(`replay ${p.phase}`, "users", { done: p.done, total: p.total });
  }
}
