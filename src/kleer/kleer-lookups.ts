import type { KleerClient } from "./kleer-client.js";
import type { KleerActivity, KleerClientProject } from "./kleer-schema.js";

/**
 * Company-wide lists every user's adapter needs: all projects (#3, names for the listing),
 * active projects (#4, visibility and write validation) and activities (#5). Each is fetched
 * at most once per lookups instance and shared by every adapter given the same instance.
 */
export interface KleerCompanyLookups {
  projectsAll(): Promise<KleerClientProject[]>;
  projectsActive(): Promise<KleerClientProject[]>;
  activities(): Promise<KleerActivity[]>;
}

function memoise<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (!pending) {
      pending = load();
      // A failed fetch is not cached: the next caller tries again.
      pending.catch(() => {
        pending = undefined;
      });
    }
    return pending;
  };
}

/** Memoised company lookups over one client (concurrent first calls share one request). */
export function createKleerCompanyLookups(client: KleerClient): KleerCompanyLookups {
  return {
    projectsAll: memoise(() => client.listClientProjects()),
    projectsActive: memoise(() => client.listActiveClientProjects()),
    activities: memoise(() => client.listActivities()),
  };
}
