import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/**
 * Writes an export through a temporary file and a rename, so a reader (CI, a browser) never sees
 * half a report; parent folders are created. Returns the absolute path written.
 */
export async function writeExportFile(path: string, text: string): Promise<string> {
  const outFile = resolve(path);
  await mkdir(dirname(outFile), { recursive: true });
  const temp = `${outFile}.${process.pid}.tmp`;
  await writeFile(temp, text, "utf8");
  await rename(temp, outFile);
  return outFile;
}
