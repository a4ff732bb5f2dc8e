import { indexMapping } from "../../src/domain/cutover-mapping.js";
import type { TimeEntry } from "../../src/domain/time-entry.js";

// The mapping and legacy entry both replay-plan test files plan from: P1/A1 mapped and allowed,
// P-hidden mapped to a project the user cannot see, A2 mapped but not allowed on P1.
export const ZONE = "Europe/Stockholm";
export const mapping = indexMapping({
  users: [{ tokiUserId: 1, kleerUserId: 5501 }],
  projects: [
    { milltimeProjectId: "P1", kleerProjectId: 801 },
    { milltimeProjectId: "P-hidden", kleerProjectId: 899 },
  ],
  activities: [
    { milltimeActivityId: "A1", kleerActivityId: 901 },
    { milltimeActivityId: "A2", kleerActivityId: 902 },
  ],
});

/** A legacy entry of 1.5 h on P1/A1, 2026-03-03, open (attest level 0). */
export function entry(registrationId: string, overrides: Partial<TimeEntry> = {}): TimeEntry {
  return {
    registrationId, projectId: "P1", projectName: "Webbplats", activityId: "A1", activityName: "Utveckling", date: "2026-03-03", hours: 1.5, note: "Arbete",
    startTime: null, endTime: null, weekNumber: 10, lock: { kind: "attestLevel", attestLevel: 0 }, ...overrides,
  };
}
