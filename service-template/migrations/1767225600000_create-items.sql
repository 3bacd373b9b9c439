-- An example migration (node-pg-migrate SQL format): replace it with your service's first table.
-- File names start with a timestamp (ms) and apply in that order, once each; never edit one that has run,
-- add a new file instead (`npx node-pg-migrate create <name> --migration-file-language sql`).

-- Up Migration
CREATE TABLE items (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT items_name_key UNIQUE (name)
);

-- Down Migration
DROP TABLE items;
