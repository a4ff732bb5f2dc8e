/**
 * Legacy Milltime TimeInfo: the five fields Toki's UI consumed plus the extra flex fields
 * Milltime returned (kept for parity and the product review).
 */
export interface TimeInfo {
  periodTimeLeft: number;
  workedPeriodTime: number;
  scheduledPeriodTime: number;
  workedPeriodWithAbsenceTime: number;
  /** Milltime's running flex balance. Kleer has no equivalent. */
  flexTimeCurrent: number;
  flexTimePreviousPeriod: number | null;
  flexTimePeriodExcl: number;
  flexTimePeriodIncl: number;
  flexWithdrawal: number;
  absencePeriodTime: number;
}

/** Kleer-era statistics computed by the adapter for a range. */
export interface WeeklyStats {
  workedHours: number;
  scheduledHours: number;
  absenceHours: number;
  /** worked + absence */
  coveredHours: number;
  /** max(0, scheduled − covered) */
  remainingHours: number;
  /** covered − scheduled; an estimate for the range, not a running balance. */
  periodFlexHours: number;
}

/** Builds WeeklyStats from the three sums exactly as Toki's Kleer adapter does. */
export function computeWeeklyStats(workedHours: number, scheduledHours: number, absenceHours: number): WeeklyStats {
  const coveredHours = workedHours + absenceHours;
  return {
    workedHours,
    scheduledHours,
    absenceHours,
    coveredHours,
    remainingHours: Math.max(0, scheduledHours - coveredHours),
    periodFlexHours: coveredHours - scheduledHours,
  };
}
