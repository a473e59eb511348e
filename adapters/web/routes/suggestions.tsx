// Formulazioni suggerite: the list, and one-click accept or reject (trainers).
import type { Hono } from "hono";
import type { ConsoleDeps, ConsoleEnv } from "../context.js";
import { actorOf, attempt, guard, page, redirectWithFlash, renderError } from "../http.js";
import { t } from "../text.js";
import { SuggestionsPage } from "../views/suggestions.js";

export function suggestionRoutes(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  app.get("/faq/suggerimenti", guard(deps, "suggestions.review"), (c) => {
    if (!deps.curation) return renderError(c, deps, 503, t("error.unavailable"));
    const { session } = actorOf(c);
    return page(
      c,
      <SuggestionsPage
        session={session}
        approval={deps.approval}
        suggestions={deps.curation.suggestions()}
      />,
    );
  });

  for (const path of ["accetta", "rifiuta"] as const) {
    app.post(
      `/faq/suggerimenti/:id{[0-9]+}/${path}`,
      guard(deps, "suggestions.review"),
      async (c) => {
        const curation = deps.curation;
        if (!curation) return renderError(c, deps, 503, t("error.unavailable"));
        const { actor } = actorOf(c);
        const id = Number(c.req.param("id"));
        const back = "/faq/suggerimenti";
        const failed = await attempt(c, back, () =>
          path === "accetta"
            ? curation.acceptSuggestion(id, actor)
            : curation.rejectSuggestion(id, actor),
        );
        if (failed) return failed;
        return redirectWithFlash(c, back, "ok", t(`suggestions.done_${path}`));
      },
    );
  }
}
