-- Audit and boot events: every state change, who made it, and what changed.
-- Identifiers lower-case, DATETIME(6) in UTC, JSON as LONGTEXT: identical on H2 and MariaDB.
CREATE TABLE events (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  occurred_at DATETIME(6)  NOT NULL,
  actor       VARCHAR(200) NOT NULL,
  type        VARCHAR(100) NOT NULL,
  host_id     CHAR(36)     NULL,
  subject     VARCHAR(400) NULL,
  before_json LONGTEXT     NULL,
  after_json  LONGTEXT     NULL,
  detail      LONGTEXT     NULL
);
CREATE INDEX events_host ON events (host_id, id);
CREATE INDEX events_type ON events (type, id);
