/**
 * A small, strict XML 1.0 well-formedness checker for tests (no regular expressions): one root,
 * balanced tags, quoted attributes without duplicates, only the five named entities and numeric
 * character references, no forbidden control characters. Returns the element tree with
 * attribute values and text decoded, or throws with the offset of the first problem.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function isNameChar(c: string, first: boolean): boolean {
  const code = c.charCodeAt(0);
  const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || c === "_" || c === ":";
  if (first) return letter;
  return letter || (code >= 48 && code <= 57) || c === "-" || c === ".";
}

function isAllowedChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code !== 0xfffe && code !== 0xffff);
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`XML not well-formed at offset ${i}: ${what} (…${xml.slice(Math.max(0, i - 30), i + 30)}…)`);
  };
  for (let k = 0; k < xml.length; k++) {
    if (!isAllowedChar(xml.charCodeAt(k))) {
      i = k;
      fail(`forbidden character U+${xml.charCodeAt(k).toString(16)}`);
    }
  }
  const skipSpace = () => {
    while (i < xml.length && (xml[i] === " " || xml[i] === "\n" || xml[i] === "\r" || xml[i] === "\t")) i++;
  };
  const readName = (): string => {
    const start = i;
    if (i >= xml.length || !isNameChar(xml[i] as string, true)) fail("expected a name");
    i++;
    while (i < xml.length && isNameChar(xml[i] as string, false)) i++;
    return xml.slice(start, i);
  };
  const readEntity = (): string => {
    const end = xml.indexOf(";", i);
    if (end < 0 || end - i > 10) fail("unterminated entity");
    const body = xml.slice(i + 1, end);
    i = end + 1;
    if (body.startsWith("#x")) {
      const code = Number.parseInt(body.slice(2), 16);
      if (!Number.isFinite(code) || !isAllowedChar(code)) fail(`bad character reference &${body};`);
      return String.fromCodePoint(code);
    }
    if (body.startsWith("#")) {
      const code = Number(body.slice(1));
      if (!Number.isInteger(code) || !isAllowedChar(code)) fail(`bad character reference &${body};`);
      return String.fromCodePoint(code);
    }
    const named = NAMED[body];
    if (named === undefined) fail(`unknown entity &${body};`);
    return named as string;
  };

  if (xml.startsWith("<?xml")) {
    const end = xml.indexOf("?>");
    if (end < 0) fail("unterminated XML declaration");
    i = end + 2;
  }
  skipSpace();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const c = xml[i];
    if (c === "<") {
      if (xml[i + 1] === "/") {
        i += 2;
        const name = readName();
        skipSpace();
        if (xml[i] !== ">") fail("expected > after closing tag");
        i++;
        const open = stack.pop();
        if (!open || open.name !== name) fail(`closing </${name}> does not match <${open?.name ?? "nothing"}>`);
        if (stack.length === 0) {
          skipSpace();
          if (i < xml.length) fail("content after the root element");
        }
        continue;
      }
      i++;
      if (root && stack.length === 0) fail("a second root element");
      const element: XmlElement = { name: readName(), attributes: {}, children: [], text: "" };
      for (;;) {
        const before = i;
        skipSpace();
        if (xml[i] === "/" && xml[i + 1] === ">") {
          i += 2;
          (stack[stack.length - 1]?.children ?? []).push(element);
          root ??= element;
          if (stack.length === 0) {
            skipSpace();
            if (i < xml.length) fail("content after the root element");
          }
          break;
        }
        if (xml[i] === ">") {
          i++;
          stack[stack.length - 1]?.children.push(element);
          root ??= element;
          stack.push(element);
          break;
        }
        if (i === before) fail("expected whitespace before an attribute");
        const name = readName();
        if (Object.hasOwn(element.attributes, name)) fail(`duplicate attribute ${name}`);
        skipSpace();
        if (xml[i] !== "=") fail("expected = after attribute name");
        i++;
        skipSpace();
        const quote = xml[i];
        if (quote !== '"' && quote !== "'") fail("attribute value must be quoted");
        i++;
        let value = "";
        while (xml[i] !== quote) {
          if (i >= xml.length) fail("unterminated attribute value");
          if (xml[i] === "<") fail("< inside an attribute value");
          if (xml[i] === "&") value += readEntity();
          else value += xml[i++];
        }
        i++;
        element.attributes[name] = value;
      }
      continue;
    }
    const current = stack[stack.length - 1];
    if (!current) fail("text outside the root element");
    if (c === "&") (current as XmlElement).text += readEntity();
    else if (c === ">" && xml.slice(i - 2, i) === "]]") fail("]]> in text");
    else (current as XmlElement).text += xml[i++];
  }
  if (stack.length > 0) fail(`unclosed <${stack[stack.length - 1]?.name}>`);
  if (!root) fail("no root element");
  return root as XmlElement;
}

/** Every descendant element with the given name, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of element.children) {
    if (child.name === name) out.push(child);
    out.push(...findAll(child, name));
  }
  return out;
}
