// Registro attività: the audit trail, for coordinators only.
import type { Hono } from "hono";
import * as z from "zod";
import type { ConsoleDeps, ConsoleEnv } from "../context.js";
import { actorOf, guard, page, renderError } from "../http.js";
import { t } from "../text.js";
import { type AuditListQuery, AuditPage, auditAreas } from "../views/audit.js";

export const auditPageSize = 50;

// Query strings are a boundary: anything unexpected is ignored rather than trusted.
const auditQuerySchema = z.object({
  azione: z.string().max(40).optional().catch(undefined),
  dal: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((day) => {
      const date = new Date(`${day}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
    })
    .optional()
    .catch(undefined),
  da: z.coerce.number().int().min(0).max(10_000_000).optional().catch(undefined),
});

export function auditRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.get("/registro", guard(deps, "audit.view"), (c) => {
    const curation = deps.curation;
    if (!curation) return renderError(c, deps, 503, t("error.unavailable"));
    const actions = curation.auditActions();
    const raw = auditQuerySchema.parse(c.req.query());
    // Only the actions and areas the filter offers; a made-up one shows everything.
    const known = [...auditAreas(actions), ...actions.map((a) => a.code)];
    const query: AuditListQuery = {
      action: raw.azione && known.includes(raw.azione) ? raw.azione : undefined,
      since: raw.dal,
      limit: auditPageSize,
      offset: raw.da ?? 0,
    };
    const { total, entries } = curation.audit(query);
    return page(
      c,
      <AuditPage
        session={actorOf(c).session}
        approval={deps.approval}
        query={query}
        total={total}
        entries={entries}
        actions={actions}
      />,
    );
  });
}
