import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { describe, expect, it, onTestFinished } from "vitest";
import { startKleerEmulator, type KleerEmulatorSeedInput } from "../../../src/emulator/kleer/index.js";
import { pluralOf, readXsd, type XsdModel } from "./xsd-reader.js";

/**
 * Every key the emulator emits must be an element of the corresponding XSD complexType (repeated
 * elements under their documented plural key), every XSD-required element must be present, and
 * simple values must fit the element's XSD type. Uses fixtures/kleer/kleer.xsd, a copy of
 * Kleer's schema kept in the repository so a fresh clone can run this test.
 */
const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/kleer/${name}`, import.meta.url));
const xsd: XsdModel = readXsd(readFileSync(fixture("kleer.xsd"), "utf8"));
const TOKEN = "conformance-token";

const normaliseEnum = (v: string) => v.replace(/_/g, "").toLowerCase();

function checkSimple(value: unknown, type: string | undefined, path: string, problems: string[]): void {
  const fail = (what: string) => problems.push(`${path}: expected ${what} (${type}), got ${JSON.stringify(value)}`);
  switch (type) {
    case "xs:int":
    case "xs:long":
    case "xs:integer":
      if (!Number.isInteger(value)) fail("an integer");
      return;
    case "xs:decimal":
      if (typeof value !== "number") fail("a number");
      return;
    case "xs:boolean":
      if (typeof value !== "boolean") fail("a boolean");
      return;
    case "xs:string":
      if (typeof value !== "string") fail("a string");
      return;
    case "xs:date":
      if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) fail("a YYYY-MM-DD date");
      return;
    default: {
      const values = type === undefined ? undefined : xsd.enumerations.get(type);
      if (!values) return void problems.push(`${path}: XSD type ${type} is neither simple nor complex`);
      // Kleer's JSON spells enums in upper case (OPEN) or SCREAMING_SNAKE (LEAVE_OF_ABSENCE); XSD in PascalCase.
      if (typeof value !== "string" || !values.map(normaliseEnum).includes(normaliseEnum(value))) fail(`one of ${values.join("|")}`);
    }
  }
}

function checkObject(value: unknown, typeName: string, path: string, problems: string[]): void {
  const elements = xsd.complexTypes.get(typeName);
  if (!elements) return void problems.push(`${path}: no complexType ${typeName} in the XSD`);
  if (typeof value !== "object" || value === null || Array.isArray(value)) return void problems.push(`${path}: expected an object for ${typeName}`);
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    const element = elements.find((e) => (e.repeated ? pluralOf(e.name) === key : e.name === key));
    if (!element) {
      problems.push(`${path}.${key}: not an element of ${typeName}`);
      continue;
    }
    const items = element.repeated ? child : [child];
    if (!Array.isArray(items)) {
      problems.push(`${path}.${key}: repeated element ${element.name} must be an array`);
      continue;
    }
    items.forEach((item, i) => {
      const at = element.repeated ? `${path}.${key}[${i}]` : `${path}.${key}`;
      if (element.type !== undefined && xsd.complexTypes.has(element.type)) checkObject(item, element.type, at, problems);
      else checkSimple(item, element.type, at, problems);
    });
  }
  for (const element of elements) {
    const key = element.repeated ? pluralOf(element.name) : element.name;
    if (element.required && !(key in record)) problems.push(`${path}: required element ${key} of ${typeName} is missing`);
  }
}

/** A list root `{plural: [...]}`: the key is the list type, whose one repeated element types each row. */
function checkList(body: unknown, listType: string, problems: string[]): number {
  const list = xsd.complexTypes.get(listType);
  const row = list?.[0];
  if (!list || list.length !== 1 || !row?.repeated || !row.type) {
    problems.push(`${listType}: not a list type in the XSD`);
    return 0;
  }
  expect(pluralOf(row.name)).toBe(listType);
  expect(Object.keys(body as object)).toEqual([listType]);
  const rows = (body as Record<string, unknown[]>)[listType] ?? [];
  rows.forEach((item, i) => checkObject(item, row.type!, `${listType}[${i}]`, problems));
  return rows.length;
}

describe("Kleer emulator conforms to kleer.xsd", () => {
  it("reads the XSD types the emulator emits", () => {
    expect(xsd.complexTypes.get("event-readable")?.map((e) => e.name)).toContain("internal-comment");
    expect(xsd.complexTypes.get("client-project-readable")?.find((e) => e.name === "activity")).toMatchObject({ repeated: true, required: false });
    expect(xsd.enumerations.get("event-status-type")).toEqual(["Open", "Approved", "Certified"]);
  });

  it("emits only XSD elements, every required one, with fitting values", async () => {
    const seed = JSON.parse(readFileSync(fixture("small-company.json"), "utf8")) as KleerEmulatorSeedInput;
    const emulator = await startKleerEmulator({ seed, token: TOKEN, companyId: 4875 });
    onTestFinished(() => emulator.close());
    const get = async (path: string) => {
      const res = await request(`${emulator.url}/v1/company/4875${path}`, {
        headers: { "x-token": TOKEN, accept: "application/json", "content-type": "application/json" },
      });
      expect(res.statusCode).toBe(200);
      return res.body.json();
    };
    const problems: string[] = [];
    const counts = {
      users: checkList(await get("/user"), "users", problems),
      projects: checkList(await get("/client-project"), "client-project-readables", problems),
      activities: checkList(await get("/activity"), "activity-readables", problems),
      events: checkList(await get("/event?startDate=2026-01-01&endDate=2026-12-31"), "event-readables", problems),
      statuses: checkList(await get("/event/statuses?userId=5512&fromDate=2026-05-01&toDate=2026-05-31"), "event-restriction-readables", problems),
      schedule: checkList(await get("/payroll/user/5512/schedule/2026-05-01/to/2026-05-31"), "payroll-user-schedule-metadatas", problems),
      payroll: checkList(await get("/payroll/user/5512/event/from/2026-05-01/to/2026-05-31"), "payroll-events", problems),
    };
    checkObject(await get("/user/me"), "user", "user/me", problems);
    checkObject(await get("/event/7001206"), "event-readable", "event/7001206", problems);
    expect(problems).toEqual([]);
    // The fixture exercises every emitted shape (projects with user and activity lists, projectless events).
    expect(counts).toEqual({ users: 5, projects: 5, activities: 5, events: 12, statuses: 4, schedule: 5, payroll: 3 });
  });

  it("would catch a key that is not in the XSD and a missing required element", () => {
    const problems: string[] = [];
    checkObject({ id: { id: 1 }, name: "A", "mandatory-child-when-reporting": false, colour: "red" }, "activity-readable", "a", problems);
    expect(problems).toEqual(["a.colour: not an element of activity-readable", "a: required element description of activity-readable is missing"]);
  });
});
