import type { KleerClient } from "../kleer/index.js";
import type { KleerMappingDirectory } from "../mapping/index.js";

/** The three company-wide list calls the mapping needs (the Kleer client has them). */
export type KleerListClient = Pick<KleerClient, "listUsers" | "listClientProjects" | "listActivities">;

/**
 * Kleer's company lists in the mapping's plain shapes: `/user`, `/client-project` (inactive
 * projects included, with their `all-users`/`users` and `all-activities`/`activities` access
 * fields) and `/activity`. Each call goes straight to the client; nothing is cached.
 */
export function createKleerMappingDirectory(client: KleerListClient): KleerMappingDirectory {
  return {
    async listKleerUsers() {
      return (await client.listUsers()).map((u) => ({ id: u.id, name: u.name, email: u.email, active: u.active }));
    },
    async listKleerProjects() {
      return (await client.listClientProjects()).map((p) => ({
        id: p.id.id,
        name: p.name,
        number: p.number,
        active: p.active,
        allUsers: p["all-users"],
        users: p.users.map((u) => ({ userId: u.user.id, activityIds: u.activities.map((a) => a.activity.id) })),
        allActivities: p["all-activities"],
        activityIds: p.activities.map((a) => a.activity.id),
      }));
    },
    async listKleerActivities() {
      return (await client.listActivities()).map((a) => ({ id: a.id.id, name: a.name }));
    },
  };
}
