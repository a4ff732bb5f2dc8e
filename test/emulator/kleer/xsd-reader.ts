/**
 * A small reader for the parts of kleer.xsd the conformance test needs: each named top-level
 * complexType's own elements (not those of nested anonymous types) and each simpleType's
 * enumeration. Kleer's XSD is regular enough for a tag scanner; no XML library is installed.
 */
export interface XsdElement {
  name: string;
  type: string | undefined;
  required: boolean;
  repeated: boolean;
}

export interface XsdModel {
  complexTypes: Map<string, XsdElement[]>;
  enumerations: Map<string, string[]>;
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];

export function readXsd(text: string): XsdModel {
  const complexTypes = new Map<string, XsdElement[]>();
  const enumerations = new Map<string, string[]>();
  const tags = /<(\/?)xs:(complexType|simpleType|element|enumeration)\b([^>]*?)(\/?)>/g;
  // Stack of open complexTypes/simpleTypes: the named one being read is at depth 1.
  const stack: Array<{ kind: string; name: string | undefined }> = [];
  let current: { name: string; elements: XsdElement[] } | undefined;
  let currentSimple: { name: string; values: string[] } | undefined;
  let elementDepth = 0;
  for (const m of text.matchAll(tags)) {
    const [, closing, kind, attrs = "", selfClosing] = m;
    if (kind === "complexType" || kind === "simpleType") {
      if (closing) {
        const done = stack.pop();
        if (stack.length === 0 && done?.kind === "complexType" && current) complexTypes.set(current.name, current.elements);
        if (stack.length === 0 && done?.kind === "simpleType" && currentSimple) enumerations.set(currentSimple.name, currentSimple.values);
        if (stack.length === 0) {
          current = undefined;
          currentSimple = undefined;
        }
        continue;
      }
      if (selfClosing) continue;
      const name = attr(attrs, "name");
      // Only types declared at the top level of the schema (outside any element) are named types.
      if (stack.length === 0 && elementDepth === 0 && name) {
        if (kind === "complexType") current = { name, elements: [] };
        else currentSimple = { name, values: [] };
      }
      stack.push({ kind, name });
      continue;
    }
    if (kind === "enumeration" && currentSimple && stack.length === 1) {
      const value = attr(attrs, "value");
      if (value !== undefined) currentSimple.values.push(value);
      continue;
    }
    if (kind === "element") {
      if (closing) {
        elementDepth -= 1;
        continue;
      }
      if (current && stack.length === 1) {
        const name = attr(attrs, "name");
        if (name)
          current.elements.push({
            name,
            type: attr(attrs, "type"),
            required: attr(attrs, "minOccurs") !== "0",
            repeated: attr(attrs, "maxOccurs") === "unbounded",
          });
      }
      if (!selfClosing) elementDepth += 1;
    }
  }
  return { complexTypes, enumerations };
}

/** The documented JSON pluralisation of a repeated element (`activity` → `activities`). */
export function pluralOf(name: string): string {
  if (name.endsWith("s")) return name;
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}
