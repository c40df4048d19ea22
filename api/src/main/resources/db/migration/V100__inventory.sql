-- Inventory: environments, roles, hosts, NICs, hardware facts, API tokens.
-- Runs unchanged on H2 (MODE=MariaDB;DATABASE_TO_LOWER=TRUE) and MariaDB 10.11: lower-case
-- identifiers, CHAR(36) UUIDs, DATETIME(6) in UTC, JSON as LONGTEXT, case normalized in Java.

CREATE TABLE environments (
  name        VARCHAR(63)  NOT NULL PRIMARY KEY,
  description VARCHAR(1000) NULL,
  created_at  DATETIME(6)  NOT NULL
);

CREATE TABLE roles (
  id               CHAR(36)     NOT NULL PRIMARY KEY,
  environment      VARCHAR(63)  NOT NULL,
  name             VARCHAR(63)  NOT NULL,
  image_name       VARCHAR(200) NULL,
  image_version    VARCHAR(200) NULL,
  kernel_args      VARCHAR(4000) NULL,
  install_template VARCHAR(200) NULL,
  variables_json   LONGTEXT     NULL,
  version          BIGINT       NOT NULL,
  created_at       DATETIME(6)  NOT NULL,
  updated_at       DATETIME(6)  NOT NULL,
  CONSTRAINT roles_env_fk FOREIGN KEY (environment) REFERENCES environments (name),
  CONSTRAINT roles_env_name UNIQUE (environment, name)
);

-- seq orders hosts by insertion: the list cursor is the last seq seen, so hosts added while a
-- client pages only ever appear after it and no page repeats or skips an existing host.
CREATE TABLE hosts (
  seq                     BIGINT AUTO_INCREMENT PRIMARY KEY,
  id                      CHAR(36)     NOT NULL,
  hostname                VARCHAR(253) NULL,
  state                   VARCHAR(20)  NOT NULL,
  environment             VARCHAR(63)  NULL,
  role_id                 CHAR(36)     NULL,
  serial                  VARCHAR(128) NULL,
  asset_tag               VARCHAR(128) NULL,
  vendor                  VARCHAR(128) NULL,
  model                   VARCHAR(128) NULL,
  system_uuid             CHAR(36)     NULL,
  rack                    VARCHAR(64)  NULL,
  rack_position           INT          NULL,
  bmc_address             VARCHAR(255) NULL,
  notes                   VARCHAR(4000) NULL,
  running_image_name      VARCHAR(200) NULL,
  running_image_version   VARCHAR(200) NULL,
  checked_in_at           DATETIME(6)  NULL,
  provisioning_token_hash CHAR(64)     NULL,
  rebuild_requested_by    VARCHAR(200) NULL,
  rebuild_requested_at    DATETIME(6)  NULL,
  version                 BIGINT       NOT NULL,
  created_at              DATETIME(6)  NOT NULL,
  updated_at              DATETIME(6)  NOT NULL,
  CONSTRAINT hosts_id UNIQUE (id),
  CONSTRAINT hosts_hostname UNIQUE (hostname),
  CONSTRAINT hosts_env_fk FOREIGN KEY (environment) REFERENCES environments (name),
  CONSTRAINT hosts_role_fk FOREIGN KEY (role_id) REFERENCES roles (id)
);
CREATE INDEX hosts_state ON hosts (state, seq);
CREATE INDEX hosts_env ON hosts (environment, seq);
CREATE INDEX hosts_role ON hosts (role_id, seq);
CREATE INDEX hosts_serial ON hosts (serial);
CREATE INDEX hosts_system_uuid ON hosts (system_uuid);
CREATE INDEX hosts_rack ON hosts (rack, seq);

-- One row per MAC: the primary key makes a MAC unique across the whole inventory.
CREATE TABLE nics (
  mac        CHAR(17)    NOT NULL PRIMARY KEY,
  host_id    CHAR(36)    NOT NULL,
  name       VARCHAR(32) NULL,
  boot       BOOLEAN     NOT NULL,
  CONSTRAINT nics_host_fk FOREIGN KEY (host_id) REFERENCES hosts (id)
);
CREATE INDEX nics_host ON nics (host_id);

-- Every report the discovery agent made; the newest per host is the current set.
CREATE TABLE hardware_facts (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  host_id     CHAR(36)    NOT NULL,
  reported_at DATETIME(6) NOT NULL,
  facts_json  LONGTEXT    NOT NULL,
  CONSTRAINT facts_host_fk FOREIGN KEY (host_id) REFERENCES hosts (id)
);
CREATE INDEX facts_host ON hardware_facts (host_id, id);

-- Bearer tokens: only the sha256 of the token is stored.
CREATE TABLE api_tokens (
  id           CHAR(36)     NOT NULL PRIMARY KEY,
  name         VARCHAR(100) NOT NULL,
  role         VARCHAR(20)  NOT NULL,
  environments VARCHAR(2000) NULL,
  token_hash   CHAR(64)     NOT NULL,
  created_at   DATETIME(6)  NOT NULL,
  created_by   VARCHAR(200) NOT NULL,
  revoked_at   DATETIME(6)  NULL,
  CONSTRAINT api_tokens_hash UNIQUE (token_hash),
  CONSTRAINT api_tokens_name UNIQUE (name)
);

CREATE INDEX events_time ON events (occurred_at, id);
