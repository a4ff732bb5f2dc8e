import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The package version, read once from package.json (works from src/ and from dist/). */
export const TOOL_VERSION: string = (() => {
  for (const rel of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(fileURLToPath(new URL(rel, import.meta.url)), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "toki-parity" && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return "0.0.0";
})();
