#!/usr/bin/env bash
# Starts the local MariaDB without systemd (if it is not running) and creates the test
# database and user that the POM's rackboot.mariadb.* defaults name. Idempotent.
set -euo pipefail

if ! mariadb-admin ping >/dev/null 2>&1; then
  install -d -o mysql -g mysql /run/mysqld
  install -d -o mysql -g adm /var/log/mysql
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  # No --make-pidfile: a root-owned pid file makes mariadbd exit silently.
  start-stop-daemon --start --background --oknodo --exec /usr/sbin/mariadbd -- \
    --user=mysql --log-error=/var/log/mysql/error.log
  deadline=$((SECONDS + 60))
  until mariadb-admin ping >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "MariaDB did not answer within 60 s:" >&2
      tail -20 /var/log/mysql/error.log >&2 || true
      exit 1
    fi
    sleep 0.2
  done
fi

# Tests create one database per test named rackboot_test_<random>, so the user gets rights
# on that prefix.
mariadb <<'SQL'
CREATE DATABASE IF NOT EXISTS rackboot_test CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'rackboot'@'localhost' IDENTIFIED BY 'rackboot';
CREATE USER IF NOT EXISTS 'rackboot'@'127.0.0.1' IDENTIFIED BY 'rackboot';
GRANT ALL PRIVILEGES ON `rackboot\_test%`.* TO 'rackboot'@'localhost';
GRANT ALL PRIVILEGES ON `rackboot\_test%`.* TO 'rackboot'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
echo "MariaDB ready: $(mariadb-admin version | grep -m1 'Server version')"
