-- The app relay (deploy.relay): the address other Orchard processes reach the supervising
-- process at, host:port, recorded with its lease. Null: it has none, and its apps are reached on
-- the loopback of the machine they run on (Orchard on one machine).
ALTER TABLE app_processes ADD COLUMN relay text;
