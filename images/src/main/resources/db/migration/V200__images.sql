-- Image store catalog: image versions and their artifacts, per-environment pins with history,
-- package repository snapshots. Blobs themselves live on disk under their sha256.
-- Names are normalized to lower case in Java (MariaDB compares case-insensitively, H2 does not);
-- repository paths keep their case and are looked up through path_sha, an exact hex key.

CREATE TABLE image_versions (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  version     VARCHAR(100) NOT NULL,
  os          VARCHAR(100) NOT NULL,
  arch        VARCHAR(40)  NOT NULL,
  boot_args   LONGTEXT     NULL,
  notes       LONGTEXT     NULL,
  created_by  VARCHAR(200) NOT NULL,
  created_at  DATETIME(6)  NOT NULL,
  CONSTRAINT image_versions_name_version UNIQUE (name, version)
);

CREATE TABLE image_artifacts (
  image_id    BIGINT       NOT NULL,
  position    INT          NOT NULL,
  name        VARCHAR(200) NOT NULL,
  part        VARCHAR(20)  NOT NULL,
  sha256      CHAR(64)     NOT NULL,
  size        BIGINT       NOT NULL,
  PRIMARY KEY (image_id, position),
  CONSTRAINT image_artifacts_image FOREIGN KEY (image_id) REFERENCES image_versions (id)
);
CREATE INDEX image_artifacts_sha ON image_artifacts (sha256);

-- One row: publishers and the garbage collector take it FOR UPDATE, so a collection never
-- deletes a blob that a publish running at the same moment is about to reference.
CREATE TABLE image_store_lock (
  id INT PRIMARY KEY
);
INSERT INTO image_store_lock (id) VALUES (1);

-- role and environment are plain names: their tables belong to the inventory.
CREATE TABLE image_pins (
  role          VARCHAR(100) NOT NULL,
  environment   VARCHAR(100) NOT NULL,
  image_name    VARCHAR(100) NOT NULL,
  image_version VARCHAR(100) NOT NULL,
  pinned_by     VARCHAR(200) NOT NULL,
  pinned_at     DATETIME(6)  NOT NULL,
  PRIMARY KEY (role, environment)
);

CREATE TABLE image_pin_history (
  id            BIGINT AUTO_INCREMENT PRIMARY KEY,
  role          VARCHAR(100) NOT NULL,
  environment   VARCHAR(100) NOT NULL,
  action        VARCHAR(20)  NOT NULL,
  from_name     VARCHAR(100) NULL,
  from_version  VARCHAR(100) NULL,
  to_name       VARCHAR(100) NOT NULL,
  to_version    VARCHAR(100) NOT NULL,
  actor         VARCHAR(200) NOT NULL,
  changed_at    DATETIME(6)  NOT NULL
);
CREATE INDEX image_pin_history_pin ON image_pin_history (role, environment, id);

CREATE TABLE repo_snapshots (
  id          BIGINT AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  version     VARCHAR(100) NOT NULL,
  notes       LONGTEXT     NULL,
  file_count  INT          NOT NULL,
  total_size  BIGINT       NOT NULL,
  created_by  VARCHAR(200) NOT NULL,
  created_at  DATETIME(6)  NOT NULL,
  CONSTRAINT repo_snapshots_name_version UNIQUE (name, version)
);

CREATE TABLE repo_snapshot_files (
  snapshot_id BIGINT        NOT NULL,
  path_sha    CHAR(64)      NOT NULL,
  path        VARCHAR(1024) NOT NULL,
  sha256      CHAR(64)      NOT NULL,
  size        BIGINT        NOT NULL,
  PRIMARY KEY (snapshot_id, path_sha),
  CONSTRAINT repo_snapshot_files_snapshot FOREIGN KEY (snapshot_id) REFERENCES repo_snapshots (id)
);
CREATE INDEX repo_snapshot_files_sha ON repo_snapshot_files (sha256);
