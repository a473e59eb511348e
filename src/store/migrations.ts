// The database schema as an append-only list of steps: step N brings `PRAGMA user_version` from
// N-1 to N. Never edit a step that has shipped; add a new one.

export const migrations: readonly string[] = [
  // 1. The interaction log and feedback on answers.
  `
  CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('cli', 'telegram', 'slack', 'web')),
    user_hash TEXT NOT NULL,
    conversation_hash TEXT,
    status TEXT NOT NULL CHECK (status IN ('answered', 'declined', 'refused')),
    text TEXT,
    source TEXT CHECK (source IN ('faq', 'documents')),
    faq_id TEXT,
    faq_version INTEGER,
    passage_ids TEXT NOT NULL DEFAULT '[]',
    fingerprint TEXT,
    confidence REAL,
    latency_ms REAL,
    reason TEXT,
    region TEXT
  );
  CREATE INDEX interactions_created_at ON interactions (created_at);
  CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    interaction_id INTEGER NOT NULL REFERENCES interactions (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('utile', 'non_utile', 'segnala')),
    comment TEXT
  );
  CREATE INDEX feedback_interaction ON feedback (interaction_id);
  `,
  // 2. The unanswered queue and the FAQ versions.
  `
  CREATE TABLE unanswered_groups (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'aperta'
      CHECK (status IN ('aperta', 'in_lavorazione', 'risolta', 'scartata')),
    faq_id TEXT,
    dismiss_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE unanswered_items (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES unanswered_groups (id) ON DELETE CASCADE,
    interaction_id INTEGER NOT NULL UNIQUE REFERENCES interactions (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('declined', 'non_utile')),
    terms TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX unanswered_items_group ON unanswered_items (group_id);
  CREATE TABLE faq_versions (
    seq INTEGER PRIMARY KEY,
    faq_id TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    state TEXT NOT NULL CHECK (state IN ('bozza', 'approvata', 'pubblicata', 'ritirata')),
    content TEXT NOT NULL,
    author_hash TEXT NOT NULL,
    author_name TEXT,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    group_id INTEGER REFERENCES unanswered_groups (id) ON DELETE SET NULL,
    UNIQUE (faq_id, version)
  );
  `,
  // 3. Closing the loop: where to reach an asker later, and the messages waiting to go out.
  `
  ALTER TABLE interactions ADD COLUMN address BLOB;
  CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    user_hash TEXT NOT NULL,
    address BLOB NOT NULL,
    faq_id TEXT NOT NULL,
    faq_version INTEGER NOT NULL,
    group_id INTEGER REFERENCES unanswered_groups (id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    claimed_at TEXT,
    delivered_at TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    UNIQUE (user_hash, faq_id)
  );
  CREATE INDEX notifications_pending ON notifications (channel) WHERE delivered_at IS NULL;
  `,
  // 4. The audit trail: who changed what in curation and the console. Rows are never rewritten
  // (the trigger), and the interaction log's retention purge leaves them alone. The trigger's
  // Italian message stays written here, not in prompts/: SQLite raises it, also in a sqlite3 shell
  // where say() cannot reach, and a step built from say() would read prompts/ (the YAML parser) at
  // import, on the cold `ask` path, and bake a copy of the text into each database anyway.
  `
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action GLOB '[a-z]*.[a-z]*'),
    target TEXT,
    detail TEXT
  );
  CREATE INDEX audit_at ON audit (at);
  CREATE INDEX audit_action ON audit (action, id);
  CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit
  BEGIN
    SELECT RAISE(ABORT, 'audit: le voci del registro non si modificano');
  END;
  `,
  // 5. Console sessions, so that signing in survives a restart. Only a hash of the session id is
  // kept (the cookie alone opens a session) and the user is sealed like a delivery address.
  `
  CREATE TABLE console_sessions (
    id_hash TEXT PRIMARY KEY,
    user_hash TEXT NOT NULL,
    user_sealed BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX console_sessions_user ON console_sessions (user_hash, last_seen);
  `,
  // 6. Curation you can trust: grouping by focus terms through an inverted index over the queued
  // questions of groups still open (with each term's document frequency over the whole queue),
  // so grouping costs the same with 100,000 queued questions as with 10; and the alternative
  // phrasings suggested for published FAQ (from "utile" answers and close queued questions).
  `
  ALTER TABLE unanswered_items ADD COLUMN focus TEXT;
  CREATE TABLE unanswered_terms (
    term TEXT NOT NULL,
    item_id INTEGER NOT NULL REFERENCES unanswered_items (id) ON DELETE CASCADE,
    PRIMARY KEY (term, item_id)
  ) WITHOUT ROWID;
  CREATE INDEX unanswered_terms_item ON unanswered_terms (item_id);
  CREATE TABLE unanswered_term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
  INSERT OR IGNORE INTO unanswered_terms (term, item_id)
    SELECT DISTINCT j.value, i.id FROM unanswered_items i
    JOIN unanswered_groups g ON g.id = i.group_id, json_each(i.terms) j
    WHERE g.status != 'risolta' AND json_valid(i.terms);
  INSERT INTO unanswered_term_df (term, df)
    SELECT j.value, COUNT(DISTINCT i.id) FROM unanswered_items i, json_each(i.terms) j
    WHERE json_valid(i.terms) GROUP BY j.value;
  INSERT INTO unanswered_term_df (term, df) SELECT '', COUNT(*) FROM unanswered_items;
  CREATE TABLE faq_suggestions (
    id INTEGER PRIMARY KEY,
    faq_id TEXT NOT NULL,
    text TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('utile', 'coda')),
    interaction_id INTEGER REFERENCES interactions (id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'proposta' CHECK (status IN ('proposta', 'accettata', 'rifiutata')),
    created_at TEXT NOT NULL,
    decided_at TEXT,
    UNIQUE (faq_id, text)
  );
  CREATE INDEX faq_suggestions_open ON faq_suggestions (status, faq_id);
  `,
  // 7. Hardening: one feedback per person, interaction and kind (a replayed click counts once);
  // keys of requests already processed (Slack events and signatures, Telegram callbacks) with
  // their expiry, so a replay is refused also after a restart; facts about the store itself
  // (the fingerprint of the secret its pseudonyms were made with).
  `
  DELETE FROM feedback WHERE id NOT IN (
    SELECT MAX(id) FROM feedback GROUP BY interaction_id, user_hash, kind);
  CREATE UNIQUE INDEX feedback_once ON feedback (interaction_id, user_hash, kind);
  CREATE TABLE seen_requests (
    key TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX seen_requests_expiry ON seen_requests (expires_at);
  CREATE TABLE store_facts (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 8. Answers given with uncertainty (a probable FAQ, documents under the calibrated "certain"
  // bar): marked in the log, and queued for the trainers as questions "da verificare" with the
  // answer they were given. SQLite cannot widen a CHECK in place, so the queue's items are copied
  // into a new table (and their term index with them, which references it); the new tables are
  // created and filled before the old ones are dropped, so no row is lost, and renamed after.
  `
  ALTER TABLE interactions ADD COLUMN uncertain INTEGER CHECK (uncertain IN (0, 1));
  CREATE TABLE unanswered_items_v8 (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES unanswered_groups (id) ON DELETE CASCADE,
    interaction_id INTEGER NOT NULL UNIQUE REFERENCES interactions (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('declined', 'non_utile', 'uncertain')),
    terms TEXT NOT NULL,
    created_at TEXT NOT NULL,
    focus TEXT,
    answer TEXT,
    answer_source TEXT
  );
  INSERT INTO unanswered_items_v8 (id, group_id, interaction_id, kind, terms, created_at, focus)
    SELECT id, group_id, interaction_id, kind, terms, created_at, focus FROM unanswered_items;
  CREATE TABLE unanswered_terms_v8 (
    term TEXT NOT NULL,
    item_id INTEGER NOT NULL REFERENCES unanswered_items_v8 (id) ON DELETE CASCADE,
    PRIMARY KEY (term, item_id)
  ) WITHOUT ROWID;
  INSERT INTO unanswered_terms_v8 (term, item_id) SELECT term, item_id FROM unanswered_terms;
  DROP TABLE unanswered_terms;
  DROP TABLE unanswered_items;
  ALTER TABLE unanswered_items_v8 RENAME TO unanswered_items;
  ALTER TABLE unanswered_terms_v8 RENAME TO unanswered_terms;
  CREATE INDEX unanswered_items_group ON unanswered_items (group_id);
  CREATE INDEX unanswered_terms_item ON unanswered_terms (item_id);
  `,
  // 9. The other FAQ a probable answer named ("Se non è quella giusta, guarda anche"), kept with
  // its queued question as a JSON array of FAQ ids, so that trainers can confirm one of them.
  // Additive: questions queued before have none (NULL reads as an empty list).
  `
  ALTER TABLE unanswered_items ADD COLUMN answer_alternatives TEXT;
  `,
];

export const schemaVersion = migrations.length;
