// Whether the fields of one CSV record were quoted, read from the record's own text.

/**
 * Which fields of one CSV record were quoted, read from the record's raw text. Only asked for
 * records with an empty field: psql's CSV writes NULL as an empty unquoted field and the empty
 * string as "" (quoted), and the parsed values alone cannot tell them apart.
 */
export function quotedFieldsOf(raw: string, delimiter = ",", quote = '"'): boolean[] {
  const quoted: boolean[] = [];
  let i = raw.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    if (raw[i] === quote) {
      quoted.push(true);
      i += 1;
      // To the closing quote; a doubled quote is an escaped one.
      for (;;) {
        const q = raw.indexOf(quote, i);
        if (q < 0) {
          i = raw.length;
          break;
        }
        if (raw[q + 1] === quote) {
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
    } else {
      quoted.push(false);
    }
    while (i < raw.length && raw[i] !== delimiter && raw[i] !== "\n" && raw[i] !== "\r") i += 1;
    if (raw[i] !== delimiter) return quoted;
    i += 1;
  }
}
