import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidResponseError } from "../../src/domain/errors.js";
import { startMilltimeEmulator } from "../../src/emulator/milltime/milltime-emulator.js";
import type { MilltimeSeedInput } from "../../src/emulator/milltime/milltime-emulator-seed.js";
import { createMilltimeReader, exportMilltimeSnapshot, MILLTIME_SNAPSHOT_MANIFEST, type MilltimeSnapshotManifest } from "../../src/milltime/index.js";
import { sha256Hex } from "../../src/milltime/milltime-snapshot-manifest.js";
import { expectSaneValues, expectTypedError, mutatedArb, readDemoFixture, settle } from "./fuzz-support.js";

/**
 * Bad input on the offline side: a Milltime snapshot whose files were cut short, replaced or
 * edited (with the checksum fixed up, so the parser has to catch it), and manifests that are not.
 */

const work = mkdtempSync(join(tmpdir(), "toki-parity-snapshot-fuzz-"));
const pristine = join(work, "pristine");
const WEEK = { from: "2026-10-05", to: "2026-10-11" };
let copies = 0;

beforeAll(async () => {
  const emulator = await startMilltimeEmulator({ seed: readDemoFixture<MilltimeSeedInput>("milltime-seed.json") });
  try {
    await exportMilltimeSnapshot({
      ...WEEK,
      credentials: [{ tokiUserId: 1, username: "anna", password: "pw-anna-20261125" }],
      baseUrl: emulator.milltimeUrl,
      outDir: pristine,
    });
  } finally {
    await emulator.close();
  }
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fresh copy of the snapshot, its manifest, and the UserCalendar file's path in it. */
function copySnapshot() {
  const dir = join(work, `copy-${++copies}`);
  cpSync(pristine, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, MILLTIME_SNAPSHOT_MANIFEST), "utf8")) as MilltimeSnapshotManifest;
  const calendar = manifest.files.find((f) => f.store === "UserCalendar")!;
  return { dir, manifest, calendar };
}

/** Replaces a file's content; with `fixChecksum`, the manifest is updated so only the parser can object. */
function replaceFile(copy: ReturnType<typeof copySnapshot>, text: string, fixChecksum: boolean): void {
  writeFileSync(join(copy.dir, copy.calendar.path), text);
  if (fixChecksum) {
    copy.calendar.sha256 = sha256Hex(text);
    writeFileSync(join(copy.dir, MILLTIME_SNAPSHOT_MANIFEST), JSON.stringify(copy.manifest));
  }
}

const readEntries = (dir: string) => createMilltimeReader({ source: { kind: "snapshot", snapshot: dir, tokiUserId: 1 } }).getTimeEntries(WEEK);

describe("a Milltime snapshot with bad files", () => {
  it("reads the untouched copy", async () => {
    expect((await readEntries(copySnapshot().dir)).length).toBeGreaterThan(0);
  });

  it.each([
    ["cut short", (t: string) => t.slice(0, t.length / 2), false, /does not match its sha256/],
    ["replaced by an HTML page", () => "<html><body>Logga in</body></html>", true, /file users\/1\/.* is not JSON/],
    ["emptied", () => "", true, /is not JSON/],
  ])("names a UserCalendar file %s", async (_label, change, fixChecksum, pattern) => {
    const copy = copySnapshot();
    replaceFile(copy, change(readFileSync(join(copy.dir, copy.calendar.path), "utf8")), fixChecksum);
    const outcome = await settle(() => readEntries(copy.dir));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(expectTypedError(outcome.error, ["CONFIG"]).message).toMatch(pattern);
  });

  it.each([
    ["not JSON", "{", /manifest.json is not valid JSON/],
    ["not a manifest", '{"format":"something else"}', /is not a valid Milltime snapshot manifest/],
    ["null", "null", /is not a valid Milltime snapshot manifest/],
  ])("refuses a manifest that is %s", async (_label, text, pattern) => {
    const copy = copySnapshot();
    writeFileSync(join(copy.dir, MILLTIME_SNAPSHOT_MANIFEST), text);
    const outcome = await settle(() => readEntries(copy.dir));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(expectTypedError(outcome.error, ["CONFIG"]).message).toMatch(pattern);
  });

  it("turns an edited calendar file (checksum fixed up) into sane entries or an error naming the field", async () => {
    const copy = copySnapshot();
    const original = JSON.parse(readFileSync(join(copy.dir, copy.calendar.path), "utf8")) as unknown;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(mutatedArb(original), async ({ value }) => {
        const text = JSON.stringify(value) ?? "null";
        replaceFile(copy, text, true);
        const outcome = await settle(() => readEntries(copy.dir));
        if (outcome.ok) {
          expectSaneValues(outcome.value);
          return;
        }
        refused++;
        const error = expectTypedError(outcome.error, ["INVALID_RESPONSE", "PROVIDER_ERROR", "NOT_FOUND"]);
        expect(error.message).toContain("Toki user 1 (anna)");
        if (error instanceof InvalidResponseError && error.fieldPath !== "rows") expect(error.message).toContain(`${error.fieldPath}: `);
      }),
      { numRuns: 60 },
    );
    expect(refused).toBeGreaterThan(0);
  });
});
