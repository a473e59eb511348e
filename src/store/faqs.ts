// FAQ versions: every change (draft, edit, approval, publication, retirement) is a new row, never
// an update, so the history is complete and the log can name the version that answered.
import { SportelloError } from "../errors.js";
import { say } from "../prompts.js";
import { type Db, preparedOnUse } from "./database.js";
import {
  type FaqContent,
  type FaqState,
  type FaqVersion,
  faqVersionRowSchema,
  parseRow,
  parseRows,
} from "./rows.js";

export interface NewFaqVersion {
  faqId: string;
  /** The head version the change was made against (0 for a new FAQ): a mismatch is a conflict. */
  basedOn: number;
  state: FaqState;
  content: FaqContent;
  authorHash: string;
  authorName: string | null;
  reason: string;
  groupId?: number | null;
  at?: Date;
}

const columns =
  "seq, faq_id, version, state, content, author_hash, author_name, reason, created_at, group_id";

export function createFaqQueries(db: Db, now: () => Date) {
  const head = preparedOnUse(
    db,
    `SELECT ${columns} FROM faq_versions WHERE faq_id = ? ORDER BY version DESC LIMIT 1`,
  );
  const version = preparedOnUse(
    db,
    `SELECT ${columns} FROM faq_versions WHERE faq_id = ? AND version = ?`,
  );
  const history = preparedOnUse(
    db,
    `SELECT ${columns} FROM faq_versions WHERE faq_id = ? ORDER BY version`,
  );
  const heads = preparedOnUse(
    db,
    `
    SELECT ${columns} FROM faq_versions f
    WHERE version = (SELECT MAX(version) FROM faq_versions WHERE faq_id = f.faq_id)
    ORDER BY faq_id`,
  );
  // The answering version of a FAQ: its latest publication, unless retired after it.
  const published = preparedOnUse(
    db,
    `
    SELECT ${columns} FROM faq_versions p
    WHERE state = 'pubblicata' AND version = (
      SELECT MAX(version) FROM faq_versions q
      WHERE q.faq_id = p.faq_id AND q.state IN ('pubblicata', 'ritirata'))
    ORDER BY faq_id`,
  );
  const changeMark = preparedOnUse(db, "SELECT COALESCE(MAX(seq), 0) AS mark FROM faq_versions");
  const insert = preparedOnUse(
    db,
    `
    INSERT INTO faq_versions (faq_id, version, state, content, author_hash, author_name, reason,
      created_at, group_id)
    VALUES (@faqId, @version, @state, @content, @authorHash, @authorName, @reason, @createdAt,
      @groupId)`,
  );

  const parse = (row: unknown): FaqVersion => parseRow(faqVersionRowSchema, row, "faq_versions");

  const headOf = (faqId: string): FaqVersion | undefined => {
    const row = head.get(faqId);
    return row === undefined ? undefined : parse(row);
  };

  return {
    head: headOf,

    version(faqId: string, n: number): FaqVersion | undefined {
      const row = version.get(faqId, n);
      return row === undefined ? undefined : parse(row);
    },

    history(faqId: string): FaqVersion[] {
      return parseRows(faqVersionRowSchema, history.all(faqId), "faq_versions");
    },

    /** The latest version of every FAQ. */
    heads(): FaqVersion[] {
      return parseRows(faqVersionRowSchema, heads.all(), "faq_versions");
    },

    /** The versions that answer now. */
    published(): FaqVersion[] {
      return parseRows(faqVersionRowSchema, published.all(), "faq_versions");
    },

    /** Grows with every change to any FAQ: lets a process notice another one's publication. */
    changeMark(): number {
      return (changeMark.get() as { mark: number }).mark;
    },

    /** Appends a version on top of `basedOn`; CONFLICT if someone else changed the FAQ first. */
    append(input: NewFaqVersion): FaqVersion {
      return db
        .transaction(() => {
          const current = headOf(input.faqId)?.version ?? 0;
          if (current !== input.basedOn) {
            throw new SportelloError(
              "CONFLICT",
              say("store.faq_conflict", { id: input.faqId, current }),
            );
          }
          insert.run({
            faqId: input.faqId,
            version: current + 1,
            state: input.state,
            content: JSON.stringify(input.content),
            authorHash: input.authorHash,
            authorName: input.authorName,
            reason: input.reason,
            createdAt: (input.at ?? now()).toISOString(),
            groupId: input.groupId ?? null,
          });
          return headOf(input.faqId) as FaqVersion;
        })
        .immediate();
    },
  };
}

export type FaqQueries = ReturnType<typeof createFaqQueries>;
