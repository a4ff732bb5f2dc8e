import { closestName } from "./did-you-mean.js";

/** `unknown key "pasword" (did you mean "password"?)`: the nearest known key, when one is near. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const near = closestName(key, known);
  return `unknown key ${JSON.stringify(key)}${near === undefined ? "" : ` (did you mean ${JSON.stringify(near)}?)`}`;
}

/** The same for each key of one zod `unrecognized_keys` issue, joined. */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  return keys.map((key) => unknownKeyMessage(key, known)).join(", ");
}
