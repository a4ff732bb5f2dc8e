import { afterEach } from "vitest";
import type { Clock } from "../../src/domain/ports.js";
import {
  startMilltimeEmulator,
  type MilltimeEmulatorOptions,
  type RunningMilltimeEmulator,
} from "../../src/emulator/milltime/milltime-emulator.js";
import type { MilltimeSeedInput } from "../../src/emulator/milltime/milltime-emulator-seed.js";

/** The users of fixtures/milltime/small-company.json. */
export const ANNA = { tokiUserId: 1, username: "anna", password: "Sommar-2026!", milltimeUserId: "201" };
export const ERIK = { tokiUserId: 2, username: "erik", password: "Vinter#Erik7", milltimeUserId: "202" };
export const MARIA = { tokiUserId: 3, username: "maria", password: "maria-Höst-42", milltimeUserId: "203" };
export const LARS = { tokiUserId: 4, username: "lars", password: "Lars.Vår.2026", milltimeUserId: "204" };

export interface MutableClock extends Clock {
  set(iso: string): void;
  advance(ms: number): void;
}

export function mutableClock(iso: string): MutableClock {
  let now = new Date(iso);
  return {
    now: () => new Date(now.getTime()),
    set: (value) => void (now = new Date(value)),
    advance: (ms) => void (now = new Date(now.getTime() + ms)),
  };
}

/** Starts emulators that are closed after each test (each test owns its emulator). */
export function useMilltimeEmulators(): (options?: MilltimeEmulatorOptions) => Promise<RunningMilltimeEmulator> {
  const running: RunningMilltimeEmulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((e) => e.close()));
  });
  return async (options) => {
    const emulator = await startMilltimeEmulator(options);
    running.push(emulator);
    return emulator;
  };
}

/** A tiny company for targeted tests: one user, a two-phase project, a few registrations. */
export function tinySeed(): MilltimeSeedInput {
  return {
    instance: { instanceId: "000999.1", instanceName: "Liten AB", instanceDb: "milltime_liten" },
    users: [
      { userId: "301", username: "sven", password: "sven-Lösen-1", name: "Sven Ström", startDate: "2026-01-01", flexOpeningBalance: 1 },
      { userId: "302", username: "ebba", password: "ebba-Lösen-2", name: "Ebba Åberg", startDate: "2026-01-01", hoursPerDay: 4 },
    ],
    projects: [
      {
        projectId: "300000000000000001",
        name: "Webbplats",
        projectNr: "W-1",
        memberUserIds: ["301", "302"],
        phases: [{ phaseId: "Default", name: "Bygg", activities: [{ activityId: "200000000000000001", name: "Utveckling" }] }],
      },
      {
        projectId: "300000000000000002",
        name: "Tvåfasprojekt",
        memberUserIds: ["301"],
        phases: [
          { phaseId: "F1", name: "Förstudie", activities: [{ activityId: "200000000000000002", name: "Analys" }] },
          { phaseId: "F2", name: "Genomförande", activities: [{ activityId: "200000000000000003", name: "Bygg" }] },
        ],
      },
      { projectId: "300000000000000003", name: "Tomt projekt", memberUserIds: ["301"], phases: [] },
    ],
    registrations: [
      { registrationId: "400000000000000001", userId: "301", projectId: "300000000000000001", activityId: "200000000000000001", date: "2026-02-02", hours: 7, minutes: 30, note: "Startmöte", attestLevel: 2 },
      { registrationId: "400000000000000002", userId: "301", projectId: "300000000000000001", activityId: "200000000000000001", date: "2026-02-03", hours: 8, minutes: null, note: null, attestLevel: null },
      { registrationId: "400000000000000003", userId: "301", projectId: "300000000000000002", activityId: "200000000000000003", date: "2026-02-04", hours: 6, minutes: 45, note: "Bygg", attestLevel: 1 },
      { registrationId: "400000000000000004", userId: "301", projectId: "300000000000000001", activityId: "200000000000000001", date: "2026-02-05", hours: 2, minutes: 15, note: "", attestLevel: 7 },
      { registrationId: "400000000000000005", userId: "301", projectId: "300000000000000001", activityId: "200000000000000001", date: "2026-02-05", hours: 5, minutes: 0, note: "Eftermiddag", attestLevel: 0 },
    ],
    schedule: [{ userId: "301", date: "2026-02-06", hours: 0, holiday: true }],
    absences: [{ userId: "301", date: "2026-02-09", hours: 8, type: "Semester" }],
  };
}

export const SVEN = { username: "sven", password: "sven-Lösen-1", instanceId: "000999.1" };
