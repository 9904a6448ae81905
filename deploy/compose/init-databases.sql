-- Run once by the postgres image's entrypoint, on an empty data volume, as POSTGRES_USER
-- (lianxin), connected to POSTGRES_DB (lianxin, the tests' database, already created).
-- One database per service; the same list as deploy/local/postgres.sh.
-- \gexec keeps the script harmless if it is ever run again by hand.
SELECT format('CREATE DATABASE %I OWNER lianxin', db)
FROM unnest(ARRAY['lianxin', 'relief', 'funds', 'supervision', 'party', 'projection']) AS db
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = db)
\gexec
