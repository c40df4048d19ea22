-- A host's BMC: how Rackboot reaches it to drive power and the next boot device. The password
-- is stored only as AES-GCM ciphertext under bmc.credentialKey (never in clear); a host that is
-- deleted takes its credentials with it.
CREATE TABLE bmc_credentials (
  host_id            CHAR(36)     NOT NULL PRIMARY KEY,
  driver             VARCHAR(16)  NOT NULL,
  address            VARCHAR(253) NOT NULL,
  port               INT          NOT NULL,
  username           VARCHAR(64)  NOT NULL,
  password_sealed    VARCHAR(512) NOT NULL,
  updated_at         DATETIME(6)  NOT NULL,
  updated_by         VARCHAR(300) NOT NULL,
  CONSTRAINT fk_bmc_credentials_host FOREIGN KEY (host_id) REFERENCES hosts (id)
    ON DELETE CASCADE
);
