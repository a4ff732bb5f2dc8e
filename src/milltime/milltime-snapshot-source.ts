import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, TokiError, type TokiErrorCode } from "../domain/errors.js";
import { parseJsonFileText } from "../config/json-file.js";
import type { MilltimeStoreSource } from "./milltime-reader.js";
import { describeRequest, type MilltimeStoreRequest } from "./milltime-stores.js";
import {
  MILLTIME_SNAPSHOT_MANIFEST,
  sha256Hex,
  snapshotFilePath,
  snapshotManifestSchema,
  type MilltimeSnapshotManifest,
  type SnapshotFile,
} from "./milltime-snapshot-manifest.js";
import { formatIssuePath } from "./milltime-stores.js";

/** An opened snapshot directory; `sourceFor` answers one user's store requests from its files. */
export interface MilltimeSnapshot {
  readonly dir: string;
  readonly manifest: MilltimeSnapshotManifest;
  sourceFor(tokiUserId: number): MilltimeStoreSource;
}

const ERROR_CODES: readonly TokiErrorCode[] = [
  "AUTH_FAILED", "FORBIDDEN", "NOT_FOUND", "PROJECT_NOT_FOUND", "ACTIVITY_NOT_ALLOWED", "DATE_LOCKED",
  "PROVIDER_ERROR", "INVALID_RESPONSE", "UNREACHABLE", "CONFIG", "USAGE", "REFUSED",
];

/**
 * Stores whose reply for a range also answers any sub-range: UserCalendar (the reader keeps only
 * the days it asked for) and ProjectPhaseActivity (exported once per project for the whole range).
 * TimeInfo figures are per period, so a TimeInfo file only answers its exact range.
 */
const CONTAINABLE = new Set(["UserCalendar", "ProjectPhaseActivity"]);

function answers(file: SnapshotFile, request: MilltimeStoreRequest, exact: boolean): boolean {
  if (file.store !== request.store || file.filter.length !== request.filter.length) return false;
  const stored = new Map(file.filter.map(([field, , value]) => [field, value]));
  return request.filter.every(([field, , value]) => {
    const have = stored.get(field);
    if (have === undefined) return false;
    if (!exact && CONTAINABLE.has(request.store)) {
      if (field === "fromDate") return have <= value;
      if (field === "toDate") return have >= value;
    }
    return have === value;
  });
}

/** Reads and validates `manifest.json`; file contents are checked against it when read. */
export async function openMilltimeSnapshot(dir: string): Promise<MilltimeSnapshot> {
  const manifestPath = join(dir, MILLTIME_SNAPSHOT_MANIFEST);
  let text: string;
  try {
    text = await readFile(manifestPath, "utf8");
  } catch (error) {
    throw new ConfigError(`${dir} is not a Milltime snapshot: cannot read ${MILLTIME_SNAPSHOT_MANIFEST}`, [], { cause: error });
  }
  const value = parseJsonFileText(text, manifestPath, `${manifestPath} is not valid JSON`);
  const parsed = snapshotManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${formatIssuePath(i.path)}: ${i.message}`);
    throw new ConfigError(`${manifestPath} is not a valid Milltime snapshot manifest`, issues);
  }
  const manifest = parsed.data;

  async function readChecked(file: SnapshotFile): Promise<unknown> {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(dir, file.path));
    } catch (error) {
      throw new ConfigError(`Milltime snapshot ${dir}: file ${file.path} listed in the manifest is missing`, [], { cause: error });
    }
    if (sha256Hex(bytes) !== file.sha256) {
      throw new ConfigError(`Milltime snapshot ${dir}: file ${file.path} does not match its sha256 in ${MILLTIME_SNAPSHOT_MANIFEST} (modified or truncated)`);
    }
    return parseJsonFileText(bytes.toString("utf8"), join(dir, file.path), `Milltime snapshot ${dir}: file ${file.path} is not JSON`);
  }

  return {
    dir,
    manifest,
    sourceFor(tokiUserId) {
      const user = manifest.users.find((u) => u.tokiUserId === tokiUserId);
      if (!user) throw new ConfigError(`Milltime snapshot ${dir} holds no Toki user ${tokiUserId}`);
      const who = `Toki user ${tokiUserId} (${user.username})`;
      const files = manifest.files.filter((f) => f.tokiUserId === tokiUserId);
      return {
        who,
        async fetchStore(request) {
          if (user.status === "failed") {
            const code = ERROR_CODES.find((c) => c === user.error?.code) ?? "PROVIDER_ERROR";
            throw new TokiError(code, `Milltime export of ${who} had failed: ${user.error?.message ?? "unknown error"}`);
          }
          const file = files.find((f) => answers(f, request, true)) ?? files.find((f) => answers(f, request, false));
          if (!file) {
            throw new ConfigError(
              `Milltime snapshot ${dir} has no ${describeRequest(request)} reply for ${who} ` +
                `(no file like ${snapshotFilePath(tokiUserId, request)}); it was exported for ${manifest.range.from}..${manifest.range.to}`,
            );
          }
          return readChecked(file);
        },
      };
    },
  };
}
