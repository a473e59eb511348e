// Alternative phrasings suggested for published FAQ: questions answered from a FAQ and marked
// "utile", and queued questions close to one. A trainer accepts (the phrasing joins the FAQ) or
// rejects each; a rejected phrasing is not suggested again for that FAQ (the unique key).
import * as z from "zod";
import { type Db, preparedOnUse } from "./database.js";
import { parseRows } from "./rows.js";

export const suggestionOrigins = ["utile", "coda"] as const;
export type SuggestionOrigin = (typeof suggestionOrigins)[number];

const suggestionRowSchema = z.lazy(() =>
  z
    .object({
      id: z.number().int(),
      faq_id: z.string(),
      text: z.string(),
      origin: z.enum(suggestionOrigins),
      status: z.enum(["proposta", "accettata", "rifiutata"]),
      created_at: z.string(),
    })
    .transform((row) => ({
      id: row.id,
      faqId: row.faq_id,
      text: row.text,
      origin: row.origin,
      status: row.status,
      createdAt: row.created_at,
    })),
);
export type SuggestionRecord = z.infer<typeof suggestionRowSchema>;

const columns = "id, faq_id, text, origin, status, created_at";

export function createSuggestionQueries(db: Db, now: () => Date) {
  const insert = preparedOnUse(
    db,
    `
    INSERT OR IGNORE INTO faq_suggestions (faq_id, text, origin, interaction_id, created_at)
    VALUES (?, ?, ?, ?, ?)`,
  );
  const open = preparedOnUse(
    db,
    `SELECT ${columns} FROM faq_suggestions WHERE status = 'proposta' ORDER BY id LIMIT ?`,
  );
  const openFor = preparedOnUse(
    db,
    `SELECT ${columns} FROM faq_suggestions WHERE status = 'proposta' AND faq_id = ? ORDER BY id`,
  );
  const one = preparedOnUse(db, `SELECT ${columns} FROM faq_suggestions WHERE id = ?`);
  const decide = preparedOnUse(
    db,
    "UPDATE faq_suggestions SET status = ?, decided_at = ? WHERE id = ? AND status = 'proposta'",
  );

  return {
    /** Records a suggestion; false when the same phrasing was already suggested for the FAQ. */
    suggest(input: {
      faqId: string;
      text: string;
      origin: SuggestionOrigin;
      interactionId: number | null;
    }): boolean {
      return (
        insert.run(input.faqId, input.text, input.origin, input.interactionId, now().toISOString())
          .changes === 1
      );
    },
    open(faqId?: string, limit = 200): SuggestionRecord[] {
      const rows = faqId === undefined ? open.all(limit) : openFor.all(faqId);
      return parseRows(suggestionRowSchema, rows, "faq_suggestions");
    },
    get(id: number): SuggestionRecord | undefined {
      return parseRows(suggestionRowSchema, [one.get(id)].filter(Boolean), "faq_suggestions")[0];
    },
    /** True when the suggestion was still open and is now decided. */
    decide(id: number, status: "accettata" | "rifiutata"): boolean {
      return decide.run(status, now().toISOString(), id).changes === 1;
    },
  };
}

export type SuggestionQueries = ReturnType<typeof createSuggestionQueries>;
