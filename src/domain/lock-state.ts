import type { AttestLevel, Editability, LockState, TimeEntryStatus } from "./time-entry.js";

/** Milltime read any number other than 1 or 2 (and null) as None. */
export function toAttestLevel(value: unknown): AttestLevel {
  return value === 1 ? 1 : value === 2 ? 2 : 0;
}

export function editabilityOfAttestLevel(level: AttestLevel): Editability {
  return level === 0 ? "editable" : "locked";
}

export function editabilityOfStatus(status: TimeEntryStatus): Editability {
  return status === "open" ? "editable" : "locked";
}

/** Toki's UI rule: legacy editable only at attest level 0; Kleer-era only when open. */
export function editabilityOf(lock: LockState): Editability {
  return lock.kind === "attestLevel" ? editabilityOfAttestLevel(lock.attestLevel) : editabilityOfStatus(lock.status);
}

export function describeLockState(lock: LockState): string {
  if (lock.kind === "status") return lock.status;
  return lock.attestLevel === 0 ? "none" : lock.attestLevel === 1 ? "week" : "month";
}
