-- Provisioning credentials bound to one install attempt and one NIC, and a separate, narrower
-- credential for check-ins after the install (README "How a machine boots").
--
-- provisioning_token_hash (V100) stays the sha256 of the attempt's token. Until the installer
-- first uses it, the token itself is kept in provisioning_token_pending so that the boot NIC
-- that asked (provisioning_token_mac) can be sent the same token again when its firmware
-- re-fetches the script (a PXE retry before the kernel ran); the first authenticated call
-- erases it, after which only the hash is left and nobody is shown the token again.
ALTER TABLE hosts ADD COLUMN provisioning_token_pending VARCHAR(64) NULL;
ALTER TABLE hosts ADD COLUMN provisioning_token_mac CHAR(17) NULL;
-- Issued at install success (the provisioning token dies then), bound to the host; it only
-- reports the running image, and dies with the next rebuild request or the retirement.
ALTER TABLE hosts ADD COLUMN checkin_token_hash CHAR(64) NULL;
