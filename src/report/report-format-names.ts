// The `--format` choices of `report` and `report diff`, apart from the renderers so `--help` lists
// them without loading better-sqlite3 (report-formats.ts checks that each name has a renderer).

/** `report --format` values, in the order `--help` lists them. */
export const REPORT_FORMAT_NAMES = ["json", "junit", "md", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMAT_NAMES)[number];

/** `report diff --format` values. */
export const DIFF_FORMAT_NAMES = ["text", "json", "md"] as const;
export type DiffFormat = (typeof DIFF_FORMAT_NAMES)[number];
