import { z } from "zod";

/**
 * The mapping file on disk. Objects are loose: keys the toolkit does not know (names, a
 * reason, a comment) are kept and written back unchanged.
 */

const milltimeId = z
  .string({ error: "expected a string (write Milltime ids in quotes: 18-digit numbers lose precision in JSON)" })
  .regex(/^\S+$/, { error: "expected a non-empty id without spaces" });

const kleerId = z
  .number({ error: "expected a number (Kleer ids are integers)" })
  .int({ error: "expected an integer" })
  .positive({ error: "expected a positive integer" });

export const mappingUserSchema = z
  .looseObject({
    tokiUserId: z.number({ error: "expected a number (timer_history.user_id)" }).int({ error: "expected an integer" }).positive({ error: "expected a positive integer" }),
    email: z.string({ error: "expected a string" }).optional(),
    milltimeUserId: milltimeId.optional(),
    /** null or absent: the user has no Kleer account (yet). */
    kleerUserId: kleerId.nullable().optional(),
  })
  .describe("A Toki user and the user ids that person has in Milltime and Kleer.");

export const mappingProjectSchema = z
  .looseObject({ milltimeProjectId: milltimeId, kleerProjectId: kleerId })
  .describe("A Milltime project and the Kleer project its entries move to.");

export const mappingActivitySchema = z
  .looseObject({ milltimeActivityId: milltimeId, kleerActivityId: kleerId })
  .describe("A Milltime activity and the Kleer activity its entries move to.");

export const mappingDocumentSchema = z
  .looseObject({
    users: z.array(mappingUserSchema, { error: "expected an array" }).default([]),
    projects: z.array(mappingProjectSchema, { error: "expected an array" }).default([]),
    activities: z.array(mappingActivitySchema, { error: "expected an array" }).default([]),
  })
  .describe("toki-parity Milltime→Kleer mapping file");

export type MappingUserEntry = z.output<typeof mappingUserSchema>;
export type MappingProjectEntry = z.output<typeof mappingProjectSchema>;
export type MappingActivityEntry = z.output<typeof mappingActivitySchema>;
/** The mapping file as parsed, extra keys included. */
export type MappingDocument = z.output<typeof mappingDocumentSchema>;
