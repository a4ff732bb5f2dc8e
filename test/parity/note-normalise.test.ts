import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KLEER_MISSING_NOTE, normaliseKleerNote, normaliseLegacyNote, noteSimilarity } from "../../src/parity/note-normalise.js";

// Notes decide note_differs findings and half of the content score: Toki writes `missing note`
// to Kleer for an empty note (kleer adapter, 2d8ab9e), so that placeholder equals an empty note.
describe("note normalisation", () => {
  it.each([
    [null, ""],
    ["", ""],
    ["  Sprint planning \n", "Sprint planning"],
    [KLEER_MISSING_NOTE, ""],
    [`  ${KLEER_MISSING_NOTE} `, ""],
    ["Missing note", "Missing note"],
    ["missing notes", "missing notes"],
  ])("legacy %j compares as %j", (note, expected) => {
    expect(normaliseLegacyNote(note)).toBe(expected);
  });

  it.each([
    [null, ""],
    ["", ""],
    [" Login bug ", "Login bug"],
    [KLEER_MISSING_NOTE, ""],
    ["missing note, see ticket", "missing note, see ticket"],
  ])("Kleer %j compares as %j", (note, expected) => {
    expect(normaliseKleerNote(note)).toBe(expected);
  });
});

describe("noteSimilarity", () => {
  it.each([
    ["", "", 1],
    ["Login bug", "Login bug", 1],
    ["Login Bug", "login bug", 1],
    ["Login bug", "", 0],
    ["", "Login bug", 0],
    ["abc", "xyz", 0],
    // 2 × 9 common characters ÷ (13 + 9).
    ["login bug fix", "login bug", 18 / 22],
  ])("%j vs %j → %d", (a, b, expected) => {
    expect(noteSimilarity(a, b)).toBeCloseTo(expected, 9);
  });

  it("counts characters of the notes as written, so a case change that alters length never scores above 1", () => {
    // "ß" upper-cases to "SS": comparing upper-cased text would count 7 common characters of 13.
    expect(noteSimilarity("Straße", "strasse")).toBeCloseTo(10 / 13, 9);
  });

  it("is symmetric and stays within [0, 1]", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const s = noteSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(noteSimilarity(b, a)).toBeCloseTo(s, 9);
      }),
    );
  });
});
