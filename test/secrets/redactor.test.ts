import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { excerptBody, SecretRedactor } from "../../src/http/redact.js";

/** The redactor every message, excerpt, report row and export passes through. */

describe("SecretRedactor", () => {
  const password = 'Lösen"ord\\#Vår 7&<x>';

  it.each([
    ["as written", password],
    ["JSON-escaped", JSON.stringify(password).slice(1, -1)],
    ["JSON-escaped with \\u00f6", JSON.stringify(password).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)],
    ["JSON-escaped with \\u00F6", JSON.stringify(password).slice(1, -1).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`)],
    ["URL-encoded", encodeURIComponent(password)],
    ["form-encoded", new URLSearchParams({ p: password }).toString().slice(2)],
    ["HTML-escaped", password.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")],
  ])("redacts a secret echoed %s", (_label, form) => {
    const redactor = new SecretRedactor();
    redactor.add(password);
    expect(redactor.redact(`before ${form} after`)).toBe("before [redacted] after");
  });

  it("redacts the longer of two overlapping secrets whole", () => {
    const redactor = new SecretRedactor();
    redactor.add("abcd");
    redactor.add("xxabcdyy");
    expect(redactor.redact("[xxabcdyy] [abcd]")).toBe("[[redacted]] [[redacted]]");
  });

  it("leaves no piece of a longer secret when a shorter one starts first inside the same text", () => {
    const redactor = new SecretRedactor();
    redactor.add("sess-7f3a9c");
    redactor.add("wx-sess");
    // "wx-sess" starts before the session id and overlaps its first characters.
    expect(redactor.redact("cookie=wx-sess-7f3a9c;")).toBe("cookie=[redacted];");
    expect(redactor.redact("a wx-sess b sess-7f3a9c c")).toBe("a [redacted] b [redacted] c");
  });

  it("redacts every one of thousands of registered secrets, regular-expression characters taken literally", () => {
    const redactor = new SecretRedactor();
    const secrets = Array.from({ length: 2_000 }, (_, i) => (i % 3 === 0 ? `s.$*+?(${i})[]{}|^\\/-tok` : `session-${i}-csrf-${i * 7919}`));
    for (const secret of secrets) redactor.add(secret);
    const text = secrets.map((secret, i) => `user ${i}: ${secret};`).join(" ");
    const out = redactor.redact(text);
    for (const secret of secrets) expect(out).not.toContain(secret);
    expect(out).toBe(secrets.map((_, i) => `user ${i}: [redacted];`).join(" "));
    // A pattern-like secret matches only itself.
    expect(redactor.redact("s.$*+?(0)[]{}|^\\/-tak and sXY")).toBe("s.$*+?(0)[]{}|^\\/-tak and sXY");
  });

  it("redacts exactly the union of every occurrence of every secret, overlapping ones merged (any secrets, any text)", () => {
    // A small alphabet makes secrets overlap, nest, share prefixes and collide in the prefix table.
    const unit = fc.constantFrom("a", "b", "c", "\u00f6", "\ud83d");
    const reference = (secrets: readonly string[], text: string): string => {
      const spans: Array<[number, number]> = [];
      for (const secret of secrets)
        for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) spans.push([at, at + secret.length]);
      spans.sort((x, y) => x[0] - y[0]);
      let out = "";
      let copied = 0;
      let open: [number, number] | undefined;
      for (const [from, to] of spans) {
        if (open && from < open[1]) open[1] = Math.max(open[1], to);
        else {
          if (open) {
            out += `${text.slice(copied, open[0])}[redacted]`;
            copied = open[1];
          }
          open = [from, to];
        }
      }
      return open ? `${out}${text.slice(copied, open[0])}[redacted]${text.slice(open[1])}` : text;
    };
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, minLength: 4, maxLength: 7 }), { minLength: 1, maxLength: 6 }),
        // The text is made of secrets, their heads and tails, and noise: occurrences touch and overlap.
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: -3, max: 3 }), fc.string({ unit, maxLength: 2 })), { maxLength: 12 }),
        (secrets, pieces) => {
          const text = pieces
            .map(([pick, cut, noise]) => {
              const secret = secrets[pick % secrets.length] as string;
              return (cut < 0 ? secret.slice(-cut) : secret.slice(0, secret.length - cut)) + noise;
            })
            .join("");
          const redactor = new SecretRedactor();
          for (const secret of secrets) redactor.add(secret);
          // Only the as-written form can occur in this alphabet's text (its other forms hold \\, % or &).
          expect(redactor.redact(text)).toBe(reference(secrets, text));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("ignores secrets shorter than four characters and accepts any string, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 0, maxLength: 30 }), fc.string(), (secret, around) => {
        const redactor = new SecretRedactor();
        redactor.add(secret);
        const out = redactor.redact(`${around}${secret}${around}`);
        if (secret.length >= 4) expect(out).not.toContain(secret);
        else expect(out).toBe(`${around}${secret}${around}`);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps excerpts short and free of the secret whatever the body", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 40 }).filter((s) => s.trim().length >= 4 && !/[\r\n\t]/.test(s)), fc.string({ maxLength: 600 }), (secret, noise) => {
        const redactor = new SecretRedactor();
        redactor.add(secret);
        const excerpt = excerptBody(`${noise}${secret}${noise}`, redactor);
        expect(excerpt.length).toBeLessThanOrEqual(256);
        expect(excerpt).not.toContain(secret);
      }),
      { numRuns: 300 },
    );
  });
});
