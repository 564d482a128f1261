-- Sharing a board with every account of an e-mail domain (WeKan 11's board domains, its issue 5850):
-- a signed-in person whose address is in an active domain of a private board sees it as a visitor of a
-- public board would.
CREATE TABLE board_domains (
  board_id  TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  domain    TEXT NOT NULL,
  is_active INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (board_id, domain)
);
CREATE INDEX board_domains_by_domain ON board_domains(domain);
