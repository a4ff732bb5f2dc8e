import type {
  KleerSeedActivity,
  KleerSeedDayStatus,
  KleerSeedEvent,
  KleerSeedProject,
  KleerSeedSchedule,
  KleerSeedUser,
  KleerWireQuirks,
} from "./kleer-emulator-seed.js";
import type { KleerEmulatorPayrollEvent } from "./kleer-emulator-state.js";

/**
 * Emits the emulator's state in Kleer's JSON wire format: XSD element names in kebab-case, every
 * XSD-required element present, `{id}` references, upper-case statuses, repeated elements under
 * their plural key (`activity` → `activities`, `user` → `users`).
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const ref = (id: number): JsonObject => ({ id });

/** The emulator's default: everything spelled as Toki's decoder expects. */
export const NO_WIRE_QUIRKS: KleerWireQuirks = { statusSpelling: "upper", nullStrings: false, dateFormat: "date" };
const statusType = (status: string, pascal: boolean) => (pascal ? `${status.charAt(0).toUpperCase()}${status.slice(1)}` : status.toUpperCase());
const emptyAsNull = (text: string, quirks: KleerWireQuirks): string | null => (quirks.nullStrings && text === "" ? null : text);
const wireDate = (date: string, datetime: boolean) => (datetime ? `${date}T00:00:00` : date);

export function wireUser(user: KleerSeedUser): JsonObject {
  return {
    id: user.id,
    ...(user.foreignId === null ? {} : { "foreign-id": user.foreignId }),
    ...(user.internalId === null ? {} : { "internal-id": user.internalId }),
    name: user.name,
    email: user.email,
    active: user.active,
  };
}

/** `/user/me`: Toki reads `{id, name, email, active}`. */
export function wireMe(user: KleerSeedUser): JsonObject {
  return { id: user.id, name: user.name, email: user.email, active: user.active };
}

export function wireProject(project: KleerSeedProject, quirks: KleerWireQuirks = NO_WIRE_QUIRKS): JsonObject {
  return {
    id: ref(project.id),
    "fixed-price": false,
    number: emptyAsNull(project.number, quirks),
    name: project.name,
    "currency-type": "SEK",
    active: project.active,
    comment: "",
    "budget-hours": 0,
    "budget-amount": 0,
    "incoming-invoiced-amount": 0,
    "incoming-invoiced-vat-amount": 0,
    "all-activities": project.allActivities,
    activities: project.activities.map((id) => ({ activity: ref(id) })),
    "all-users": project.allUsers,
    users: project.users.map((u) => ({ user: ref(u.userId), activities: u.activities.map((id) => ({ activity: ref(id) })) })),
    status: project.status ?? (project.active ? "Open" : "Closed"),
  };
}

export function wireActivity(activity: KleerSeedActivity, quirks: KleerWireQuirks = NO_WIRE_QUIRKS): JsonObject {
  return {
    id: ref(activity.id),
    name: activity.name,
    description: emptyAsNull(activity.description, quirks),
    "mandatory-child-when-reporting": activity.mandatoryChildWhenReporting,
  };
}

export function wireEvent(event: KleerSeedEvent, quirks: KleerWireQuirks = NO_WIRE_QUIRKS): JsonObject {
  const pascal = quirks.statusSpelling === "pascal" || event.wireQuirk === "pascal-status";
  const datetime = quirks.dateFormat === "datetime" || event.wireQuirk === "datetime-registration-date";
  const nullForeignId = event.wireQuirk === "null-foreign-id" || (quirks.nullStrings && event.foreignId === "");
  return {
    id: ref(event.id),
    "foreign-id": nullForeignId ? null : event.foreignId,
    user: ref(event.userId),
    activity: ref(event.activityId),
    ...(event.projectId === null ? {} : { "client-project": ref(event.projectId) }),
    date: event.date,
    hours: event.hours,
    comment: event.comment,
    "internal-comment": event.internalComment ?? event.comment,
    invoiceable: event.invoiceable,
    "invoiced-hours": 0,
    "invoiced-price": 0,
    approved: event.status !== "open",
    status: { type: statusType(event.status, pascal), "registration-user": ref(event.userId), "registration-date": wireDate(event.date, datetime) },
  };
}

export function wireDayStatus(row: KleerSeedDayStatus, quirks: KleerWireQuirks = NO_WIRE_QUIRKS): JsonObject {
  const datetime = quirks.dateFormat === "datetime";
  return {
    status: {
      type: statusType(row.status, quirks.statusSpelling === "pascal"),
      "registration-user": ref(row.registrationUserId ?? row.userId),
      "event-date": wireDate(row.date, datetime),
    },
  };
}

export function wireSchedule(row: KleerSeedSchedule): JsonObject {
  return {
    date: row.date,
    "level-of-employment": row.levelOfEmployment,
    "gross-hours": row.grossHours,
    "net-hours": row.netHours,
    "actual-hours": row.actualHours,
  };
}

export function wirePayrollEvent(row: KleerEmulatorPayrollEvent): JsonObject {
  return { id: row.id, date: row.date, hours: row.hours, type: row.type, comment: row.comment };
}

/** The singular XML element of a plural JSON key (`activities` → `activity`, `users` → `user`). */
export function singularOf(plural: string): string {
  if (plural.endsWith("ies")) return `${plural.slice(0, -3)}y`;
  if (plural.endsWith("s")) return plural.slice(0, -1);
  return plural;
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function children(value: Json): string {
  if (value === null) return "";
  if (Array.isArray(value)) return value.map(children).join("");
  if (typeof value === "object")
    return Object.entries(value)
      .map(([k, v]) => (Array.isArray(v) ? v.map((item) => element(singularOf(k), item)).join("") : element(k, v)))
      .join("");
  return escapeXml(String(value));
}

function element(name: string, value: Json): string {
  return value === null ? "" : `<${name}>${children(value)}</${name}>`;
}

/**
 * What Kleer answers when a request lacks `Content-Type: application/json` (kleer-api.md §1):
 * the same document as XML. A list root keeps its plural element wrapping singular rows.
 */
export function toXml(rootName: string, body: Json): string {
  const inner =
    typeof body === "object" && body !== null && !Array.isArray(body) && Object.keys(body).length === 1 && Array.isArray(Object.values(body)[0])
      ? element(Object.keys(body)[0]!, { [singularOf(Object.keys(body)[0]!)]: Object.values(body)[0]! })
      : element(rootName, body);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${inner}`;
}
