// The audit trail as curation shows it: read back for people (the store keeps only pseudonyms, so
// the configured users, roles and display names, are hashed the same way to put a name on the
// entries they made; someone no longer in the configuration shows as a pseudonym, like an unnamed
// FAQ author), and the few entries an adapter records by itself (a console sign-in).
import { localCliUser } from "../config/access.js";
import type { SportelloConfig } from "../config/schema.js";
import { SportelloError } from "../errors.js";
import { hasTemplate, say } from "../prompts.js";
import { type AuditAction, type AuditDetail, auditActions, systemActors } from "../store/audit.js";
import type { AuditEntry } from "../store/rows.js";
import type { Store } from "../store/store.js";
import type { Actor } from "./actors.js";
import { parseDay } from "./period.js";

/** What an adapter records by itself: the console's sign-ins and re-ingestion. */
export const adapterAuditActions = [
  "console.signin",
  "console.signin_failed",
  "console.signin_throttled",
  "console.local_link",
  "knowledge.reingest",
] as const satisfies readonly AuditAction[];
export type AdapterAuditAction = (typeof adapterAuditActions)[number];

export interface AdapterAuditEntry {
  /**
   * The person concerned (for a failed sign-in, the name that was tried), or the console itself
   * for a summary of failed sign-ins over too many names to list.
   */
  actor: Actor | { system: "console" };
  action: AdapterAuditAction;
  target?: string | null;
  detail?: AuditDetail | null;
}

export interface AuditQuery {
  /** ISO date (YYYY-MM-DD), inclusive: entries on or after it (UTC day). */
  since?: string;
  /** An action code or its beginning: "faq" or "faq." for every FAQ step, "console.signin". */
  action?: string;
  limit?: number;
  offset?: number;
}

export interface AuditRecord extends AuditEntry {
  /** Who acted, as a person reads it: "Anna Formatrice (cli:anna)", "web:carla", "utente 1a2b3c4d". */
  who: string;
  /** The action in Italian ("FAQ pubblicata"). */
  label: string;
  /** The detail in one Italian line ("versione 4 · motivo: richiesta dai CPI"), "" without. */
  summary: string;
}

/** A stored value in Italian where it is a code with a name (a role, a group status). */
function valueText(key: string, value: unknown): string {
  const name =
    key === "roles"
      ? `curation.role_${String(value)}`
      : key === "from" || key === "to"
        ? `curation.audit_status.${String(value)}`
        : undefined;
  return name && hasTemplate(name) ? say(name) : String(value);
}

/** The detail as a person reads it: each known fact with its Italian name, empty ones left out. */
export function summarizeDetail(detail: Record<string, unknown> | null): string {
  if (!detail) return "";
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (value === null || value === undefined) continue;
    const text = Array.isArray(value)
      ? value.length === 0
        ? say("curation.audit_none")
        : value.map((item) => valueText(key, item)).join(", ")
      : valueText(key, value);
    const name = `curation.audit_detail.${key}`;
    parts.push(`${hasTemplate(name) ? say(name) : key}: ${text}`);
  }
  return parts.join(" · ");
}

export interface AuditTrail {
  /** Entries, newest first, with who acted as a person can read it. */
  list(query?: AuditQuery): { total: number; entries: AuditRecord[] };
  /** The action codes with their Italian labels, for filters. */
  actions(): Array<{ code: AuditAction; label: string }>;
  /**
   * Records what an adapter did on its own (a console sign-in, a re-ingestion). Only those
   * actions: curation's own changes are recorded by curation, never by an adapter.
   */
  record(entry: AdapterAuditEntry): void;
}

export function createAuditTrail(
  store: Store,
  config: Pick<SportelloConfig, "roles" | "names">,
): AuditTrail {
  let names: Map<string, string> | undefined;

  /** Pseudonym → how to show that person, for everyone the configuration names. */
  function knownActors(): Map<string, string> {
    if (names) return names;
    names = new Map();
    const keys = new Set([
      `cli:${localCliUser}`,
      ...config.roles.operators,
      ...config.roles.trainers,
      ...config.roles.coordinators,
      ...Object.keys(config.names),
    ]);
    for (const key of keys) {
      const colon = key.indexOf(":");
      if (colon <= 0) continue;
      const name = config.names[key];
      names.set(
        store.sealer.pseudonym(key.slice(0, colon), key.slice(colon + 1)),
        name ? `${name} (${key})` : key,
      );
    }
    for (const system of systemActors) names.set(system, say(`curation.audit_actor.${system}`));
    return names;
  }

  function label(code: string): string {
    const key = `curation.audit_action.${code}`;
    return hasTemplate(key) ? say(key) : code;
  }

  /** INPUT_INVALID unless some action starts with `text`; returns the prefix to filter on. */
  function actionPrefix(text: string | undefined): string | undefined {
    const prefix = text?.trim();
    if (!prefix) return undefined;
    if (!auditActions.some((code) => code.startsWith(prefix))) {
      throw new SportelloError(
        "INPUT_INVALID",
        say("curation.audit_bad_action", { value: prefix, actions: auditActions.join(", ") }),
      );
    }
    return prefix;
  }

  return {
    list(query = {}) {
      const prefix = actionPrefix(query.action);
      const since = query.since ? parseDay(query.since, "--since").toISOString() : undefined;
      const known = knownActors();
      const { total, entries } = store.audit.list({
        since,
        actionPrefix: prefix,
        limit: query.limit,
        offset: query.offset,
      });
      return {
        total,
        entries: entries.map((entry) => ({
          ...entry,
          who:
            known.get(entry.actor) ??
            say("curation.audit_unknown_actor", { id: entry.actor.slice(0, 8) }),
          label: label(entry.action),
          summary: summarizeDetail(entry.detail),
        })),
      };
    },

    actions: () => auditActions.map((code) => ({ code, label: label(code) })),

    record(entry) {
      if (!(adapterAuditActions as readonly string[]).includes(entry.action)) {
        throw new SportelloError(
          "STORE_FAILED",
          say("curation.audit_not_adapter_action", { action: entry.action }),
        );
      }
      store.audit.append({
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        detail: entry.detail ?? null,
      });
    },
  };
}
