import { HttpResponse } from "msw";

/** Milltime's failure envelope (HTTP 200 unless a status is given). */
export function failure(message: string, status = 200): Response {
  return HttpResponse.json({ rows: [], success: false, message }, { status });
}

/** Parsed `?filter=` fields. */
export type FilterFields = Map<string, string>;

/** Parses `?filter=`: a JSON array of `[field, "=", string]`; only the store's fields are accepted. */
export function parseFilter(url: URL, allowed: readonly string[], required: readonly string[]): { fields: FilterFields } | { error: string } {
  const raw = url.searchParams.get("filter");
  const fields: FilterFields = new Map();
  if (raw !== null) {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      return { error: "filter is not valid JSON" };
    }
    if (!Array.isArray(value)) return { error: "filter must be an array of [field, operator, value]" };
    for (const triple of value) {
      if (!Array.isArray(triple) || triple.length !== 3 || typeof triple[0] !== "string" || typeof triple[2] !== "string") {
        return { error: "each filter entry must be [field, operator, value] with string field and value" };
      }
      const [field, op, v] = triple as [string, unknown, string];
      if (op !== "=") return { error: `unsupported filter operator ${JSON.stringify(op)}` };
      if (!allowed.includes(field)) return { error: `unknown filter field ${field}` };
      fields.set(field, v);
    }
  }
  const missing = required.filter((f) => !fields.has(f));
  if (missing.length > 0) return { error: `missing filter field(s) ${missing.join(", ")}` };
  return { fields };
}

