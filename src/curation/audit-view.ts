// Reading the audit trail back for people: the store keeps only pseudonyms, so the configured
// users (roles and display names) are hashed the same way to put a name on the entries they made.
// Someone no longer in the configuration shows as a pseudonym, like an unnamed FAQ author.
import { localCliUser } from "../config/access.js";
import type { SportelloConfig } from "../config/schema.js";
import { SportelloError } from "../errors.js";
import { hasTemplate, say } from "../prompts.js";
import { auditActions, systemActors } from "../store/audit.js";
import type { AuditEntry } from "../store/rows.js";
import type { Store } from "../store/store.js";

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

export function createAuditView(
  store: Store,
  config: Pick<SportelloConfig, "roles" | "names">,
  parseDay: (text: string, flag: string) => Date,
) {
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
    label,

    list(query: AuditQuery = {}): { total: number; entries: AuditRecord[] } {
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
  };
}
