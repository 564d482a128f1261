-- PostgreSQL twin of SQLite's 0026: boards shared with an e-mail domain.
CREATE TABLE board_domains (
  board_id  TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  domain    TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (board_id, domain)
);
CREATE INDEX board_domains_by_domain ON board_domains(domain);
INSERT INTO schema_migrations (version, applied_at) VALUES (26, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
