// The records of a timer-history CSV export, parsed by papaparse as the file streams in.
//
// papaparse scans for delimiters with indexOf and splits quote-free chunks whole: about 7× less
// CPU than csv-parse's per-character state machine on a psql export (docs/scale.md). What the
// parsed values cannot tell — whether an empty field was quoted (psql writes NULL as an empty
// unquoted field, the empty string as "") and the line a record starts on — is read from the
// record's own text: papaparse reports where each record ends, and the chunks it parsed are
// kept until then.
import { createReadStream } from "node:fs";
import Papa from "papaparse";
import { quotedFieldsOf } from "./csv-quoting.js";

export interface CsvRecord {
  fields: string[];
  /** Which fields were quoted; read only for records with an empty field, undefined otherwise. */
  quoted: boolean[] | undefined;
  /** The line the record starts on (1-based; `\r\n`, `\r` and `\n` each end a line). */
  line: number;
}

/** Text psql would never write: an unclosed quote, or text after a closing quote. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

/** Records handed over per batch; the file is paused while this many wait for the consumer. */
const BATCH_RECORDS = 2048;

const SYNTAX_MESSAGES: Record<string, string> = {
  MissingQuotes: "Quote Not Closed: a quoted field runs to the end of the file",
  InvalidQuotes: "Invalid Closing Quote: text follows the closing quote of a field",
};

function lineBreaksIn(text: string): number {
  let breaks = 0;
  let at = text.indexOf("\n");
  while (at >= 0) {
    breaks += 1;
    at = text.indexOf("\n", at + 1);
  }
  if (text.indexOf("\r") < 0) return breaks;
  // A lone \r ends a line too; \r\n was counted at its \n.
  for (let i = text.indexOf("\r"); i >= 0; i = text.indexOf("\r", i + 1)) if (text.charCodeAt(i + 1) !== 10) breaks += 1;
  return breaks;
}

function isBlank(fields: readonly string[], raw: string): boolean {
  return fields.length === 1 && fields[0] === "" && raw.indexOf('"') < 0;
}

/**
 * Yields the file's records (the header first) in batches, in file order; blank lines are
 * skipped. A syntax error rejects with a CsvSyntaxError naming the line; a read error rejects as
 * the file stream's. Stopping early closes the file.
 */
export async function* readCsvRecords(path: string): AsyncGenerator<CsvRecord[]> {
  const input = createReadStream(path, { encoding: "utf8" });
  // The text from the end of the last record on (a record may span chunks); starts at `windowStart`.
  let window = "";
  let windowStart = 0;
  let recordEnd = 0;
  let first = true;
  let nextLine = 1;
  let pending: CsvRecord[] = [];
  let failure: Error | undefined;
  let done = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const stripBom = (chunk: string) => (chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk);
  // Registered before papaparse's own listener, so the chunk is in the window when it is parsed.
  input.on("data", (chunk) => {
    const text = first ? stripBom(chunk as string) : (chunk as string);
    first = false;
    window = window.slice(recordEnd - windowStart) + text;
    windowStart = recordEnd;
  });
  input.on("error", (error) => {
    failure ??= error;
    notify();
  });
  Papa.parse<string[], NodeJS.ReadableStream>(input, {
    delimiter: ",",
    quoteChar: '"',
    escapeChar: '"',
    skipEmptyLines: false,
    beforeFirstChunk: stripBom,
    step: (results, parser) => {
      if (failure) return;
      const end = results.meta.cursor;
      const raw = window.slice(recordEnd - windowStart, end - windowStart);
      recordEnd = end;
      const line = nextLine;
      nextLine += lineBreaksIn(raw);
      const error = results.errors[0];
      if (error) {
        failure = new CsvSyntaxError(SYNTAX_MESSAGES[error.code] ?? error.message, line);
        parser.abort();
        input.destroy();
        notify();
        return;
      }
      const fields = results.data;
      if (isBlank(fields, raw)) return;
      pending.push({ fields, quoted: fields.includes("") ? quotedFieldsOf(raw) : undefined, line });
      if (pending.length >= BATCH_RECORDS) input.pause();
      notify();
    },
    complete: () => {
      done = true;
      notify();
    },
    error: (error: Error) => {
      failure ??= error;
      notify();
    },
  });
  try {
    for (;;) {
      if (pending.length > 0) {
        const batch = pending;
        pending = [];
        if (!done && !failure) input.resume();
        yield batch;
        continue;
      }
      if (failure) throw failure;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    input.destroy();
  }
}
