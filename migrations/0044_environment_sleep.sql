-- An environment whose app had no request for its kind's idle time sleeps: its process is stopped
-- (its memory and database connections freed) and the next request to it starts it again.
ALTER TABLE environments DROP CONSTRAINT environments_status_check;
ALTER TABLE environments ADD CONSTRAINT environments_status_check
  CHECK (status IN ('pending', 'starting', 'deploying', 'running', 'sleeping', 'crashed', 'failed', 'stopped'));
